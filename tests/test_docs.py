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


# --- docs cite what ships (issue 10, item 7) ---------------------------------------------------

_SHIPPED_DOC_CITATION = re.compile(r"docs/([\w-]+\.md)(#[\w-]+)?(?:,? \"([^\"]+)\")?")
_UNSHIPPED_CITATION = re.compile(r"\b(?:SPEC|DOMAIN)(?:\.md| §)")


def _package_texts():
    """Every Python file of the package and every page under docs/, with its path."""
    for path in sorted((ROOT / "parkflow").rglob("*.py")):
        yield path, path.read_text(encoding="utf-8")
    for path in sorted((ROOT / "docs").glob("*.md")):
        yield path, path.read_text(encoding="utf-8")


def _slug(heading: str) -> str:
    """GitHub's anchor for a Markdown heading: lower case, punctuation dropped, spaces to '-'."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def _headings(page: Path) -> list[str]:
    lines = page.read_text(encoding="utf-8").splitlines()
    return [line.lstrip("#").strip() for line in lines if line.startswith("#")]


def test_no_citation_of_documents_that_do_not_ship():
    """SPEC.md and DOMAIN.md are not in the repository: cite docs/<page>.md sections instead."""
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path, text in _package_texts()
        for number, line in enumerate(text.splitlines(), start=1)
        if _UNSHIPPED_CITATION.search(line)
    ]
    assert found == [], "\n".join(found)


def test_doc_references_in_the_package_resolve():
    """Every docs/<page>.md[#anchor][, "Section"] the package cites names a page, anchor, text."""
    broken = []
    for path, text in _package_texts():
        for match in _SHIPPED_DOC_CITATION.finditer(text):
            page, anchor, section = match.groups()
            target = ROOT / "docs" / page
            where = f"{path.relative_to(ROOT)}: {match.group(0)}"
            if not target.exists():
                broken.append(f"{where} (no such page)")
                continue
            if anchor and anchor[1:] not in {_slug(h) for h in _headings(target)}:
                broken.append(f"{where} (no such heading)")
            page_text = " ".join(target.read_text(encoding="utf-8").split())
            if section and " ".join(section.replace("#", "").split()) not in page_text:
                broken.append(f"{where} (the page does not have this section)")
    assert broken == [], "\n".join(broken)
