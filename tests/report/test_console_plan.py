"""The console's build plan of a single-year solve whose facilities carry no expansion year."""

from __future__ import annotations

import pandas as pd

from parkflow.report.console import build_plan_lines


def test_build_plan_without_expanded_year_column():
    """deyang-phosphate's facilities.csv has ``build_year`` but no ``expanded_year``: one line,
    no "expanded" (this raised AttributeError in `parkflow solve`)."""
    fac = pd.DataFrame(
        {
            "facility_id": ["F1"],
            "technology": ["pg_beta_plaster"],
            "site": ["E1"],
            "park": ["P1"],
            "size": [300_000.0],
            "unit": ["t/a"],
            "build_year": [2025],
            "capex_cny": [51_000_000.0],
            "load_factor": [1.0],
        }
    )
    result = type("R", (), {"facilities": fac})()
    en = build_plan_lines(result, "en")
    assert en[0] == "  build plan (1 facilities, capex 51,000,000 CNY):"
    assert en[1].startswith("    2025 F1 ")
    assert "expanded" not in en[1]
    assert "300,000 t/a" in en[1]
    zh = build_plan_lines(result.__class__(), "zh")
    assert "扩建" not in zh[1]
