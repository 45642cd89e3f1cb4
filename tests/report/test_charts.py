"""The report's matplotlib charts: SVG in report.html, PNG beside it, one colour per material,
a Sankey whose size is bounded at province scale, and chart labels that do not overlap in a real
browser (text bounding boxes from the DOM of headless chromium)."""

from __future__ import annotations

import json
import re
import warnings

import numpy as np
import pandas as pd
import pytest
from _browser import browser_test, dump_dom, screenshot

from parkflow.colours import MATERIAL_COLOURS, material_colour
from parkflow.report import build_report, figures, write_reports
from parkflow.report.figures import SANKEY_TOP_N, aggregate_flows, sankey_figure
from parkflow.report.render import to_html
from parkflow.studies.generate import generate_scenario


@pytest.fixture(scope="module")
def province(solved_bundled):
    return solved_bundled("sichuan-province")


@pytest.fixture(scope="module")
def generated_flows():
    """2,000 generated enterprises in 40 parks, every supply shipped to a random user."""
    sc = generate_scenario(2000, 40, seed=0)
    rng = np.random.default_rng(0)
    ent = sc.enterprises
    sup = sc.supplies.reset_index()
    ids = ent.index.astype(str).to_numpy()
    to = rng.choice(ids, size=len(sup))
    park = ent["park"].astype(str).to_dict()
    flows = pd.DataFrame(
        {
            "from_name": ent.loc[sup["enterprise"], "name"].astype(str).to_numpy(),
            "to_name": ent.loc[to, "name"].astype(str).to_numpy(),
            "from_park": sup["enterprise"].map(park).to_numpy(),
            "to_park": pd.Series(to).map(park).to_numpy(),
            "route_name": rng.choice([f"route {i}" for i in range(30)], size=len(sup)),
            "material": sup["material"].astype(str).to_numpy(),
            "material_name": sup["material"].astype(str).to_numpy(),
            "flow": rng.uniform(1e3, 1e5, size=len(sup)),
        }
    )
    return sc, flows


def test_one_colour_per_material_in_map_and_report(province, tmp_path):
    import parkflow.maps as maps
    from parkflow.maps import popups

    assert maps.MATERIAL_COLOURS is MATERIAL_COLOURS
    assert popups.material_colour is material_colour
    sc, result = province
    bands = {}
    for lang in ("zh", "en"):
        html = to_html(build_report(sc, result, lang=lang))
        found = dict(
            re.findall(r'<g id="band-([\w-]+)">\s*<path [^>]*?style="fill: (#[0-9a-f]{6})', html)
        )
        assert found, "no Sankey bands in the page"
        bands[lang] = found
        for material, colour in found.items():
            assert colour == material_colour(material), (lang, material)
    assert bands["zh"] == bands["en"]  # the same colours in both languages
    assert bands["zh"]["fly_ash"] == MATERIAL_COLOURS["fly_ash"]


def test_pngs_beside_the_html_for_word(province, tmp_path):
    sc, result = province
    paths = write_reports(sc, result, tmp_path, lang="zh", formats=("html",))
    pngs = sorted(p.name for p in paths if p.suffix == ".png")
    assert pngs == ["report_rates.png", "report_sankey_gj.png", "report_sankey_t.png"]
    for name in pngs:
        assert (tmp_path / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert html.count("<svg") == 3
    assert "<text" in html


def test_sankey_of_2000_enterprises_is_grouped_and_bounded(generated_flows):
    _, flows = generated_flows
    assert flows["from_name"].nunique() > 500
    grouped, was = aggregate_flows(flows, "zh")
    assert was
    for col in ("from_name", "route_name", "to_name"):
        assert grouped[col].nunique() <= SANKEY_TOP_N + 1
    assert "其他" in set(grouped["from_name"])
    assert grouped["flow"].sum() == pytest.approx(flows["flow"].sum())
    fig = sankey_figure(flows, "t/a", "zh")
    width_in, height_in = fig.get_size_inches()
    assert height_in <= 14.0
    assert width_in <= 30.0


def test_small_sankey_is_not_grouped():
    flows = pd.DataFrame(
        {
            "from_name": ["A", "B"],
            "to_name": ["C", "C"],
            "route_name": ["r", "r"],
            "material": ["fly_ash", "tailings"],
            "material_name": ["Fly ash", "Tailings"],
            "flow": [1.0, 2.0],
        }
    )
    out, was = aggregate_flows(flows, "en")
    assert not was
    assert set(out["from_name"]) == {"A", "B"}


def test_without_a_cjk_font_a_warning_and_still_a_chart(monkeypatch):
    from matplotlib import font_manager

    figures.cjk_font.cache_clear()
    monkeypatch.setattr(figures, "CJK_FONTS", ("No Such Font CJK",))
    monkeypatch.setattr(font_manager, "findSystemFonts", lambda *a, **k: [])
    try:
        with pytest.warns(RuntimeWarning, match="no CJK font"):
            assert figures.cjk_font() is None
        rates = pd.DataFrame({"scope": ["全情景合计"], "rate": [0.8], "rate_baseline": [0.5]})
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            svg = figures.figure_svg(figures.rate_figure(rates, {2025: 0.78}, "zh"))
        assert "<svg" in svg
        assert "全情景合计" in svg
    finally:
        figures.cjk_font.cache_clear()


def test_a_cjk_font_is_found_here():
    if not any("CJK" in p for p in __import__("matplotlib").font_manager.findSystemFonts()):
        pytest.skip("no CJK font installed (apt-get install fonts-noto-cjk)")
    assert figures.cjk_font() is not None


# ---- in a browser: no two chart labels overlap at province scale ---------------------------
_MEASURE = """<script>
document.addEventListener('DOMContentLoaded', () => {
  const out = [];
  document.querySelectorAll('svg').forEach((svg, i) => {
    svg.querySelectorAll('text').forEach(t => {
      const r = t.getBoundingClientRect();
      if (r.width > 0 && t.textContent.trim()) out.push([i, t.textContent, r.left, r.top,
                                                          r.right, r.bottom]);
    });
  });
  const pre = document.createElement('pre');
  pre.id = 'boxes';
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
});
</script>"""


def _overlaps(boxes: list[list]) -> list[tuple[str, str]]:
    bad = []
    by_chart: dict[int, list] = {}
    for b in boxes:
        by_chart.setdefault(b[0], []).append(b)
    for items in by_chart.values():
        for i, a in enumerate(items):
            for b in items[i + 1 :]:
                # 1 px of tolerance for glyph overhang
                if min(a[4], b[4]) - max(a[2], b[2]) > 1 and min(a[5], b[5]) - max(a[3], b[3]) > 1:
                    bad.append((a[1], b[1]))
    return bad


def _measured(page, tmp_path, name):
    probe = tmp_path / f"{name}-probe.html"
    probe.write_text(page.replace("</body>", _MEASURE + "</body>"), encoding="utf-8")
    dom, console = dump_dom(probe, size=(1400, 900))
    assert "Uncaught" not in console, console
    found = re.search(r'<pre id="boxes">(.*?)</pre>', dom, re.S)
    assert found, "the probe did not run"
    import html as htmlmod

    return json.loads(htmlmod.unescape(found.group(1)))


@browser_test
def test_province_report_labels_do_not_overlap_in_chromium(province, generated_flows, tmp_path):
    sc, result = province
    write_reports(sc, result, tmp_path, lang="zh", formats=("html",))
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    boxes = _measured(page, tmp_path, "province")
    assert len({b[0] for b in boxes}) == 3
    assert len(boxes) > 40
    assert _overlaps(boxes) == []
    # a 40-park generated province: the rate chart has a row per park, the Sankey is grouped
    gsc, flows = generated_flows
    rep = build_report(sc, result, lang="zh")
    parks = sorted(set(gsc.enterprises["park"].astype(str)))
    rng = np.random.default_rng(1)
    rep.charts["rates"] = pd.DataFrame(
        {
            "scope": ["全情景合计", *parks],
            "rate": rng.uniform(0.5, 1, len(parks) + 1),
            "rate_baseline": rng.uniform(0, 0.8, len(parks) + 1),
        }
    )
    rep.charts["sankey"] = flows.assign(unit="t/a")
    big = to_html(rep)
    boxes = _measured(big, tmp_path, "generated")
    assert sum(1 for b in boxes if b[0] == 0) > 40  # every park labelled
    assert _overlaps(boxes) == []
    # and look: a screenshot of the Chinese page (kept for a person in tmp_path)
    shot = tmp_path / "generated.html"
    shot.write_text(big, encoding="utf-8")
    img, console = screenshot(shot, tmp_path / "report.png", size=(1400, 2400))
    assert "Uncaught" not in console
    assert img.std() > 0.05  # not a blank page
