"""Where things are and how they change: ranges inside cells, and the edits fixes make.

Every stage uses these, from reading a document to writing it back, so they live apart
from the diagnostics that carry them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Span:
    """A range inside one cell: 1-based lines and columns, end exclusive."""

    line: int
    column: int
    end_line: int
    end_column: int

    @classmethod
    def whole_line(cls, line: int, text: str) -> Span:
        return cls(line, 1, line, len(text) + 1)


@dataclass(frozen=True)
class Edit:
    """Replace `span` of cell `cell` (None for a plain file) with `replacement`.

    `path` None means the diagnostic's own file; otherwise the edit goes to another file
    (a fix that moves an install into the project's requirements file), which is created
    when it does not exist yet (its span is then 1:1-1:1).
    """

    cell: int | None
    span: Span
    replacement: str
    path: str | None = None


@dataclass(frozen=True)
class CellMove:
    """Move cell `cell` (1-based among all cells) to just before cell `before`."""

    cell: int
    before: int
