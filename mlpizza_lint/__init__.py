"""mlpizza-lint: make notebooks run top to bottom, install reproducibly, import as a package."""

from mlpizza_lint.api import Overrides, Report, check_paths, lint_paths
from mlpizza_lint.config import Settings
from mlpizza_lint.diagnostics import Diagnostic, FileResult, Severity
from mlpizza_lint.engine import lint_file
from mlpizza_lint.spans import Span

__all__ = [
    "Diagnostic",
    "FileResult",
    "Overrides",
    "Report",
    "Settings",
    "Severity",
    "Span",
    "check_paths",
    "lint_file",
    "lint_paths",
]
