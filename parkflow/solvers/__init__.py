"""The MILP: formulation, OR-Tools back-ends, solve()."""
