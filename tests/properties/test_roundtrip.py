"""Properties of loading and saving: generated scenarios are valid and survive a round trip."""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
from hypothesis import HealthCheck, given, settings
from strategies import scenarios

from parkflow.io import load_scenario, save_scenario
from parkflow.models.compare import scenario_differences

_SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@_SETTINGS
@given(scenarios())
def test_generated_scenarios_are_trusted(sc):
    for table in (sc.supplies, sc.uses, sc.stockpiles):
        assert table.index.is_unique
    assert (sc.supplies["quantity"] >= 0).all()
    assert (sc.uses["capacity"] >= 0).all()
    assert set(sc.supplies["unit"]) <= {"t/a", "GJ/a"}
    assert sc.supplies["enterprise"].isin(sc.enterprises.index).all()
    assert (sc.stockpiles["max_draw"] <= sc.stockpiles["quantity"]).all()
    assert not sc.stockpiles["max_draw"].isna().any()
    assert np.all(np.abs(sc.enterprises["lat"] - 30.6) < 0.1)


@_SETTINGS
@given(scenarios())
def test_save_then_load_folder_gives_the_same_scenario(sc):
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "sc"
        save_scenario(sc, out)
        assert scenario_differences(sc, load_scenario(out)) == []


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios(max_enterprises=4))
def test_save_then_load_workbook_gives_the_same_scenario(sc):
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "sc.xlsx"
        save_scenario(sc, out)
        assert scenario_differences(sc, load_scenario(out)) == []


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios(max_enterprises=4))
def test_excel_unicode_text_and_gb18030_copies_load_the_same(sc):
    """A saved folder re-saved as Excel would (UTF-16 tab-separated, or GB18030 with ';' and
    blank rows) loads back equal."""
    import pandas as pd

    from parkflow.io.readers import read_csv_any

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "sc"
        save_scenario(sc, out)
        for k, csv in enumerate(sorted(out.glob("*.csv"))):
            frame = read_csv_any(csv)
            if k % 2:
                frame.to_csv(csv, sep="\t", index=False, encoding="utf-16")
            else:
                blank = pd.DataFrame([[""] * frame.shape[1]], columns=frame.columns)
                pd.concat([blank, frame, blank]).to_csv(
                    csv, sep=";", index=False, encoding="gb18030"
                )
        assert scenario_differences(sc, load_scenario(out)) == []


@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios(max_enterprises=4))
def test_folder_to_chinese_workbook_to_folder_gives_the_same_scenario(sc):
    """convert both ways: folder → workbook with Chinese sheets and headers → folder."""
    with tempfile.TemporaryDirectory() as tmp:
        folder, book, back = Path(tmp) / "sc", Path(tmp) / "sc.xlsx", Path(tmp) / "back"
        save_scenario(sc, folder)
        save_scenario(load_scenario(folder), book, lang="zh")
        save_scenario(load_scenario(book), back)
        assert scenario_differences(sc, load_scenario(back)) == []
