"""Write ``parkflow/webapp/static/i18n.js`` from the ``web:`` labels of :mod:`parkflow.i18n`.

The page's texts live once, in Python, beside every other label (docs/webapp.md); this script
renders them for the browser. ``tests/webapp/test_i18n_js.py`` fails when the shipped file is not
what the script writes. Usage::

    python tools/gen_webapp_i18n.py           # rewrite the file
    python tools/gen_webapp_i18n.py --check   # exit 1 when it is out of date
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from parkflow.i18n import web_texts_js  # noqa: E402

TARGET = ROOT / "parkflow" / "webapp" / "static" / "i18n.js"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check; exit 1 when stale")
    args = parser.parse_args(argv)
    text = web_texts_js()
    if args.check:
        current = TARGET.read_text(encoding="utf-8") if TARGET.exists() else ""
        if current != text:
            print(f"{TARGET} is out of date: run python tools/gen_webapp_i18n.py", file=sys.stderr)
            return 1
        return 0
    TARGET.write_text(text, encoding="utf-8")
    print(f"wrote {TARGET}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
