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
from pathlib import Path

from mlpizza_lint.api import Report
from mlpizza_lint.diagnostics import Diagnostic
from mlpizza_lint.file_cache import Stamp, stamp
from mlpizza_lint.notebook.reading import read_regular_file


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
    identity = _cell_ids(diagnostic.path, stamp(Path(diagnostic.path))).get(diagnostic.cell)
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
def _cell_ids(path: str, _: Stamp) -> dict[int, str]:
    """Cell index (1-based) -> the cell's `id`, for notebooks that store ids (kept per
    path and stat)."""
    try:
        cells = json.loads(read_regular_file(path)).get("cells", [])
    except (OSError, ValueError, AttributeError):
        return {}
    return {
        index: cell["id"]
        for index, cell in enumerate(cells, 1)
        if isinstance(cell, dict) and isinstance(cell.get("id"), str)
    }
