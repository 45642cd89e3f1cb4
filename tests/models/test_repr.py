"""Notebook displays: short reprs, HTML summaries, flows as LineStrings, the offline map."""

from __future__ import annotations

import re
from html import unescape

import parkflow as pf


def test_result_and_scenario_reprs_are_short(tiny_scenario):
    result = pf.solve(tiny_scenario)
    assert len(repr(result)) < 400
    assert repr(result).startswith("Result('tiny park': ")
    html = result._repr_html_()
    assert "<table>" in html
    assert len(html) < 5000
    assert "Scenario: tiny park" in tiny_scenario._repr_html_()


def test_flows_gdf_is_linestrings_from_source_to_use(tiny_scenario):
    result = pf.solve(tiny_scenario)
    gdf = result.flows_gdf
    assert gdf.crs.to_epsg() == 4326
    assert len(gdf) == len(result.flows) > 0
    ents = tiny_scenario.enterprises
    for a, b, line in zip(gdf["from"], gdf["to"], gdf.geometry, strict=True):
        assert line.geom_type == "LineString"
        assert list(line.coords) == [
            (ents.at[a, "lon"], ents.at[a, "lat"]),
            (ents.at[b, "lon"], ents.at[b, "lat"]),
        ]
    assert result.flows_geodataframe(tiny_scenario).geometry.equals(gdf.geometry)


def test_map_repr_html_is_self_contained(tiny_scenario):
    result = pf.solve(tiny_scenario)
    html = pf.render_map(tiny_scenario, result)._repr_html_()
    assert html.startswith('<div style="width:100%;"><iframe srcdoc="')
    page = unescape(html)
    assert re.findall(r"<(?:script|link)[^>]+(?:src|href)=[\"']?https?://", page) == []
    assert "L.map(" in page
