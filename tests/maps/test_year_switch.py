"""A pathway's map: a year switch over each year's links, rates and facilities (issue 14).

The hand park (tests/_maps_hand.py) as a two-year pathway, built by hand:

* 2026: only L1 (fly ash E1 → E2, 60,000 t/a, existing) is built; 190,000 t/a are generated
  in all, so the whole-scenario rate is 60,000 / 190,000 = 31.6 %;
* 2027: L1 and L2 (phosphogypsum E3 → E2, 20,000 t/a): 80,000 / 190,000 = 42.1 %;
* facility F1 stands in 2027 only.

The map shows 2027 (the last year) at first, and the switch shows 2026's layers and title.
"""

from __future__ import annotations

import json
import re

import pandas as pd
from _browser import browser_test, run_probe
from _maps_hand import hand_result, hand_scenario

from parkflow.maps import map_html, render_map, write_map
from parkflow.maps.elements import feature_data
from parkflow.models.result import Result

HOSTILE = "T</script><img src=x onerror=\"document.title='PW'+'NED'\">"


def pathway(target_id: str = "bulk-2025") -> Result:
    """The two-year pathway of the module docstring (top-level tables: 2026's, as a solve)."""
    links = hand_result().links  # L1 and L2 built, L3 not
    only_l1 = links.assign(build=(links.index == "L1").astype(int))
    years = {2026: hand_result(only_l1), 2027: hand_result(links)}
    periods = [
        {
            "year": y,
            "objective": dict(r.objective),
            "co2_avoided_t_per_a": 0.0,
            "capex_cny": 0.0,
            "targets": r.targets.assign(id=target_id),
            "flows": r.flows,
            "utilisation": r.utilisation,
            "sources": r.sources,
        }
        for y, r in years.items()
    ]
    facilities = pd.DataFrame(
        [
            {
                "facility_id": "F1",
                "technology": "pg_beta_plaster",
                "site": "E3",
                "park": "P2",
                "lon": 103.80,
                "lat": 29.38,
                "year": 2027,
                "size": 200_000.0,
                "unit": "t/a",
                "build_year": 2027,
                "capex_cny": 39_000_000.0,
                "throughput": 20_000.0,
                "load_factor": 0.1,
            }
        ]
    )
    first = years[2026]
    return Result(
        **{
            **first.__dict__,
            "targets": first.targets.assign(id=target_id),
            "periods": periods,
            "facilities": facilities,
        }
    )


def _switch(page: str) -> tuple[list[int], int, list[tuple[int, str, str]]]:
    """The YearSwitch call's years, default and (year, layer, child) triples."""
    found = re.search(
        r"\}\)\((map_\w+), (\[[\d, ]*\]), (\d+),\s*\[(.*?)\],\s*(\"[^\"]*\")\);",
        page,
        flags=re.DOTALL,
    )
    assert found, "no year switch"
    triples = re.findall(r"\[(\d+), (feature_group_\w+),\s*(feature_group_\w+)\]", found.group(4))
    return json.loads(found.group(2)), int(found.group(3)), [(int(y), p, c) for y, p, c in triples]


def _title_html(page: str) -> str:
    """The title box's HTML (read from the script's JSON)."""
    boxes = [json.loads(s) for s in re.findall(r'div\.innerHTML = ("(?:[^"\\]|\\.)*");', page)]
    return next(b for b in boxes if "pf-year" in b)


def _title_blocks(page: str) -> dict[int, str]:
    """Each year's block of the title box."""
    title = _title_html(page)
    return {
        int(y): body
        for y, body in re.findall(
            r'<div class="pf-year" data-year="(\d+)"[^>]*>(.*?)</table></div>',
            title,
            flags=re.DOTALL,
        )
    }


def test_each_year_is_its_own_layer_group_and_the_last_year_shows_first():
    page = map_html(render_map(hand_scenario(), pathway(), lang="en"))
    years, default, triples = _switch(page)
    assert years == [2026, 2027]
    assert default == 2027
    # fly ash (both years), phosphogypsum (2027), unused rings (both), facilities (2027)
    per_year = {y: sum(1 for t in triples if t[0] == y) for y in years}
    assert per_year == {2026: 2, 2027: 4}
    # the layer control lists each named layer once
    overlays = re.search(r"overlays :\s*\{(.*?)\},\s*\};", page, re.DOTALL).group(1)
    names = re.findall(r'"([^"]+)" : feature_group_\w+,', overlays)
    assert len(names) == len(set(names))
    assert "Symbiosis links: fly ash" in names
    assert "New facilities" in names
    assert not [n for n in names if n.startswith("built ")]
    # children are not in the control; only 2027's start on their layer
    children = {c for _, _, c in triples}
    assert not children & set(re.findall(r"feature_group_\w+", overlays))
    for year, _, child in triples:
        assert (f"{child}.addTo(" in page) == (year == 2027), (year, child)
    # the links drawn: L1 in 2026; L1 and L2 in 2027
    lines = [d for d in feature_data(page) if d["kind"] == "line" and "role" not in d]
    assert sum(len(d["features"]) for d in lines) == 3
    fac = [d for d in feature_data(page) if d.get("role") == "facility"]
    assert [len(d["features"]) for d in fac] == [1]


def test_each_year_title_gives_that_years_rate():
    page = map_html(render_map(hand_scenario(), pathway(), lang="en"))
    blocks = _title_blocks(page)
    assert set(blocks) == {2026, 2027}
    # by hand: 60,000 / 190,000 = 31.6 %; 80,000 / 190,000 = 42.1 %
    assert "Year 2026" in blocks[2026]
    assert "31.6 %" in blocks[2026]
    assert "Year 2027" in blocks[2027]
    assert "42.1 %" in blocks[2027]
    assert "42.1 %" not in blocks[2026]
    assert "Links built: 1" in blocks[2026]
    assert "Links built: 2" in blocks[2027]
    assert '<div class="pf-year" data-year="2026" hidden>' in _title_html(page)
    assert '<div class="pf-year" data-year="2027">' in _title_html(page)
    zh = map_html(render_map(hand_scenario(), pathway(), lang="zh"))
    assert "2026年" in _title_blocks(zh)[2026]


def test_year_titles_keep_escaping():
    sc = hand_scenario(name=HOSTILE)
    page = map_html(render_map(sc, pathway(target_id=HOSTILE), lang="en"))
    assert "<img src=x" not in page
    for body in _title_blocks(page).values():
        assert "&lt;img src=x onerror=" in body
        assert "<img" not in body


def test_a_single_year_result_has_no_switch():
    page = map_html(render_map(hand_scenario(), hand_result(), lang="en"))
    assert '"pf-box pf-years"' not in page
    assert "data-year" not in page


#: Reads the title shown and the links on the map, chooses 2026, and reads them again.
PROBE = """<script>
(function () {
  var map = window[%(map)s];
  var read = function () {
    var n = 0;
    map.eachLayer(function (l) { if (l instanceof L.Polyline && l.options.interactive !== false
                                     && l.getTooltip && l.getTooltip()) { n += 1; } });
    var shown = Array.prototype.filter.call(document.querySelectorAll(".pf-year"),
      function (e) { return !e.hidden; }).map(function (e) { return e.textContent; });
    var checked = document.querySelector(".pf-years input:checked");
    return {lines: n, titles: shown, checked: checked && checked.value,
            diamonds: document.querySelectorAll(".pf-fac .pf-fac-shape").length};
  };
  var out = {start: read()};
  var radio = Array.prototype.find.call(document.querySelectorAll(".pf-years input"),
                                        function (i) { return i.value === "2026"; });
  radio.click();
  out.after = read();
  var pre = document.createElement("pre"); pre.id = "pf-probe";
  pre.textContent = JSON.stringify(out); document.body.appendChild(pre);
})();
</script>"""


@browser_test
def test_browser_switches_years(tmp_path):
    sc = hand_scenario(name=HOSTILE)
    page = write_map(sc, pathway(), tmp_path / "map.html", lang="en")
    shown, dom, console = run_probe(page, PROBE)
    assert "Uncaught" not in console, console
    assert "PWNED" not in re.search(r"<title>(.*?)</title>", dom, flags=re.DOTALL).group(1)
    start, after = shown["start"], shown["after"]
    assert start["checked"] == "2027"
    assert after["checked"] == "2026"
    assert start["lines"] == 2
    assert after["lines"] == 1
    assert start["diamonds"] == 1
    assert after["diamonds"] == 0
    assert len(start["titles"]) == 1
    assert "42.1 %" in start["titles"][0]
    assert len(after["titles"]) == 1
    assert "31.6 %" in after["titles"][0]


def test_a_pathway_read_back_from_its_folder_draws_each_years_unused_rings(tmp_path):
    """sources.csv holds every year's rows (a ``year`` column), so the map of the folder read
    back has the same layer groups per year as the map of the solve — unused rings included."""
    from parkflow.io.solution import read_solution, write_solution_files

    result = pathway()
    write_solution_files(hand_scenario(), result, tmp_path)
    src = pd.read_csv(tmp_path / "sources.csv")
    assert sorted(src["year"].unique()) == [2026, 2027]
    _, back = read_solution(tmp_path)
    assert [sorted(p["sources"].index) for p in back.periods] == [
        sorted(p["sources"].index) for p in result.periods
    ]
    page = map_html(render_map(hand_scenario(), back, lang="en"))
    years, _, triples = _switch(page)
    per_year = {y: sum(1 for t in triples if t[0] == y) for y in years}
    assert per_year == {2026: 2, 2027: 4}  # as the solve's own map (test above)
