"""Writing outputs whole or not at all, and never over an input.

Every command that writes files goes through :func:`output_dir`: files are written into a hidden
temporary folder beside the target and moved into place only when all of them are done. If anything
fails, the temporary folder is removed and the target is left as it was.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from parkflow.errors import OutputError


def _is_within(child: Path, parent: Path) -> bool:
    try:
        child.relative_to(parent)
    except ValueError:
        return False
    return True


def check_not_input(out: Path, inputs: Iterable[Path | None]) -> None:
    """Raise :class:`OutputError` when ``out`` is, holds or lies inside an input."""
    out_r = Path(out).resolve()
    for inp in inputs:
        if inp is None:
            continue
        in_r = Path(inp).resolve()
        clash = out_r == in_r or _is_within(in_r, out_r)
        if in_r.is_dir():
            clash = clash or _is_within(out_r, in_r)
        if clash:
            raise OutputError(
                f"output folder {out} would write over or into the input {inp}; "
                "choose an --out folder outside the scenario"
            )


@contextlib.contextmanager
def output_dir(out: str | Path, inputs: Iterable[Path | None] = (), merge: bool = False
               ) -> Iterator[Path]:
    """Yield a temporary folder; on success move its files into ``out``.

    Parameters
    ----------
    out : path
        The output folder. Created if absent.
    inputs : paths
        Input files or folders that must not be written over.
    merge : bool
        False: ``out`` must be absent or hold only files parkflow writes (they are replaced).
        True: the new files are added to the existing folder (used by ``parkflow report`` and
        ``parkflow map``, which add to a solve's output folder).
    """
    out = Path(out)
    check_not_input(out, inputs)
    if out.exists() and not out.is_dir():
        raise OutputError(f"{out} exists and is not a folder; choose another --out")
    parent = out.resolve().parent
    parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=parent))
    try:
        yield tmp
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    try:
        if not out.exists():
            os.replace(tmp, out)
            return
        if not merge:
            # replace the folder as a whole: move the old one aside, then swap
            old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=parent))
            os.rmdir(old)
            os.replace(out, old)
            os.replace(tmp, out)
            shutil.rmtree(old, ignore_errors=True)
            return
        for item in tmp.iterdir():
            target = out / item.name
            if target.is_dir() and not item.is_dir():
                raise OutputError(f"{target} is a folder; cannot write a file there")
            if target.is_dir():
                shutil.rmtree(target)
            os.replace(item, target)
        shutil.rmtree(tmp, ignore_errors=True)
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise OutputError(f"could not write {out}: {exc}") from exc
