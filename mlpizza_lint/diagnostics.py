"""The one record every stage hands to the next: a finding, with an optional fix.

Locations are cell-relative (`cell` is the 1-based index among all cells, `line` and
`column` 1-based inside that cell's source) so rules never think about file offsets;
reporters decide how to print them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from mlpizza_lint.spans import CellMove, Edit, Span


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


class Applicability(str, Enum):
    """Whether `--fix` may apply a fix on its own (safe) or only with `--unsafe-fixes`."""

    SAFE = "safe"
    UNSAFE = "unsafe"


@dataclass(frozen=True)
class Fix:
    """Text edits inside cells, or moving a whole cell; `--fix` applies safe ones only."""

    title: str
    applicability: Applicability
    edits: tuple[Edit, ...] = ()
    move: CellMove | None = None

    def to_json(self) -> dict[str, object]:
        return {
            "title": self.title,
            "applicability": self.applicability.value,
            "move": {"cell": self.move.cell, "before": self.move.before} if self.move else None,
            "edits": [
                {
                    "cell": edit.cell,
                    "line": edit.span.line,
                    "column": edit.span.column,
                    "end_line": edit.span.end_line,
                    "end_column": edit.span.end_column,
                    "content": edit.replacement,
                    "path": edit.path,
                }
                for edit in self.edits
            ],
        }


@dataclass(frozen=True)
class Diagnostic:
    code: str
    name: str
    severity: Severity
    message: str
    path: str
    cell: int | None
    span: Span
    fix: Fix | None = field(default=None, compare=False)

    @property
    def sort_key(self) -> tuple[str, int, int, int, str]:
        return (self.path, self.cell or 0, self.span.line, self.span.column, self.code)

    def to_json(self) -> dict[str, object]:
        """The stable JSON shape of DESIGN §3."""
        return {
            "code": self.code,
            "name": self.name,
            "severity": self.severity.value,
            "message": self.message,
            "path": self.path,
            "cell": self.cell,
            "line": self.span.line,
            "column": self.span.column,
            "end_line": self.span.end_line,
            "end_column": self.span.end_column,
            "fix": self.fix.to_json() if self.fix else None,
        }
