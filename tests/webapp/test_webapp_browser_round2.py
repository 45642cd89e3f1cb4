"""Facilities, an invalid folder and live progress in a real browser (headless chromium).

The same harness as test_webapp_browser.py (uvicorn in a thread, Debian's chromium through
Playwright, no browser download); the server's workspace is a temporary folder the tests put
scenario folders into. ``PARKFLOW_SCREENSHOTS=DIR`` keeps the screenshots (docs/webapp.md).
"""

from __future__ import annotations

import csv
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from _webapp import CHROMIUM, browser_marks, not_blank

#: The shared fixtures (ws, client, workspace, server, shots): tests/webapp/_webapp.py.
pytest_plugins = ["_webapp"]

pytest.importorskip("fastapi")
sync_api = pytest.importorskip("playwright.sync_api")

import parkflow as pf  # noqa: E402

pytestmark = browser_marks
HOSTILE = "<img src=x onerror=alert(1)>"


@pytest.fixture(scope="module")
def workspace(ws) -> Path:
    # an invalid copy of Leshan: uses.csv line 4 has capacity 'abc'
    broken = ws / "broken-leshan"
    shutil.copytree(pf.bundled_scenario_path("leshan-wutongqiao"), broken)
    rows = list(csv.reader((broken / "uses.csv").read_text(encoding="utf-8").splitlines()))
    rows[3][rows[0].index("capacity")] = "abc"
    with (broken / "uses.csv").open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)
    return ws


@pytest.fixture
def page(server):
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        pg = browser.new_page(viewport={"width": 1400, "height": 900})
        pg.errors = []  # type: ignore[attr-defined]
        pg.dialogs = []  # type: ignore[attr-defined]
        pg.on("pageerror", lambda e: pg.errors.append(str(e)))

        def dialog(d):
            pg.dialogs.append((d.type, d.message))
            d.accept()

        pg.on("dialog", dialog)
        pg.goto(server)
        pg.wait_for_selector("body[data-ready='1']")
        yield pg
        assert not pg.errors, pg.errors
        # the hostile id never ran: the only dialogs are the delete confirmations
        assert all(kind == "confirm" for kind, _ in pg.dialogs), pg.dialogs
        browser.close()


def test_facilities_are_edited_validated_and_shown_in_the_results(page, shots):
    page.click("[data-testid='open-bundled-panzhihua-vti']")
    page.wait_for_selector("#row-enterprises-2")
    page.click("#table-tabs button[data-table='facilities']")
    page.wait_for_selector("#row-facilities-10")
    # the technology is a drop-down of the catalogue's technologies
    tech = page.locator("#row-facilities-2 select[data-col='technology']")
    assert tech.input_value() == "vti_slag_aggregate"
    assert tech.locator("option[value='pg_purification']").count() == 1
    # the existing size is a number (links' `existing` is the true/false drop-down)
    assert page.locator("#row-facilities-2 input[data-col='existing']").input_value() == "0"
    # a new row with a hostile id and no site: listed as a problem, clickable to the row
    page.click("#add-row")
    row = page.locator("#row-facilities-11")
    row.locator("input[data-col='id']").fill(HOSTILE)
    row.locator("input[data-col='id']").press("Tab")
    row.locator("select[data-col='technology']").select_option("steel_slag_ageing")
    page.click("#save")
    sync_api.expect(page.locator("#save-state")).to_contain_text("个问题", timeout=30_000)
    problem = page.locator("#problems li.link").filter(has_text="no site")
    sync_api.expect(problem).to_have_count(1)
    sync_api.expect(problem).to_contain_text(HOSTILE)  # shown as text
    page.screenshot(path=str(shots / "facilities.png"))
    not_blank(shots / "facilities.png")
    problem.click()
    sync_api.expect(page.locator("#row-facilities-11")).to_have_class("hit")
    # fixed: co-located with PZ02; then deleted again
    page.locator("#row-facilities-11 select[data-col='site']").select_option("PZ02")
    page.click("#save")
    sync_api.expect(page.locator("#save-state")).to_contain_text("校验通过", timeout=30_000)
    page.locator("#row-facilities-11 button.del").click()
    sync_api.expect(page.locator("#row-facilities-11")).to_have_count(0)
    # allowed in 2025: the available_from cells emptied (scenarios/panzhihua-vti/README.md)
    for r in range(2, 11):
        cell = page.locator(f"#row-facilities-{r} input[data-col='available_from']")
        cell.fill("")
        cell.press("Tab")
    # the settings form carries the schema's keys: discount_rate is there
    page.click("#nav button[data-view='solve']")
    assert page.input_value("#extra-settings [data-setting='discount_rate']") == "0.08"
    page.click("#solve")
    page.wait_for_selector("#facilities-table tr[data-facility='F-PZ1']", timeout=90_000)
    sc = pf.load_scenario(pf.bundled_scenario_path("panzhihua-vti"))
    sc.facilities["available_from"] = float("nan")
    from parkflow.report.investment import facility_plan

    expected = list(facility_plan(pf.solve(sc))["facility_id"])  # one row per facility
    shown = page.locator("#facilities-table tr[data-facility]").evaluate_all(
        "rows => rows.map(r => r.dataset.facility)"
    )
    assert shown == expected
    sync_api.expect(page.locator("[data-testid='capex'] .fvalue")).not_to_have_text("–")
    page.wait_for_timeout(1500)
    page.locator("#facilities-result").scroll_into_view_if_needed()
    page.screenshot(path=str(shots / "results-facilities.png"))
    not_blank(shots / "results-facilities.png")
    # and on the map: a square per candidate, filled for those built
    page.click("#nav button[data-view='map']")
    page.wait_for_selector(".pf-facility.opened[data-facility='F-PZ1']")
    assert page.locator(".pf-facility").count() == 9
    assert page.locator(".pf-facility.opened").count() == len(expected)
    page.screenshot(path=str(shots / "map-facilities.png"))
    not_blank(shots / "map-facilities.png")


def test_an_invalid_folder_is_fixed_in_the_editor_and_solved(page, shots):
    page.click("[data-testid='open-folder-broken-leshan']")
    page.wait_for_selector("#problems li")
    items = page.locator("#problems li.link")
    sync_api.expect(items).to_have_count(1)
    sync_api.expect(items.first).to_contain_text("capacity")
    # the user's file, row and column, as `parkflow validate` names them (not work.xlsx[uses])
    where = items.first.locator(".where")
    sync_api.expect(where).to_have_text("uses.csv, 行 4, 列 capacity")
    page.screenshot(path=str(shots / "invalid-folder.png"))
    not_blank(shots / "invalid-folder.png")
    items.first.click()
    cell = page.locator("#row-uses-4 input[data-col='capacity']")
    sync_api.expect(cell).to_be_focused()
    assert cell.input_value() == "abc"
    good = pf.load_scenario(pf.bundled_scenario_path("leshan-wutongqiao")).uses.iloc[2]
    cell.fill(f"{good['capacity']:g}")
    cell.press("Tab")
    page.click("#save")
    sync_api.expect(page.locator("#save-state")).to_contain_text("校验通过", timeout=30_000)
    sync_api.expect(page.locator("#problems")).to_be_hidden()
    page.click("#nav button[data-view='solve']")
    page.click("#solve")
    rate = page.locator("[data-testid='rate-bulk-2025'] .fvalue")
    rate.wait_for(timeout=90_000)
    assert rate.inner_text().endswith("%")


def test_the_live_gap_changes_and_cancel_stops_the_solve(page, shots, workspace):
    """A generated 600-plant park (binding target) takes the decomposed solve, whose iterations
    report incumbent, bound and gap; the page shows them as they arrive, then Cancel kills it."""
    out = workspace / "generated-600"
    subprocess.run(
        [sys.executable, "-m", "parkflow", "generate", "--enterprises", "600", "--parks", "8"]
        + ["--tightness", "0.15", str(out)],
        check=True,
        capture_output=True,
    )
    page.reload()
    page.wait_for_selector("body[data-ready='1']")
    page.click("[data-testid='open-folder-generated-600']")
    page.wait_for_selector("#row-enterprises-2", timeout=60_000)
    page.click("#nav button[data-view='solve']")
    page.fill("#settings input[name='time_limit_s']", "60")
    page.click("#solve")
    gap = page.locator("[data-testid='solver-gap']")
    gap.wait_for(timeout=60_000)
    seen: list[tuple[str, str]] = []  # (job state, gap text) as the page showed them
    lines: list[str] = []  # the job's state line while it runs (Chinese: the page's default)
    shot = False
    end = time.time() + 240
    while time.time() < end:
        state = page.get_attribute("[data-testid='job-state']", "data-state") or ""
        if state == "running":
            lines.append(page.inner_text("[data-testid='job-state']"))
        if gap.count():
            text = gap.inner_text()
            if not seen or seen[-1] != (state, text):
                seen.append((state, text))
            if state == "running" and "%" in text and not shot:
                # the screenshot of docs/webapp.md: the live line with a gap, mid-solve
                page.screenshot(path=str(shots / "progress.png"))
                shot = True
        if state != "running":
            break
        page.wait_for_timeout(200)
    # live: a gap value is on the page while the job still runs (the bundle search may prove
    # the gap in one or two iterations, so one value is all a fast machine may show)
    assert any(st == "running" and "%" in t for st, t in seen), seen
    # in Chinese the solver's English message gives way to its numbers (第 n 轮，乘子 … 元/t)
    assert lines, "the running state was never shown"
    assert not [ln for ln in lines if "multiplier" in ln or "iteration" in ln], lines
    assert all("求解中" in ln for ln in lines), lines
    phases = page.get_attribute("#progress", "data-phases").split()
    assert phases[:3] == ["network", "strategy", "reduce"], phases
    assert "iterate" in phases
    not_blank(shots / "progress.png")
    if page.get_attribute("[data-testid='job-state']", "data-state") == "running":
        page.click("#cancel")  # mid-solve (a slow machine may have finished: then nothing to stop)
        sync_api.expect(page.locator("[data-testid='job-state']")).to_have_attribute(
            "data-state", "cancelled", timeout=30_000
        )
    sync_api.expect(page.locator("#cancel")).to_be_disabled()
    assert page.is_enabled("#solve")


def test_yearly_figures_and_hostile_facility_strings_are_shown_as_text(page, shots):
    """The results as the output contract shapes them (summary["periods"], summary["facilities"]):
    figures as the worker sends them, given to the page's showRun, with hostile strings."""
    page.click("[data-testid='open-bundled-leshan-wutongqiao']")
    page.wait_for_selector("#row-enterprises-2")
    page.click("#nav button[data-view='solve']")
    target = {"scope": "all", "target": 0.78, "met": True, "unit": "fraction"}
    figures = {
        "status": "optimal",
        "targets": [{"id": "bulk-2025", "rate": 0.8, "baseline_rate": 0.6, **target}],
        "links_built": 3,
        "net_cost_cny_per_a": -1e7,
        "co2_avoided_t_per_a": 1e5,
        "solver_time_s": 1.0,
        "capex_cny": 5e7,
        "present_value_cny": -2e8,
        "facilities": [
            {
                "facility_id": HOSTILE,
                "technology": HOSTILE,
                "site": "LS03",
                "park": "LS-WTQ",
                "year": 2030,
                "size": 100000,
                "unit": "t/a",
                "build_year": 2030,
                "throughput": 90000,
                "load_factor": 0.9,
                "capex_cny": 5e7,
                "annual_cost_cny_per_a": 6e6,
            }
        ],
        "periods": [
            {
                "year": year,
                "objective": {"total_cny_per_a": -1e7 * k},
                "co2_avoided_t_per_a": 1e5 * k,
                "capex_cny": 5e7 if year == 2030 else 0.0,
                "targets": [{"id": "bulk-2025", "rate": 0.7 + 0.05 * k, **target}],
                "before": {"bulk-2025": 0.6},
            }
            for k, year in enumerate((2025, 2030), start=1)
        ],
    }
    page.evaluate("f => showRun('run-x', f)", figures)
    rows = page.locator("#periods-table tr[data-year]")
    sync_api.expect(rows).to_have_count(2)
    assert rows.nth(0).inner_text().split("\t")[:2] == ["2025", "75.00 % / 78.00 %"]
    assert rows.nth(1).locator("td").first.inner_text() == "80.00 % / 78.00 %"
    cell = page.locator("#facilities-table tr[data-facility] td").first
    assert cell.inner_text() == HOSTILE  # text, not an element
    assert page.locator("#facilities-table img").count() == 0
    sync_api.expect(page.locator("[data-testid='present-value'] .fvalue")).to_have_text("-20,000")
    page.locator("#periods-result").scroll_into_view_if_needed()
    page.screenshot(path=str(shots / "results-periods.png"))
    not_blank(shots / "results-periods.png")
