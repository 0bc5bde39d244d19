"""The whole shared corpus of real notebooks: no crash, and every source finding reviewed.

Reviewed precision on `corpus/notebooks` (each line of the snapshots read by hand):
see the counts in the snapshot files; false positives found in review were fixed in
the rules, not recorded here.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from mlpizza_lint.api import Overrides, check_paths
from mlpizza_lint.diagnostics import Diagnostic

from .snapshots import assert_snapshot


def line(diagnostic: Diagnostic, root: Path) -> str:
    path = Path(diagnostic.path).relative_to(root)
    place = f"cell {diagnostic.cell}:{diagnostic.span.line}:{diagnostic.span.column}"
    return f"{path}:{place} {diagnostic.code} {diagnostic.message}"


def test_whole_corpus_runs_without_a_traceback(corpus: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mlpizza_lint", str(corpus), "--format", "json", "--exit-zero"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    findings = json.loads(result.stdout)
    assert {item["code"] for item in findings} >= {"MLP000", "MLP001", "MLP201", "MLP301"}


def test_install_and_path_findings_on_real_notebooks(corpus: Path) -> None:
    notebooks = corpus / "notebooks"
    report = check_paths([str(notebooks)], Overrides(select=("MLP201", "MLP301", "MLP302")))
    assert_snapshot("corpus_sources.txt", [line(d, notebooks) for d in report.diagnostics])


def test_syntax_errors_on_real_notebooks(corpus: Path) -> None:
    notebooks = corpus / "notebooks"
    report = check_paths([str(notebooks)], Overrides(select=("MLP000",)))
    assert_snapshot("corpus_syntax_errors.txt", [line(d, notebooks) for d in report.diagnostics])


def test_name_findings_on_real_notebooks(corpus: Path) -> None:
    notebooks = corpus / "notebooks"
    report = check_paths([str(notebooks)], Overrides(select=("MLP101", "MLP102", "MLP103")))
    assert_snapshot("corpus_names.txt", [line(d, notebooks) for d in report.diagnostics])


def test_undeclared_projects_among_real_notebooks(corpus: Path) -> None:
    """The corpus keeps notebooks without their repositories' dependency files or `.git`:
    each folder is a project of its own files, and one that imports packages is reported."""
    notebooks = corpus / "notebooks"
    report = check_paths([str(notebooks)], Overrides(select=("MLP205",)))
    assert_snapshot("corpus_undeclared.txt", [line(d, notebooks) for d in report.diagnostics])


def test_removed_apis_in_real_notebooks(corpus: Path) -> None:
    notebooks = corpus / "notebooks"
    report = check_paths([str(notebooks)], Overrides(select=("MLP208",)))
    assert_snapshot("corpus_removed_apis.txt", [line(d, notebooks) for d in report.diagnostics])


def test_checklist_findings_on_real_notebooks(corpus: Path) -> None:
    """The in-cell checklist (dead, commented-out and redefined code, data inputs and
    downloads). The corpus keeps notebooks without their data, so every relative data
    file they read is missing here: MLP303's lines are its reads as resolved."""
    notebooks = corpus / "notebooks"
    codes = ("MLP105", "MLP106", "MLP303", "MLP304", "MLP401", "MLP402", "MLP403")
    report = check_paths([str(notebooks)], Overrides(select=codes))
    assert_snapshot("corpus_checklist.txt", [line(d, notebooks) for d in report.diagnostics])
