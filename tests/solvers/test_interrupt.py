"""SIGINT and SIGTERM at any moment: exit 130 within ~3 s, one line, no traceback, nothing left.

Subprocess tests on a generated province (1,000 plants, ~130,000 candidate links: loading takes
a few seconds, the solve far longer than 10 s), signalled during the imports, the loading and the
solve, with the decomposed strategy (worker processes) and the whole-model one (a solver thread).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from parkflow import interrupt

pytestmark = pytest.mark.slow


@pytest.fixture(scope="session")
def province(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated province, written once per session."""
    from parkflow.io import save_scenario
    from parkflow.studies.generate import generate_scenario

    path = tmp_path_factory.mktemp("province") / "province"
    save_scenario(generate_scenario(1000, 15, seed=0), path)
    return path


def _start(province: Path, out: Path, *extra: str) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if k != "PARKFLOW_DEBUG"}
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "parkflow",
            "solve",
            str(province),
            "--out",
            str(out),
            "--no-baseline",
            "--time-limit",
            "120",
            *extra,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        start_new_session=True,
    )


def _check(proc: subprocess.Popen, sent_at: float, out: Path) -> None:
    try:
        stdout, stderr = proc.communicate(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        pytest.fail("still running 10 s after the signal")
    took = time.monotonic() - sent_at
    assert proc.returncode == interrupt.EXIT_INTERRUPTED, stderr
    assert took < 3.0, f"stopped after {took:.1f} s"
    assert stderr.splitlines() == [interrupt.MESSAGE], stderr
    assert "Traceback" not in stderr + stdout
    assert not out.exists()
    assert [p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}")] == []
    # no worker process of the run is left running (they share its session; dead ones may
    # wait a moment to be reaped)
    deadline = time.monotonic() + 3.0
    while _alive_in_session(proc.pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _alive_in_session(proc.pid) == []


def _alive_in_session(sid: int) -> list[str]:
    ps = subprocess.run(
        ["ps", "-s", str(sid), "-o", "stat=,args="], capture_output=True, text=True, check=False
    ).stdout
    return [line for line in ps.splitlines() if line.strip() and not line.lstrip().startswith("Z")]


@pytest.mark.parametrize(
    ("sig", "after_s", "strategy"),
    [
        (signal.SIGINT, 0.3, "auto"),  # during the imports
        (signal.SIGTERM, 0.3, "auto"),
        (signal.SIGINT, 2.5, "auto"),  # loading / candidate network
        (signal.SIGTERM, 9.0, "auto"),  # the decomposed solve (worker processes)
        (signal.SIGINT, 9.0, "full"),  # the whole-model solve (a native solver thread)
    ],
    ids=["int-import", "term-import", "int-load", "term-decompose", "int-full"],
)
def test_a_signal_stops_the_solve_quickly_and_quietly(province, tmp_path, sig, after_s, strategy):
    out = tmp_path / "out"
    proc = _start(province, out, "--strategy", strategy)
    time.sleep(after_s)
    assert proc.poll() is None, proc.communicate()
    sent = time.monotonic()
    proc.send_signal(sig)
    _check(proc, sent, out)


def test_ctrl_c_to_the_process_group_kills_no_worker_noisily(province, tmp_path):
    """A terminal's Ctrl-C reaches the pool workers too: they ignore it, the parent stops them."""
    out = tmp_path / "out"
    proc = _start(province, out, "--strategy", "decompose")
    time.sleep(9.0)
    assert proc.poll() is None
    sent = time.monotonic()
    os.killpg(proc.pid, signal.SIGINT)
    _check(proc, sent, out)


_HARD_EXIT = """
import multiprocessing, os, sys, time
from concurrent.futures import ProcessPoolExecutor
from parkflow import interrupt
if __name__ == "__main__":
    if sys.argv[1] == "quiet":
        interrupt.quiet_resource_tracker()
    pool = ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("spawn"))
    pool.submit(time.sleep, 0.01).result()
    for proc in pool._processes.values():  # as DecomposePool.kill does
        proc.kill()
    for proc in pool._processes.values():
        proc.join()
    interrupt.exit_interrupted()  # prints interrupt.MESSAGE
"""


@pytest.mark.parametrize("mode", ["loud", "quiet"])
def test_a_hard_exit_leaves_one_line_when_the_tracker_was_started_quietly(tmp_path, mode):
    """The watchdog's hard exit with killed workers: the resource tracker (a process of its own,
    which outlives us) warns of "leaked semaphore objects" on the stderr it inherited — unless
    :func:`interrupt.quiet_resource_tracker` started it on os.devnull. The loud run shows the
    warning exists, so the quiet run's single line is the fix's doing."""
    script = tmp_path / "hard_exit.py"
    script.write_text(_HARD_EXIT, encoding="utf-8")
    err = tmp_path / "stderr.txt"
    with err.open("w") as fh:
        proc = subprocess.run(
            [sys.executable, str(script), mode], stderr=fh, timeout=60, check=False
        )
    assert proc.returncode == interrupt.EXIT_INTERRUPTED
    deadline = time.monotonic() + 20  # the tracker writes after we have gone
    while time.monotonic() < deadline:
        text = err.read_text()
        if mode == "quiet" or "leaked semaphore" in text:
            break
        time.sleep(0.2)
    time.sleep(0.5 if mode == "quiet" else 0)
    lines = [ln for ln in err.read_text().splitlines() if ln.strip()]
    if mode == "loud":
        assert any("leaked semaphore" in ln for ln in lines), lines
    else:
        assert lines == [interrupt.MESSAGE]
