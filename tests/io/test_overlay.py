"""Layout variants (overlay .yaml): add, move, remove, validation naming the overlay file."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from parkflow.errors import ScenarioError

ROOT = Path(__file__).resolve().parents[2]
BASE = ROOT / "scenarios" / "leshan-wutongqiao"
EXAMPLE = ROOT / "scenarios" / "leshan-wutongqiao-variants" / "gypsum-board.yaml"

pytestmark = pytest.mark.skipif(
    not (BASE / "scenario.yaml").is_file(), reason="bundled scenario leshan-wutongqiao not present"
)


@pytest.fixture(scope="module")
def base():
    from parkflow.io import load_scenario

    return load_scenario(BASE)


def _write(tmp_path: Path, text: str) -> Path:
    rel = os.path.relpath(BASE, tmp_path)
    path = tmp_path / "variant.yaml"
    path.write_text(f"base: {rel}\n" + text, encoding="utf-8")
    return path


def _load(path: Path):
    from parkflow.io.overlay import load_overlay

    return load_overlay(path)


def test_shipped_example_adds_moves_and_removes(base):
    from parkflow.io import load_scenario

    sc = load_scenario(EXAMPLE)  # load_scenario delegates .yaml to load_overlay
    assert sc.name == "Leshan Wutongqiao 2025 + gypsum-board plant"
    assert sc.source == EXAMPLE
    assert "LS30" in sc.enterprises.index
    assert "LS21" not in sc.enterprises.index
    assert len(sc.enterprises) == len(base.enterprises)  # one added, one removed
    # the added use: 6 万t/a → 60 000 t/a, in the canonical unit
    use = sc.uses[sc.uses["enterprise"] == "LS30"]
    assert use["route"].tolist() == ["gypsum_board"]
    assert use["capacity"].tolist() == [pytest.approx(60_000.0)]
    assert use["unit"].tolist() == ["t/a"]
    assert sc.enterprises.loc["LS10", ["lon", "lat"]].tolist() == [103.803, 29.423]
    assert sc.enterprises.loc["LS10"].geometry.x == pytest.approx(103.803)
    assert (sc.uses["enterprise"] != "LS21").all()
    # everything else is the base's
    assert [t.id for t in sc.targets] == [t.id for t in base.targets]
    assert sc.catalogue.routes.index.equals(base.catalogue.routes.index)
    assert sc.settings.operating_hours == base.settings.operating_hours
    assert len(sc.supplies) == len(base.supplies)


def test_remove_enterprise_takes_its_rows_and_links(tmp_path, base):
    # LS05 (Fuhua CHP) has supplies and is the source of an existing link
    assert (base.supplies["enterprise"] == "LS05").any()
    assert (base.links["from"] == "LS05").any() or (base.links["to"] == "LS05").any()
    sc = _load(_write(tmp_path, "remove:\n  enterprises: [LS05]\n"))
    assert "LS05" not in sc.enterprises.index
    assert not (sc.supplies["enterprise"] == "LS05").any()
    assert not ((sc.links["from"] == "LS05") | (sc.links["to"] == "LS05")).any()
    n = int((base.supplies["enterprise"] == "LS05").sum())
    assert len(sc.supplies) == len(base.supplies) - n


def test_remove_rows_by_values_or_id(tmp_path, base):
    sid = base.supplies.index[
        (base.supplies["enterprise"] == "LS07") & (base.supplies["material"] == "fgd_gypsum")
    ][0]
    # a use a link needs stays
    linked = set(zip(base.links["to"], base.links["route"], strict=True))
    uid = next(
        u
        for u in base.uses.index
        if (base.uses.at[u, "enterprise"], base.uses.at[u, "route"]) not in linked
    )
    sc = _load(
        _write(
            tmp_path,
            f"remove:\n  supplies: [{{enterprise: LS07, material: fgd_gypsum}}]\n  uses: [{uid}]\n",
        )
    )
    assert sid not in sc.supplies.index
    assert uid not in sc.uses.index
    assert len(sc.supplies) == len(base.supplies) - 1
    assert "LS07" in sc.enterprises.index  # the plant stays


def test_added_supply_is_converted_and_gets_an_id(tmp_path, base):
    sc = _load(
        _write(
            tmp_path,
            """
add:
  enterprises:
    - {id: N1, name: 新钢厂, park: LS-WTQ, sector: steel, lon: 103.83, lat: 29.40}
  supplies:
    - {enterprise: N1, material: steel_slag, quantity: 1.5, unit: 万t/a}
""",
        )
    )
    row = sc.supplies[sc.supplies["enterprise"] == "N1"]
    assert row["quantity"].tolist() == [pytest.approx(15_000.0)]
    assert row.index[0] not in base.supplies.index
    assert sc.enterprises.loc["N1", "name"] == "新钢厂"


def test_gcj02_coordinates_are_converted(tmp_path):
    from parkflow.geo import gcj02_to_wgs84

    sc = _load(
        _write(
            tmp_path,
            "coordinates: gcj02\nmove:\n  enterprises:\n"
            "    - {id: LS10, lon: 103.80, lat: 29.42}\n",
        )
    )
    lon, lat = gcj02_to_wgs84(103.80, 29.42)
    assert sc.enterprises.loc["LS10", "lon"] == pytest.approx(float(lon[0]))
    assert sc.enterprises.loc["LS10", "lat"] == pytest.approx(float(lat[0]))
    assert abs(sc.enterprises.loc["LS10", "lon"] - 103.80) > 1e-3  # ~ 300-600 m west


def test_problems_name_the_overlay_file_and_entry(tmp_path):
    path = _write(
        tmp_path,
        """
add:
  enterprises:
    - {id: X1, name: new, park: LS-WTQ, sector: s, lon: 103.8, lat: 29.4}
  uses:
    - {enterprise: X1, route: gypsum_board, capacity: 5, unit: GJ/a}
    - {enterprise: X2, route: gypsum_board, capacity: -5, unit: t/a}
""",
    )
    with pytest.raises(ScenarioError) as info:
        _load(path)
    problems = info.value.problems
    assert {p.file for p in problems} == {str(path)}
    text = str(info.value)
    assert "add.uses[1]" in text
    assert "'GJ/a' does not fit" in text
    assert "add.uses[2]" in text
    assert "'X2'" in text
    assert "capacity -5" in text


def test_structure_problems_all_reported(tmp_path):
    path = _write(
        tmp_path,
        """
colour: red
move:
  enterprises:
    - {id: ZZ, lon: 103.8, lat: 29.4}
remove:
  uses: [U999]
  supplies: [{enterprise: LS05, material: unobtainium}]
""",
    )
    with pytest.raises(ScenarioError) as info:
        _load(path)
    text = str(info.value)
    assert "unknown key 'colour'" in text
    assert "move.enterprises[1]: enterprise 'ZZ' is not in the base scenario" in text
    assert "remove.uses[1]: no row of uses matches 'U999'" in text
    assert "remove.supplies[1]" in text
    assert "unobtainium" in text
    assert len(info.value.problems) == 4


def test_duplicate_id_and_missing_base(tmp_path):
    with pytest.raises(ScenarioError, match="id 'LS01' is already used in enterprises"):
        _load(
            _write(
                tmp_path,
                "add:\n  enterprises:\n    - {id: LS01, name: x, park: LS-WTQ, "
                "sector: s, lon: 103.8, lat: 29.4}\n",
            )
        )
    bad = tmp_path / "nobase.yaml"
    bad.write_text("base: ../does-not-exist\n", encoding="utf-8")
    with pytest.raises(ScenarioError, match="base '../does-not-exist' not found"):
        _load(bad)
    loop = tmp_path / "loop.yaml"
    loop.write_text("base: loop.yaml\n", encoding="utf-8")
    with pytest.raises(ScenarioError, match="leads back to itself"):
        _load(loop)


def test_overlay_of_an_overlay(tmp_path):
    first = tmp_path / "first.yaml"
    first.write_text(
        f"base: {os.path.relpath(EXAMPLE, tmp_path)}\nname: second\n"
        "remove:\n  enterprises: [LS30]\n",
        encoding="utf-8",
    )
    sc = _load(first)
    assert sc.name == "second"
    assert "LS30" not in sc.enterprises.index
    assert "LS21" not in sc.enterprises.index  # the first overlay's removal holds


def test_a_variant_keeps_the_base_facilities_and_periods(tmp_path):
    """A variant of panzhihua-vti keeps its nine candidate facilities and its 2025–2030 years.

    (The web app's variants are overlays; before, the overlay rebuilt the scenario without them.)
    """
    from parkflow.io import load_scenario
    from parkflow.io.overlay import load_overlay
    from parkflow.solvers.periods import scenario_years

    base_dir = Path(__file__).resolve().parents[2] / "scenarios" / "panzhihua-vti"
    ov = tmp_path / "v.yaml"
    ov.write_text(f"base: {base_dir.as_posix()}\nname: pzh variant\n", encoding="utf-8")
    base, variant = load_scenario(base_dir), load_overlay(ov)
    assert len(variant.facilities) == len(base.facilities) == 9
    assert variant.facilities.sort_index().equals(base.facilities.sort_index())
    assert len(variant.trajectories) == len(base.trajectories)
    assert scenario_years(variant) == scenario_years(base) == tuple(range(2025, 2031))
