r"""One hardened YAML loader for everything parkflow reads.

That is scenario.yaml, layout variants, sweep grids and the values of a workbook's ``scenario``
sheet.

PyYAML's ``safe_load`` already refuses to build Python objects, but it silently keeps the last of
two equal keys (a second ``targets:`` block drops the first), lets a few hundred bytes of aliases
("billion laughs") expand into billions of nodes, and reads files of any size. :func:`load_yaml`
refuses all of these with a :class:`~parkflow.errors.ScenarioError` whose
:class:`~parkflow.errors.Problem` names the file and the line:

* a document larger than :data:`MAX_BYTES`;
* more than :data:`MAX_NODES` nodes once aliases are expanded, or nesting deeper than
  :data:`MAX_DEPTH`, or an alias that contains itself (checked on the composed node graph, before
  anything is built, so an alias bomb fails in milliseconds);
* a key given twice in one mapping (``<<`` merge keys may still be overridden);
* Python tags (``!!python/object``, ``!!python/name`` …) and any other tag outside YAML's core
  schema.

>>> load_yaml("a: 1\nb: [x, y]\n", "demo.yaml")
{'a': 1, 'b': ['x', 'y']}
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from parkflow.errors import Problem, ScenarioError

#: Largest document read, in bytes (scenario files are a few kB; large overlays a few MB).
MAX_BYTES = 16 * 1024 * 1024
#: Most nodes a document may hold once every alias is expanded.
MAX_NODES = 1_000_000
#: Deepest nesting of mappings and sequences.
MAX_DEPTH = 64

_CORE = "tag:yaml.org,2002:"
_ALLOWED_TAGS = {
    _CORE + t
    for t in (
        "null",
        "bool",
        "int",
        "float",
        "str",
        "binary",
        "timestamp",
        "seq",
        "map",
        "omap",
        "pairs",
        "set",
        "merge",
        "value",
    )
}


class _Refused(Exception):
    """Raised inside the loader; turned into a ScenarioError by :func:`load_yaml`."""

    def __init__(self, message: str, line: int | None, fix: str = ""):
        super().__init__(message)
        self.message, self.line, self.fix = message, line, fix


def _line(node: Node) -> int | None:
    mark = getattr(node, "start_mark", None)
    return None if mark is None else mark.line + 1


def _check_graph(root: Node, max_nodes: int) -> None:
    """Refuse foreign tags, recursive aliases, too deep or too large (expanded) documents."""
    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()

    def visit(node: Node, depth: int) -> int:
        key = id(node)
        if key in sizes:
            return sizes[key]
        if key in open_nodes:
            msg = "an alias refers to the node that contains it (a recursive alias)"
            raise _Refused(
                msg, _line(node), fix="remove the alias or copy the values it stands for"
            )
        if depth > MAX_DEPTH:
            msg = f"nesting deeper than {MAX_DEPTH} levels"
            raise _Refused(msg, _line(node))
        tag = node.tag or ""
        if tag.startswith(_CORE + "python/"):
            msg = (
                f"Python tags ({tag.replace(_CORE, '!!')}) are not allowed: parkflow "
                "never builds Python objects from a scenario file"
            )
            raise _Refused(msg, _line(node), fix="remove the tag and write the plain value")
        if tag.startswith("tag:") and tag not in _ALLOWED_TAGS or tag.startswith("!"):
            msg = (
                f"the tag {tag.replace(_CORE, '!!')} is not allowed (only plain YAML "
                "values: text, numbers, true/false, lists and mappings)"
            )
            raise _Refused(msg, _line(node), fix="remove the tag")
        open_nodes.add(key)
        total = 1
        if isinstance(node, SequenceNode):
            for child in node.value:
                total += visit(child, depth + 1)
        elif isinstance(node, MappingNode):
            for k, v in node.value:
                total += visit(k, depth + 1) + visit(v, depth + 1)
        open_nodes.discard(key)
        if total > max_nodes:
            msg = (
                f"the document expands to more than {max_nodes:,} values (aliases "
                "that repeat aliases: a YAML 'billion laughs' bomb?)"
            )
            raise _Refused(msg, _line(node), fix="write the values out instead of nesting aliases")
        sizes[key] = total
        return total

    visit(root, 0)


class _Loader(yaml.SafeLoader):
    """SafeLoader that refuses duplicate keys (the graph is checked before construction)."""

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: dict[Any, int | None] = {}
        for key_node, _ in node.value:
            if not isinstance(key_node, ScalarNode) or key_node.tag == _CORE + "merge":
                continue
            key = self.construct_object(key_node, deep=False)
            try:
                first = seen.get(key, -1)
            except TypeError:  # unhashable: SafeLoader reports it below
                continue
            if first != -1:
                msg = (
                    f"the key '{key}' is given twice in one mapping (first on line "
                    f"{first}); YAML would silently keep only the last"
                )
                raise _Refused(msg, _line(key_node), fix="merge the two blocks into one")
            seen[key] = _line(key_node)
        return super().construct_mapping(node, deep=deep)


def load_yaml(
    text: str | bytes, file: str = "YAML", *, max_bytes: int = MAX_BYTES, max_nodes: int = MAX_NODES
) -> Any:
    """Parse one YAML document with the bounds above.

    Parameters
    ----------
    text : str or bytes
        The document (bytes are decoded as UTF-8, a BOM is dropped).
    file : str
        The file name used in messages.
    max_bytes, max_nodes : int
        Bounds on the document's size and on its node count with aliases expanded.

    Returns
    -------
    object
        The parsed value (``None`` for an empty document).

    Raises
    ------
    ScenarioError
        With one :class:`~parkflow.errors.Problem` naming ``file`` and the line (as ``row``).
    """
    size = len(text) if isinstance(text, bytes) else len(text.encode("utf-8", "surrogatepass"))
    if size > max_bytes:
        _too_big(file, size, max_bytes)
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ScenarioError(
                Problem(
                    file=file,
                    message=f"not UTF-8 text ({exc.reason} at byte {exc.start})",
                    fix="save the file as UTF-8",
                ),
                source=file,
            ) from exc
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _check_graph(node, max_nodes)
        return loader.construct_document(node)
    except _Refused as exc:
        raise ScenarioError(
            Problem(file=file, message=exc.message, fix=exc.fix, row=exc.line), source=file
        ) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        what = " ".join(str(x) for x in (exc.context, exc.problem) if x)
        raise ScenarioError(
            Problem(
                file=file,
                message=(
                    f"not valid YAML: the YAML cannot be read at line "
                    f"{mark.line + 1}, column {mark.column + 1}: {what}"
                    if mark is not None
                    else f"not valid YAML: {what}"
                ),
                fix="check the indentation and the colons on that line (a value with ': ' or '#' "
                "needs quotes)",
                row=None if mark is None else mark.line + 1,
            ),
            source=file,
        ) from None
    except yaml.YAMLError as exc:
        raise ScenarioError(
            Problem(file=file, message=f"not valid YAML: {exc}"), source=file
        ) from None
    finally:
        loader.dispose()


def load_yaml_file(path: str | Path, *, max_bytes: int = MAX_BYTES) -> Any:
    """Read and parse a YAML file with :func:`load_yaml` (its size is checked before reading).

    Raises
    ------
    ScenarioError
        When the file cannot be read or is refused; the problem names the file.
    """
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            _too_big(str(path), size, max_bytes)
        data = path.read_bytes()
    except OSError as exc:
        raise ScenarioError(
            Problem(file=str(path), message=f"cannot read the file: {exc.strerror or exc}"),
            source=str(path),
        ) from exc
    return load_yaml(data, str(path), max_bytes=max_bytes)


def _too_big(file: str, size: int, max_bytes: int) -> None:
    raise ScenarioError(
        Problem(
            file=file,
            message=f"the file is {size:,} bytes, more than the {max_bytes:,} a "
            "scenario YAML file may hold",
            fix="check that this is the right file",
        ),
        source=file,
    )
