"""Writing outputs whole or not at all, never over an input and never over a user's files.

Every command that writes a folder goes through :func:`output_dir`:

* the files are written into a hidden temporary folder ``.NAME.tmp-*`` beside the target and
  moved into place only when all of them are done; on any failure the temporary folder is removed
  and the target is left as it was;
* an existing target is replaced only when it is empty or an earlier parkflow output (its
  marker file :data:`MARKER` lists the files parkflow wrote; a folder from before the marker
  counts when it has a parkflow ``summary.json`` and only files parkflow writes). A folder that
  holds anything else is refused unless ``force`` (the ``--force`` option) is given;
* inputs are compared by their real paths (symlinks resolved, every file of a scenario folder, an
  overlay's base scenarios): the target may not be, hold or lie inside one;
* on Linux the new folder and the old one are swapped with ``renameat2(RENAME_EXCHANGE)``, so at
  every moment one complete output is in place; elsewhere (or on file systems without the call)
  the old folder is renamed aside and the new one renamed into place, a window of microseconds
  in which the target does not exist;
* runs into the same target are serialised by an exclusive ``flock`` on the target's parent
  folder (nothing extra is left there); a second run waits up to :data:`LOCK_WAIT_S` seconds;
* leftovers of a killed run (``.NAME.tmp-*``, ``.NAME.old-*``) are removed by the next run into
  the same place;
* files and folders get the user's umask (0666/0777 minus the umask);
* every ``OSError`` (read-only, full disk, permission denied, a file where a folder should be)
  becomes an :class:`~parkflow.errors.OutputError` with one line naming the path and the cause.
"""

from __future__ import annotations

import contextlib
import contextvars
import ctypes
import ctypes.util
import errno
import json
import os
import re
import secrets
import shutil
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from parkflow.errors import OutputError

#: The marker file parkflow writes into every output folder.
MARKER = ".parkflow-output"
#: Seconds a run waits for another run writing into the same place.
LOCK_WAIT_S = 120.0

#: Files a parkflow output folder from before the marker may hold (see :func:`replaceable`).
_LEGACY_NAMES = re.compile(
    r"(summary\.json|[a-z0-9_]+\.csv|report\.(md|html|xlsx)|map\.html|compare\.html"
    r"|pareto\.(png|html)|[a-z0-9_]+\.parquet)"
)

_FORCE: contextvars.ContextVar[bool] = contextvars.ContextVar("parkflow_force", default=False)
_COMMAND: contextvars.ContextVar[str] = contextvars.ContextVar("parkflow_command", default="")


@contextlib.contextmanager
def settings(force: bool = False, command: str = "") -> Iterator[None]:
    """Set how :func:`output_dir` behaves within the block.

    Within the block, :func:`output_dir` replaces foreign folders (``force``) and records
    ``command`` in its marker. The CLI wraps every command in it (``--force``).
    """
    tokens = (_FORCE.set(bool(force)), _COMMAND.set(command))
    try:
        yield
    finally:
        _COMMAND.reset(tokens[1])
        _FORCE.reset(tokens[0])


def _is_within(child: Path, parent: Path) -> bool:
    try:
        child.relative_to(parent)
    except ValueError:
        return False
    return True


def _real(path: Path) -> Path:
    return Path(os.path.realpath(path))


def input_paths(path: Path | str | None) -> list[Path]:
    """Every real path reading ``path`` touches.

    That is the path, each file of a folder (symlinks resolved) and, for a layout variant
    ``.yaml``, its base scenarios, recursively.
    """
    if path is None:
        return []
    out: list[Path] = []
    seen: set[Path] = set()
    todo = [Path(path)]
    while todo:
        p = todo.pop()
        real = _real(p)
        if real in seen:
            continue
        seen.add(real)
        out.append(real)
        if real.is_dir():
            for root, dirs, files in os.walk(real):
                for name in dirs + files:
                    entry = Path(root) / name
                    if entry.is_symlink():
                        out.append(_real(entry))
                    elif name in files:
                        out.append(entry)
        elif real.suffix.lower() in (".yaml", ".yml") and real.is_file():
            base = _overlay_base(real)
            if base is not None:
                todo.append(base)
    return out


def _overlay_base(path: Path) -> Path | None:
    """The ``base:`` of a layout variant, or None (not an overlay, or unreadable)."""
    from parkflow.errors import ScenarioError
    from parkflow.io.yaml import load_yaml_file

    try:
        data = load_yaml_file(path)
    except ScenarioError:
        return None
    if isinstance(data, dict) and isinstance(data.get("base"), str):
        return path.parent / data["base"]
    return None


def check_not_input(out: Path, inputs: Iterable[Path | None]) -> None:
    """Raise :class:`OutputError` when ``out`` is, holds or lies inside an input.

    Inputs are expanded by :func:`input_paths` and compared by their real paths, so a symlinked
    table whose target lies inside ``out`` is caught.
    """
    out_r = _real(Path(out))
    for inp in inputs:
        if inp is None:
            continue
        top = _real(Path(inp))
        for in_r in input_paths(inp):
            clash = out_r == in_r or _is_within(in_r, out_r)
            if in_r == top and in_r.is_dir():
                clash = clash or _is_within(out_r, in_r)
            if clash:
                shown = inp if in_r == top else f"{inp} (reads {in_r})"
                msg = (
                    f"output folder {out} would write over or into the input {shown}; "
                    "choose an --out folder outside the scenario"
                )
                raise OutputError(msg)


def _read_marker(folder: Path) -> dict | None:
    try:
        data = json.loads((folder / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and data.get("tool") == "parkflow" else None


def _legacy_output(folder: Path) -> bool:
    try:
        data = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(data, dict) and {"scenario", "status"} <= data.keys()


def foreign_entries(folder: Path) -> list[str] | None:
    """Names in ``folder`` that parkflow did not write (``[]``: safe to replace).

    ``None`` when the folder is not empty and is not a parkflow output at all.
    """
    names = sorted(p.name for p in folder.iterdir())
    if not names:
        return []
    marker = _read_marker(folder)
    if marker is not None:
        ours = set(marker.get("files") or ()) | {MARKER}
        return [n for n in names if n not in ours]
    if _legacy_output(folder):
        return [n for n in names if not (_LEGACY_NAMES.fullmatch(n) and (folder / n).is_file())]
    return None


def _refuse_foreign(out: Path, foreign: list[str] | None) -> None:
    if foreign is None:
        msg = (
            f"{out} is not empty and is not a parkflow output; choose a new --out "
            "folder, or add --force to replace it and everything in it"
        )
        raise OutputError(msg)
    if foreign:
        shown = ", ".join(foreign[:3]) + (
            f" and {len(foreign) - 3} more" if len(foreign) > 3 else ""
        )
        msg = (
            f"{out} holds files parkflow did not write ({shown}); move them "
            "away, choose another --out, or add --force to replace them"
        )
        raise OutputError(msg)


def _cause(exc: OSError) -> str:
    return exc.strerror or str(exc)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _apply_umask(folder: Path, mask: int) -> None:
    """Give every file and folder below ``folder`` the modes a plain ``open``/``mkdir`` would."""
    os.chmod(folder, 0o777 & ~mask)
    for root, dirs, files in os.walk(folder):
        for d in dirs:
            os.chmod(Path(root) / d, 0o777 & ~mask)
        for f in files:
            p = Path(root) / f
            if not p.is_symlink():
                os.chmod(p, 0o666 & ~mask)


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _renameat2() -> Callable[..., int] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        fn = libc.renameat2
    except (OSError, AttributeError):
        return None
    fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    fn.restype = ctypes.c_int
    return fn


def exchange(a: Path, b: Path) -> bool:
    """Swap two existing paths atomically (Linux ``renameat2``); False when not supported."""
    fn = _renameat2()
    if fn is None:
        return False
    rc = fn(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if rc == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(err, os.strerror(err), str(b))


def _replace(tmp: Path, out: Path) -> None:
    """Put ``tmp`` at ``out`` (which exists), leaving no moment without an output if possible."""
    if exchange(tmp, out):
        shutil.rmtree(tmp, ignore_errors=True)  # tmp now holds the old output
        return
    old = out.parent / f".{out.name}.old-{secrets.token_hex(4)}"
    os.rename(out, old)
    try:
        os.rename(tmp, out)
    except OSError:
        os.rename(old, out)
        raise
    shutil.rmtree(old, ignore_errors=True)


_TARGETS: dict[Path, Path] = {}  # temporary folder -> the target it is written for
_HELD: dict[Path, int] = {}  # parents this process holds the lock of (output_dir may nest)


@contextlib.contextmanager
def _locked(parent: Path, out: Path) -> Iterator[None]:
    """Hold an exclusive flock on ``parent`` (no-op where flock does not exist); re-entrant."""
    try:
        import fcntl
    except ImportError:  # Windows
        yield
        return
    if parent in _HELD:
        _HELD[parent] += 1
        try:
            yield
        finally:
            _HELD[parent] -= 1
        return
    try:
        fd = os.open(parent, os.O_RDONLY)
    except OSError:
        yield
        return
    try:
        deadline = time.monotonic() + LOCK_WAIT_S
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    msg = (
                        f"another parkflow run has been writing beside {out} for "
                        f"over {LOCK_WAIT_S:.0f} s; wait for it to finish or "
                        "choose another --out"
                    )
                    raise OutputError(msg) from None
                time.sleep(0.05)
            except OSError:  # flock not supported on this file system
                break
        _HELD[parent] = 1
        try:
            yield
        finally:
            del _HELD[parent]
    finally:
        os.close(fd)  # releases the lock


def _clean_leftovers(parent: Path, name: str) -> None:
    for p in parent.glob(f".{glob_escape(name)}.*"):
        if re.fullmatch(re.escape(f".{name}.") + r"(tmp|old)-[0-9a-z_]+", p.name) and p.is_dir():
            shutil.rmtree(p, ignore_errors=True)


def glob_escape(name: str) -> str:
    """``name`` with glob characters escaped."""
    return re.sub(r"([*?\[])", r"[\1]", name)


def _check_target(out: Path, merge: bool) -> None:
    """Refuse a target that cannot be a folder (``.``, a file, below a file)."""
    real = _real(out)
    cwd = _real(Path.cwd())
    if not merge and (real == cwd or _is_within(cwd, real)):
        msg = (
            f"--out {out} is the folder you are in (or holds it); give a new "
            "folder name, e.g. --out result"
        )
        raise OutputError(msg)
    if not merge and real == Path(real.anchor):
        msg = f"--out {out} is the root of the file system; give a new folder name"
        raise OutputError(msg)
    for p in (real, *real.parents):
        if p.exists() and not p.is_dir():
            if p == real:
                msg = f"{out} exists and is a file, not a folder; choose another --out"
                raise OutputError(msg)
            msg = f"cannot write {out}: {p} is a file, not a folder"
            raise OutputError(msg)
        if p.exists():
            break


def preflight(
    out: str | Path,
    inputs: Iterable[Path | None] = (),
    merge: bool = False,
    force: bool | None = None,
) -> None:
    """The checks of :func:`output_dir`, before a long computation (fail fast, write nothing).

    Raises
    ------
    OutputError
        When :func:`output_dir` would refuse ``out`` now.
    """
    out = Path(out)
    force = _FORCE.get() if force is None else force
    check_not_input(out, inputs)
    _check_target(out, merge)
    real = _real(out)
    if real.is_dir() and not force and not merge:
        try:
            _refuse_foreign(out, foreign_entries(real))
        except PermissionError as exc:
            msg = f"cannot read {out}: {_cause(exc)}"
            raise OutputError(msg) from None


@contextlib.contextmanager
def output_dir(
    out: str | Path,
    inputs: Iterable[Path | None] = (),
    merge: bool = False,
    force: bool | None = None,
) -> Iterator[Path]:
    """Yield a temporary folder; on success move its files into ``out``.

    Parameters
    ----------
    out : path
        The output folder. Created if absent (with its parents).
    inputs : paths
        Input files or folders that must not be written over (see :func:`check_not_input`).
    merge : bool
        False: ``out`` is replaced as a whole. True: the new files are added to the existing
        folder (``parkflow report`` and ``parkflow map`` add to a solve's output folder; a sweep
        adds its table); a file of the same name is replaced only when parkflow wrote it.
    force : bool, optional
        Replace ``out`` even when it holds files parkflow did not write. Default: the value set
        by :func:`settings` (the ``--force`` option), else False.

    Raises
    ------
    OutputError
        For every reason the output cannot be written; the target is then as it was and no
        temporary folder is left behind.
    """
    out = Path(out)
    force = _FORCE.get() if force is None else force
    inputs = list(inputs)
    check_not_input(out, inputs)
    _check_target(out, merge)
    real = _real(out)
    parent = real.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        msg = f"cannot create {parent} for {out}: {_cause(exc)}"
        raise OutputError(msg) from None
    with _locked(parent, out):
        with contextlib.suppress(OSError):
            _clean_leftovers(parent, real.name)
        try:
            foreign = _foreign_now(out, real, merge, force)
        except OSError as exc:
            msg = f"cannot read {out}: {_cause(exc)}"
            raise OutputError(msg) from None
        tmp = parent / f".{real.name}.tmp-{os.getpid()}{secrets.token_hex(4)}"
        try:
            os.mkdir(tmp)
        except OSError as exc:
            msg = f"cannot write {out}: {_cause(exc)} (creating a folder in {parent})"
            raise OutputError(msg) from None
        shown = _TARGETS.get(real, out)  # a nested output_dir into our tmp: name the target
        _TARGETS[tmp] = shown
        try:
            try:
                yield tmp
            except OSError as exc:
                where = exc.filename or out
                msg = f"cannot write {shown}: {_cause(exc)} ({where})"
                raise OutputError(msg) from None
            try:
                _finish(tmp, real, merge, foreign, force)
            except OSError as exc:
                msg = f"cannot write {shown}: {_cause(exc)}"
                raise OutputError(msg) from None
        finally:
            _TARGETS.pop(tmp, None)
            shutil.rmtree(tmp, ignore_errors=True)


def _foreign_now(out: Path, real: Path, merge: bool, force: bool) -> list[str]:
    """The names in ``real`` that must not be replaced (refuses a replace right away)."""
    if not real.is_dir() or force:
        return []
    foreign = foreign_entries(real)
    if not merge:
        _refuse_foreign(out, foreign)
        return []
    return sorted(p.name for p in real.iterdir()) if foreign is None else foreign


def _finish(tmp: Path, out: Path, merge: bool, foreign: list[str], force: bool) -> None:
    new = sorted(p.name for p in tmp.iterdir())
    if merge and out.is_dir():
        clash = [n for n in new if n in foreign]
        if clash and not force:
            _refuse_foreign(out, clash)
        marker = _read_marker(out)
        ours = set(marker.get("files") or ()) if marker else set()
        if marker is not None or _legacy_output(out) or not any(out.iterdir()):
            legacy = {n for n in os.listdir(out) if n not in foreign and n != MARKER}
            _write_marker(tmp, sorted(ours | legacy | set(new)))
        _apply_umask(tmp, _umask())
        for item in tmp.iterdir():
            target = out / item.name
            if target.is_dir() and not target.is_symlink():
                if not item.is_dir():
                    msg = f"{target} is a folder; cannot write a file there"
                    raise OutputError(msg)
                shutil.rmtree(target)
            os.replace(item, target)
        return
    _write_marker(tmp, new)
    _apply_umask(tmp, _umask())
    if not out.exists():
        os.rename(tmp, out)
    else:
        _replace(tmp, out)


def _write_marker(folder: Path, files: list[str]) -> None:
    from parkflow import __version__

    data = {
        "tool": "parkflow",
        "version": __version__,
        "command": _COMMAND.get(),
        "files": [f for f in files if f != MARKER],
    }
    (folder / MARKER).write_text(
        json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
