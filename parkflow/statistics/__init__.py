"""Every rate, target gap, link effect and economics number, computed once from a Result.

Modules: :mod:`~parkflow.statistics.utilisation` (the one utilisation-rate formula and the
indicator tables), :mod:`~parkflow.statistics.links` (flows, money, CO₂ per link),
:mod:`~parkflow.statistics.economics` (who pays, who earns), :mod:`~parkflow.statistics.diagnosis`
(target gaps). They import only ``parkflow.models`` and the catalogue's constants.
"""
