"""What the web app's tests share: fixtures and helpers.

A test file takes the fixtures with ``pytest_plugins = ["_webapp"]``: a second ``conftest.py``
would clash with tests/conftest.py, which tests import as ``conftest``.

Fixtures (one per test module):

* ``ws`` — an empty workspace folder; ``client`` — FastAPI's TestClient on it;
* ``workspace`` — the folder the live ``server`` serves (``ws`` unless a module overrides it);
  ``server`` — uvicorn in a thread on a free port, its URL;
* ``shots`` — where screenshots go (``PARKFLOW_SCREENSHOTS=DIR`` keeps them, docs/webapp.md).

Helpers: ``wait`` polls a background job, ``open_bundled`` opens a bundled scenario as a
project, ``column`` finds a column of an editor table, ``not_blank`` checks a screenshot draws
something; ``CHROMIUM`` and ``browser_marks`` come from tests/_browser.py.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from pathlib import Path

import pytest
from _browser import CHROMIUM, needs_browser

__all__ = ["CHROMIUM", "browser_marks", "column", "free_port", "not_blank", "open_bundled", "wait"]

#: The marks of a browser test (skipped without chromium, outside CI).
browser_marks = needs_browser


def wait(client, job_id: str, timeout_s: float = 90.0) -> dict:
    """Poll ``/api/jobs/{job_id}`` until the job is done, failed or cancelled; return it."""
    end = time.time() + timeout_s
    while time.time() < end:
        j = client.get(f"/api/jobs/{job_id}").json()
        if j["state"] in ("done", "failed", "cancelled"):
            return j
        time.sleep(0.2)
    msg = f"job {job_id} still {j['state']} after {timeout_s} s"
    raise AssertionError(msg)


def column(table: dict, name: str) -> int:
    """The position of column ``name`` in an editor table (``{"columns": [...], "rows": ...}``)."""
    return table["columns"].index(name)


def open_bundled(client, name: str) -> str:
    """Open the bundled scenario ``name`` as a project; return its id."""
    r = client.post("/api/open", json={"bundled": name})
    assert r.status_code == 200, r.text
    return r.json()["project"]


def free_port() -> int:
    """A TCP port free on 127.0.0.1 now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def not_blank(png: Path) -> None:
    """The screenshot shows a drawing: many colours, not one flat background."""
    from PIL import Image

    img = Image.open(png).convert("RGB").resize((200, 120))
    colours = img.getcolors(maxcolors=200 * 120)
    assert colours is not None, f"{png} looks blank"
    assert len(colours) > 30, f"{png} looks blank"
    top = max(c for c, _ in colours)
    assert top < 0.9 * 200 * 120, f"{png}: one colour covers most of it"


@pytest.fixture(scope="module")
def ws(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("workspace")


@pytest.fixture(scope="module")
def client(ws):
    pytest.importorskip("httpx")
    from fastapi.testclient import TestClient

    from parkflow.webapp.app import create_app

    with TestClient(create_app(ws, max_upload_mb=1.0)) as c:
        yield c


@pytest.fixture(scope="module")
def workspace(ws) -> Path:
    return ws


@pytest.fixture(scope="module")
def server(workspace):
    import uvicorn

    from parkflow.webapp.app import create_app

    port = free_port()
    app = create_app(workspace)
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    end = time.time() + 20
    while not srv.started and time.time() < end:
        time.sleep(0.05)
    assert srv.started, "uvicorn did not start"
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(15)


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    d = os.environ.get("PARKFLOW_SCREENSHOTS")
    out = Path(d) if d else tmp_path_factory.mktemp("shots")
    out.mkdir(parents=True, exist_ok=True)
    return out
