"""``parkflow serve``: a local web app to edit a park, solve, look at the results and compare.

The server (:mod:`parkflow.webapp.app`) is FastAPI on Starlette, run by uvicorn; the page and its
scripts are package data (``parkflow/webapp/static/``), Leaflet is the vendored copy the maps use,
so it works with no network. Solves run one at a time in a worker process
(:mod:`parkflow.webapp.jobs`). Everything is written inside one workspace folder
(:mod:`parkflow.webapp.workspace`). See docs/webapp.md.
"""

from __future__ import annotations

from parkflow.webapp.server import DEFAULT_HOST, DEFAULT_PORT, host_warning, serve

__all__ = ["DEFAULT_HOST", "DEFAULT_PORT", "host_warning", "serve"]
