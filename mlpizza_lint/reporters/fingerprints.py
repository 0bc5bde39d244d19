"""Fingerprints that let CI tell a new finding from one it has seen before.

GitHub code scanning (SARIF `partialFingerprints`) and GitLab Code Quality compare
fingerprints between runs. A fingerprint made of line numbers or cell positions changes
when a cell is inserted above, and every finding below looks fixed and new at once. So it
hashes what stays with the finding: the path, the rule, the cell (its nbformat 4.5 `id`,
else a hash of its source), the code the finding points at with its whitespace
normalised, and a counter that tells identical findings of one cell apart.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterator
from functools import lru_cache

from mlpizza_lint.api import Report
from mlpizza_lint.diagnostics import Diagnostic
from mlpizza_lint.reporters.locations import notebook_text


def fingerprinted(report: Report, shown_path: dict[str, str]) -> Iterator[tuple[Diagnostic, str]]:
    """Each diagnostic of the report with its fingerprint; `shown_path` maps a path to
    how the format names it (relative to the repository), which the fingerprint uses."""
    sources = {
        (result.path, cell): text
        for result in report.results
        for cell, text in result.sources.items()
    }
    seen: Counter[str] = Counter()
    for diagnostic in report.diagnostics:
        source = sources.get((diagnostic.path, diagnostic.cell), "")
        key = json.dumps(
            [
                shown_path.get(diagnostic.path, diagnostic.path),
                diagnostic.code,
                _cell_identity(diagnostic, source),
                _snippet(diagnostic, source),
            ]
        )
        yield diagnostic, hashlib.sha256(f"{key}#{seen[key]}".encode()).hexdigest()
        seen[key] += 1


def _cell_identity(diagnostic: Diagnostic, source: str) -> str:
    if diagnostic.cell is None:
        return ""
    notebook = notebook_text(diagnostic.path)
    identity = _cell_ids(notebook.text).get(diagnostic.cell) if notebook else None
    return identity or hashlib.sha256(source.encode()).hexdigest()


def _snippet(diagnostic: Diagnostic, source: str) -> str:
    """The text the finding points at (its first line), or its message for a finding
    about the project, which points at no text."""
    lines = source.splitlines()
    span = diagnostic.span
    if not 0 < span.line <= len(lines):
        return diagnostic.message
    line = lines[span.line - 1]
    end = span.end_column - 1 if span.end_line == span.line else len(line)
    return " ".join(line[span.column - 1 : end].split()) or " ".join(line.split())


@lru_cache(maxsize=64)
def _cell_ids(text: str) -> dict[int, str]:
    """Cell index (1-based) -> the cell's `id`, for notebooks that store ids."""
    try:
        cells = json.loads(text).get("cells", [])
    except (ValueError, AttributeError):
        return {}
    return {
        index: cell["id"]
        for index, cell in enumerate(cells, 1)
        if isinstance(cell, dict) and isinstance(cell.get("id"), str)
    }
