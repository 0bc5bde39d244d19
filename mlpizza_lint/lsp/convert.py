"""Our findings in the editor's terms: 0-based positions in the client's code units, one
LSP diagnostic per finding, each linking to its rule's page."""

from __future__ import annotations

import re

from lsprotocol import types

from mlpizza_lint.diagnostics import Diagnostic, Severity
from mlpizza_lint.rules.catalogue import DOCS_URL
from mlpizza_lint.spans import Span

SOURCE = "mlpizza-lint"
SEVERITY = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
}
LINE_BREAK = re.compile(r"\r\n|\r|\n")  # what LSP counts as a line end


def lines_of(text: str) -> list[str]:
    return LINE_BREAK.split(text)


def units(text: str, encoding: str) -> int:
    """The length of `text` in the code units of the position encoding agreed with the client."""
    if text.isascii() or encoding == types.PositionEncodingKind.Utf32:
        return len(text)
    if encoding == types.PositionEncodingKind.Utf8:
        return len(text.encode("utf-8"))
    return len(text.encode("utf-16-le")) // 2


def position(lines: list[str], line: int, column: int, encoding: str) -> types.Position:
    """1-based line and column (code points) -> an LSP position; past the end is clamped."""
    if line > len(lines):
        return types.Position(line=len(lines) - 1, character=units(lines[-1], encoding))
    return types.Position(line=line - 1, character=units(lines[line - 1][: column - 1], encoding))


def lsp_range(span: Span, lines: list[str], encoding: str) -> types.Range:
    return types.Range(
        start=position(lines, span.line, span.column, encoding),
        end=position(lines, span.end_line, span.end_column, encoding),
    )


def lsp_diagnostic(diagnostic: Diagnostic, lines: list[str], encoding: str) -> types.Diagnostic:
    return types.Diagnostic(
        range=lsp_range(diagnostic.span, lines, encoding),
        message=diagnostic.message,
        severity=SEVERITY[diagnostic.severity],
        code=diagnostic.code,
        code_description=types.CodeDescription(href=DOCS_URL.format(code=diagnostic.code)),
        source=SOURCE,
    )


def overlaps(first: types.Range, second: types.Range) -> bool:
    """Whether two ranges share a position (touching ends count, as a cursor does)."""
    return _point(first.start) <= _point(second.end) and _point(second.start) <= _point(first.end)


def contains(area: types.Range, where: types.Position) -> bool:
    return _point(area.start) <= _point(where) <= _point(area.end)


def _point(where: types.Position) -> tuple[int, int]:
    return where.line, where.character
