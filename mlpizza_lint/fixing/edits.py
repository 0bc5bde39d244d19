"""Text edits in line/column coordinates: which fixes can go together, and applying them."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache

from mlpizza_lint.diagnostics import Fix
from mlpizza_lint.spans import Edit, Span

Point = tuple[int, int]
PYTHON_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")


@lru_cache(maxsize=32)
def split_lines(text: str) -> tuple[str, ...]:
    """Lines as Python counts them, ends kept: unlike `str.splitlines`, a form feed or
    U+2028 inside a line does not end it, so line numbers match `ast`'s. Kept for the last
    few texts: every finding in a cell asks for its lines."""
    return tuple(PYTHON_LINE.findall(text))


def _range(edit: Edit) -> tuple[object, Point, Point]:
    target = (edit.path, edit.cell)
    return target, (edit.span.line, edit.span.column), (edit.span.end_line, edit.span.end_column)


def _overlap(first: Edit, second: Edit) -> bool:
    """Two different edits touching the same characters (insertions at one point do not)."""
    if first == second:
        return False
    target_a, start_a, end_a = _range(first)
    target_b, start_b, end_b = _range(second)
    if target_a != target_b:
        return False
    if start_a == end_a == start_b == end_b:
        return False
    return (start_a < end_b and start_b < end_a) or start_a == start_b


def compatible(fixes: Iterable[Fix]) -> list[Fix]:
    """Fixes in order, skipping any that overlaps one already taken (as ruff does)."""
    taken: list[Fix] = []
    for fix in fixes:
        accepted = [edit for other in taken for edit in other.edits]
        if not any(_overlap(edit, other) for edit in fix.edits for other in accepted):
            taken.append(fix)
    return taken


def apply_edits(text: str, edits: Sequence[Edit]) -> str:
    """Apply edits given in 1-based lines and columns of `text`; identical edits once.

    Edits are applied from the end so earlier positions stay valid; insertions at the same
    point end up in the order given. A position past the last line is the end of the text.
    """
    starts = [0]
    for line in split_lines(text):
        starts.append(starts[-1] + len(line))

    def offset(line: int, column: int) -> int:
        if line > len(starts) - 1:
            return starts[-1]
        return min(starts[line - 1] + column - 1, starts[line])

    placed = sorted(  # offsets in the original text, before any edit moves them
        (
            (offset(edit.span.line, edit.span.column), order, edit)
            for order, edit in enumerate(dict.fromkeys(edits))
        ),
        key=lambda item: item[:2],
        reverse=True,
    )
    result = text
    for start, _, edit in placed:
        end = offset(edit.span.end_line, edit.span.end_column)
        result = result[:start] + edit.replacement + result[end:]
    return result


def line_removal(cell: int | None, source: str, span: Span) -> Edit | None:
    """An edit deleting the lines `span` covers, when they hold nothing else and are not
    indented (removing an indented line could leave an empty block); None otherwise."""
    lines = [line.rstrip("\r\n") for line in split_lines(source)]
    if span.column != 1 or not 0 < span.line <= span.end_line <= len(lines):
        return None
    if lines[span.end_line - 1][span.end_column - 1 :].strip():
        return None
    end_of_last = len(lines[-1]) + 1
    if span.end_line < len(lines) or source.endswith(("\n", "\r")):
        removed = Span(span.line, 1, span.end_line + 1, 1)
    elif span.line > 1:  # the last line: take the newline before it instead
        removed = Span(span.line - 1, len(lines[span.line - 2]) + 1, span.end_line, end_of_last)
    else:
        removed = Span(1, 1, span.end_line, end_of_last)
    return Edit(cell, removed, "")
