"""The web app's i18n.js is generated from parkflow.i18n's ``web:`` labels (one table)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from parkflow.i18n import LABELS, LANGS, web_texts_js

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "parkflow" / "webapp" / "static" / "i18n.js"


def test_the_shipped_i18n_js_is_the_generated_one():
    assert SHIPPED.read_text(encoding="utf-8") == web_texts_js(), (
        "parkflow/webapp/static/i18n.js differs from parkflow.i18n's web: labels: add the texts "
        "to parkflow/i18n.py (_WEB_LABELS) and run python tools/gen_webapp_i18n.py"
    )


def test_every_web_text_is_in_both_languages_and_reaches_the_page():
    web = {k[4:]: v for k, v in LABELS.items() if k.startswith("web:")}
    assert len(web) >= 100
    text = web_texts_js()
    for lang in LANGS:
        block = re.search(rf"^  {lang}: (\{{.*?^  \}})", text, re.MULTILINE | re.DOTALL)
        assert block is not None, lang
        assert json.loads(block.group(1)) == {k: v[lang] for k, v in web.items()}


def test_a_quote_in_a_text_is_escaped():
    text = web_texts_js({"x": {"zh": 'say "hi"', "en": "a\\b"}})
    assert '"x": "say \\"hi\\""' in text
    assert '"x": "a\\\\b"' in text
