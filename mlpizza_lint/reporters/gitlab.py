"""`--format gitlab`: a GitLab Code Quality report, shaped as ruff emits it.

Paths are relative to `CI_PROJECT_DIR` when GitLab sets it (else the working directory),
because GitLab matches findings to files of the merge request by that path.

The fingerprint is what GitLab uses to tell a new finding from an old one between
pipelines, so it hashes what stays put when code around it moves (path, code, message,
cell) and not line numbers; a counter tells identical findings in one file apart.

Notebook cells: GitLab can only point at a line of the `.ipynb` JSON, so a notebook finding
gets the fallback lines 1-1 (as ruff does) and `cell N, line L: ` in its description.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import Counter
from pathlib import Path
from typing import TextIO

from mlpizza_lint.api import Report
from mlpizza_lint.diagnostics import Diagnostic, Severity
from mlpizza_lint.reporters.escaping import encoding_of, json_text
from mlpizza_lint.reporters.locations import located_message, relative_path

SEVERITY = {Severity.ERROR: "major", Severity.WARNING: "minor"}


def write(report: Report, stream: TextIO) -> None:
    project = os.environ.get("CI_PROJECT_DIR")
    root = Path(project) if project else None
    seen: Counter[str] = Counter()
    issues = []
    for diagnostic in report.diagnostics:
        path = relative_path(diagnostic.path, root)
        key = json.dumps([path, diagnostic.code, diagnostic.message, diagnostic.cell])
        issues.append(_issue(diagnostic, path, fingerprint(key, seen[key])))
        seen[key] += 1
    stream.write(json_text(issues, encoding_of(stream)) + "\n")


def fingerprint(key: str, duplicate: int) -> str:
    return hashlib.sha256(f"{key}#{duplicate}".encode()).hexdigest()


def _issue(diagnostic: Diagnostic, path: str, digest: str) -> dict[str, object]:
    span = diagnostic.span
    begin, end = (1, 1) if diagnostic.cell is not None else (span.line, span.end_line)
    return {
        "description": f"{diagnostic.code} {located_message(diagnostic)}",
        "check_name": diagnostic.code,
        "fingerprint": digest,
        "severity": SEVERITY[diagnostic.severity],
        "location": {"path": path, "lines": {"begin": begin, "end": end}},
    }
