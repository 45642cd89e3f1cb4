"""The web app with candidate facilities, the settings form, live progress and invalid folders.

Called through FastAPI's TestClient (no browser): docs/webapp.md, "Facilities", "Settings",
"Live progress" and "An invalid folder".
"""

from __future__ import annotations

import csv
import math
import shutil
from pathlib import Path

import pytest
from _webapp import column, open_bundled, wait

#: The shared fixtures (ws, client, workspace, server, shots): tests/webapp/_webapp.py.
pytest_plugins = ["_webapp"]

pytest.importorskip("fastapi")
pytest.importorskip("httpx")


import parkflow as pf  # noqa: E402
from parkflow.solvers.progress import PHASES  # noqa: E402

HOSTILE = "<img src=x onerror=alert(1)>"


def test_facilities_are_an_editable_table_validated_like_the_cli(client):
    pid = open_bundled(client, "panzhihua-vti")
    p = client.get(f"/api/projects/{pid}").json()
    assert p["valid"], p["problems"]
    fac = p["tables"]["facilities"]
    ids = [r[column(fac, "id")] for r in fac["rows"]]
    assert ids == [f"F-PZ{k}" for k in range(1, 10)]
    cat = client.get(f"/api/projects/{pid}/catalogue").json()
    techs = {t["id"]: t for t in cat["technologies"]}
    assert "vti_slag_aggregate" in techs
    assert techs["vti_slag_aggregate"]["unit"] == "t/a"
    # a new row: a hostile id and a technology the catalogue does not have
    row = [None] * len(fac["columns"])
    row[column(fac, "id")] = HOSTILE
    row[column(fac, "technology")] = HOSTILE
    row[column(fac, "site")] = "PZ11"
    fac["rows"].append(row)
    r = client.put(f"/api/projects/{pid}", json={"tables": {"facilities": fac}}).json()
    hit = [q for q in r["problems"] if q["table"] == "facilities"]
    assert hit, r["problems"]
    assert hit[0]["row"] == 11  # spreadsheet row of the 10th row
    assert hit[0]["column"] == "technology"
    assert HOSTILE in hit[0]["message"]  # as text: the page sets it with textContent
    assert hit[0]["fix"]
    # a site that is no enterprise is refused (as the CLI refuses it)
    row[column(fac, "technology")] = "vti_slag_aggregate"
    row[column(fac, "site")] = "NOPE"
    r = client.put(f"/api/projects/{pid}", json={"tables": {"facilities": fac}}).json()
    assert not r["valid"]
    assert [(q["table"], q["row"], q["column"]) for q in r["problems"]] == [
        ("facilities", 11, "site")
    ]
    assert client.post(f"/api/projects/{pid}/solve", json={}).status_code == 422
    # deleting the row makes it valid again
    fac["rows"].pop()
    r = client.put(f"/api/projects/{pid}", json={"tables": {"facilities": fac}}).json()
    assert r["valid"], r["problems"]
    assert r["problems"] == []


def test_opened_facilities_are_in_the_results(client):
    """Panzhihua's README: with the facilities allowed in 2025 (available_from emptied) the
    least-cost plan builds F-PZ1, F-PZ5, F-PZ6, F-PZ7 (and an iron-removal plant; the sizes moved
    with the catalogue, so they are measured); the page shows what the public API gives."""
    pid = open_bundled(client, "panzhihua-vti")
    fac = client.get(f"/api/projects/{pid}").json()["tables"]["facilities"]
    for row in fac["rows"]:
        row[column(fac, "available_from")] = None
    r = client.put(f"/api/projects/{pid}", json={"tables": {"facilities": fac}}).json()
    assert r["valid"], r["problems"]
    done = wait(client, client.post(f"/api/projects/{pid}/solve", json={}).json()["id"])
    assert done["state"] == "done", done["message"]
    f = done["figures"]
    sc = pf.load_scenario(pf.bundled_scenario_path("panzhihua-vti"))
    sc.facilities["available_from"] = math.nan
    solved = pf.solve(sc)
    expected = solved.facilities
    from parkflow.report.investment import facility_plan

    plan = facility_plan(solved)  # one row per facility (its last year)
    assert [x["facility_id"] for x in f["facilities"]] == list(plan["facility_id"])
    assert {"F-PZ1", "F-PZ5", "F-PZ6", "F-PZ7"} <= {x["facility_id"] for x in f["facilities"]}
    assert f["capex_cny"] == pytest.approx(pf.summary_dict(solved)["capex_cny"])
    # panzhihua-vti is a 2025–2030 pathway: one row per facility and year, the last is its size
    (pz1,) = [x for x in f["facilities"] if x["facility_id"] == "F-PZ1"]
    assert pz1["site"] == "PZ11"
    assert pz1["size"] == pytest.approx(
        float(expected[expected["facility_id"] == "F-PZ1"]["size"].iloc[-1])
    )
    assert [p["year"] for p in f["periods"]] == list(range(2025, 2031))


def test_the_settings_form_follows_the_schema(client):
    from parkflow.models.schema import SETTINGS

    pid = open_bundled(client, "panzhihua-vti")
    p = client.get(f"/api/projects/{pid}").json()
    declared = {d["name"]: d for d in p["setting_schema"]}
    # every declared scenario.yaml key without a field of its own (periods too, once declared)
    assert set(declared) == set(SETTINGS) - {
        "name",
        "description",
        "targets",
        "modes",
        "objective",
        "solver",
    }
    assert declared["discount_rate"]["type"] == "float"
    assert declared["discount_rate"]["maximum"] == pytest.approx(0.99)
    assert declared["existing_flows"]["choices"] == ["free", "keep"]
    assert p["settings"]["extra"]["discount_rate"] == pytest.approx(0.08)
    r = client.put(f"/api/projects/{pid}", json={"settings": {"extra": {"discount_rate": "0.05"}}})
    assert r.json()["valid"], r.json()["problems"]
    assert client.get(f"/api/projects/{pid}").json()["settings"]["extra"][
        "discount_rate"
    ] == pytest.approx(0.05)
    # out of bounds: the loader's problem, naming the scenario sheet
    r = client.put(f"/api/projects/{pid}", json={"settings": {"extra": {"discount_rate": "2"}}})
    assert not r.json()["valid"]
    assert any("discount_rate" in q["message"] for q in r.json()["problems"])
    # blank: the key is dropped (its default applies)
    r = client.put(f"/api/projects/{pid}", json={"settings": {"extra": {"discount_rate": ""}}})
    assert r.json()["valid"]
    assert "discount_rate" not in client.get(f"/api/projects/{pid}").json()["settings"]["extra"]
    r = client.put(f"/api/projects/{pid}", json={"settings": {"extra": {"nope": 1}}})
    assert r.status_code == 400


def test_an_invalid_workspace_folder_is_opened_fixed_and_solved(client, ws):
    folder = ws / "broken"
    shutil.copytree(pf.bundled_scenario_path("leshan-wutongqiao"), folder)
    rows = list(csv.reader((folder / "uses.csv").read_text(encoding="utf-8").splitlines()))
    cap = rows[0].index("capacity")
    good = rows[3][cap]
    rows[3][cap] = "abc"  # U... in CSV line 4 = spreadsheet row 4
    with (folder / "uses.csv").open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)
    with pytest.raises(pf.ScenarioError) as err:
        pf.load_scenario(folder)
    assert "broken" in client.get("/api/info").json()["folders"]
    r = client.post("/api/open", json={"folder": "broken"})
    assert r.status_code == 200, r.text
    problems = r.json()["problems"]
    assert [(q["table"], q["row"], q["column"]) for q in problems] == [("uses", 4, "capacity")]
    # the user's own file, as `parkflow validate broken` names it (not the internal work.xlsx)
    (cli,) = err.value.problems
    assert (problems[0]["file"], problems[0]["row"]) == ("uses.csv", cli.row)
    assert Path(cli.file).name == "uses.csv"
    assert problems[0]["fix"]
    pid = r.json()["project"]
    p = client.get(f"/api/projects/{pid}").json()
    assert not p["valid"]
    assert p["meta"]["name"] == pf.load_scenario(pf.bundled_scenario_path(BUNDLED)).name
    uses = p["tables"]["uses"]
    assert uses["rows"][2][column(uses, "capacity")] == "abc"
    uses["rows"][2][column(uses, "capacity")] = good
    r = client.put(f"/api/projects/{pid}", json={"tables": {"uses": uses}}).json()
    assert r["valid"], r["problems"]
    done = wait(client, client.post(f"/api/projects/{pid}/solve", json={}).json()["id"])
    assert done["state"] == "done", done["message"]
    # the same optimum as the bundled folder itself
    res = pf.solve(pf.load_scenario(pf.bundled_scenario_path(BUNDLED)))
    rate = {t["id"]: t["rate"] for t in done["figures"]["targets"]}["bulk-2025"]
    assert rate == pytest.approx(float(res.targets.set_index("id").loc["bulk-2025", "rate"]))
    # the folder itself is read, never written
    assert (folder / "uses.csv").read_text(encoding="utf-8").count("abc") == 1


BUNDLED = "leshan-wutongqiao"


def test_progress_events_arrive_in_the_solver_order(client):
    pid = open_bundled(client, BUNDLED)
    job = client.post(f"/api/projects/{pid}/solve", json={}).json()
    done = wait(client, job["id"])
    assert done["state"] == "done", done["message"]
    phases = done["phases"]
    assert phases[0] == "network"
    assert phases[-1] == "done"
    order = [PHASES.index(x) for x in phases]
    assert order == sorted(order)  # iterate may repeat, but never goes back
    last = done["progress"]
    assert last["phase"] == "done"
    assert last["gap"] is not None
    assert last["incumbent"] is not None
    ev = client.get(f"/api/jobs/{job['id']}/events").json()
    assert [e["phase"] for e in ev["events"]][0] == "network"
    assert ev["n_events"] == len(ev["events"])
    # Leshan is solved whole (full): HiGHS's progress rows arrive while its MILP runs, each
    # with a bound and a gap, before the MILP's outcome; elapsed never goes back
    texts = [e["text"] for e in ev["events"]]
    outcome = texts.index("MILP 1 (least cost): optimal")
    live = [e for e in ev["events"][:outcome] if e["phase"] == "solve"]
    assert any(e["bound"] is not None and e["gap"] is not None for e in live), texts
    elapsed = [e["elapsed_s"] for e in ev["events"]]
    assert elapsed == sorted(elapsed)
    tail = client.get(f"/api/jobs/{job['id']}/events", params={"since": ev["n_events"] - 1}).json()
    assert [e["phase"] for e in tail["events"]] == ["done"]


def test_a_hostile_technology_id_in_a_folder_reaches_the_page_as_data(client, ws):
    folder = ws / "hostile"
    shutil.copytree(pf.bundled_scenario_path("panzhihua-vti"), folder)
    rows = list(csv.reader((folder / "facilities.csv").read_text(encoding="utf-8").splitlines()))
    rows[1][0] = HOSTILE
    rows[2][1] = HOSTILE
    with (folder / "facilities.csv").open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)
    r = client.post("/api/open", json={"folder": "hostile"}).json()
    p = client.get(f"/api/projects/{r['project']}").json()
    fac = p["tables"]["facilities"]
    assert fac["rows"][0][0] == HOSTILE
    assert any(HOSTILE in q["message"] for q in p["problems"])
    assert "innerHTML" not in client.get("/static/app.js").text


def test_the_worker_passes_facilities_and_periods_through():

    from parkflow.webapp.worker import progress_dict, result_tables

    summary = {
        "facilities": [{"facility_id": "F1", "size": 1.0, "year": None, "lon": float("nan")}],
        "capex_cny": 10.0,
        "periods": [{"year": 2030, "objective": {"total_cny_per_a": float("inf")}}],
    }
    out = result_tables(summary)
    assert out["facilities"] == [{"facility_id": "F1", "size": 1.0, "year": None, "lon": None}]
    assert out["periods"] == [{"year": 2030, "objective": {"total_cny_per_a": None}}]
    assert out["capex_cny"] == 10.0
    assert out["present_value_cny"] is None
    # without the keys (a single-year scenario without candidates): empty
    assert result_tables({})["facilities"] == []
    # a progress event: NaN is None; a plain message still arrives
    from parkflow.solvers.progress import ProgressEvent

    e = progress_dict(ProgressEvent("x", phase="iterate", gap=0.5))
    assert (e["phase"], e["gap"], e["bound"]) == ("iterate", 0.5, None)
    assert progress_dict("plain") == {"text": "plain", "phase": "solve"}


def test_comparisons_keep_the_facilities(client, ws):
    pid = open_bundled(client, "panzhihua-vti")
    fac = client.get(f"/api/projects/{pid}").json()["tables"]["facilities"]
    for row in fac["rows"]:
        row[column(fac, "available_from")] = None
    assert client.put(f"/api/projects/{pid}", json={"tables": {"facilities": fac}}).json()["valid"]
    v = client.post(f"/api/projects/{pid}/variants", json={"name": "v"}).json()
    assert v["problems"] == []
    # the overlay's base is the assembled folder, which has the candidates (the overlay loader
    # of parkflow.io does not carry them over yet: docs/webapp.md, "Variants")
    text = (ws / "projects" / pid / "variants" / f"{v['variant']}.yaml").read_text("utf-8")
    assert "base: ../base.assembled" in text
    assert len(pf.load_scenario(ws / "projects" / pid / "base.assembled").facilities) == 9
    job = client.post(f"/api/projects/{pid}/compare", json={"a": "base", "b": "work"}).json()
    done = wait(client, job["id"])
    assert done["state"] == "done", done["message"]
    rates = {r["indicator"]: r for r in done["figures"]["indicators"]}
    rate = next(r for k, r in rates.items() if k.startswith("rate:"))
    # base: all candidates from 2026 (out of reach, ≈ 61 %); work: built in 2025 (≈ 82 %)
    assert rate["b"] > rate["a"]


def test_flattened_mappings_of_the_scenario_sheet_are_read_and_rewritten_whole(tmp_path):
    """The workbook writer flattens ``solver`` into ``solver.name``, ``solver.time_limit_s``...
    rows; the form reads them and writes the mapping back as one row, keeping the other keys."""
    import openpyxl

    from parkflow.webapp.workspace import read_settings, write_settings

    book = tmp_path / "s.xlsx"
    pf.save_scenario(pf.load_scenario(pf.bundled_scenario_path(BUNDLED)), book)
    wb = openpyxl.load_workbook(book)
    ws = wb["scenario"]
    keys = [r[0].value for r in ws.iter_rows(min_row=2)]
    assert "solver.time_limit_s" in keys
    ws.cell(keys.index("solver.time_limit_s") + 2, 2).value = 17
    wb.save(book)
    assert read_settings(book)["time_limit_s"] == 17
    write_settings(book, {"gap": 0.01, "time_limit_s": 17})
    keys = [r[0].value for r in openpyxl.load_workbook(book)["scenario"].iter_rows(min_row=2)]
    assert "solver" in keys
    assert not [k for k in keys if str(k).startswith("solver.")]
    solver = pf.load_scenario(book).settings.solver
    assert (solver.name, solver.time_limit_s, solver.gap) == ("highs", 17, 0.01)


def test_the_downloaded_workbooks_keep_the_facilities(client, tmp_path):
    pid = open_bundled(client, "panzhihua-vti")
    done = wait(client, client.post(f"/api/projects/{pid}/solve", json={}).json()["id"])
    assert done["state"] == "done", done["message"]
    for url in (f"/files/{pid}/work.xlsx", f"/files/{pid}/runs/{done['run']}/scenario.xlsx"):
        data = client.get(url).content
        r = client.post("/api/upload", files={"file": ("again.xlsx", data)}).json()
        assert r["problems"] == [], url
        fac = client.get(f"/api/projects/{r['project']}").json()["tables"]["facilities"]
        assert [row[0] for row in fac["rows"]] == [f"F-PZ{k}" for k in range(1, 10)], url


def test_a_settings_save_keeps_every_target_field(client, ws):
    """basis, year, enforce and rate_by_year are not in the form; a save keeps them
    (the targets sheet is written with every field of the schema)."""
    folder = ws / "targets-pz"
    shutil.copytree(pf.bundled_scenario_path("panzhihua-vti"), folder)
    yaml_file = folder / "scenario.yaml"
    text = yaml_file.read_text(encoding="utf-8")
    assert "rate_by_year" in text
    extra = (
        "  - {id: ash-2030, materials: fly_ash, rate: 0.9, basis: consumption, year: 2030,"
        " enforce: false}\n"
    )
    yaml_file.write_text(text.replace("targets:\n", "targets:\n" + extra, 1), encoding="utf-8")
    original = pf.load_scenario(folder).targets
    assert [(t.basis, t.year, t.enforce) for t in original][0] == ("consumption", 2030, False)
    pid = client.post("/api/open", json={"folder": "targets-pz"}).json()["project"]
    settings = client.get(f"/api/projects/{pid}").json()["settings"]
    settings["targets"][0]["rate"] = 0.91  # an edit in the form
    r = client.put(f"/api/projects/{pid}", json={"settings": settings}).json()
    assert r["valid"], r["problems"]
    work = ws / "projects" / pid / "work.xlsx"
    saved = pf.load_scenario(work).targets
    assert saved[0].rate == pytest.approx(0.91)
    assert [(t.id, t.basis, t.year, t.enforce, t.rate_by_year) for t in saved] == [
        (t.id, t.basis, t.year, t.enforce, t.rate_by_year) for t in original
    ]
