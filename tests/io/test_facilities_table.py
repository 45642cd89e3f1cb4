"""The facilities input table: typing and file/row/column/fix messages."""

from __future__ import annotations

import pandas as pd
import pytest

from parkflow.errors import ScenarioError
from parkflow.io import scenario_from_frames
from parkflow.io.facilities import parse_sizes

ENT = pd.DataFrame(
    {
        "id": ["E1"],
        "name": ["iron"],
        "park": ["P1"],
        "sector": ["steel"],
        "lon": [104.0],
        "lat": [30.6],
    }
)
SUP = pd.DataFrame(
    {"enterprise": ["E1"], "material": ["bf_slag"], "quantity": [100.0], "unit": ["t/a"]}
)
USE = pd.DataFrame({"enterprise": ["E1"], "route": ["bricks"], "capacity": [0.0], "unit": ["t/a"]})


def _load(fac):
    return scenario_from_frames("f", ENT, SUP, USE, facilities=pd.DataFrame(fac))


def test_colocated_and_free_sites_load():
    sc = _load(
        {
            "id": ["F1", "F2"],
            "technology": ["slag_powder_mill_s95"] * 2,
            "site": ["E1", ""],
            "lon": [None, 104.01],
            "lat": [None, 30.61],
            "park": ["", "P1"],
            "sizes": ["", "300000"],
        }
    )
    f = sc.facilities
    assert list(f.index) == ["F1", "F2"]
    assert f.loc["F1", "sizes"] == "300000;600000;1.2e+06"
    assert f.loc["F2", "sizes"] == "300000"
    assert f.loc["F1", "existing"] == 0.0


@pytest.mark.parametrize(
    ("row", "column", "words"),
    [
        ({"technology": "nope", "site": "E1"}, "technology", "not in the catalogue"),
        ({"technology": "slag_powder_mill_s95", "site": "E9"}, "site", "not an enterprise"),
        ({"technology": "slag_powder_mill_s95"}, "site", "has no site"),
        ({"technology": "slag_powder_mill_s95", "site": "E1", "park": "P1"}, "site", "both"),
        (
            {"technology": "slag_powder_mill_s95", "lon": 104.0, "lat": 30.6, "park": "P9"},
            "park",
            "unknown",
        ),
        (
            {"technology": "slag_powder_mill_s95", "site": "E1", "sizes": "10;x"},
            "sizes",
            "positive numbers",
        ),
    ],
)
def test_problems_name_row_column_and_fix(row, column, words):
    with pytest.raises(ScenarioError) as info:
        _load({k: [v] for k, v in row.items()})
    probs = [p for p in info.value.problems if p.file == "facilities"]
    assert probs, info.value
    p = probs[0]
    assert words in p.message
    assert p.row == 2
    assert p.column == column
    assert p.fix


def test_parse_sizes():
    assert parse_sizes("3;1;2") == (1.0, 2.0, 3.0)
    assert parse_sizes("-1") is None


def test_bad_discount_rate_is_reported():
    with pytest.raises(ScenarioError, match="discount_rate"):
        scenario_from_frames("f", ENT, SUP, USE, discount_rate=1.5)
