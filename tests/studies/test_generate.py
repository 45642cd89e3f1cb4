"""Generated scenarios: deterministic, inside Sichuan, clustered around parks.

Also valid and solvable.
"""

from __future__ import annotations

import importlib

import numpy as np
import pandas as pd
import pytest
import shapely
from pyproj import Geod

from parkflow.catalogue import builtin_catalogue
from parkflow.studies.generate import SECTORS, STREAMS, generate_frames


@pytest.fixture(scope="module")
def frames():
    return generate_frames(120, 8, seed=3)


def test_same_seed_gives_the_same_tables():
    a, b = generate_frames(60, 4, seed=11), generate_frames(60, 4, seed=11)
    for name in ("enterprises", "supplies", "uses", "stockpiles"):
        pd.testing.assert_frame_equal(a[name], b[name])
    assert a["parks"].geometry.equals(b["parks"].geometry)


def test_another_seed_gives_another_scenario():
    a, b = generate_frames(60, 4, seed=1), generate_frames(60, 4, seed=2)
    assert not a["enterprises"][["lon", "lat"]].equals(b["enterprises"][["lon", "lat"]])


def test_counts_and_ids(frames):
    ent = frames["enterprises"]
    assert len(ent) == 120
    assert ent["id"].is_unique
    assert len(frames["parks"]) == 8
    # every park holds at least two plants, the first its anchor generator, the second cement
    assert ent.groupby("park").size().min() >= 2
    assert set(ent["park"]) == set(frames["parks"]["id"])


def test_plants_lie_in_sichuan_within_a_few_km_of_their_park(frames):
    ent, parks = frames["enterprises"], frames["parks"].set_index("id")
    assert ent["lon"].between(101.5, 107.6).all()
    assert ent["lat"].between(26.4, 32.6).all()
    # the polygons are circles drawn around the centre: their centroid is the centre
    centre = shapely.centroid(np.asarray(parks.loc[ent["park"]].geometry))
    _, _, dist_m = Geod(ellps="WGS84").inv(
        ent["lon"].to_numpy(), ent["lat"].to_numpy(), shapely.get_x(centre), shapely.get_y(centre)
    )
    assert dist_m.max() <= 6_100.0  # the radius is capped at 6 km


def test_streams_use_catalogue_ids_and_positive_quantities(frames):
    cat = builtin_catalogue()
    assert set(frames["supplies"]["material"]) <= set(cat.materials.index)
    assert set(frames["uses"]["route"]) <= set(cat.routes.index)
    assert set(STREAMS["sector"]) <= set(SECTORS)
    assert (frames["supplies"]["quantity"] > 0).all()
    assert (frames["uses"]["capacity"] > 0).all()
    stock = frames["stockpiles"]
    assert (stock["max_draw"] <= stock["quantity"]).all()


def test_quantities_follow_the_sector_coefficients(frames):
    """Phosphogypsum is 4.8 t per t P2O5 (docs/sources.md 15) within the ±15 % jitter (4 sigma)."""
    ent = frames["enterprises"].set_index("id")
    pg = frames["supplies"][frames["supplies"]["material"] == "phosphogypsum"]
    ratio = pg["quantity"].to_numpy() / ent.loc[pg["enterprise"], "size"].to_numpy()
    assert len(pg) > 0
    assert np.all((ratio > 4.8 * np.exp(-0.6)) & (ratio < 4.8 * np.exp(0.6)))


def test_bad_sizes_are_refused():
    with pytest.raises(ValueError, match="n_enterprises"):
        generate_frames(3, 5)
    with pytest.raises(ValueError, match="n_parks"):
        generate_frames(3, 0)


def test_generated_scenario_validates_and_solves():
    importlib.import_module("parkflow.io")
    importlib.import_module("parkflow.solvers.api")
    from parkflow.solvers.api import solve
    from parkflow.studies.generate import generate_scenario

    sc = generate_scenario(30, 3, seed=0)
    assert len(sc.enterprises) == 30
    assert len(sc.parks) == 3
    res = solve(sc, objective="cost", time_limit_s=60, gap=0.01)
    assert res.status.has_solution
    assert res.targets["rate"].between(0, 1).all()


def test_cli_writes_a_scenario_that_loads_back(tmp_path):
    importlib.import_module("parkflow.io")
    from parkflow.cli import main
    from parkflow.io import load_scenario
    from parkflow.studies.generate import generate_scenario

    out = tmp_path / "gen"
    assert main(["generate", "--enterprises", "20", "--parks", "2", "--seed", "5", str(out)]) == 0
    loaded = load_scenario(out)
    assert loaded.equals(generate_scenario(20, 2, seed=5))
    assert main(["generate", "--enterprises", "1", "--parks", "2", str(tmp_path / "x")]) == 2


def test_several_provinces_are_apart_and_prefixed() -> None:
    """Two provinces: ids V1-/V2-, each with half the plants, no candidate link joins them."""
    from parkflow.network import candidate_links
    from parkflow.studies.generate import generate_scenario as gen

    sc = gen(60, 4, seed=2, provinces=2)
    ids = sc.enterprises.index.astype(str)
    assert (ids.str.startswith("V1-").sum(), ids.str.startswith("V2-").sum()) == (30, 30)
    lk = candidate_links(sc).links
    assert len(lk)
    assert (lk["from"].str[:3] == lk["to"].str[:3]).all()
    with pytest.raises(ValueError, match="provinces"):
        gen(60, 4, provinces=6)
