"""Our findings in the editor's terms: 0-based positions in the client's code units, one
LSP diagnostic per finding, each linking to its rule's page."""

from __future__ import annotations

import re

from lsprotocol import types
from pygls.workspace import PositionCodec

from mlpizza_lint.catalogue import DOCS_URL
from mlpizza_lint.diagnostics import Diagnostic, Severity, Span

SOURCE = "mlpizza-lint"
SEVERITY = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
}
LINE_BREAK = re.compile(r"\r\n|\r|\n")  # what LSP counts as a line end


def lines_of(text: str) -> list[str]:
    return LINE_BREAK.split(text)


def position(lines: list[str], line: int, column: int, codec: PositionCodec) -> types.Position:
    """1-based line and column (code points) -> an LSP position; past the end is clamped."""
    if line > len(lines):
        return types.Position(line=len(lines) - 1, character=codec.client_num_units(lines[-1]))
    text = lines[line - 1]
    return types.Position(line=line - 1, character=codec.client_num_units(text[: column - 1]))


def lsp_range(span: Span, lines: list[str], codec: PositionCodec) -> types.Range:
    return types.Range(
        start=position(lines, span.line, span.column, codec),
        end=position(lines, span.end_line, span.end_column, codec),
    )


def lsp_diagnostic(
    diagnostic: Diagnostic, lines: list[str], codec: PositionCodec
) -> types.Diagnostic:
    return types.Diagnostic(
        range=lsp_range(diagnostic.span, lines, codec),
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
