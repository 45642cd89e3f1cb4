"""Stopping on Ctrl-C or SIGTERM: quickly, quietly, with nothing half-written.

The process-wide mechanism behind docs/cli.md ("Exit codes": 130 when interrupted):

* :func:`install` (called first thing by ``python -m parkflow`` and the ``parkflow`` script)
  turns SIGINT *and* SIGTERM into :class:`KeyboardInterrupt` in the main thread, so that the
  ``with`` blocks that write output unwind and remove their temporary folders;
* long native work registers a way to stop it with :func:`on_interrupt` — the MathOpt
  ``SolveInterrupter`` of a running solve (:mod:`parkflow.solvers.backends`), the worker
  processes of a decomposed solve (:mod:`parkflow.solvers.decompose`) — and every registered
  callback is called as soon as a signal arrives, from whichever thread notices it first;
* a watchdog thread ends the process with :data:`EXIT_INTERRUPTED` and the one line
  :data:`MESSAGE` when the main thread has not finished within :data:`GRACE_S` seconds of the
  signal (a native call that does not return soon: HiGHS on a large model may ignore both its
  interrupter and its time limit for minutes).

Python runs signal handlers only in the main thread, between bytecodes; the solvers therefore
run their native solve in a worker thread while the main thread waits in short steps
(:mod:`parkflow.solvers.backends`).

Examples
--------
>>> calls = []
>>> with on_interrupt(lambda: calls.append("stop")):
...     _fire()
>>> calls, requested()
(['stop'], True)
>>> _reset()
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from typing import TextIO

__all__ = [
    "EXIT_INTERRUPTED",
    "MESSAGE",
    "GRACE_S",
    "install",
    "on_interrupt",
    "requested",
    "check",
    "report",
    "exit_interrupted",
    "quiet_resource_tracker",
    "deferred",
]

#: Exit code of an interrupted command (128 + SIGINT, the shell's convention).
EXIT_INTERRUPTED = 130
#: The one line printed on stderr.
MESSAGE = "interrupted; nothing was written."
#: Seconds the main thread has after a signal before the watchdog ends the process.
GRACE_S = 1.5

_lock = threading.RLock()  # re-entrant: the signal handler runs in the main thread
_callbacks: dict[int, Callable[[], None]] = {}
_next_id = 0
_requested = threading.Event()
_reported = False
_installed = False
_deferring = 0  # depth of deferred() blocks (main thread)


def requested() -> bool:
    """True once SIGINT or SIGTERM has arrived (or :func:`_fire` was called)."""
    return _requested.is_set()


def check() -> None:
    """Raise :class:`KeyboardInterrupt` when an interrupt was requested (for loops)."""
    if _requested.is_set():
        raise KeyboardInterrupt


@contextlib.contextmanager
def on_interrupt(callback: Callable[[], None]) -> Iterator[None]:
    """Call ``callback`` (from any thread, once) if an interrupt arrives inside the block.

    Parameters
    ----------
    callback : callable
        Takes no argument; must be quick and safe to call from another thread (e.g.
        ``SolveInterrupter.interrupt`` or terminating processes). Its errors are ignored.
    """
    global _next_id
    with _lock:
        key = _next_id
        _next_id += 1
        _callbacks[key] = callback
    try:
        if _requested.is_set():
            _call(callback)
        yield
    finally:
        with _lock:
            _callbacks.pop(key, None)


def _call(callback: Callable[[], None]) -> None:
    with contextlib.suppress(Exception):
        callback()


def _fire() -> None:
    """Mark the interrupt and run every registered callback (idempotent per callback).

    Inside :func:`deferred` only the mark is set; the block runs the callbacks when it ends.
    """
    _requested.set()
    with _lock:
        if _deferring:
            return
        pending = list(_callbacks.values())
        _callbacks.clear()
    for cb in pending:
        _call(cb)


@contextlib.contextmanager
def deferred() -> Iterator[None]:
    """Hold an interrupt until the block ends: for a short step that must not be cut in two.

    Starting a worker process writes its start-up data down a pipe; a
    :class:`KeyboardInterrupt` raised in the middle (or a callback killing the pool from the
    watchdog thread) leaves the child reading half of it, and it prints a traceback on the
    stderr it shares with us. Inside the block a signal only marks the interrupt; when the
    block ends the callbacks run and :class:`KeyboardInterrupt` is raised. The watchdog's
    :data:`GRACE_S` still counts, so keep the block short (no waiting on results in it).

    Examples
    --------
    >>> seen = []
    >>> with on_interrupt(lambda: seen.append("stop")):
    ...     try:
    ...         with deferred():
    ...             _handler(signal.SIGINT, None)  # as if Ctrl-C arrived here
    ...             seen.append("step finished")
    ...     except KeyboardInterrupt:
    ...         seen.append("raised after the block")
    >>> seen
    ['step finished', 'stop', 'raised after the block']
    >>> _reset()
    """
    global _deferring
    with _lock:
        _deferring += 1
    try:
        yield
    finally:
        with _lock:
            _deferring -= 1
            held = _deferring == 0 and _requested.is_set()
        if held:
            _fire()
            raise KeyboardInterrupt


def _reset() -> None:
    """Forget an interrupt (tests only)."""
    global _reported
    _requested.clear()
    _reported = False


def report(file: TextIO | None = None) -> int:
    """Print :data:`MESSAGE` once (whoever calls first) and return :data:`EXIT_INTERRUPTED`."""
    global _reported
    with _lock:
        first = not _reported
        _reported = True
    if first:
        stream = file if file is not None else sys.stderr
        with contextlib.suppress(Exception):
            print(MESSAGE, file=stream, flush=True)
    return EXIT_INTERRUPTED


def exit_interrupted() -> None:
    """Report and end the process now with :data:`EXIT_INTERRUPTED` (no clean-up, no traceback).

    Used once the main thread has unwound (its ``with`` blocks have removed what they wrote),
    so that native threads still inside a solver cannot delay or crash the exit.
    """
    report()
    with contextlib.suppress(Exception):
        sys.stdout.flush()
    os._exit(EXIT_INTERRUPTED)


def quiet_resource_tracker() -> None:
    """Start multiprocessing's resource tracker with its standard error on ``os.devnull``.

    Worker processes share named semaphores that the tracker (a process of its own) removes when
    the parent ends without releasing them, as it does when the watchdog ends an interrupted
    solve with :func:`exit_interrupted`. It then prints a "leaked semaphore" warning on the
    stderr it inherited, a second line after :data:`MESSAGE`. Started here first, it inherits
    ``os.devnull`` instead and still removes what was left; once running it is reused, so call
    this before the first pool is made. A tracker that is already running is left as it is.
    """
    from multiprocessing import resource_tracker

    try:
        err = sys.stderr.fileno()
    except (AttributeError, OSError, ValueError):  # no real stderr (a notebook): nothing to do
        resource_tracker.ensure_running()
        return
    with contextlib.suppress(Exception):
        sys.stderr.flush()
    saved = os.dup(err)
    null = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(null, err)
        resource_tracker.ensure_running()
    finally:
        os.dup2(saved, err)
        os.close(saved)
        os.close(null)


def _handler(signum: int, frame: object) -> None:
    first = not _requested.is_set()
    _fire()
    if first and _deferring:
        return  # deferred() raises when its block ends
    if first:
        raise KeyboardInterrupt
    # a second signal while unwinding: stop at once
    exit_interrupted()


def _watchdog(read_fd: int) -> None:
    while True:
        try:
            data = os.read(read_fd, 64)
        except OSError:
            return
        if not data:
            return
        if signal.SIGINT in data or signal.SIGTERM in data:
            _fire()
            deadline = time.monotonic() + GRACE_S
            while time.monotonic() < deadline:
                time.sleep(0.05)
            exit_interrupted()


def install() -> None:
    """Turn SIGINT and SIGTERM into :class:`KeyboardInterrupt` and start the watchdog.

    Call it from the main thread before anything slow is imported; calling it again does
    nothing. Not called on import: a notebook keeps its own Ctrl-C behaviour (a solve still
    stops, see :mod:`parkflow.solvers.backends`).
    """
    global _installed
    if _installed or threading.current_thread() is not threading.main_thread():
        return
    _installed = True
    signal.signal(signal.SIGINT, _handler)
    signal.signal(signal.SIGTERM, _handler)
    try:
        read_fd, write_fd = os.pipe()
        os.set_blocking(write_fd, False)
        signal.set_wakeup_fd(write_fd, warn_on_full_buffer=False)
    except (OSError, ValueError):
        return
    threading.Thread(
        target=_watchdog, args=(read_fd,), name="parkflow-interrupt", daemon=True
    ).start()
