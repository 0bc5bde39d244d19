"""Apply fixes the way ruff does: one round of non-conflicting fixes, re-lint, repeat.

A round applies at most one cell move (moves change every later cell's number, so the
next round re-lints before trusting any other position). The loop stops when nothing
applies or after a few rounds, and a result that is not a valid notebook is refused.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, replace

from mlpizza_lint.config import Settings
from mlpizza_lint.context import LintContext
from mlpizza_lint.diagnostics import Applicability, Diagnostic, Fix
from mlpizza_lint.documents import Document, DocumentError, parse_notebook
from mlpizza_lint.engine import check_context, enabled_codes
from mlpizza_lint.notebook_json import move_cell
from mlpizza_lint.writer import write_atomically

MAX_ROUNDS = 10


@dataclass(frozen=True)
class FixOutcome:
    path: str
    original: Document
    fixed: Document
    applied: tuple[str, ...]

    @property
    def changed(self) -> bool:
        return self.fixed.raw != self.original.raw

    def diff(self) -> str:
        """A unified diff: of the code cells, each headed by its number, for a notebook."""
        listing = _cell_listing if self.original.is_notebook else _text_lines
        return "".join(
            difflib.unified_diff(
                listing(self.original),
                listing(self.fixed),
                fromfile=f"a/{self.path}",
                tofile=f"b/{self.path}",
            )
        )


def fix_document(document: Document, settings: Settings, unsafe: bool) -> FixOutcome:
    codes = enabled_codes(settings, document.path)
    if not document.is_notebook:
        return _fix_text(document, settings, codes, unsafe)
    current, applied = document, []
    for _ in range(MAX_ROUNDS):
        diagnostics, _notes = check_context(LintContext(current, settings), codes)
        fix = next((d.fix for d in diagnostics if _applicable(d, unsafe)), None)
        if fix is None or fix.move is None:
            break
        text = move_cell(current.raw, fix.move.cell, fix.move.before)
        try:
            current = parse_notebook(document.path, text.encode("utf-8"))
        except DocumentError:  # never hand back a notebook that does not load
            break
        applied.append(fix.title)
    return FixOutcome(document.path, document, current, tuple(applied))


def _fix_text(
    document: Document, settings: Settings, codes: frozenset[str], unsafe: bool
) -> FixOutcome:
    """A plain file: one round of text edits, applied from the end so offsets stay valid."""
    diagnostics, _notes = check_context(LintContext(document, settings), codes)
    fixes = [d.fix for d in diagnostics if d.fix and d.fix.edits and _applicable(d, unsafe)]
    lines = document.raw.splitlines(keepends=True)
    edits = sorted(
        (edit for fix in fixes for edit in fix.edits),
        key=lambda edit: (edit.span.line, edit.span.column),
        reverse=True,
    )
    for edit in edits:
        line = lines[edit.span.line - 1]
        start = edit.span.column - 1
        end = edit.span.end_column - 1 if edit.span.end_line == edit.span.line else start
        lines[edit.span.line - 1] = line[:start] + edit.replacement + line[end:]
    fixed = replace(document, raw="".join(lines))
    return FixOutcome(document.path, document, fixed, tuple(fix.title for fix in fixes))


def write_fixes(outcomes: list[FixOutcome]) -> int:
    """Write every changed notebook atomically; return how many fixes were applied."""
    for outcome in outcomes:
        if outcome.changed:
            write_atomically(outcome.path, outcome.fixed.raw)
    return sum(len(outcome.applied) for outcome in outcomes)


def _applicable(diagnostic: Diagnostic, unsafe: bool) -> bool:
    fix: Fix | None = diagnostic.fix
    return fix is not None and (unsafe or fix.applicability is Applicability.SAFE)


def _text_lines(document: Document) -> list[str]:
    return document.raw.splitlines(keepends=True)


def _cell_listing(document: Document) -> list[str]:
    lines = []
    for cell in document.cells:
        if cell.kind == "code":
            lines.append(f"# %% cell {cell.index}\n")
            lines += [line + "\n" for line in cell.source.splitlines()]
    return lines
