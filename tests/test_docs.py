"""The documentation names every command and option the CLI has.

And the docs the README links exist.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from parkflow.cli import COMMANDS, build_parser

ROOT = Path(__file__).resolve().parents[1]


def _subparsers():
    parser = build_parser()
    action = next(a for a in parser._actions if a.dest == "command")
    return action.choices


@pytest.mark.parametrize("name", COMMANDS)
def test_cli_reference_documents_every_option(name):
    doc = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert f"parkflow {name}" in doc
    sub = _subparsers()[name]
    for action in sub._actions:
        for opt in action.option_strings:
            if opt.startswith("--") and opt != "--help":
                assert opt in doc, f"docs/cli.md does not mention {opt} of parkflow {name}"


def test_readme_links_resolve():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    for target in re.findall(r"\]\(([^)#]+)\)", text):
        if not target.startswith("http"):
            assert (ROOT / target).exists(), f"README links to missing {target}"
