"""`--format gitlab`: a GitLab Code Quality report, shaped as ruff emits it.

Paths are relative to `CI_PROJECT_DIR` when GitLab sets it (else the git checkout around
the working folder), because GitLab matches findings to files of the merge request by that
path.

The fingerprint is what GitLab uses to tell a new finding from an old one between
pipelines: `reporters.fingerprints`, which survives cells inserted above.

Notebook cells: GitLab can only point at lines of the file, so a notebook finding's lines
are where its text sits in the notebook's JSON, and its description starts with
`cell N, line L: `.
"""

from __future__ import annotations

from typing import TextIO

from mlpizza_lint.api import Report
from mlpizza_lint.diagnostics import Diagnostic, Severity
from mlpizza_lint.reporters.escaping import encoding_of, json_text
from mlpizza_lint.reporters.fingerprints import fingerprinted
from mlpizza_lint.reporters.locations import (
    file_region,
    located_message,
    relative_path,
    repository_root,
)

SEVERITY = {Severity.ERROR: "major", Severity.WARNING: "minor"}


def write(report: Report, stream: TextIO) -> None:
    root = repository_root("CI_PROJECT_DIR")
    shown = {d.path: relative_path(d.path, root) for d in report.diagnostics}
    issues = [
        _issue(diagnostic, shown[diagnostic.path], fingerprint)
        for diagnostic, fingerprint in fingerprinted(report, shown)
    ]
    stream.write(json_text(issues, encoding_of(stream)) + "\n")


def _issue(diagnostic: Diagnostic, path: str, digest: str) -> dict[str, object]:
    region = file_region(diagnostic)
    begin, end = (1, 1) if region is None else (region.line, region.end_line)
    return {
        "description": f"{diagnostic.code} {located_message(diagnostic)}",
        "check_name": diagnostic.code,
        "fingerprint": digest,
        "severity": SEVERITY[diagnostic.severity],
        "location": {"path": path, "lines": {"begin": begin, "end": end}},
    }
