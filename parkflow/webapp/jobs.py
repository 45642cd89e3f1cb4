"""Background jobs: one at a time, each in its own process, so that cancel is a real kill.

:class:`JobQueue` keeps the jobs in order; one thread takes them one by one, starts a process
(:func:`parkflow.webapp.worker.entry`) and reads its messages. A job's state is ``queued``,
``running``, ``done``, ``failed`` or ``cancelled``.
"""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import os
import queue as _queue
import secrets
import signal
import threading
import time
from dataclasses import dataclass, field
from typing import Any

STATES = ("queued", "running", "done", "failed", "cancelled")


def _noop() -> None:
    """Nothing: the first process started warms the fork server."""


def _context() -> Any:
    """A fork server preloaded with parkflow (fast, and safe in a threaded server), else spawn."""
    try:
        ctx = mp.get_context("forkserver")
        ctx.set_forkserver_preload(["parkflow.webapp.worker"])
        return ctx
    except ValueError:  # pragma: no cover - platforms without fork (Windows)
        return mp.get_context("spawn")


def _kill(proc: Any) -> None:
    """Kill a worker and its process group (a decomposed solve's pool), else the worker alone."""
    if hasattr(os, "killpg"):
        with contextlib.suppress(OSError):
            os.killpg(proc.pid, signal.SIGKILL)
    with contextlib.suppress(Exception):
        proc.kill()


@dataclass
class Job:
    """One solve or comparison and what is known about it."""

    id: str
    kind: str
    params: dict[str, Any]
    project: str
    state: str = "queued"
    phase: str = ""
    message: str = ""
    figures: dict[str, Any] | None = None
    created: float = field(default_factory=time.time)
    started: float | None = None
    finished: float | None = None
    cancel: bool = False
    #: The solver's progress events in arrival order (``worker.progress_dict``), the last 200.
    events: list[dict[str, Any]] = field(default_factory=list)
    #: How many events arrived (``events`` keeps the last 200 of them).
    n_events: int = 0
    #: The solver phases in the order they began (a phase repeated in a row is listed once).
    phases: list[str] = field(default_factory=list)

    def as_dict(self, position: int | None = None) -> dict[str, Any]:
        """The job as JSON for the page (no paths)."""
        end = self.finished or time.time()
        return {
            "id": self.id,
            "kind": self.kind,
            "project": self.project,
            "state": self.state,
            "phase": self.phase,
            "message": self.message,
            "figures": self.figures,
            "elapsed_s": round(end - self.started, 1) if self.started else 0.0,
            "position": position,
            "run": self.params.get("run"),
            "progress": self.events[-1] if self.events else None,
            "phases": list(self.phases),
            "n_events": self.n_events,
        }

    def events_since(self, n: int) -> list[dict[str, Any]]:
        """The events after the first ``n`` (those still kept)."""
        first = self.n_events - len(self.events)
        return self.events[max(0, n - first) :]


class JobQueue:
    """Run jobs one after the other in worker processes."""

    def __init__(self) -> None:
        self.jobs: dict[str, Job] = {}
        self._order: _queue.Queue[str | None] = _queue.Queue()
        self._lock = threading.Lock()
        self._ctx = _context()
        self._proc: Any = None
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="parkflow-jobs", daemon=True)
        self._thread.start()
        threading.Thread(target=self._warm, name="parkflow-warm", daemon=True).start()

    def _warm(self) -> None:
        """Start the fork server now (it imports parkflow once), not on the first solve."""
        with contextlib.suppress(Exception):
            proc = self._ctx.Process(target=_noop, daemon=True)
            proc.start()
            proc.join(60)

    def submit(self, kind: str, params: dict[str, Any], project: str) -> Job:
        """Queue a job; return it (state ``queued``)."""
        job = Job(id=secrets.token_hex(6), kind=kind, params=params, project=project)
        with self._lock:
            self.jobs[job.id] = job
        self._order.put(job.id)
        return job

    def position(self, job: Job) -> int | None:
        """How many jobs run or wait before ``job`` (None once it has started)."""
        if job.state != "queued":
            return None
        with self._lock:
            return sum(
                1
                for j in self.jobs.values()
                if j.state in ("queued", "running") and j.created < job.created
            )

    def cancel(self, job_id: str) -> Job:
        """Cancel a job: a queued one never starts, a running one's process is killed."""
        job = self.jobs[job_id]
        job.cancel = True
        if job.state == "queued":
            job.state, job.finished = "cancelled", time.time()
        return job

    def _loop(self) -> None:
        while not self._stopping.is_set():
            job_id = self._order.get()
            if job_id is None:
                return
            job = self.jobs.get(job_id)
            if job is None or job.state != "queued":
                continue
            self._run(job)

    def _run(self, job: Job) -> None:
        import parkflow.webapp.worker as worker

        messages = self._ctx.Queue()
        job.state, job.started, job.phase = "running", time.time(), "start"
        try:
            # not daemonic: a decomposed solve starts a process pool of its own; the worker
            # leads its own process group, so that cancel kills the pool too (_kill)
            proc = self._ctx.Process(
                target=worker.entry, args=(job.kind, job.params, messages), daemon=False
            )
            proc.start()
        except Exception as exc:  # e.g. out of processes
            job.state, job.message, job.finished = "failed", str(exc), time.time()
            return
        self._proc = proc
        outcome: tuple[str, Any] | None = None
        while outcome is None:
            if job.cancel or self._stopping.is_set():
                _kill(proc)
                proc.join(5)
                job.state, job.phase = "cancelled", ""
                break
            try:
                what, payload = messages.get(timeout=0.1)
            except _queue.Empty:
                if not proc.is_alive():
                    try:  # a last message may still be in the pipe
                        what, payload = messages.get(timeout=0.5)
                    except _queue.Empty:
                        job.state = "failed"
                        job.message = f"the worker stopped unexpectedly (exit {proc.exitcode})"
                        break
                else:
                    continue
            if what == "phase":
                job.phase = str(payload)
            elif what == "progress":
                job.phase = f"solve: {payload.get('text', '')}"
                job.events.append(payload)
                if not job.phases or job.phases[-1] != payload.get("phase"):
                    job.phases.append(str(payload.get("phase")))
                job.n_events += 1
                del job.events[:-200]
            else:
                outcome = (what, payload)
        if outcome is not None:
            what, payload = outcome
            if what == "done":
                job.state, job.figures = "done", payload
            else:
                job.state, job.message = "failed", str(payload)
        job.finished = time.time()
        proc.join(5)
        if proc.is_alive():
            _kill(proc)
        self._proc = None
        messages.close()

    def shutdown(self) -> None:
        """Stop: kill the running job, drop the queued ones, end the thread."""
        self._stopping.set()
        for job in list(self.jobs.values()):
            if job.state == "queued":
                job.state = "cancelled"
        proc = self._proc
        if proc is not None and proc.is_alive():
            _kill(proc)
        self._order.put(None)
        self._thread.join(10)
