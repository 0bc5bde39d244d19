"""Comments and tags that silence findings, collected once per cell and applied as a filter.

`# noqa` silences every finding on its line and `# noqa: MLP301, MLP302` the listed
codes (in a comment: `"# noqa"` inside a string is text); `# mlpizza-lint: noqa`
(optionally with codes) as a cell's first line silences the cell; the cell tag
`mlpizza-lint:skip` silences everything in the cell. Each directive that lists codes is
kept with its place, so that the codes it silenced nothing with can be reported (MLP900).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from mlpizza_lint.notebook.documents import Cell, comments_by_line
from mlpizza_lint.spans import Span

CODES = r"(?::\s*(?P<codes>[A-Z]+[0-9]+(?:[\s,]+[A-Z]+[0-9]+)*))?"
LINE_NOQA = re.compile(r"#\s*noqa" + CODES, re.IGNORECASE)
CELL_NOQA = re.compile(r"^\s*#\s*mlpizza-lint:\s*noqa" + CODES, re.IGNORECASE)
SKIP_TAG = "mlpizza-lint:skip"
EVERYTHING: frozenset[str] = frozenset({"*"})


@dataclass(frozen=True)
class Directive:
    """A `# noqa: CODES` (`whole_cell`: a cell's `# mlpizza-lint: noqa: CODES`) as written:
    `span` covers it from `#` to its last code, `codes_span` its list of codes."""

    span: Span
    codes_span: Span
    codes: tuple[str, ...]
    whole_cell: bool = False


@dataclass(frozen=True)
class CellSuppressions:
    whole_cell: frozenset[str] = frozenset()
    by_line: dict[int, frozenset[str]] = field(default_factory=dict)
    directives: tuple[Directive, ...] = ()  # those that list codes

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
    found = {  # in a comment: `"# noqa"` inside a string silences nothing
        number: (match, len(lines[number - 1]) - len(comment))
        for number in marked
        if (match := LINE_NOQA.search(comment := _comment(comments, number, lines)))
    }
    directives = [_directive(match, number, offset) for number, (match, offset) in found.items()]
    if first is not None:
        directives.insert(0, _directive(first, 1, 0, whole_cell=True))
    return CellSuppressions(
        whole_cell=_codes(first) if first else frozenset(),
        by_line={number: _codes(match) for number, (match, _) in found.items()},
        directives=tuple(directive for directive in directives if directive.codes),
    )


def _comment(comments: dict[int, str] | None, number: int, lines: list[str]) -> str:
    """A line's comment, which runs to the line's end; the line as written where the
    tokenizer could not read the cell."""
    return lines[number - 1] if comments is None else comments.get(number, "")


def _directive(match: re.Match[str], line: int, offset: int, whole_cell: bool = False) -> Directive:
    """`offset`: where the text searched starts in its line (0-based)."""
    start = offset + match.start() + (len(match[0]) - len(match[0].lstrip()))
    end = offset + match.end() + 1
    codes = tuple(re.split(r"[\s,]+", match["codes"].upper())) if match["codes"] else ()
    at = offset + (match.start("codes") if match["codes"] else match.end()) + 1
    return Directive(Span(line, start + 1, line, end), Span(line, at, line, end), codes, whole_cell)


def _codes(match: re.Match[str]) -> frozenset[str]:
    codes = match["codes"]
    return frozenset(re.split(r"[\s,]+", codes.upper())) if codes else EVERYTHING


@dataclass(frozen=True)
class Silenced:
    """What a document's directives silenced, for the rule that reports codes they list
    in vain: each silenced finding as (cell, line, code), and the codes enabled."""

    by_cell: dict[int, CellSuppressions]
    findings: frozenset[tuple[int, int, str]]
    enabled: frozenset[str]

    def used(self, cell: int, directive: Directive, code: str) -> bool:
        if directive.whole_cell:
            return any(found[0] == cell and found[2] == code for found in self.findings)
        return (cell, directive.span.line, code) in self.findings
