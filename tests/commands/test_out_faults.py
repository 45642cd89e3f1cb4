"""The --out rule and the write faults, through the real command line (``python -m parkflow``)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _run(*args, cwd=None):
    return subprocess.run(
        [sys.executable, "-m", "parkflow", *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


def _gen(out, n=4, seed=0, cwd=None):
    return _run("generate", out, "--enterprises", n, "--parks", 2, "--seed", seed, cwd=cwd)


def _one_error_line(proc):
    assert proc.returncode == 2, proc.stderr + proc.stdout
    lines = [ln for ln in (proc.stderr + proc.stdout).splitlines() if ln.strip()]
    assert len(lines) == 1, lines
    assert lines[0].startswith("error: "), lines
    assert "internal error" not in lines[0]
    return lines[0]


def test_foreign_folder_is_refused_then_replaced_with_force(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    line = _one_error_line(_gen(out))
    assert "not a parkflow output" in line
    assert "--force" in line
    assert (out / "notes.txt").read_text() == "mine"
    proc = _run("generate", out, "--enterprises", 4, "--parks", 2, "--force")
    assert proc.returncode == 0, proc.stderr
    assert not (out / "notes.txt").exists()
    assert (out / ".parkflow-output").exists()
    assert _gen(out).returncode == 0  # an earlier output: replaced without --force


def test_out_below_a_regular_file(tmp_path):
    (tmp_path / "f").write_text("x")
    assert "is a file, not a folder" in _one_error_line(_gen(tmp_path / "f" / "out"))


def test_out_dot(tmp_path):
    (tmp_path / "keep.txt").write_text("x")
    assert "the folder you are in" in _one_error_line(_gen(".", cwd=tmp_path))
    assert (tmp_path / "keep.txt").exists()


def test_symlinked_input_inside_out_is_refused(tmp_path):
    from conftest import write_scenario

    out = tmp_path / "out"
    scenario = write_scenario(tmp_path / "scenario")
    assert _gen(out).returncode == 0
    shutil.move(scenario / "enterprises.csv", out / "enterprises.csv")
    (scenario / "enterprises.csv").symlink_to(out / "enterprises.csv")
    line = _one_error_line(_run("solve", scenario, "--out", out))
    assert "input" in line
    assert "enterprises.csv" in line
    assert (out / "enterprises.csv").is_file()


def test_sigkill_mid_write_keeps_the_old_output_and_the_next_run_cleans_up(tmp_path):
    out = tmp_path / "out"
    assert _gen(out).returncode == 0
    before = sorted(p.name for p in out.iterdir())
    script = textwrap.dedent(f"""
        import os, signal
        from parkflow.io.atomic import output_dir
        with output_dir({str(out)!r}) as tmp:
            (tmp / "half.csv").write_text("half")
            os.kill(os.getpid(), signal.SIGKILL)
    """)
    proc = subprocess.run(
        [sys.executable, "-c", script], env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=120
    )
    assert proc.returncode == -9
    assert sorted(p.name for p in out.iterdir()) == before
    assert any(p.name.startswith(".out.tmp-") for p in tmp_path.iterdir())
    assert _gen(out, seed=1).returncode == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_concurrent_runs_into_one_out_are_serialised(tmp_path):
    out = tmp_path / "out"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "parkflow",
                "generate",
                str(out),
                "--enterprises",
                "30",
                "--parks",
                "3",
                "--seed",
                str(s),
            ],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for s in range(3)
    ]
    for p in procs:
        _, err = p.communicate(timeout=300)
        assert p.returncode == 0, err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
    assert (out / ".parkflow-output").exists()
    assert (out / "enterprises.csv").exists()


def _mount(where: Path, *opts: str) -> bool:
    where.mkdir(exist_ok=True)
    return (
        subprocess.run(
            ["mount", "-t", "tmpfs", "-o", ",".join(opts), "tmpfs", str(where)], capture_output=True
        ).returncode
        == 0
    )


@pytest.fixture
def tiny_disk(tmp_path):
    disk = tmp_path / "disk"
    if os.geteuid() != 0 or not shutil.which("mount") or not _mount(disk, "size=48k"):
        pytest.skip("needs root and mount -t tmpfs to make a small or read-only disk")
    yield disk
    subprocess.run(["umount", "-l", str(disk)], check=False)


def test_full_disk(tiny_disk):
    out = tiny_disk / "out"
    assert _gen(out, n=2).returncode == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    line = _one_error_line(_gen(out, n=400))
    assert "No space left on device" in line
    assert str(out) in line
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert sorted(p.name for p in tiny_disk.iterdir()) == ["out"]


def test_read_only_folder(tiny_disk):
    out = tiny_disk / "out"
    assert _gen(out, n=2).returncode == 0
    before = sorted(p.name for p in out.iterdir())
    assert subprocess.run(["mount", "-o", "remount,ro", str(tiny_disk)]).returncode == 0
    line = _one_error_line(_gen(out, n=2, seed=3))
    assert "Read-only file system" in line
    assert str(out) in line
    assert sorted(p.name for p in out.iterdir()) == before
