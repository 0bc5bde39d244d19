"""A baseline, for adopting the linter on a repository that has findings already.

`--write-baseline FILE` records today's findings by fingerprint (`reporters.fingerprints`:
path, rule, cell identity, the offending code, never line numbers); `--baseline FILE` then
reports and fails only on findings that are not in it, and says how many of its entries are
no longer found (fixed, or their code moved), so the file can be written again. Only the
files a run lints are compared: `--changed-since` and a subfolder leave the others alone.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from mlpizza_lint.api import Report
from mlpizza_lint.diagnostics import Diagnostic
from mlpizza_lint.notebook.staging import Change, StagingError, write_changes
from mlpizza_lint.reporters.fingerprints import fingerprinted
from mlpizza_lint.reporters.locations import relative_path, repository_root

FORMAT = 1


class BaselineError(Exception):
    """A baseline file that cannot be read; the message names it."""


@dataclass(frozen=True)
class Entry:
    fingerprint: str
    code: str
    path: str  # relative to the repository, as the fingerprint names it
    message: str


def write_baseline(report: Report, target: Path) -> int:
    """Record every finding of `report` in `target`; the number recorded."""
    entries = [_entry(diagnostic, fingerprint) for diagnostic, fingerprint in _fingerprints(report)]
    document = {
        "tool": "mlpizza-lint",
        "format": FORMAT,
        "findings": [entry.__dict__ for entry in entries],
    }
    text = json.dumps(document, indent=1, ensure_ascii=False) + "\n"
    try:  # atomically: a run killed while writing leaves the old baseline whole
        skipped = write_changes([Change(str(target), text, merge=lambda _: text)])
    except StagingError as error:
        raise BaselineError(str(error)) from None
    if skipped:
        raise BaselineError(next(iter(skipped.values())))
    return len(entries)


def read_baseline(source: Path) -> list[Entry]:
    try:
        document = json.loads(source.read_text(encoding="utf-8"))
        return [Entry(**item) for item in document["findings"]]
    except FileNotFoundError:
        raise BaselineError(
            f"{source}: no such baseline file (write one with --write-baseline)"
        ) from None
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise BaselineError(f"{source}: not a mlpizza-lint baseline ({error})") from None


@dataclass(frozen=True)
class Compared:
    report: Report  # the findings that are not in the baseline
    known: int  # findings the baseline holds
    stale: tuple[Entry, ...]  # entries of linted files that were not found again


def compared(report: Report, entries: Iterable[Entry]) -> Compared:
    baseline = {entry.fingerprint: entry for entry in entries}
    pairs = _fingerprints(report)
    fresh = Counter(diagnostic for diagnostic, print_ in pairs if print_ not in baseline)
    own_paths = {result.path for result in report.results}
    results = []
    for result in report.results:
        kept = []
        for diagnostic in result.diagnostics:
            if diagnostic.path not in own_paths:  # the project's finding, shown once
                kept += [diagnostic] if diagnostic in fresh else []
            elif fresh[diagnostic] > 0:
                fresh[diagnostic] -= 1
                kept.append(diagnostic)
        results.append(replace(result, diagnostics=tuple(kept)))
    seen = {print_ for _, print_ in pairs}
    linted = {_shown(path) for path in own_paths}
    stale = tuple(
        entry
        for entry in baseline.values()
        if entry.fingerprint not in seen and entry.path in linted
    )
    known = sum(print_ in baseline for _, print_ in pairs)
    return Compared(Report(tuple(results)), known, stale)


def _fingerprints(report: Report) -> list[tuple[Diagnostic, str]]:
    shown = {d.path: _shown(d.path) for d in report.diagnostics}
    return list(fingerprinted(report, shown))


def _shown(path: str) -> str:
    return relative_path(path, repository_root())


def _entry(diagnostic: Diagnostic, fingerprint: str) -> Entry:
    return Entry(fingerprint, diagnostic.code, _shown(diagnostic.path), diagnostic.message)
