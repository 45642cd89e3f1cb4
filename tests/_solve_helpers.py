"""Hand-checkable tiny parks for the optimiser tests (links_only, explicit distances).

The park is defined once, in :mod:`parkflow.examples`; this wrapper adds the test-side check.
"""

from __future__ import annotations

from typing import Any

from parkflow import examples
from parkflow.examples import STACK_25, TRUCK

__all__ = ["STACK_25", "TRUCK", "tiny_park"]


def tiny_park(*args: Any, **kwargs: Any):
    """:func:`parkflow.examples.tiny_park`, checking the catalogue's fly-ash tax (25 CNY/t)."""
    sc = examples.tiny_park(*args, **kwargs)
    assert sc.catalogue.materials.loc["fly_ash", "env_tax_cny_per_t"] == 25.0
    return sc
