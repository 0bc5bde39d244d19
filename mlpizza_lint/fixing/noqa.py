"""`# noqa` comments written for findings: the editor's quick fix and `check --add-noqa`.

A trailing `# noqa: CODE` must not change what the line does.

A `#` starts a comment in Python and in a shell, so it is harmless at the end of a Python
line, a `!` line, a `%%bash` line, and after the magics that hand their line to a shell
(`%pip`) or compile it as Python (`%time`). Anywhere else it is text: a line magic takes
the rest of its line as its argument (`%env DATA=/x  # noqa` sets DATA to all of it), a cell
magic's body is another language (`%%sql`), and a line can end inside a multi-line string.
"""

from __future__ import annotations

import io
import re
import tokenize
from collections import defaultdict
from collections.abc import Iterable

from mlpizza_lint.analysis.suppression import LINE_NOQA
from mlpizza_lint.diagnostics import Diagnostic
from mlpizza_lint.fixing.edits import split_lines
from mlpizza_lint.fixing.rounds import FixOutcome, edited_text
from mlpizza_lint.ipython.magics import names
from mlpizza_lint.ipython.translation import MagicKind, translate
from mlpizza_lint.notebook.documents import Document
from mlpizza_lint.spans import Edit, Span

# Dependency files where a trailing comment becomes part of the value: setup.cfg's values,
# and a Dockerfile's instructions (only a line that starts with `#` is a comment there).
NO_TRAILING_COMMENTS = frozenset({"setup.cfg", "dockerfile"})
CODE = re.compile(r"[A-Z]+[0-9]+")

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


def noqa_edit(
    cell: int | None,
    source: str,
    line: int,
    codes: Iterable[str],
    dependency_kind: str | None = None,
) -> Edit | None:
    """`  # noqa: CODES` at the end of `line` of `cell`'s `source` (or of a file's text),
    or the codes its `# noqa:` list lacks added to it. None where a comment cannot go, or
    where the line is silenced for all of them already."""
    lines = split_lines(source)
    if dependency_kind in NO_TRAILING_COMMENTS or not 0 < line <= len(lines):
        return None
    if dependency_kind is None and not takes_comment(source, line):
        return None
    text = lines[line - 1].rstrip("\r\n")
    match = LINE_NOQA.search(text)
    if match is not None and not match["codes"]:
        return None  # a noqa comment without codes silences the line already
    listed = set(match["codes"].upper().replace(",", " ").split()) if match else set()
    missing = sorted(set(codes) - listed)
    if not missing:
        return None
    if match is not None:
        at = match.end("codes") + 1
        return Edit(cell, Span(line, at, line, at), "".join(f", {code}" for code in missing))
    if text.rstrip().endswith("\\"):
        return None  # a comment after a line continuation breaks it
    end = len(text.rstrip()) + 1
    return Edit(cell, Span(line, end, line, len(text) + 1), f"  # noqa: {', '.join(missing)}")


def with_noqa(document: Document, diagnostics: Iterable[Diagnostic]) -> FixOutcome:
    """`--add-noqa`: the document with a `# noqa` for the codes found on each line of its
    own, where a comment can go; `applied` holds each code written."""
    by_line: dict[tuple[int | None, int], set[str]] = defaultdict(set)
    for diagnostic in diagnostics:
        if diagnostic.path == document.path:
            by_line[diagnostic.cell, diagnostic.span.line].add(diagnostic.code)
    kind = document.dependencies.kind if document.dependencies is not None else None
    edits = [
        edit
        for (cell, line), codes in sorted(
            by_line.items(), key=lambda item: (item[0][0] or 0, item[0][1])
        )
        if (edit := noqa_edit(cell, _source(document, cell), line, codes, kind)) is not None
    ]
    return FixOutcome(
        document.path,
        document.raw,
        edited_text(document, edits) if edits else document.raw,
        tuple(code for edit in edits for code in CODE.findall(edit.replacement)),
        document.is_notebook,
    )


def _source(document: Document, cell: int | None) -> str:
    return document.raw if cell is None else document.cells[cell - 1].source
