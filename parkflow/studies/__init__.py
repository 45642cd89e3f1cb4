"""Workflows that call solve(): compare, pareto, sweep, and the synthetic-province generator."""
