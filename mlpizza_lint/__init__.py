"""mlpizza-lint: make notebooks run top to bottom, install reproducibly, import as a package.

The names below are imported when first used (PEP 562), so `python -m mlpizza_lint` and
every submodule start without loading the whole pipeline.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mlpizza_lint.api import Overrides, Report, check_paths, lint_paths
    from mlpizza_lint.config import Settings
    from mlpizza_lint.diagnostics import Diagnostic, FileResult, Severity
    from mlpizza_lint.engine import lint_file
    from mlpizza_lint.spans import Span

EXPORTS = {
    "Diagnostic": "mlpizza_lint.diagnostics",
    "FileResult": "mlpizza_lint.diagnostics",
    "Overrides": "mlpizza_lint.api",
    "Report": "mlpizza_lint.api",
    "Settings": "mlpizza_lint.config",
    "Severity": "mlpizza_lint.diagnostics",
    "Span": "mlpizza_lint.spans",
    "check_paths": "mlpizza_lint.api",
    "lint_file": "mlpizza_lint.engine",
    "lint_paths": "mlpizza_lint.api",
}

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


def __getattr__(name: str) -> object:
    if name not in EXPORTS:
        raise AttributeError(f"module 'mlpizza_lint' has no attribute {name!r}")
    return getattr(importlib.import_module(EXPORTS[name]), name)
