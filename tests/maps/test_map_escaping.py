"""User strings reach map.html and compare.html as text, never as markup or script.

Names of enterprises, parks, sectors, materials, targets and the scenario, and an enterprise id,
are replaced by strings that would run script if interpolated into HTML, into a ``<script>`` or
into a JavaScript template literal. The pages are opened in headless chromium, every popup and
tooltip is opened, and the test asserts that no injected script ran (the page title is
unchanged, no injected element exists) and that each name is shown literally.
"""

from __future__ import annotations

import dataclasses
import html
import json
import re
from pathlib import Path

import pytest
from _browser import browser_test, dump_dom
from _maps_hand import hand_result, hand_scenario

from parkflow.maps import render_map, script_json, write_map
from parkflow.models.result import Result
from parkflow.models.scenario import Scenario

#: Each piece would set the page's title to "PWNED" or add an element if it were not escaped
#: (the literal text says 'PW'+'NED', so the word itself shows only if a script ran).
HOSTILE = (
    "`;document.title='PW'+'NED';`${document.title='PW'+'NED'}"
    "</script><script>document.title='PW'+'NED'</script>"
    "<img src=x onerror=\"document.title='PW'+'NED'\">"
    "\"'><b id=pwned>b</b>\u2028&amp;"
)
HOSTILE_ID = "E3`${x}`</script>\"'<b id=pwned>"


def _hostile(scenario_name: str = "S ") -> tuple[Scenario, Result]:
    """The hand park with every user string replaced by a hostile one."""
    sc, res = hand_scenario(), hand_result()
    ent = sc.enterprises.copy()
    ent["name"] = [f"Ent{i} {HOSTILE}" for i in range(1, 5)]
    ent.loc["E4", "sector"] = f"<sector {HOSTILE}"  # not in sectors.csv: shown as given
    ent = ent.rename(index={"E3": HOSTILE_ID})
    parks = sc.parks.copy()
    parks["name"] = [f"Park1 {HOSTILE}", f"Park2 {HOSTILE}"]
    mats = sc.catalogue.materials.copy()
    mats.loc["fly_ash", ["name_en", "name_zh"]] = f"Mat {HOSTILE}"
    supplies = sc.supplies.replace({"enterprise": {"E3": HOSTILE_ID}})
    sc = sc.replace(
        name=scenario_name + HOSTILE,
        enterprises=ent,
        parks=parks,
        supplies=supplies,
        catalogue=dataclasses.replace(sc.catalogue, materials=mats),
    )
    flows = res.flows.replace({"from": {"E3": HOSTILE_ID}})
    sources = res.sources.replace({"enterprise": {"E3": HOSTILE_ID}})
    targets = res.targets.assign(id=f"T {HOSTILE}")
    res = Result(**{**res.__dict__, "flows": flows, "sources": sources, "targets": targets})
    return sc, res


#: Opens every popup and tooltip of every map, and writes what the page shows as JSON.
PROBE = """<script>
(function () {
  var shown = {popups: [], tooltips: []};
  var maps = %(maps)s.map(function (n) { return window[n]; });
  maps.forEach(function (map) {
    map.eachLayer(function (l) {
      try {
        if (l.getPopup && l.getPopup() && l.getLatLng) {
          l.openPopup();
          shown.popups.push(l.getPopup().getElement().textContent);
          l.closePopup();
        }
        if (l.getTooltip && l.getTooltip() && l.getLatLng) {
          l.openTooltip();
          shown.tooltips.push(l.getTooltip().getElement().textContent);
          l.closeTooltip();
        }
        if (l.getTooltip && l.getTooltip() && l.getBounds) {  // park polygons
          l.openTooltip(l.getBounds().getCenter());
          shown.tooltips.push(l.getTooltip().getElement().textContent);
          l.closeTooltip();
        }
      } catch (e) { shown.error = String(e); }
    });
  });
  var text = function (sel) {
    return Array.prototype.map.call(document.querySelectorAll(sel),
                                    function (e) { return e.textContent; });
  };
  shown.boxes = text(".pf-box");
  shown.layers = text(".leaflet-control-layers-overlays label");
  shown.tables = text(".pf-tables, .pf-head");
  var out = document.createElement("pre");
  out.id = "pf-probe";
  out.textContent = JSON.stringify(shown);
  document.body.appendChild(out);
})();
</script>"""


def _open(page: Path) -> tuple[str, dict]:
    """Open ``page`` with :data:`PROBE` appended; return its DOM and what the probe saw."""
    text = page.read_text(encoding="utf-8")
    maps = re.findall(r"var (map_\w+) = L\.map", text)
    probed = page.with_name("probed-" + page.name)
    probed.write_text(text + PROBE % {"maps": json.dumps(maps)}, encoding="utf-8")
    dom, console = dump_dom(probed)
    assert "Uncaught" not in console, console
    found = re.search(r'<pre id="pf-probe">(.*?)</pre>', dom, flags=re.DOTALL)
    assert found, "the probe did not run"
    shown = json.loads(html.unescape(found.group(1)))
    assert "error" not in shown, shown["error"]
    return dom, shown


def _title(dom: str) -> str:
    return html.unescape(re.search(r"<title>(.*?)</title>", dom, flags=re.DOTALL).group(1))


def _no_injection(dom: str) -> None:
    assert "PWNED" not in _title(dom)
    assert 'id="pwned"' not in dom  # no injected element
    assert not re.search(r"<img[^>]*src=\"x\"", dom)
    assert "<sector" not in dom  # the hostile sector is not an element either


def test_script_json_cannot_close_a_script_or_open_a_comment():
    text = script_json({"n": HOSTILE + "<!--"})
    assert "<" not in text
    assert ">" not in text
    assert "&" not in text
    assert "\u2028" not in text
    assert json.loads(text) == {"n": HOSTILE + "<!--"}


def test_hostile_names_stay_text_in_the_python_side_html():
    sc, res = _hostile()
    m = render_map(sc, res, lang="en")
    page = m.get_root().render()
    for script in re.findall(r"<script>(.*?)</script>", page, flags=re.DOTALL):
        assert "</script" not in script.lower()
    # no template literal holds a user string (a backtick would end it)
    assert "bindTooltip(\n                `" not in page


@browser_test
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_map_shows_hostile_names_as_text_and_runs_none(tmp_path, lang):
    sc, res = _hostile()
    page = write_map(sc, res, tmp_path / "map.html", lang=lang)
    dom, shown = _open(page)
    _no_injection(dom)
    assert _title(dom) == f"S {HOSTILE} — parkflow"
    popups, tips = "\n".join(shown["popups"]), "\n".join(shown["tooltips"])
    boxes, layers = "\n".join(shown["boxes"]), "\n".join(shown["layers"])
    for i in range(1, 5):
        assert f"Ent{i} {HOSTILE}" in popups
        assert f"Ent{i} {HOSTILE}" in tips
    assert HOSTILE_ID in popups  # the enterprise id, shown next to its name
    assert f"Park1 {HOSTILE}" in popups
    assert f"Park1 {HOSTILE} (P1)" in tips
    assert f"<sector {HOSTILE}" in popups
    assert f"<sector {HOSTILE}" in boxes
    assert f"Mat {HOSTILE}" in popups
    assert f"Mat {HOSTILE}" in boxes
    assert f"Mat {HOSTILE}" in layers  # layer control: "Symbiosis links: Mat …"
    assert f"S {HOSTILE}" in boxes
    assert f"T {HOSTILE}" in boxes


@browser_test
def test_compare_page_shows_hostile_names_as_text_and_runs_none(tmp_path):
    from parkflow.studies.compare import compare

    (sa, ra), (sb, rb) = _hostile("A "), _hostile("B ")
    rb = Result(**{**rb.__dict__, "flows": rb.flows.iloc[:1]})  # B drops a link
    cmp = compare(sa, sb, lang="en", result_a=ra, result_b=rb)
    page = cmp.write(tmp_path / "cmp")[0]
    dom, shown = _open(page)
    _no_injection(dom)
    assert _title(dom) == f"A {HOSTILE} ⇄ B {HOSTILE} — parkflow"
    tables = "\n".join(shown["tables"])
    assert f"A {HOSTILE}" in tables
    assert f"B {HOSTILE}" in tables
    assert f"T {HOSTILE}" in tables  # a target's indicator
    # the removed phosphogypsum link: its generator (hostile name) in the difference table
    assert f"Ent3 {HOSTILE}" in tables
    assert "\n".join(shown["popups"]).count(f"Ent1 {HOSTILE}") >= 2  # both maps


@browser_test
def test_pareto_page_shows_a_hostile_scenario_name_as_text(tmp_path):
    pytest.importorskip("plotly")
    import pandas as pd

    from parkflow.studies.pareto import plot_html

    front = pd.DataFrame(
        {
            "rate_required": [0.5, 0.6],
            "rate": [0.5, 0.6],
            "cost_cny_per_a": [1e6, 2e6],
            "co2_avoided_t_per_a": [1.0, 2.0],
            "links_built": [1, 2],
        }
    )
    front.attrs.update({"scenario": f"S {HOSTILE}", "target_id": f"T {HOSTILE}", "scope": "all"})
    plot_html(front, tmp_path / "pareto.html")
    dom, _ = dump_dom(tmp_path / "pareto.html")
    assert "PWNED" not in dom
    assert 'id="pwned"' not in dom
    title = re.search(r'class="gtitle"[^>]*>(.*?)</text>', dom, flags=re.DOTALL).group(1)
    shown = html.unescape(re.sub("<[^>]+>", "", title)).replace("\u2028", "")
    assert f"S {HOSTILE}".replace("\u2028", "") in shown
