"""Shared fixtures: tiny scenarios written to tmp_path, hand-checkable.

``tiny_scenario_dir`` — three enterprises in park P1 around 30.6N 104.0E (Chengdu plain):

* E1 coal power: fly ash 2 万t/a (= 20,000 t/a), FGD gypsum 5,000 t/a, waste heat 1 MW at 180 °C
  (= 28,800 GJ/a at 8000 h); a fly-ash stock of 10 kt (max draw 4,000 t/a).
* E2 cement: cement admixture 30,000 t/a, cement retarder 8,000 t/a.
* E3 chemicals: by-product hydrogen 1,000,000 Nm3/a (= 89.9 t/a), purity 0.999; process steam
  20,000 GJ/a; feedstock hydrogen 50 t/a.
* an existing fly-ash truck link E1 → E2.

Session-scoped, read-only solves that several modules share (docs/architecture.md, "Test parks
and shared solves"): ``solved_bundled``, ``panzhihua_facilities``, ``binding_province`` and
``binding_each_park``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

# tests/webapp/_webapp.py holds the web app tests' fixtures (their files take it as a plugin)
pytest.register_assert_rewrite("_webapp")

TINY_FILES: dict[str, str] = {
    "scenario.yaml": (
        "name: tiny park\n"
        "description: three plants for tests\n"
        "year: 2025\n"
        "coordinates: wgs84\n"
        "operating_hours: 8000\n"
        "targets:\n"
        "  - id: bulk-2025\n"
        "    materials: bulk_solid_waste\n"
        "    exclude: [tailings]\n"
        "    rate: 0.78\n"
        "    scope: all\n"
        "objective: cost\n"
    ),
    "enterprises.csv": (
        "id,name,park,sector,lon,lat,city\n"
        "E1,电厂,P1,coal_power,104.00,30.60,Chengdu\n"
        "E2,水泥厂,P1,cement,104.05,30.62,Chengdu\n"
        "E3,化工厂,P1,chemicals,104.02,30.65,\n"
    ),
    "supplies.csv": (
        "enterprise,material,quantity,unit,temperature_c,purity\n"
        "E1,fly_ash,2,万t/a,,\n"
        "E1,fgd_gypsum,5000,t/a,,\n"
        "E1,waste_heat,1,MW,180,\n"
        "E3,hydrogen,1000000,Nm3/a,,0.999\n"
    ),
    "uses.csv": (
        "enterprise,route,capacity,unit\n"
        "E2,cement_admixture,30000,t/a\n"
        "E2,cement_retarder,8,kt/a\n"
        "E3,process_steam,20000,GJ/a\n"
        "E3,hydrogen_feedstock,50,t/a\n"
    ),
    "stockpiles.csv": ("enterprise,material,quantity,unit,max_draw\nE1,fly_ash,10,kt,4000\n"),
    "links.csv": (
        "from,to,material,route,mode,existing\nE1,E2,fly_ash,cement_admixture,truck,true\n"
    ),
}


def write_scenario(
    folder: Path, files: dict[str, str] | None = None, encoding: str = "utf-8", newline: str = "\n"
) -> Path:
    """Write a scenario folder from ``{file name: text}`` (default: the tiny scenario)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in (TINY_FILES if files is None else files).items():
        data = text.replace("\n", newline).encode(encoding)
        (folder / name).write_bytes(data)
    return folder


@pytest.fixture
def tiny_files() -> dict[str, str]:
    """A fresh copy of the tiny scenario's files, to edit in a test."""
    return dict(TINY_FILES)


@pytest.fixture
def tiny_scenario_dir(tmp_path: Path) -> Path:
    """The tiny 3-enterprise scenario written to ``tmp_path / 'tiny'``."""
    return write_scenario(tmp_path / "tiny")


@pytest.fixture
def tiny_scenario(tiny_scenario_dir: Path):
    """The tiny scenario, loaded."""
    from parkflow.io import load_scenario

    return load_scenario(tiny_scenario_dir)


@pytest.fixture(scope="session")
def binding_province():
    """A generated province (60 plants, 3 parks, seed 1) whose least-cost plan misses its target.

    ``with_tightness(…, 0.04)`` sets the scenario-wide target 4 points above the least-cost rate
    (docs/performance.md); built once per session and only read by the tests.
    """
    from parkflow.studies.generate import generate_scenario, with_tightness

    return with_tightness(generate_scenario(60, 3, seed=1), 0.04)


@pytest.fixture(scope="session")
def binding_each_park(binding_province):
    """:func:`binding_province` with its target per park (``each_park``: 3 multipliers)."""
    from dataclasses import replace

    return replace(
        binding_province, targets=[replace(binding_province.targets[0], scope="each_park")]
    )


@pytest.fixture(scope="session")
def solved_bundled():
    """``solved_bundled(name, baseline=True)`` → ``(scenario, result)``, solved once a session.

    The bundled scenario ``name`` loaded from :func:`parkflow.io.bundled.bundled_scenario_path`
    and solved the default way (``solve(sc, baseline=baseline)``: strategy ``auto``). Several
    modules read the same solve (the province and Panzhihua take seconds each); the tests only
    read the scenario and the result (copy before changing anything).
    """
    from parkflow.io import load_scenario
    from parkflow.io.bundled import bundled_scenario_path
    from parkflow.solvers.api import solve

    cache: dict[tuple[str, bool], tuple] = {}

    def get(name: str, baseline: bool = True) -> tuple:
        if (name, baseline) not in cache:
            sc = load_scenario(bundled_scenario_path(name))
            cache[name, baseline] = (sc, solve(sc, baseline=baseline))
        return cache[name, baseline]

    return get


@pytest.fixture(scope="session")
def panzhihua_facilities():
    """panzhihua-vti with its candidate facilities available in 2025, solved without the before.

    ``(scenario, result)``, once a session: the build plan and the facility layers of the map
    read it.
    """
    import numpy as np

    from parkflow.io import load_scenario
    from parkflow.io.bundled import bundled_scenario_path
    from parkflow.solvers.api import solve_with_strategy

    sc = load_scenario(bundled_scenario_path("panzhihua-vti"))
    fac = sc.facilities.copy()
    fac["available_from"] = np.nan
    sc = sc.replace(facilities=fac)
    return sc, solve_with_strategy(sc, baseline=False)
