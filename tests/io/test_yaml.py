"""The hardened YAML loader: bounded, no duplicate keys, no Python tags; messages name file+line."""

from __future__ import annotations

import time

import pytest

from parkflow.errors import ScenarioError
from parkflow.io.yaml import load_yaml, load_yaml_file

BOMB = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [" + ",".join([f"*{chr(97 + i)}"] * 9) + "]\n" for i in range(9)
)


def _problem(text, file="scenario.yaml"):
    with pytest.raises(ScenarioError) as info:
        load_yaml(text, file)
    (problem,) = info.value.problems
    assert problem.file == file
    return problem


def test_plain_documents_load():
    assert load_yaml("a: 1\nb: [x, {c: 2.5}]\n", "f.yaml") == {"a": 1, "b": ["x", {"c": 2.5}]}
    assert load_yaml("", "f.yaml") is None
    assert load_yaml("base: &b {x: 1}\nv: *b\n", "f.yaml") == {"base": {"x": 1}, "v": {"x": 1}}


def test_alias_bomb_fails_fast_naming_the_file():
    start = time.perf_counter()
    p = _problem(BOMB)
    assert time.perf_counter() - start < 0.5
    assert "billion laughs" in p.message
    assert p.row is not None


def test_recursive_alias():
    assert "recursive alias" in _problem("a: &x [1, *x]\n").message


def test_duplicate_key_names_both_lines():
    p = _problem("name: x\ntargets:\n  - {id: a}\nyear: 2024\ntargets:\n  - {id: b}\n")
    assert p.row == 5
    assert "'targets' is given twice" in p.message
    assert "line 2" in p.message


def test_duplicate_key_in_a_nested_mapping():
    assert _problem("a:\n  b: 1\n  b: 2\n").row == 3


def test_merge_key_may_be_overridden():
    assert load_yaml("d: &d {x: 1}\ne:\n  <<: *d\n  x: 2\n", "f.yaml")["e"] == {"x": 2}


@pytest.mark.parametrize(
    "tag",
    [
        "!!python/object/apply:os.system ['ls']",
        "!!python/name:os.system",
        "!!python/object:builtins.dict {}",
    ],
)
def test_python_tags_are_refused(tag):
    p = _problem(f"x: {tag}\n")
    assert "Python tags" in p.message
    assert p.row == 1


def test_other_tags_are_refused():
    assert "not allowed" in _problem("x: !custom 1\n").message


def test_size_is_bounded(tmp_path):
    with pytest.raises(ScenarioError, match="bytes, more than"):
        load_yaml("a: 1234567890\n", "f.yaml", max_bytes=10)
    big = tmp_path / "big.yaml"
    big.write_text("a: " + "x" * 100 + "\n")
    with pytest.raises(ScenarioError, match="big.yaml.*more than"):
        load_yaml_file(big, max_bytes=50)


def test_syntax_error_names_the_line():
    p = _problem("a: 1\nb: [1, 2\n")
    assert p.message.startswith("not valid YAML")
    assert p.row is not None


def test_overlay_with_duplicate_key_is_refused(tmp_path):
    from parkflow.io import load_scenario

    variant = tmp_path / "v.yaml"
    variant.write_text("base: ../x\nname: a\nname: b\n")
    with pytest.raises(ScenarioError, match="'name' is given twice"):
        load_scenario(variant)


def test_sweep_grid_with_python_tag_is_refused(tmp_path):
    from parkflow.studies.sweep import load_plan

    grid = tmp_path / "grid.yaml"
    grid.write_text("grid: !!python/object/apply:os.system ['true']\n")
    with pytest.raises(ScenarioError, match="grid.yaml.*Python tags"):
        load_plan(grid)
