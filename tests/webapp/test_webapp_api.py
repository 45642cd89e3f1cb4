"""The web app's HTTP API, called directly (FastAPI's TestClient), and its workspace rules."""

from __future__ import annotations

import io
import multiprocessing as mp
import re
import time
import zipfile
from pathlib import Path

import pytest
from _webapp import wait

#: The shared fixtures (ws, client, workspace, server, shots): tests/webapp/_webapp.py.
pytest_plugins = ["_webapp"]

pytest.importorskip("fastapi")
pytest.importorskip("httpx")


import parkflow as pf  # noqa: E402
from parkflow.webapp.server import host_warning  # noqa: E402
from parkflow.webapp.workspace import coerce, overlay_of, read_tables  # noqa: E402

BUNDLED = "leshan-wutongqiao"


@pytest.fixture(scope="module")
def project(client) -> str:
    r = client.post("/api/open", json={"bundled": BUNDLED})
    assert r.status_code == 200, r.text
    assert r.json()["problems"] == []
    return r.json()["project"]


def set_cell(tables: dict, table: str, ident: str, column: str, value) -> None:
    cols = tables[table]["columns"]
    for row in tables[table]["rows"]:
        if row[cols.index("id")] == ident:
            row[cols.index(column)] = value
            return
    raise KeyError(ident)


def test_info_lists_bundled_scenarios_and_the_workspace(client, ws):
    info = client.get("/api/info").json()
    assert BUNDLED in info["bundled"]
    assert Path(info["workspace"]) == ws.resolve()


def test_the_page_and_vendored_leaflet_are_served(client):
    page = client.get("/")
    assert page.status_code == 200
    assert "/vendor/leaflet/leaflet.js" in page.text
    assert "default-src 'self'" in page.headers["content-security-policy"]
    assert "http" not in page.text.split("<body>")[0].replace("http-equiv", "")  # no CDN
    assert client.get("/vendor/leaflet/leaflet.js").status_code == 200
    assert client.get("/static/app.js").status_code == 200
    assert "innerHTML" not in client.get("/static/app.js").text


def test_project_has_the_tables_settings_and_catalogue(client, project):
    p = client.get(f"/api/projects/{project}").json()
    assert p["valid"]
    assert p["problems"] == []
    assert set(p["tables"]) == {
        "enterprises",
        "supplies",
        "uses",
        "stockpiles",
        "links",
        "facilities",
    }
    # Leshan has no candidate facilities: the table is empty, with its declared columns
    assert p["tables"]["facilities"]["rows"] == []
    assert {"technology", "site", "sizes", "existing"} <= set(p["tables"]["facilities"]["columns"])
    assert "capacity" in p["tables"]["uses"]["columns"]
    # the bundled park scenarios enforce one target year (issue 11): bulk-2030 returns with
    # `year: 2030, enforce: false` after the format-2 merge
    assert [t["id"] for t in p["settings"]["targets"]] == ["bulk-2025", "bulk-2030"]
    cat = client.get(f"/api/projects/{project}/catalogue").json()
    assert {"fly_ash"} <= {m["id"] for m in cat["materials"]}
    assert {"truck"} <= {m["id"] for m in cat["modes"]}
    assert {"cement"} <= {s["id"] for s in cat["sectors"]}


def test_a_bad_cell_is_reported_with_table_row_and_column(client, project):
    p = client.get(f"/api/projects/{project}").json()
    tables = p["tables"]
    set_cell(tables, "uses", "U2", "capacity", "abc")
    r = client.put(f"/api/projects/{project}", json={"tables": {"uses": tables["uses"]}}).json()
    assert not r["valid"]
    hit = [q for q in r["problems"] if q["column"] == "capacity"]
    assert hit
    assert hit[0]["table"] == "uses"
    assert hit[0]["row"] == 3
    assert hit[0]["fix"]
    # solving an invalid scenario is refused with the problems
    s = client.post(f"/api/projects/{project}/solve", json={})
    assert s.status_code == 422
    assert s.json()["problems"]
    set_cell(tables, "uses", "U2", "capacity", "64000")
    r = client.put(f"/api/projects/{project}", json={"tables": {"uses": tables["uses"]}}).json()
    assert r["valid"], r["problems"]


def test_settings_are_checked_and_saved(client, project):
    r = client.put(f"/api/projects/{project}", json={"settings": {"gap": 5}})
    assert r.status_code == 400
    assert "gap" in r.json()["error"]
    r = client.put(
        f"/api/projects/{project}",
        json={"settings": {"objective": "cost", "time_limit_s": 30, "gap": 0.01}},
    )
    assert r.json()["valid"]
    assert client.get(f"/api/projects/{project}").json()["settings"]["gap"] == 0.01


def leshan_rate() -> float:
    """bulk-2025's rate for the bundled Leshan scenario, solved through the public API."""
    res = pf.solve(pf.load_scenario(pf.bundled_scenario_path("leshan-wutongqiao")))
    return float(res.targets.set_index("id").loc["bulk-2025", "rate"])


def test_solve_in_the_background_then_download_everything(client, project):
    job = client.post(f"/api/projects/{project}/solve", json={"lang": "en"}).json()
    assert job["state"] in ("queued", "running")
    done = wait(client, job["id"])
    assert done["state"] == "done", done["message"]
    f = done["figures"]
    assert f["status"] == "optimal"
    assert f["links_built"] > 0
    rate = {t["id"]: t for t in f["targets"]}["bulk-2025"]
    # the page shows what the public API gives for the same scenario (Leshan's rate moves with
    # the catalogue and today's outlets, issue 11, so it is measured here, not written down)
    expected = leshan_rate()
    assert rate["rate"] == pytest.approx(expected, abs=1e-3)
    assert rate["met"]
    base = f"/files/{project}/runs/{done['run']}"
    for name in ("report.html", "report.md", "report.xlsx", "map.html", "scenario.xlsx"):
        r = client.get(f"{base}/{name}?dl=1")
        assert r.status_code == 200, name
        assert len(r.content) > 500, name
    page = client.get(f"{base}/map.html").text
    assert not re.search(r'<(script|link)[^>]+(src|href)="(https?:)?//', page)  # offline
    z = zipfile.ZipFile(io.BytesIO(client.get(f"{base}.zip").content))
    assert {f"{done['run']}/report.html", f"{done['run']}/map.html"} <= set(z.namelist())
    assert client.get(f"/files/{project}/work.xlsx").status_code == 200


def test_jobs_run_one_at_a_time_and_a_queued_one_can_be_cancelled(client, project):
    first = client.post(f"/api/projects/{project}/solve", json={}).json()
    second = client.post(f"/api/projects/{project}/solve", json={}).json()
    assert second["position"] >= 1
    assert client.post(f"/api/jobs/{second['id']}/cancel").json()["state"] == "cancelled"
    assert wait(client, first["id"])["state"] == "done"
    assert client.get(f"/api/jobs/{second['id']}").json()["state"] == "cancelled"


def test_a_running_solve_is_killed_on_cancel(client, project):
    job = client.post(f"/api/projects/{project}/solve", json={}).json()
    end = time.time() + 30
    while client.get(f"/api/jobs/{job['id']}").json()["state"] == "queued" and time.time() < end:
        time.sleep(0.05)
    client.post(f"/api/jobs/{job['id']}/cancel")
    assert wait(client, job["id"])["state"] in ("cancelled", "done")


def test_a_failing_job_gives_a_message_not_a_traceback(tmp_path):
    from parkflow.webapp import worker

    q = mp.get_context("spawn").Queue()
    worker.entry("solve", {"scenario": str(tmp_path / "missing"), "out": str(tmp_path)}, q)
    items = [q.get(timeout=5) for _ in range(2)]
    what, message = items[-1]
    assert what == "error"
    assert "Traceback" not in message
    assert message


def test_variant_overlay_reproduces_the_edits(client, project, ws):
    p = client.get(f"/api/projects/{project}").json()
    tables = p["tables"]
    # U3 down to what its existing link carries today (0 would contradict existing_flows: keep)
    set_cell(tables, "uses", "U3", "capacity", 96000)
    # and ten times LS05's fly ash (the editor shows t/a: 96,000 → 960,000): more than the park
    # absorbs, so the rate falls (Leshan has spare capacity: a capacity cut alone leaves 100 %)
    set_cell(tables, "supplies", "S6", "quantity", 960_000)
    set_cell(tables, "enterprises", "LS10", "lon", 103.803)
    ent = tables["enterprises"]
    new = [None] * len(ent["columns"])
    for k, v in {
        "id": "LS90",
        "name": "新厂 <b>x</b>",
        "park": "LS-WTQ",
        "sector": "cement",
        "lon": 103.82,
        "lat": 29.40,
    }.items():
        new[ent["columns"].index(k)] = v
    ent["rows"].append(new)
    r = client.put(f"/api/projects/{project}", json={"tables": tables}).json()
    assert r["valid"], r["problems"]
    v = client.post(f"/api/projects/{project}/variants", json={"name": "U3 zero"}).json()
    assert v["problems"] == []
    assert v["variant"] == "u3-zero"
    path = ws / "projects" / project / "variants" / "u3-zero.yaml"
    variant = pf.load_scenario(path)
    work = pf.load_scenario(ws / "projects" / project / "work.xlsx")
    assert variant.uses.loc["U3", "capacity"] == 96000
    assert variant.supplies.loc["S6", "quantity"] == pytest.approx(960_000)  # t/a
    assert variant.enterprises.loc["LS10", "lon"] == pytest.approx(103.803)
    assert variant.enterprises.loc["LS90", "name"] == "新厂 <b>x</b>"
    assert len(variant.uses) == len(work.uses)
    assert len(variant.enterprises) == len(work.enterprises)
    # and compare base with it in the background
    job = client.post(f"/api/projects/{project}/compare", json={"a": "base", "b": "u3-zero"})
    done = wait(client, job.json()["id"])
    assert done["state"] == "done", done["message"]
    rates = [r for r in done["figures"]["indicators"] if r["indicator"].startswith("rate:")]
    assert rates
    assert rates[0]["change"] < 0
    html = client.get(f"/files/{project}/compares/{done['run']}/compare.html").text
    assert "新厂 &lt;b&gt;x&lt;/b&gt;" in html or "新厂 <b>" not in html


def test_overlay_of_an_enterprise_change_keeps_its_rows(tmp_path):
    sc = pf.load_scenario(pf.bundled_scenario_path(BUNDLED))
    pf.save_scenario(sc, tmp_path / "base.xlsx")
    base = read_tables(tmp_path / "base.xlsx")
    work = read_tables(tmp_path / "base.xlsx")
    set_cell(work, "enterprises", "LS03", "name", "renamed")
    ov = overlay_of(base, work)
    assert ov["remove"]["enterprises"] == ["LS03"]
    readded = {r["id"] for r in ov["add"]["uses"]}
    assert {"U1", "U2", "U3", "U4"} <= readded


def test_upload_valid_invalid_too_large_and_not_a_workbook(client, tmp_path):
    sc = pf.load_scenario(pf.bundled_scenario_path(BUNDLED))
    good = pf.save_scenario(sc, tmp_path / "good.xlsx").read_bytes()
    r = client.post("/api/upload", files={"file": ("good.xlsx", good)})
    assert r.status_code == 200
    assert r.json()["problems"] == []
    import openpyxl

    wb = openpyxl.load_workbook(tmp_path / "good.xlsx")
    wb["supplies"]["B2"] = "NOPE"
    wb.save(tmp_path / "bad.xlsx")
    bad = (tmp_path / "bad.xlsx").read_bytes()
    r = client.post("/api/upload", files={"file": ("bad.xlsx", bad)})
    problems = r.json()["problems"]
    assert problems
    assert problems[0]["table"] == "supplies"
    assert problems[0]["row"] == 2
    # the invalid workbook is a project that can be opened in the editor
    p = client.get(f"/api/projects/{r.json()['project']}").json()
    assert not p["valid"]
    assert p["tables"]["supplies"]["rows"]
    big = b"PK" + b"0" * (1024 * 1024 + 10)
    assert client.post("/api/upload", files={"file": ("big.xlsx", big)}).status_code == 413
    assert client.post("/api/upload", files={"file": ("x.csv", b"a,b")}).status_code == 400
    assert client.post("/api/upload", files={"file": ("x.xlsx", b"not a zip")}).status_code == 400


def test_nothing_outside_the_workspace(client, project, ws):
    assert client.post("/api/open", json={"folder": "../"}).status_code == 400
    assert client.post("/api/open", json={"folder": "/etc"}).status_code == 400
    assert client.get("/api/projects/..%2F..").status_code in (400, 404)
    assert client.get(f"/files/{project}/runs/..%2F..%2F/project.json").status_code in (400, 404)
    assert client.get(f"/files/{project}/runs/x/secret.txt").status_code == 400
    assert (
        client.post(
            f"/api/projects/{project}/compare", json={"a": "../../x", "b": "base"}
        ).status_code
        == 400
    )
    # an error answers a message, never a traceback
    r = client.put(f"/api/projects/{project}", json={"tables": {"nope": {}}})
    assert r.status_code == 400
    assert "Traceback" not in r.text


def test_a_workspace_folder_can_be_opened(client, ws):
    pf.save_scenario(pf.load_scenario(pf.bundled_scenario_path(BUNDLED)), ws / "mine")
    assert "mine" in client.get("/api/info").json()["folders"]
    r = client.post("/api/open", json={"folder": "mine"})
    assert r.status_code == 200
    assert r.json()["problems"] == []


def test_coerce_keeps_ids_and_numbers_apart():
    assert coerce("12") == 12
    assert coerce("0.5") == 0.5
    assert coerce(" ") is None
    assert coerce("007") == "007"
    assert coerce("E1") == "E1"


def test_only_localhost_is_quiet():
    assert host_warning("127.0.0.1") is None
    assert "warning" in host_warning("0.0.0.0")


def test_the_command_is_registered():
    from parkflow.cli import build_parser

    args = build_parser().parse_args(["serve", "--port", "9000", "--workspace", "w"])
    assert args.port == 9000
    assert args.host == "127.0.0.1"
    assert args.workspace == "w"
