"""Every rate and effect, computed once from a Result (docs/architecture.md)."""
