"""Outputs are written whole or not at all, and never over an input."""

from __future__ import annotations

import pytest

from parkflow.errors import OutputError
from parkflow.io.atomic import check_not_input, output_dir


def test_output_dir_writes_whole(tmp_path):
    out = tmp_path / "out"
    with output_dir(out) as tmp:
        (tmp / "a.txt").write_text("a")
        (tmp / "b.txt").write_text("b")
        assert not out.exists()  # nothing visible until the block ends
    assert sorted(p.name for p in out.iterdir()) == ["a.txt", "b.txt"]


def test_output_dir_failure_leaves_nothing(tmp_path):
    out = tmp_path / "out"
    with pytest.raises(RuntimeError), output_dir(out) as tmp:
        (tmp / "a.txt").write_text("a")
        raise RuntimeError("boom")
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []  # no temporary folder left behind


def test_output_dir_failure_keeps_previous_output(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "old.txt").write_text("old")
    with pytest.raises(RuntimeError), output_dir(out) as tmp:
        (tmp / "new.txt").write_text("new")
        raise RuntimeError("boom")
    assert [p.name for p in out.iterdir()] == ["old.txt"]


def test_output_dir_replaces_or_merges(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "old.txt").write_text("old")
    with output_dir(out, merge=True) as tmp:
        (tmp / "new.txt").write_text("new")
    assert sorted(p.name for p in out.iterdir()) == ["new.txt", "old.txt"]
    with output_dir(out) as tmp:
        (tmp / "only.txt").write_text("x")
    assert [p.name for p in out.iterdir()] == ["only.txt"]


@pytest.mark.parametrize("where", ["same", "inside", "parent"])
def test_output_never_over_input(tmp_path, where):
    scenario = tmp_path / "scenario"
    scenario.mkdir()
    (scenario / "scenario.yaml").write_text("name: x\n")
    out = {"same": scenario, "inside": scenario / "out", "parent": tmp_path}[where]
    with pytest.raises(OutputError, match="input"), output_dir(out, inputs=[scenario]):
        pass
    assert (scenario / "scenario.yaml").read_text() == "name: x\n"


def test_output_file_input(tmp_path):
    book = tmp_path / "park.xlsx"
    book.write_bytes(b"x")
    check_not_input(tmp_path / "out", [book])  # a sibling folder is fine
    with pytest.raises(OutputError):
        check_not_input(tmp_path, [book])
