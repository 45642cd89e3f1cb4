"""The solution folder that ``parkflow solve`` and ``parkflow run`` write, in one place."""

from __future__ import annotations

from pathlib import Path

from parkflow.models.result import Result
from parkflow.models.scenario import Scenario


def write_solve_folder(
    scenario: Scenario, result: Result, folder: Path, lang: str = "zh"
) -> list[Path]:
    """Write summary.json, the CSV tables, report.md, report.html and map.html into ``folder``.

    ``folder`` is the temporary folder of a :func:`parkflow.io.atomic.output_dir` block, so
    all files land together or not at all. The map is written only when there is a solution to draw.
    """
    from parkflow.io.solution import write_solution_files
    from parkflow.maps import write_map
    from parkflow.report import write_reports

    written = list(write_solution_files(scenario, result, folder))
    written += write_reports(scenario, result, folder, lang=lang, formats=("md", "html"))
    if result.status.has_solution:
        written.append(write_map(scenario, result, folder / "map.html", lang=lang))
    return written


def is_solve_folder(folder: Path) -> bool:
    """True when ``folder`` holds a ``parkflow solve`` output; else print why on stderr."""
    import sys

    if (folder / "summary.json").is_file():
        return True
    print(
        f"error: {folder} is not a parkflow solve output folder (no summary.json); "
        "run `parkflow solve SCENARIO --out DIR` first",
        file=sys.stderr,
    )
    return False
