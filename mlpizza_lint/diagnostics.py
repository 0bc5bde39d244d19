"""The one record every stage hands to the next: a finding, with an optional fix.

Locations are cell-relative (`cell` is the 1-based index among all cells, `line` and
`column` 1-based inside that cell's source) so rules never think about file offsets;
reporters decide how to print them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

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

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Fix:
        move = data["move"]
        return cls(
            title=data["title"],
            applicability=Applicability(data["applicability"]),
            edits=tuple(
                Edit(
                    edit["cell"],
                    Span(edit["line"], edit["column"], edit["end_line"], edit["end_column"]),
                    edit["content"],
                    edit["path"],
                )
                for edit in data["edits"]
            ),
            move=CellMove(move["cell"], move["before"]) if move else None,
        )


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

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Diagnostic:
        """The inverse of `to_json` (the result cache stores findings as JSON)."""
        return cls(
            code=data["code"],
            name=data["name"],
            severity=Severity(data["severity"]),
            message=data["message"],
            path=data["path"],
            cell=data["cell"],
            span=Span(data["line"], data["column"], data["end_line"], data["end_column"]),
            fix=Fix.from_json(data["fix"]) if data["fix"] else None,
        )


@dataclass(frozen=True)
class FileResult:
    """What linting one file produced, small enough to send back from a worker process.

    `sources` holds the text of each cell that has a finding (key None: the whole file),
    so reporters can show code frames without reading the file again.
    """

    path: str
    diagnostics: tuple[Diagnostic, ...]
    notes: tuple[str, ...] = ()
    sources: dict[int | None, str] = field(default_factory=dict)

    def to_json(self) -> dict[str, object]:
        return {
            "path": self.path,
            "diagnostics": [diagnostic.to_json() for diagnostic in self.diagnostics],
            "notes": list(self.notes),
            "sources": [[cell, text] for cell, text in self.sources.items()],
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> FileResult:
        return cls(
            path=data["path"],
            diagnostics=tuple(Diagnostic.from_json(each) for each in data["diagnostics"]),
            notes=tuple(data["notes"]),
            sources={cell: text for cell, text in data["sources"]},
        )
