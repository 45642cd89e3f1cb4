"""The HTTP API and the static pages of ``parkflow serve`` (FastAPI on Starlette).

Every route answers JSON, except ``/`` and ``/static`` (the page and its scripts, package data),
``/vendor/leaflet`` (the vendored Leaflet) and ``/files`` (outputs inside the workspace).
Errors answer ``{"error": message}`` (and ``problems`` for a scenario that does not validate),
never a traceback. See docs/webapp.md for the routes.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import threading
import zipfile
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Annotated, Any

from fastapi import FastAPI, File, Request, UploadFile
from fastapi.responses import FileResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles

import parkflow as pf
import parkflow.webapp._deps as _deps
from parkflow.webapp.jobs import JobQueue
from parkflow.webapp.workspace import (
    TABLES,
    Workspace,
    WorkspaceError,
    check_id,
    new_id,
    read_settings,
    read_tables,
    setting_schema,
    validate_project,
    write_settings,
    write_tables,
)

STATIC_DIR = Path(__file__).resolve().parent / "static"
LEAFLET_DIR = Path(pf.__file__).resolve().parent / "data" / "vendor" / "leaflet"
MAX_UPLOAD_MB = 20.0
OBJECTIVES = ("cost", "utilisation", "co2")
RUN_FILES = (
    "report.html",
    "report.md",
    "report.xlsx",
    "map.html",
    "scenario.xlsx",
    "summary.json",
    "flows.csv",
    "compare.html",
    "differences.csv",
    "indicators.csv",
)


class _Cache:
    """The validation of each project's work.xlsx, redone when the file changes."""

    def __init__(self) -> None:
        self._items: dict[Path, tuple[float, Any, list[dict[str, Any]], Path]] = {}
        self._lock = threading.Lock()  # validate_project writes the assembled folder

    def get(self, path: Path) -> tuple[Any, list[dict[str, Any]]]:
        hit = self.entry(path)
        return hit[1], hit[2]

    def source(self, path: Path) -> Path:
        """What a solve of ``path`` loads: the workbook or its assembled folder."""
        return self.entry(path)[3]

    def entry(self, path: Path) -> tuple[float, Any, list[dict[str, Any]], Path]:
        with self._lock:
            mtime = path.stat().st_mtime_ns
            hit = self._items.get(path)
            if hit is None or hit[0] != mtime:
                scenario, problems, source = validate_project(path)
                hit = (mtime, scenario, problems, source)
                self._items[path] = hit
            return hit


def _catalogue_json(catalogue: Any) -> dict[str, Any]:
    def rows(df: Any, extra: tuple[str, ...] = ()) -> list[dict[str, Any]]:
        out = []
        for ident, r in df.iterrows():
            item: dict[str, str | list[str]] = {
                "id": str(ident),
                "name_zh": str(r.get("name_zh", ident)),
                "name_en": str(r.get("name_en", ident)),
            }
            for col in extra:
                value = r.get(col)
                item[col] = (
                    [str(v) for v in value] if isinstance(value, (tuple, list)) else str(value)
                )
            out.append(item)
        return out

    sectors = _deps.sector_table()
    techs = getattr(catalogue, "technologies", None)
    return {
        "technologies": rows(techs, ("unit", "sizes")) if techs is not None else [],
        "materials": rows(catalogue.materials, ("kind",)),
        "routes": rows(catalogue.routes, ("accepts",)),
        "modes": rows(catalogue.modes),
        "sectors": [
            {
                "id": str(r["id"]),
                "name_zh": str(r.get("name_zh", r["id"])),
                "name_en": str(r.get("name_en", r["id"])),
            }
            for r in sectors.to_dict("records")
        ],
    }


def _number(value: Any, name: str, low: float, high: float) -> float | None:
    if value in (None, ""):
        return None
    try:
        v = float(value)
    except (TypeError, ValueError):
        msg = f"{name} must be a number"
        raise WorkspaceError(msg) from None
    if not low <= v <= high:
        msg = f"{name} must lie between {low:g} and {high:g}"
        raise WorkspaceError(msg)
    return v


def create_app(
    workspace: str | Path, initial: str | None = None, max_upload_mb: float = MAX_UPLOAD_MB
) -> FastAPI:
    """The web application.

    Parameters
    ----------
    workspace : path
        The only folder the app writes into (created if absent).
    initial : str, optional
        A scenario to open at start: a bundled scenario's name, or a folder, workbook or overlay.
    max_upload_mb : float
        Largest workbook accepted by the upload, in MB.

    Returns
    -------
    fastapi.FastAPI
        With ``app.state.workspace`` (:class:`Workspace`) and ``app.state.jobs``
        (:class:`JobQueue`, started on the first request and stopped with the app).
    """
    ws = Workspace(workspace)
    cache = _Cache()
    state: dict[str, Any] = {"jobs": None, "initial": None}

    def jobs() -> JobQueue:
        if state["jobs"] is None:
            state["jobs"] = JobQueue()
        return state["jobs"]

    @contextlib.asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        jobs()  # start the worker thread and warm the fork server
        yield
        if state["jobs"] is not None:
            state["jobs"].shutdown()

    app = FastAPI(
        title="parkflow", docs_url=None, redoc_url=None, openapi_url=None, lifespan=lifespan
    )
    app.state.workspace = ws
    app.state.jobs = jobs

    if initial:
        path = Path(initial)
        if not path.exists() and initial in pf.bundled_scenarios():
            path = pf.bundled_scenario_path(initial)
        state["initial"], _ = ws.open_scenario(path, origin=f"start:{path.name}")

    # -- errors: a message, never a traceback -------------------------------------------------
    @app.exception_handler(WorkspaceError)
    async def _bad(_req: Request, exc: WorkspaceError) -> JSONResponse:
        return JSONResponse({"error": str(exc)}, status_code=400)

    @app.exception_handler(pf.ScenarioError)
    async def _invalid(_req: Request, exc: Any) -> JSONResponse:
        from parkflow.webapp.workspace import dedupe, problem_dict

        problems = dedupe([problem_dict(p) for p in exc.problems])
        return JSONResponse(
            {"error": f"{len(problems)} problem(s)", "problems": problems}, status_code=422
        )

    @app.exception_handler(FileNotFoundError)
    async def _missing(_req: Request, exc: FileNotFoundError) -> JSONResponse:
        return JSONResponse({"error": str(exc)}, status_code=404)

    @app.exception_handler(Exception)
    async def _internal(_req: Request, exc: Exception) -> JSONResponse:
        return JSONResponse(
            {"error": f"internal error: {type(exc).__name__}: {exc}"}, status_code=500
        )

    # -- pages ----------------------------------------------------------------------------------
    @app.get("/", include_in_schema=False)
    def index() -> FileResponse:
        return FileResponse(STATIC_DIR / "index.html", media_type="text/html; charset=utf-8")

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> Response:
        return Response(status_code=204)

    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.mount("/vendor/leaflet", StaticFiles(directory=LEAFLET_DIR), name="leaflet")

    @app.middleware("http")
    async def _headers(request: Request, call_next: Any) -> Response:
        response = await call_next(request)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        if request.url.path in ("/", "/index.html"):
            response.headers["Content-Security-Policy"] = (
                "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
                "script-src 'self'; frame-src 'self'; connect-src 'self'"
            )
        return response

    # -- what can be opened -------------------------------------------------------------------
    @app.get("/api/info")
    def info() -> dict[str, Any]:
        return {
            "version": pf.__version__,
            "workspace": str(ws.root),
            "bundled": pf.bundled_scenarios(),
            "folders": ws.folders(),
            "projects": ws.projects(),
            "initial": state["initial"],
            "max_upload_mb": max_upload_mb,
            "tables": list(TABLES),
        }

    @app.post("/api/open")
    def open_(body: dict[str, Any]) -> dict[str, Any]:
        if body.get("bundled"):
            name = str(body["bundled"])
            if name not in pf.bundled_scenarios():
                msg = f"no bundled scenario {name!r}"
                raise WorkspaceError(msg)
            path, origin = pf.bundled_scenario_path(name), f"bundled:{name}"
        elif body.get("folder"):
            rel = str(body["folder"])
            path = ws.inside(rel)
            if "projects" in path.relative_to(ws.root).parts[:1] or not path.exists():
                msg = f"no scenario {rel!r} in the workspace"
                raise WorkspaceError(msg)
            origin = f"folder:{rel}"
        else:
            msg = "give `bundled` or `folder`"
            raise WorkspaceError(msg)
        pid, problems = ws.open_scenario(path, origin)
        return {"project": pid, "problems": problems}

    @app.post("/api/upload", response_model=None)  # a dict, or a JSONResponse for an error
    async def upload(file: Annotated[UploadFile, File()]) -> dict[str, Any] | JSONResponse:
        name = Path(file.filename or "upload.xlsx").name
        if not name.lower().endswith(".xlsx"):
            msg = "upload an .xlsx workbook"
            raise WorkspaceError(msg)
        limit = int(max_upload_mb * 1024 * 1024)
        data = bytearray()
        while chunk := await file.read(1 << 20):
            data.extend(chunk)
            if len(data) > limit:
                return JSONResponse(
                    {"error": f"the file is larger than {max_upload_mb:g} MB"}, status_code=413
                )
        pid, problems = ws.add_workbook(bytes(data), name, origin=f"upload:{name}")
        return {"project": pid, "problems": problems}

    # -- a project --------------------------------------------------------------------------------
    def runs_of(pid: str) -> list[dict[str, Any]]:
        import json

        out = []
        d = ws.project_dir(pid) / "runs"
        for r in sorted(d.iterdir(), key=lambda p: p.stat().st_mtime) if d.is_dir() else []:
            f = r / "figures.json"
            if f.is_file():
                out.append({"id": r.name, "figures": json.loads(f.read_text(encoding="utf-8"))})
        return out

    @app.get("/api/projects/{pid}")
    def project(pid: str) -> dict[str, Any]:
        d = ws.project_dir(pid)
        scenario, problems = cache.get(d / "work.xlsx")
        return {
            "meta": ws.meta(pid),
            "tables": read_tables(d / "work.xlsx"),
            "settings": read_settings(d / "work.xlsx"),
            "setting_schema": setting_schema(),
            "problems": problems,
            "valid": scenario is not None,
            "variants": ws.variants(pid),
            "runs": runs_of(pid),
        }

    @app.get("/api/projects/{pid}/catalogue")
    def catalogue(pid: str) -> dict[str, Any]:
        scenario, _ = cache.get(ws.project_dir(pid) / "work.xlsx")
        return _catalogue_json(scenario.catalogue if scenario is not None else pf.load_catalogue())

    @app.put("/api/projects/{pid}")
    def save(pid: str, body: dict[str, Any]) -> dict[str, Any]:
        work = ws.project_dir(pid) / "work.xlsx"
        if body.get("tables"):
            if not isinstance(body["tables"], dict):
                msg = "tables must be a mapping of table name to columns/rows"
                raise WorkspaceError(msg)
            write_tables(work, body["tables"])
        if body.get("settings"):
            s = dict(body["settings"])
            if s.get("objective") not in (None, *OBJECTIVES):
                msg = f"objective must be one of {', '.join(OBJECTIVES)}"
                raise WorkspaceError(msg)
            s["time_limit_s"] = _number(s.get("time_limit_s"), "time limit", 1, 86400)
            s["gap"] = _number(s.get("gap"), "gap", 0, 1)
            for t in s.get("targets") or []:
                _number(t.get("rate"), f"target {t.get('id', '')} rate", 0, 1)
            write_settings(work, s)
        scenario, problems = cache.get(work)
        if scenario is not None:
            ws._set_meta(pid, name=scenario.name)
        return {"problems": problems, "valid": scenario is not None}

    # -- jobs -------------------------------------------------------------------------------------
    def solve_options(body: dict[str, Any]) -> dict[str, Any]:
        objective = body.get("objective") or None
        if objective not in (None, *OBJECTIVES):
            msg = f"objective must be one of {', '.join(OBJECTIVES)}"
            raise WorkspaceError(msg)
        lang = body.get("lang", "zh")
        if lang not in ("zh", "en"):
            msg = "lang must be zh or en"
            raise WorkspaceError(msg)
        return {
            "objective": objective,
            "lang": lang,
            "time_limit_s": _number(body.get("time_limit_s"), "time limit", 1, 86400),
            "gap": _number(body.get("gap"), "gap", 0, 1),
            "debug": bool(os.environ.get("PARKFLOW_DEBUG")),
        }

    @app.post("/api/projects/{pid}/solve", response_model=None)  # dict, or JSONResponse (error)
    def solve(pid: str, body: dict[str, Any]) -> dict[str, Any] | JSONResponse:
        d = ws.project_dir(pid)
        scenario, problems = cache.get(d / "work.xlsx")
        if scenario is None:
            return JSONResponse(
                {
                    "error": f"{len(problems)} problem(s): fix them before solving",
                    "problems": problems,
                },
                status_code=422,
            )
        rid = new_id("run")
        out = d / "runs" / rid
        out.mkdir(parents=True)
        source = cache.source(d / "work.xlsx")
        if source.is_dir():  # with facilities: the assembled folder (workspace.validate_project)
            work = d / "runs" / f"{rid}.input"
            shutil.copytree(source, work)
        else:  # a copy: editing on does not change the solve
            work = d / "runs" / f"{rid}.input.xlsx"
            shutil.copyfile(source, work)
        params = {**solve_options(body), "scenario": str(work), "out": str(out), "run": rid}
        job = jobs().submit("solve", params, pid)
        return job.as_dict(jobs().position(job))

    @app.post("/api/projects/{pid}/variants")
    def save_variant(pid: str, body: dict[str, Any]) -> dict[str, Any]:
        name = str(body.get("name") or "").strip()
        if not name:
            msg = "give the variant a name"
            raise WorkspaceError(msg)
        vid, problems = ws.save_variant(pid, name[:200])
        return {"variant": vid, "problems": problems, "variants": ws.variants(pid)}

    @app.post("/api/projects/{pid}/compare")
    def compare(pid: str, body: dict[str, Any]) -> dict[str, Any]:
        d = ws.project_dir(pid)
        cid = new_id("cmp")
        out = d / "compares" / cid
        sides = []
        for side, default in (("a", "base"), ("b", "work")):
            which = str(body.get(side, default))
            path = ws.scenario_path(pid, which)
            if which in ("base", "work"):
                path = cache.source(path)
                if path.is_dir():  # with facilities: a copy of the assembled folder
                    copy = d / "compares" / f"{cid}.{side}"
                    shutil.copytree(path, copy)
                    path = copy
            sides.append(path)
        a, b = sides
        out.mkdir(parents=True)
        params = {**solve_options(body), "a": str(a), "b": str(b), "out": str(out), "run": cid}
        job = jobs().submit("compare", params, pid)
        return job.as_dict(jobs().position(job))

    @app.get("/api/jobs")
    def job_list() -> list[dict[str, Any]]:
        q = jobs()
        return [j.as_dict(q.position(j)) for j in q.jobs.values()]

    @app.get("/api/jobs/{jid}")
    def job(jid: str) -> dict[str, Any]:
        q = jobs()
        if jid not in q.jobs:
            msg = f"no job {jid!r}"
            raise WorkspaceError(msg)
        return q.jobs[jid].as_dict(q.position(q.jobs[jid]))

    @app.get("/api/jobs/{jid}/events")
    def job_events(jid: str, since: int = 0) -> dict[str, Any]:
        """The solver's progress events after the first ``since`` (for a live display)."""
        q = jobs()
        if jid not in q.jobs:
            msg = f"no job {jid!r}"
            raise WorkspaceError(msg)
        j = q.jobs[jid]
        return {"state": j.state, "n_events": j.n_events, "events": j.events_since(since)}

    @app.post("/api/jobs/{jid}/cancel")
    def cancel(jid: str) -> dict[str, Any]:
        q = jobs()
        if jid not in q.jobs:
            msg = f"no job {jid!r}"
            raise WorkspaceError(msg)
        return q.cancel(jid).as_dict()

    # -- files ------------------------------------------------------------------------------------
    def output_file(pid: str, kind: str, rid: str, name: str) -> Path:
        if kind not in ("runs", "compares") or name not in RUN_FILES:
            msg = "no such file"
            raise WorkspaceError(msg)
        path = ws.inside(ws.project_dir(pid) / kind / check_id(rid) / name)
        if not path.is_file():
            msg = f"{name} is not there (yet)"
            raise FileNotFoundError(msg)
        return path

    @app.get("/files/{pid}/{kind}/{rid}/{name}")
    def download(pid: str, kind: str, rid: str, name: str, dl: int = 0) -> FileResponse:
        path = output_file(pid, kind, rid, name)
        media = {
            "html": "text/html; charset=utf-8",
            "md": "text/markdown; charset=utf-8",
            "json": "application/json",
            "csv": "text/csv; charset=utf-8",
        }.get(path.suffix[1:])
        return FileResponse(
            path,
            media_type=media,
            filename=path.name if dl else None,
            content_disposition_type="attachment" if dl else "inline",
        )

    @app.get("/files/{pid}/{which}.xlsx")
    def workbook(pid: str, which: str) -> FileResponse:
        if which not in ("base", "work"):
            msg = "no such workbook"
            raise WorkspaceError(msg)
        name = f"{ws.meta(pid).get('id', pid)}-{which}.xlsx"
        return FileResponse(ws.project_dir(pid) / f"{which}.xlsx", filename=name)

    @app.get("/files/{pid}/variants/{vid}.yaml")
    def variant_file(pid: str, vid: str) -> FileResponse:
        return FileResponse(
            ws.scenario_path(pid, vid),
            filename=f"{vid}.yaml",
            media_type="text/yaml; charset=utf-8",
        )

    @app.get("/files/{pid}/{kind}/{rid}.zip")
    def zipped(pid: str, kind: str, rid: str) -> Response:
        if kind not in ("runs", "compares"):
            msg = "no such folder"
            raise WorkspaceError(msg)
        folder = ws.inside(ws.project_dir(pid) / kind / check_id(rid))
        if not folder.is_dir():
            msg = "no such run"
            raise FileNotFoundError(msg)
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
            for f in sorted(folder.iterdir()):
                if f.is_file() and not f.name.startswith("."):
                    z.write(f, f"{rid}/{f.name}")
        return Response(
            buf.getvalue(),
            media_type="application/zip",
            headers={"Content-Disposition": f'attachment; filename="{rid}.zip"'},
        )

    return app
