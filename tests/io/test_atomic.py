"""Outputs are written whole or not at all, never over an input and never over a user's files."""

from __future__ import annotations

import errno
import json
import os
import stat

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parkflow.errors import OutputError
from parkflow.io import atomic
from parkflow.io.atomic import MARKER, check_not_input, output_dir, preflight


def _names(folder):
    return sorted(p.name for p in folder.iterdir() if p.name != MARKER)


def _earlier_output(out, files=("old.txt",)):
    with output_dir(out) as tmp:
        for name in files:
            (tmp / name).write_text(name)


def test_output_dir_writes_whole(tmp_path):
    out = tmp_path / "out"
    with output_dir(out) as tmp:
        (tmp / "a.txt").write_text("a")
        (tmp / "b.txt").write_text("b")
        assert not out.exists()  # nothing visible until the block ends
    assert _names(out) == ["a.txt", "b.txt"]


def test_output_dir_failure_leaves_nothing(tmp_path):
    out = tmp_path / "out"
    # the failure must happen inside output_dir, after it wrote a file
    with pytest.raises(RuntimeError), output_dir(out) as tmp:  # noqa: PT012
        (tmp / "a.txt").write_text("a")
        msg = "boom"
        raise RuntimeError(msg)
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []  # no temporary folder left behind


def test_output_dir_failure_keeps_previous_output(tmp_path):
    out = tmp_path / "out"
    _earlier_output(out)
    # the failure must happen inside output_dir, after it wrote a file
    with pytest.raises(RuntimeError), output_dir(out) as tmp:  # noqa: PT012
        (tmp / "new.txt").write_text("new")
        msg = "boom"
        raise RuntimeError(msg)
    assert _names(out) == ["old.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_output_dir_replaces_or_merges(tmp_path):
    # issue 9: a folder holding a file parkflow did not write is merged into, never replaced
    out = tmp_path / "out"
    out.mkdir()
    (out / "old.txt").write_text("old")
    with output_dir(out, merge=True) as tmp:
        (tmp / "new.txt").write_text("new")
    assert _names(out) == ["new.txt", "old.txt"]
    with pytest.raises(OutputError, match="is not empty and is not a parkflow output.*--force"):
        output_dir(out).__enter__()
    assert _names(out) == ["new.txt", "old.txt"]
    with output_dir(out, force=True) as tmp:
        (tmp / "only.txt").write_text("x")
    assert _names(out) == ["only.txt"]
    with output_dir(out) as tmp:  # now a parkflow output: replaced without --force
        (tmp / "again.txt").write_text("x")
    assert _names(out) == ["again.txt"]


def test_marker_says_what_parkflow_wrote(tmp_path):
    out = tmp_path / "out"
    with atomic.settings(command="solve"), output_dir(out) as tmp:
        (tmp / "summary.json").write_text("{}")
    marker = json.loads((out / MARKER).read_text())
    assert marker["tool"] == "parkflow"
    assert marker["command"] == "solve"
    assert marker["files"] == ["summary.json"]


def test_user_file_added_to_an_earlier_output_stops_the_replace(tmp_path):
    out = tmp_path / "out"
    _earlier_output(out)
    (out / "notes.txt").write_text("mine")
    with pytest.raises(OutputError, match=r"holds files parkflow did not write \(notes.txt\)"):
        preflight(out)
    with pytest.raises(OutputError, match="notes.txt"), output_dir(out):
        pass
    assert (out / "notes.txt").read_text() == "mine"


def test_merge_never_replaces_a_foreign_file_of_the_same_name(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "report.md").write_text("mine")
    with pytest.raises(OutputError, match="report.md"), output_dir(out, merge=True) as tmp:
        (tmp / "report.md").write_text("parkflow")
    assert (out / "report.md").read_text() == "mine"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_legacy_output_with_summary_json_is_replaced(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "summary.json").write_text(json.dumps({"scenario": "x", "status": "optimal"}))
    (out / "flows.csv").write_text("a\n")
    with output_dir(out) as tmp:
        (tmp / "summary.json").write_text("{}")
    assert _names(out) == ["summary.json"]
    os.mkdir(out / "sub")  # a sub-folder parkflow did not write
    with pytest.raises(OutputError, match="sub"), output_dir(out):
        pass


def test_empty_folder_is_replaced(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    with output_dir(out) as tmp:
        (tmp / "a").write_text("a")
    assert _names(out) == ["a"]


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


def test_symlinked_input_inside_out_is_refused(tmp_path):
    out = tmp_path / "out"
    _earlier_output(out, files=("enterprises.csv",))
    scenario = tmp_path / "scenario"
    scenario.mkdir()
    (scenario / "enterprises.csv").symlink_to(out / "enterprises.csv")
    with pytest.raises(OutputError, match=r"reads .*out/enterprises.csv"):
        check_not_input(out, [scenario])
    assert (out / "enterprises.csv").read_text() == "enterprises.csv"


def test_overlay_base_inside_out_is_refused(tmp_path):
    out = tmp_path / "out"
    _earlier_output(out, files=("scenario.yaml",))
    variant = tmp_path / "variant.yaml"
    variant.write_text("base: out\nname: v\n")
    with pytest.raises(OutputError, match="input"):
        check_not_input(out, [variant])


@pytest.mark.parametrize("how", ["dot", "parent_of_cwd"])
def test_out_dot_is_refused(tmp_path, monkeypatch, how):
    here = tmp_path / "here"
    here.mkdir()
    (here / "x.txt").write_text("x")
    monkeypatch.chdir(here)
    out = "." if how == "dot" else str(tmp_path)
    with pytest.raises(OutputError, match="the folder you are in"), output_dir(out, force=True):
        pass
    assert (here / "x.txt").exists()


def test_out_below_a_regular_file(tmp_path):
    f = tmp_path / "file.txt"
    f.write_text("x")
    with pytest.raises(OutputError, match=r"file.txt is a file, not a folder"):
        preflight(f / "out")
    with pytest.raises(OutputError, match="exists and is a file"), output_dir(f):
        pass
    assert f.read_text() == "x"


@pytest.mark.parametrize("err", [errno.ENOSPC, errno.EROFS, errno.EACCES])
def test_oserror_while_writing_is_an_output_error(tmp_path, err):
    out = tmp_path / "out"
    _earlier_output(out)
    with pytest.raises(OutputError, match=os.strerror(err)) as info, output_dir(out) as tmp:
        raise OSError(err, os.strerror(err), str(tmp / "flows.csv"))
    assert "\n" not in str(info.value)
    assert str(out) in str(info.value)
    assert _names(out) == ["old.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_oserror_creating_the_temporary_folder(tmp_path, monkeypatch):
    out = tmp_path / "out"
    _earlier_output(out)

    def refuse(path, mode=0o777):
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))

    monkeypatch.setattr(atomic.os, "mkdir", refuse)
    with pytest.raises(OutputError, match="Permission denied"), output_dir(out):
        pass
    assert _names(out) == ["old.txt"]


def test_leftovers_of_a_killed_run_are_cleaned(tmp_path):
    out = tmp_path / "out"
    for name in (".out.tmp-1234abcd", ".out.old-deadbeef"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "half.csv").write_text("x")
    (tmp_path / ".other.tmp-1234").mkdir()  # another target's: left alone
    with output_dir(out) as tmp:
        (tmp / "a").write_text("a")
    assert sorted(p.name for p in tmp_path.iterdir()) == [".other.tmp-1234", "out"]


def test_umask_is_applied(tmp_path):
    old = os.umask(0o022)
    try:
        out = tmp_path / "out"
        with output_dir(out) as tmp:
            fd = os.open(tmp / "private.html", os.O_CREAT | os.O_WRONLY, 0o600)  # like mkstemp
            os.close(fd)
            (tmp / "sub").mkdir(mode=0o700)
    finally:
        os.umask(old)
    assert stat.S_IMODE(out.stat().st_mode) == 0o755
    assert stat.S_IMODE((out / "sub").stat().st_mode) == 0o755
    assert stat.S_IMODE((out / "private.html").stat().st_mode) == 0o644


def test_exchange_swaps_two_folders(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    (a / "in_a").write_text("")
    if not atomic.exchange(a, b):
        pytest.skip("renameat2(RENAME_EXCHANGE) not available here")
    assert [p.name for p in b.iterdir()] == ["in_a"]
    assert list(a.iterdir()) == []


def test_replace_falls_back_to_two_renames(tmp_path, monkeypatch):
    monkeypatch.setattr(atomic, "exchange", lambda a, b: False)
    out = tmp_path / "out"
    _earlier_output(out)
    with output_dir(out) as tmp:
        (tmp / "new.txt").write_text("new")
    assert _names(out) == ["new.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_nested_output_dirs_do_not_deadlock(tmp_path):
    out = tmp_path / "out"
    with output_dir(out) as tmp, output_dir(tmp, merge=True) as inner:
        (inner / "a").write_text("a")
    assert _names(out) == ["a"]


_NAME = st.text(st.characters(whitelist_categories=("Ll", "Lu", "Nd")), min_size=1, max_size=8)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    user_files=st.lists(_NAME, min_size=1, max_size=4, unique=True),
    earlier=st.booleans(),
    merge=st.booleans(),
    nested=st.booleans(),
)
def test_a_file_parkflow_did_not_write_survives(
    tmp_path_factory, user_files, earlier, merge, nested
):
    out = tmp_path_factory.mktemp("p") / "out"
    if earlier:
        _earlier_output(out, files=("summary.json", "flows.csv"))
    out.mkdir(exist_ok=True)
    for name in user_files:
        path = out / "sub" / name if nested else out / name
        path.parent.mkdir(exist_ok=True)
        path.write_text("user " + name)
    try:
        with output_dir(out, merge=merge) as tmp:
            (tmp / "summary.json").write_text("{}")
            for name in user_files:
                (tmp / name).write_text("parkflow")
    except OutputError:
        pass
    for name in user_files:
        path = out / "sub" / name if nested else out / name
        assert path.read_text() == "user " + name
