"""``python -m parkflow``."""

from parkflow.interrupt import install

install()  # before the slow imports: Ctrl-C or SIGTERM during them exits 130 quietly

from parkflow.cli import main_entry  # noqa: E402

main_entry()
