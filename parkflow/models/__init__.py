"""Pure data: table schemas, Scenario, Result."""
