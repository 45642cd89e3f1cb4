"""``python -m parkflow``."""

from parkflow.cli import main_entry

main_entry()
