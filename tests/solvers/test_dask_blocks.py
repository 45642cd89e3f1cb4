"""The blocks of a decomposed solve on a Dask cluster (``--scheduler``) give the local optimum."""

from __future__ import annotations

import pytest

from parkflow.errors import SolverUnavailableError
from parkflow.solvers.decompose import solve_decomposed
from parkflow.studies.generate import generate_scenario, with_tightness

distributed = pytest.importorskip("dask.distributed")


@pytest.fixture(scope="module")
def cluster():
    """A LocalCluster of 2 worker processes (one thread each)."""
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
    ) as c:
        yield c


def test_blocks_on_a_local_cluster_give_the_local_optimum(cluster, binding_each_park) -> None:
    """A binding generated province with a per-park target (3 multipliers), 2 blocks."""
    sc = binding_each_park
    local = solve_decomposed(sc, gap=1e-6, time_limit_s=120, jobs=1, n_blocks=2, cover=None)
    remote = solve_decomposed(
        sc,
        gap=1e-6,
        time_limit_s=120,
        jobs=1,
        n_blocks=2,
        cover=None,
        scheduler=cluster.scheduler_address,
    )
    assert remote.solver["scheduler"] == cluster.scheduler_address
    assert local.solver["scheduler"] == "local"
    assert remote.solver["n_blocks"] == local.solver["n_blocks"] == 2
    a, b = local.objective["total_cny_per_a"], remote.objective["total_cny_per_a"]
    assert abs(a - b) <= 1e-4 * abs(a) + 1.0
    assert remote.status == local.status


def test_an_unreachable_scheduler_is_a_clear_error(monkeypatch) -> None:
    """Nothing listens on port 1: the error names the scheduler.

    The connection is refused at once, but the client retries until its timeout (10 s in
    parkflow); the test lets it give up after 1 s, on the same path.
    """
    client = distributed.Client
    monkeypatch.setattr(
        distributed, "Client", lambda *args, **kwargs: client(*args, **{**kwargs, "timeout": 1})
    )
    sc = with_tightness(generate_scenario(30, 3, seed=1), 0.04)
    with pytest.raises(SolverUnavailableError, match="cannot reach the Dask scheduler"):
        solve_decomposed(sc, jobs=1, scheduler="tcp://127.0.0.1:1", time_limit_s=30)
