"""New facilities on the map: diamonds, one layer per build year with periods, escaped strings.

The hand park (tests/_maps_hand.py) gets a built-facility table by hand: F1 a β-plaster line
co-located with E3 and F2 a cement grinding station on a free site in P1 (the network's
synthetic enterprise ``F:F2``). Without a ``year`` column they share one layer "New
facilities"; with a ``year`` column but no yearly plan (facilities.csv with ``year``, F1 built
2026 and grown 2028, F2 built 2027) there is a layer per build year, "built 2026" and "built
2027". A pathway's map (periods) puts them under the year switch (test_year_switch.py).
"""

from __future__ import annotations

import html
import json
import re

import numpy as np
import pandas as pd
import pytest
from _browser import browser_test, run_probe
from _maps_hand import hand_result, hand_scenario

from parkflow.maps import render_map, write_map
from parkflow.maps.elements import feature_data
from parkflow.maps.render import draw_on, map_html
from parkflow.models.result import Result

HOSTILE_ID = "F1</script><img src=x onerror=\"document.title='PW'+'NED'\">`${x}`"


def _facilities(periods: bool = False, first_id: str = "F1") -> pd.DataFrame:
    rows = [
        {
            "facility_id": first_id,
            "technology": "pg_beta_plaster",
            "site": "E3",
            "park": "P2",
            "lon": 103.80,
            "lat": 29.38,
            "size": 200_000.0,
            "unit": "t/a",
            "build_year": 2026,
            "expanded_year": np.nan,
            "existing_size": 0.0,
            "capex_cny": 39_000_000.0,
            "annual_cost_cny_per_a": 9_000_000.0,
            "throughput": 150_000.0,
            "load_factor": 0.75,
        },
        {
            "facility_id": "F2",
            "technology": "cement_grinding_station",
            "site": "",
            "park": "P1",
            "lon": 103.72,
            "lat": 29.41,
            "size": 100_000.0,
            "unit": "t/a",
            "build_year": 2027,
            "expanded_year": np.nan,
            "existing_size": 0.0,
            "capex_cny": 20_000_000.0,
            "annual_cost_cny_per_a": 4_000_000.0,
            "throughput": 100_000.0,
            "load_factor": 1.0,
        },
    ]
    frame = pd.DataFrame(rows)
    if not periods:
        return frame.assign(year=np.nan)
    # one row per facility and year it stands: F1 from 2026 (grown in 2028), F2 from 2027
    out = []
    for year in (2026, 2027, 2028):
        for r in rows:
            if r["build_year"] <= year:
                row = dict(r, year=year)
                if r["facility_id"] == first_id and year == 2028:
                    row.update(size=300_000.0, expanded_year=2028)
                out.append(row)
    return pd.DataFrame(out)


def _with(facilities: pd.DataFrame):
    sc, res = hand_scenario(), hand_result()
    res = Result(**{**res.__dict__, "facilities": facilities})
    return sc, res


def _layers(page: str) -> list[str]:
    """The overlay names of the page's layer control (the keys of its ``overlays``)."""
    found = re.search(r"overlays\s*:\s*\{(.*?)\}", page, flags=re.DOTALL)
    assert found, "no layer control"
    keys = re.findall(r'"((?:[^"\\]|\\.)*)"\s*:', found.group(1))
    return [html.unescape(json.loads(f'"{k}"')) for k in keys]


def test_one_new_facilities_layer_without_periods():
    sc, res = _with(_facilities())
    m = render_map(sc, res, lang="en")
    page = map_html(m)
    assert "New facilities" in _layers(page)
    assert not any(name.startswith("built ") for name in _layers(page))
    fac = [d for d in feature_data(page) if d.get("role") == "facility"]
    assert len(fac) == 1
    assert fac[0]["kind"] == "facility"
    assert [f["at"] for f in fac[0]["features"]] == [[29.38, 103.8], [29.41, 103.72]]


def test_a_layer_per_build_year_with_periods():
    sc, res = _with(_facilities(periods=True))
    page = map_html(render_map(sc, res, lang="en"))
    assert [n for n in _layers(page) if n.startswith("built ")] == ["built 2026", "built 2027"]
    assert "New facilities" not in _layers(page)
    fac = [d for d in feature_data(page) if d.get("role") == "facility"]
    assert [len(d["features"]) for d in fac] == [1, 1]
    # F1's popup gives its last year's size (grown in 2028) and both years
    popup = html.unescape(fac[0]["features"][0]["popup"])
    assert "300,000 t/a" in popup
    assert "Build year" in popup
    assert "2026" in popup
    assert "Expanded" in popup
    assert "2028" in popup
    zh = map_html(render_map(sc, res, lang="zh"))
    assert [n for n in _layers(zh) if n.endswith("年建成")] == ["2026年建成", "2027年建成"]


def test_popup_says_technology_size_capex_and_year():
    sc, res = _with(_facilities())
    page = map_html(render_map(sc, res, lang="en"))
    fac = next(d for d in feature_data(page) if d.get("role") == "facility")
    first = html.unescape(fac["features"][0]["popup"])
    name = sc.catalogue.technologies.at["pg_beta_plaster", "name_en"]
    assert name in first
    assert "200,000 t/a" in first
    assert "39,000,000 CNY" in first
    assert "75.0 %" in first
    assert "2026" in first
    free = html.unescape(fac["features"][1]["popup"])
    assert "free site in the park" in free
    zh = map_html(render_map(sc, res, lang="zh"))
    fz = next(d for d in feature_data(zh) if d.get("role") == "facility")
    assert "3,900.0 万元" in html.unescape(fz["features"][0]["popup"])


def test_no_facilities_no_layer():
    sc, res = hand_scenario(), hand_result()
    page = map_html(render_map(sc, res, lang="en"))
    assert "New facilities" not in _layers(page)
    assert not [d for d in feature_data(page) if d.get("role") == "facility"]


def test_draw_on_reports_the_facility_layers():
    import folium

    sc, res = _with(_facilities(periods=True))
    m = folium.Map(tiles=None, control_scale=False)
    drawn = draw_on(m, sc, res, lang="en")
    assert drawn["facilities"] == 2
    assert drawn["layers"][-2:] == ["built 2026", "built 2027"]


def test_hostile_facility_id_is_escaped():
    sc, res = _with(_facilities(first_id=HOSTILE_ID))
    page = map_html(render_map(sc, res, lang="en"))
    assert "<img src=x" not in page
    assert "</script><img" not in page
    fac = next(d for d in feature_data(page) if d.get("role") == "facility")
    popup = fac["features"][0]["popup"]
    assert "&lt;img src=x onerror=" in popup
    assert "<img" not in popup
    assert fac["features"][0]["label"].startswith(HOSTILE_ID)  # text, shown with textContent


#: Opens every facility popup and reads the layer control and the diamonds' colours.
PROBE = """<script>
(function () {
  var shown = {popups: []};
  var map = window[%(map)s];
  map.eachLayer(function (l) {
    if (l.getPopup && l.getPopup() && l.getLatLng && l.options.icon
        && l.options.icon.options.className === "pf-fac") {
      l.openPopup(); shown.popups.push(l.getPopup().getElement().textContent); l.closePopup();
    }
  });
  shown.layers = Array.prototype.map.call(
    document.querySelectorAll(".leaflet-control-layers-overlays label"),
    function (e) { return e.textContent.trim(); });
  shown.diamonds = document.querySelectorAll(".pf-fac .pf-fac-shape").length;
  var out = document.createElement("pre"); out.id = "pf-probe";
  out.textContent = JSON.stringify(shown); document.body.appendChild(out);
})();
</script>"""


@browser_test
def test_browser_draws_diamonds_and_runs_no_injected_script(tmp_path):
    sc, res = _with(_facilities(periods=True, first_id=HOSTILE_ID))
    page = write_map(sc, res, tmp_path / "map.html", lang="en")
    shown, dom, console = run_probe(page, PROBE)
    assert "Uncaught" not in console, console
    assert "PWNED" not in re.search(r"<title>(.*?)</title>", dom, flags=re.DOTALL).group(1)
    assert shown["diamonds"] == 2
    assert "built 2026" in shown["layers"]
    assert "built 2027" in shown["layers"]
    assert any(HOSTILE_ID in p for p in shown["popups"])  # shown literally


@pytest.fixture(scope="module")
def panzhihua_map(tmp_path_factory, panzhihua_facilities):
    """panzhihua-vti solved with its candidates available in 2025: its map with facilities."""
    sc, res = panzhihua_facilities
    path = write_map(sc, res, tmp_path_factory.mktemp("pzh") / "map.html", lang="en")
    return res, path.read_text(encoding="utf-8")


def test_panzhihua_map_draws_every_built_facility(panzhihua_map):
    """panzhihua-vti is a 2025–2030 pathway: its facilities go under the year switch, one
    "New facilities" layer whose each year holds the facilities standing that year; the last
    year (shown first) draws each built facility once."""
    from parkflow.report.investment import facility_plan

    res, page = panzhihua_map
    plan = facility_plan(res)
    assert "New facilities" in _layers(page)
    assert not [n for n in _layers(page) if n.startswith("built ")]
    fac = [d for d in feature_data(page) if d.get("role") == "facility"]
    per_year = res.facilities.groupby("year")["facility_id"].nunique()
    assert [len(d["features"]) for d in fac] == per_year[per_year > 0].tolist()
    labels = [f["label"].split(" ")[0] for f in fac[-1]["features"]]
    assert sorted(labels) == sorted(plan["facility_id"].tolist())
