"""The map's texts, as a view of :mod:`parkflow.i18n` (``map:<key>``), their one home.

:func:`parkflow.maps.popups.map_label` reads them there; :data:`MAP_TEXT` stays for callers of
this name. Add a map text to ``parkflow.i18n._MAP_LABELS``.
"""

from __future__ import annotations

from parkflow.i18n import LABELS

MAP_TEXT: dict[str, dict[str, str]] = {
    key.removeprefix("map:"): texts for key, texts in LABELS.items() if key.startswith("map:")
}
