"""Build hook: copy the repository's ``scenarios/`` into the wheel as parkflow/data/scenarios.

Everything else is declared in pyproject.toml. The top-level ``scenarios/`` folder stays the one
source (a checkout and an editable install read it there, see parkflow/io/bundled.py); a wheel
gets a copy made at build time, so ``parkflow run`` works from a wheel install. A copy is more
robust than a symlink under parkflow/data: symlinks are lost or refused on Windows checkouts
and by some sdist tools.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent


class BuildPyWithScenarios(build_py):
    """``build_py`` that adds the bundled scenarios to the built package."""

    def run(self) -> None:  # noqa: D102
        super().run()
        source = HERE / "scenarios"
        if getattr(self, "editable_mode", False) or not source.is_dir():
            return
        target = Path(self.build_lib) / "parkflow" / "data" / "scenarios"
        shutil.copytree(source, target, dirs_exist_ok=True,
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc", ".*"))


setup(cmdclass={"build_py": BuildPyWithScenarios})
