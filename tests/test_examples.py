"""The example notebooks: the messy ones report what was planted, the clean one nothing."""

from __future__ import annotations

from mlpizza_lint.api import check_paths

from .conftest import EXAMPLES
from .snapshots import assert_snapshot


def test_clean_notebook_has_no_findings() -> None:
    assert check_paths([str(EXAMPLES / "clean_forecast.ipynb")]).diagnostics == []


def test_messy_notebooks_findings_are_the_reviewed_ones() -> None:
    report = check_paths([str(EXAMPLES)])
    lines = [
        f"{d.path.removeprefix(str(EXAMPLES) + '/')}:cell {d.cell}:{d.span.line}:"
        f"{d.span.column} {d.code} {d.message}"
        for d in report.diagnostics
    ]
    assert_snapshot("examples.txt", lines)
