"""Code frames: the lines a finding points at, each with a caret underline.

Lines are counted as Python counts them, not as `str.splitlines` does (which also breaks at
form feeds, `\\x1c` and U+2028), so frame line N is the line N the message names. A line
longer than `MAX_WIDTH` is cut to a window around the finding and marked with `…`, as ruff
does: one minified line or data URI repeated under many findings must not print megabytes.
Each character is shown printable, and the carets are placed under the escaped text.
"""

from __future__ import annotations

from dataclasses import dataclass

from mlpizza_lint.fixing.edits import split_lines
from mlpizza_lint.reporters.escaping import printable
from mlpizza_lint.spans import Span

MAX_FRAME_LINES = 3
MAX_WIDTH = 120  # characters of a line shown, around the finding
LEAD = 40  # of which before the finding, when a line is cut
CUT = "…"


@dataclass(frozen=True)
class FrameLine:
    number: int
    text: str
    caret_start: int  # offset in `text`
    caret_width: int


def frame_lines(source: str, span: Span, encoding: str) -> list[FrameLine]:
    """The first `MAX_FRAME_LINES` lines of `span` in `source`, written for `encoding`."""
    lines = [line.rstrip("\r\n") for line in split_lines(source)]
    last = min(span.end_line, span.line + MAX_FRAME_LINES - 1, len(lines))
    return [
        _frame_line(number, lines[number - 1], span, encoding)
        for number in range(span.line, last + 1)
    ]


def _frame_line(number: int, line: str, span: Span, encoding: str) -> FrameLine:
    text = line.expandtabs(1)  # one column per character, as the span counts them
    start = min(span.column - 1 if number == span.line else 0, len(text))
    end = min(span.end_column - 1 if number == span.end_line else len(text), len(text))
    low = max(0, min(start - LEAD, len(text) - MAX_WIDTH))
    high = min(len(text), low + MAX_WIDTH)
    before = printable(CUT, encoding) if low > 0 else ""
    after = printable(CUT, encoding) if high < len(text) else ""
    shown = [printable(character, encoding) for character in text[low:high]]

    def offset(column: int) -> int:
        return len(before) + sum(map(len, shown[: max(column, low) - low]))

    caret_start = offset(start)
    return FrameLine(
        number,
        before + "".join(shown) + after,
        caret_start,
        max(1, offset(min(end, high)) - caret_start),
    )
