"""Comments and tags that silence findings, collected once per cell and applied as a filter.

`# noqa` silences every finding on its line and `# noqa: MLP301, MLP302` the listed
codes (in a comment: `"# noqa"` inside a string is text); `# mlpizza-lint: noqa`
(optionally with codes) as a cell's first line silences the cell; the cell tag
`mlpizza-lint:skip` silences everything in the cell.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from mlpizza_lint.notebook.documents import Cell, comments_by_line

CODES = r"(?::\s*(?P<codes>[A-Z]+[0-9]+(?:[\s,]+[A-Z]+[0-9]+)*))?"
LINE_NOQA = re.compile(r"#\s*noqa" + CODES, re.IGNORECASE)
CELL_NOQA = re.compile(r"^\s*#\s*mlpizza-lint:\s*noqa" + CODES, re.IGNORECASE)
SKIP_TAG = "mlpizza-lint:skip"
EVERYTHING: frozenset[str] = frozenset({"*"})


@dataclass(frozen=True)
class CellSuppressions:
    whole_cell: frozenset[str] = frozenset()
    by_line: dict[int, frozenset[str]] = field(default_factory=dict)

    def silences(self, line: int, code: str) -> bool:
        return any(
            code in codes or codes is EVERYTHING
            for codes in (self.whole_cell, self.by_line.get(line, frozenset()))
        )


def cell_suppressions(cell: Cell) -> CellSuppressions:
    if SKIP_TAG in cell.tags:
        return CellSuppressions(whole_cell=EVERYTHING)
    lines = cell.source.splitlines()
    first = CELL_NOQA.match(lines[0]) if lines else None
    marked = [number for number, line in enumerate(lines, 1) if "noqa" in line.lower()]
    comments = comments_by_line(cell.source) if marked else None
    by_line = {  # in a comment: `"# noqa"` inside a string silences nothing
        number: _codes(match)
        for number in marked
        if (match := LINE_NOQA.search(_comment(comments, number, lines)))
    }
    return CellSuppressions(whole_cell=_codes(first) if first else frozenset(), by_line=by_line)


def _comment(comments: dict[int, str] | None, number: int, lines: list[str]) -> str:
    """A line's comment; the line as written where the tokenizer could not read the cell."""
    return lines[number - 1] if comments is None else comments.get(number, "")


def _codes(match: re.Match[str]) -> frozenset[str]:
    codes = match["codes"]
    return frozenset(re.split(r"[\s,]+", codes.upper())) if codes else EVERYTHING
