"""Headless chromium for the browser tests: no network, a screenshot or the DOM after scripts ran.

The browser gets a black-hole proxy, so any attempt to load something from the network fails —
pages must draw from what is inline in the file.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

CHROMIUM = next(
    (
        p
        for p in (
            shutil.which("chromium"),
            "/usr/bin/chromium",
            shutil.which("chromium-browser"),
            shutil.which("google-chrome"),
        )
        if p and Path(p).exists()
    ),
    None,
)

needs_browser = [
    pytest.mark.browser,
    # CI installs chromium (.ci/run), so there a missing browser fails instead of skipping
    pytest.mark.skipif(
        CHROMIUM is None and not os.environ.get("CI"),
        reason="headless chromium not installed (apt-get install chromium); browser tests skipped",
    ),
]


def browser_test(test: Callable[..., None]) -> Callable[..., None]:
    """Mark one test as a browser test (skipped without chromium, outside CI)."""
    for mark in needs_browser:
        test = mark(test)
    return test


def _command(page: Path, profile: Path, *extra: str) -> list[str]:
    return [
        str(CHROMIUM),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--proxy-server=http://127.0.0.1:9",
        "--enable-logging=stderr",
        f"--user-data-dir={profile}",
        "--virtual-time-budget=5000",
        *extra,
        page.resolve().as_uri(),
    ]


def screenshot(
    page: Path, png: Path, size: tuple[int, int] = (1200, 800)
) -> tuple[np.ndarray, str]:
    """Open ``page`` offline in headless chromium; return the RGB image (0-1) and the console."""
    from matplotlib import image

    cmd = _command(
        page,
        png.parent / "chromium-profile",
        f"--screenshot={png}",
        f"--window-size={size[0]},{size[1]}",
    )
    run = subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)
    assert png.is_file(), f"no screenshot; chromium said:\n{run.stderr[-2000:]}"
    console = "\n".join(line for line in run.stderr.splitlines() if "CONSOLE" in line)
    return image.imread(png)[:, :, :3], console


def dump_dom(page: Path, size: tuple[int, int] = (1200, 800)) -> tuple[str, str]:
    """Open ``page`` offline; return the DOM after its scripts ran, and the console."""
    cmd = _command(
        page,
        page.parent / "chromium-profile-dom",
        "--dump-dom",
        f"--window-size={size[0]},{size[1]}",
    )
    run = subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)
    assert run.stdout.strip(), f"no DOM; chromium said:\n{run.stderr[-2000:]}"
    console = "\n".join(line for line in run.stderr.splitlines() if "CONSOLE" in line)
    return run.stdout, console


def run_probe(page: Path, probe: str) -> tuple[dict[str, Any], str, str]:
    """Open a written map with ``probe`` appended and read what the probe reports.

    ``probe`` is a ``<script>`` in which ``%(map)s`` stands for the map's variable name (as a
    JSON string) and which writes its findings as JSON into ``<pre id="pf-probe">``. Returns
    those findings, the DOM and the console.
    """
    text = page.read_text(encoding="utf-8")
    name = re.search(r"var (map_\w+) = L\.map", text).group(1)
    probed = page.with_name(f"probed-{page.name}")
    probed.write_text(text + probe % {"map": json.dumps(name)}, encoding="utf-8")
    dom, console = dump_dom(probed)
    found = re.search(r'<pre id="pf-probe">(.*?)</pre>', dom, flags=re.DOTALL)
    assert found, f"the probe wrote nothing; console:\n{console}"
    return json.loads(html.unescape(found.group(1))), dom, console
