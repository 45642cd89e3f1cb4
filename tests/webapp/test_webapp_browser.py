"""The whole loop in a real browser: Debian's headless chromium driven by Playwright.

The test starts ``parkflow serve``'s app with uvicorn in a thread on a free port, opens a bundled
scenario, edits a capacity, moves and adds a plant on the map, solves, sees the rate change,
downloads the report, saves a variant, compares it with the base and checks that the
screenshots are not blank. No browser is downloaded: the system chromium is used. Set
``PARKFLOW_SCREENSHOTS=DIR`` to keep the screenshots (docs/webapp.md uses them).
"""

from __future__ import annotations

import pytest
from _webapp import CHROMIUM, browser_marks, not_blank
from test_webapp_api import leshan_rate

#: The shared fixtures (ws, client, workspace, server, shots): tests/webapp/_webapp.py.
pytest_plugins = ["_webapp"]

pytest.importorskip("fastapi")
sync_api = pytest.importorskip("playwright.sync_api")

pytestmark = browser_marks


def test_the_whole_loop_in_chromium(server, shots, tmp_path):
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        page = browser.new_page(viewport={"width": 1400, "height": 900}, accept_downloads=True)
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("dialog", lambda d: d.accept())
        page.goto(server)
        page.wait_for_selector("body[data-ready='1']")
        # Chinese by default, English on the switch
        assert page.inner_text("#nav button[data-view='edit']") == "表格"
        page.screenshot(path=str(shots / "open.png"))
        not_blank(shots / "open.png")

        page.click("[data-testid='open-bundled-leshan-wutongqiao']")
        page.wait_for_selector("#row-enterprises-2")
        page.click("#nav button[data-view='solve']")
        page.click("#solve")
        rate = page.locator("[data-testid='rate-bulk-2025'] .fvalue")
        rate.wait_for(timeout=60_000)
        # the same rate the public API gives (issue 11 moves it: measured, not written down)
        first = rate.inner_text()
        assert first == f"{100 * leshan_rate():.2f} %"
        page.wait_for_timeout(1500)  # the map iframe draws
        page.screenshot(path=str(shots / "results.png"), full_page=False)
        not_blank(shots / "results.png")

        # download the report
        with page.expect_download() as dl:
            page.click("[data-testid='dl-report.html']")
        report = tmp_path / "report.html"
        dl.value.save_as(report)
        assert report.stat().st_size > 1000
        assert "<html" in report.read_text(encoding="utf-8")

        # edit a capacity: U3 (cement admixture of LS03) down to its existing link's flow
        page.click("#nav button[data-view='edit']")
        page.click("#table-tabs button[data-table='uses']")
        cell = page.locator("#row-uses-4 input[data-col='capacity']")
        cell.fill("96000")
        cell.press("Tab")
        # and LS05's fly ash (S6, shown in t/a) ten times, beyond what the park absorbs
        page.click("#table-tabs button[data-table='supplies']")
        cell = page.locator("#row-supplies-7 input[data-col='quantity']")
        assert cell.input_value() == "96000"
        cell.fill("960000")
        cell.press("Tab")
        page.click("#save")
        sync_api.expect(page.locator("#save-state")).to_contain_text("校验通过", timeout=30_000)
        page.screenshot(path=str(shots / "tables.png"))
        not_blank(shots / "tables.png")

        # the map: drag LS10, click to add a plant
        page.click("#nav button[data-view='map']")
        marker = page.locator(".pf-plant[data-enterprise='LS10']")
        marker.wait_for()
        box = marker.bounding_box()
        x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
        page.mouse.move(x, y)
        page.mouse.down()
        page.mouse.move(x + 30, y + 20, steps=5)
        page.mouse.up()
        map_box = page.locator("#edit-map").bounding_box()
        page.mouse.click(map_box["x"] + 60, map_box["y"] + map_box["height"] - 60)
        page.wait_for_selector("#add-plant:not([hidden])")
        page.fill("#add-plant input[name='name']", "<script>alert(1)</script>新石膏厂")
        page.screenshot(path=str(shots / "map.png"))
        not_blank(shots / "map.png")
        page.click("#add-plant button[type='submit']")
        assert page.locator(".pf-plant").count() == 23

        # solve again: the rate changes on the page
        page.click("#nav button[data-view='solve']")
        page.click("#solve")
        sync_api.expect(rate).not_to_have_text(first, timeout=60_000)

        # a variant of the base, compared with it
        page.click("#nav button[data-view='variants']")
        page.fill("#variant-name", "U3 停用 + 新厂")
        page.click("#variant-form button[type='submit']")
        page.wait_for_selector("#variant-list li")
        assert page.input_value("#cmp-a") == "base"
        page.click("#compare-btn")
        page.wait_for_selector("[data-testid='cmp-changes']", timeout=90_000)
        rows = page.locator("#cmp-table tr[data-indicator^='rate:']")
        assert rows.count() >= 1
        assert "pp" in rows.first.inner_text()
        assert "-" in rows.first.inner_text()
        # the comparison's state line has no solver line (and no "null" in its place)
        assert "null" not in page.inner_text("#cmp-progress")
        page.wait_for_timeout(1500)
        page.screenshot(path=str(shots / "compare.png"), full_page=True)
        not_blank(shots / "compare.png")

        # English
        page.click("#lang")
        assert page.inner_text("#nav button[data-view='edit']") == "Tables"
        # the injected name was shown as text, not run
        page.click("#nav button[data-view='edit']")
        assert not errors, errors
        browser.close()
