"""Sub-commands of the parkflow CLI, one module each."""
