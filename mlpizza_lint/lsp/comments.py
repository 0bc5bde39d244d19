"""Where a trailing `# noqa: CODE` can go in a cell without changing what the cell does.

A `#` starts a comment in Python and in a shell, so it is harmless at the end of a Python
line, a `!` line, a `%%bash` line, and after the magics that hand their line to a shell
(`%pip`) or compile it as Python (`%time`). Anywhere else it is text: a line magic takes
the rest of its line as its argument (`%env DATA=/x  # noqa` sets DATA to all of it), a cell
magic's body is another language (`%%sql`), and a line can end inside a multi-line string.
"""

from __future__ import annotations

import io
import tokenize

from mlpizza_lint.ipython.magics import names
from mlpizza_lint.ipython.translation import MagicKind, translate

# Line magics whose line a shell or Python reads, where `#` starts a comment.
COMMENTED_LINE_MAGICS = names(installs=True) | names(shell_argument=True) | names(runs_code=True)
# Tokens that can hold a line break of a string (f-strings split into parts from 3.12 on).
STRING_PARTS = frozenset(
    getattr(tokenize, name)
    for name in ("STRING", "FSTRING_MIDDLE", "TSTRING_MIDDLE")
    if hasattr(tokenize, name)
)


def takes_comment(source: str, line: int) -> bool:
    """Whether `# ...` at the end of 1-based `line` of a cell's `source` is only a comment."""
    translation = translate(source)
    for magic in translation.magics:
        if magic.span.line <= line <= magic.span.end_line:
            return magic.kind is MagicKind.SHELL or (
                magic.kind is MagicKind.LINE and magic.name in COMMENTED_LINE_MAGICS
            )
    if translation.python is None:  # the body of a cell magic of another language
        return False
    return not _ends_in_string(translation.python, line)


def _ends_in_string(python: str, line: int) -> bool:
    """Whether the line break of `line` belongs to a string; a cell that cannot be read
    (it has a syntax error, reported as such) is taken as it looks."""
    try:
        for token in tokenize.generate_tokens(io.StringIO(python).readline):
            if token.start[0] > line:
                return False
            if token.type in STRING_PARTS and token.start[0] <= line < token.end[0]:
                return True
    except (tokenize.TokenError, SyntaxError):
        return False
    return False
