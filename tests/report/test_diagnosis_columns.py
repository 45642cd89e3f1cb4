"""The diagnosis of an unreachable target as columns (issue 14): the report reads them.

The park of tests/_domain_parks.py ``co2_park(backfill_capacity=40)``: 100 t/a of fly ash, 30 t/a
taken as cement admixture and 40 t/a backfilled, target 78 %: 78 − 70 = 8 t/a short, all of
it fly ash in P1 (docs/model.md "Diagnosis under every objective"). Its diagnosis row says
``kind`` ``no_capacity`` with ``shortfall_t_per_a`` 8 and ``capacity_needed`` 8; its facilities
table lists the catalogue technologies that take fly ash and have no candidate site.
"""

from __future__ import annotations

import pandas as pd
import pytest
from _domain_parks import co2_park

from parkflow.examples import tiny_park
from parkflow.io.solution import read_result, write_solution
from parkflow.models.result import DIAGNOSIS_FACILITY_COLUMNS, Result
from parkflow.report import build_report
from parkflow.report.console import summary_lines
from parkflow.solvers.api import solve


@pytest.fixture(scope="module")
def unreachable():
    sc = co2_park(backfill_capacity=40.0)
    return sc, solve(sc, baseline=False)


def test_diagnosis_rows_carry_kind_shortfall_and_year(unreachable):
    _, res = unreachable
    d = res.diagnosis
    assert d["kind"].tolist() == ["no_capacity"]
    assert d["shortfall_t_per_a"].tolist() == pytest.approx([8.0])
    assert d["capacity_needed"].tolist() == pytest.approx([8.0])
    assert "year" in d.columns  # blank for a single-year solve; a pathway fills it
    assert d["year"].isna().all()
    f = res.diagnosis_facilities
    assert list(f.columns) == DIAGNOSIS_FACILITY_COLUMNS
    assert len(f) > 0
    assert set(f["kind"]) == {"technology"}  # no candidate sites in this park
    assert (f["material"] == "fly_ash").all()
    # the words for a person name the same technologies, in the same order
    words = d["facilities"].iloc[0].split("; ")
    assert words == [f"add a facilities row: {t}" for t in f["technology"]]


def test_report_reads_the_columns_not_the_words(unreachable):
    """Garbled ``reason`` and ``facilities`` words change nothing in table 十四."""
    sc, res = unreachable
    garbled = Result(
        **{
            **res.__dict__,
            "diagnosis": res.diagnosis.assign(reason="???", facilities="???"),
        }
    )
    for lang in ("zh", "en"):
        a = build_report(sc, res, lang=lang).table("diagnosis")
        b = build_report(sc, garbled, lang=lang).table("diagnosis")
        pd.testing.assert_frame_equal(a, b)
    zh = build_report(sc, garbled, lang="zh").table("diagnosis")
    assert zh.iloc[0].tolist()[-2] == "可达范围内利用能力已用尽"
    assert "新增候选设施：" in zh.iloc[0].tolist()[-1]


def test_old_folders_without_the_columns_read_the_same(unreachable, tmp_path):
    """A folder written before ``kind`` and diagnosis_facilities.csv existed: the same table."""
    sc, res = unreachable
    folder = write_solution(sc, res, tmp_path / "out")
    back = read_result(folder)
    assert back.diagnosis_facilities["technology"].tolist() == (
        res.diagnosis_facilities["technology"].tolist()
    )
    (folder / "diagnosis_facilities.csv").unlink()
    old = pd.read_csv(folder / "diagnosis.csv", encoding="utf-8-sig")
    old.drop(columns=["kind", "shortfall_t_per_a", "year"]).to_csv(
        folder / "diagnosis.csv", index=False, encoding="utf-8-sig"
    )
    legacy = read_result(folder)
    assert legacy.diagnosis_facilities.empty
    for lang in ("zh", "en"):
        pd.testing.assert_frame_equal(
            build_report(sc, back, lang=lang).table("diagnosis"),
            build_report(sc, legacy, lang=lang).table("diagnosis"),
        )


def test_candidate_rows_name_technology_site_and_size_in_both_languages():
    """A hand table of a pathway's 2029: F1 at E2 up to 250,000 t/a, F2 on a free site, one
    technology row."""
    sc = tiny_park()
    res = solve(sc)
    key = {"target": "t1", "scope": "all", "material": "fly_ash", "park": "P1", "year": 2029}
    res.diagnosis = pd.DataFrame(
        [{**key, "left": 40.0, "capacity_needed": 25.0, "unit": "t/a", "kind": "no_use"}]
    )
    res.diagnosis_facilities = pd.DataFrame(
        [
            {
                **key,
                "kind": "candidate",
                "facility_id": "F1",
                "technology": "cement_grinding_station",
                "site": "E2",
                "max_size": 250_000.0,
                "unit": "t/a",
            },
            {
                **key,
                "kind": "candidate",
                "facility_id": "F2",
                "technology": "cement_grinding_station",
                "site": "F:F2",
                "max_size": 1e5,
                "unit": "t/a",
            },
            {**key, "kind": "technology", "technology": "road_base_mixing_station"},
        ],
        columns=DIAGNOSIS_FACILITY_COLUMNS,
    )
    techs = sc.catalogue.technologies
    for lang, col, reason in (
        ("zh", "name_zh", "可达范围内无利用途径"),
        ("en", "name_en", "no use"),
    ):
        row = build_report(sc, res, lang=lang).table("diagnosis").iloc[0].tolist()
        assert row[:2] == ["t1", "2029"]  # a pathway's year, after the target
        assert row[-2].startswith(reason)
        cell = row[-1]
        assert cell.startswith("F1 " + techs.at["cement_grinding_station", col])
        assert "250,000 t/a" in cell
        assert "100,000 t/a" in cell
        assert techs.at["road_base_mixing_station", col] in cell
    en = "\n".join(summary_lines(res, "en"))
    assert "    2029 t1 " in en
    assert "would close it: F1" in en
    assert "free site in the park" in en
