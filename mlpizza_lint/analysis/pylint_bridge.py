"""Run pylint over a notebook's code cells and report its messages at cell locations.

pylint checks files, so the code cells (IPython already translated to Python, the way our
own rules see them) become one temporary module, and each message is mapped back to its
cell and line. Cells pylint would choke on (syntax errors, non-Python cell magics) are left
out, and messages on a line where a magic was translated are dropped: they are about our
placeholder, not the user's code. The user's pylint configuration is found as pylint finds
it, from the working folder; what in it would run code (`init-hook`, `load-plugins`) is left
out unless the configuration is trusted (`pylint_config`).
"""

from __future__ import annotations

import io
import json
import tempfile
from dataclasses import dataclass
from pathlib import Path

from pylint.lint import Run
from pylint.reporters import JSONReporter

from mlpizza_lint.analysis.context import LintContext
from mlpizza_lint.analysis.pylint_config import untrusted_rcfile
from mlpizza_lint.diagnostics import Diagnostic, Severity
from mlpizza_lint.ipython.translation import Translation, translate
from mlpizza_lint.notebook.documents import Document
from mlpizza_lint.spans import Span

# Messages that are wrong for a notebook: cells have no module docstring, imports live in
# any cell, and a bare expression at the end of a cell is how a notebook displays a value.
NOTEBOOK_DISABLED = (
    "missing-module-docstring",
    "missing-final-newline",
    "trailing-newlines",
    "wrong-import-position",
    "pointless-statement",
    "expression-not-assigned",
)
SEVERITY = {"fatal": Severity.ERROR, "error": Severity.ERROR}


@dataclass(frozen=True)
class _Region:
    cell: int
    first_line: int  # line of the module where the cell starts
    line_count: int
    translation: Translation

    @property
    def magic_lines(self) -> frozenset[int]:
        return frozenset(
            number
            for magic in self.translation.magics
            for number in range(magic.span.line, magic.span.end_line + 1)
        )


def pylint_diagnostics(document: Document, trust_config: bool = False) -> list[Diagnostic]:
    """pylint's messages on the cells; `trust_config` lets the configuration run code."""
    source, regions = _module(document)
    if not regions:
        return []
    with tempfile.TemporaryDirectory() as folder:
        module = Path(folder) / "notebook_cells.py"
        module.write_text(source, encoding="utf-8")
        rcfile = [] if trust_config else [f"--rcfile={untrusted_rcfile(Path(folder))}"]
        output = io.StringIO()
        Run(
            [
                str(module),
                *rcfile,
                "--persistent=n",
                "--score=n",
                f"--disable={','.join(NOTEBOOK_DISABLED)}",
            ],
            reporter=JSONReporter(output),
            exit=False,
        )
    return [
        diagnostic
        for message in json.loads(output.getvalue() or "[]")
        if (diagnostic := _diagnostic(document, regions, message)) is not None
    ]


def _module(document: Document) -> tuple[str, list[_Region]]:
    parts: list[str] = []
    regions: list[_Region] = []
    line = 1
    for view in LintContext(document).python_cells():
        translation = translate(view.cell.source)
        if translation.python is None or view.facts.syntax_error is not None:
            continue
        text = translation.python.rstrip("\n") + "\n"
        count = text.count("\n")
        regions.append(_Region(view.cell.index, line, count, translation))
        parts.append(text)
        line += count
    return "".join(parts), regions


def _diagnostic(
    document: Document, regions: list[_Region], message: dict[str, object]
) -> Diagnostic | None:
    line = int(str(message["line"]))
    region = next((r for r in regions if r.first_line <= line < r.first_line + r.line_count), None)
    if region is None:
        return None
    cell_line = line - region.first_line + 1
    if cell_line in region.magic_lines:
        return None
    end_line = max(int(str(message.get("endLine") or line)) - region.first_line + 1, cell_line)
    column = region.translation.user_column(cell_line, int(str(message.get("column") or 0)) + 1)
    end_column = region.translation.user_column(
        end_line, int(str(message.get("endColumn") or 0)) + 1
    )
    cell = document.cells[region.cell - 1]
    offset = 0 if document.is_notebook else cell.line_offset
    return Diagnostic(
        code=f"PL:{message['message-id']}",
        name=str(message["symbol"]),
        severity=SEVERITY.get(str(message["type"]), Severity.WARNING),
        message=str(message["message"]),
        path=document.path,
        cell=region.cell if document.is_notebook else None,
        span=Span(cell_line + offset, column, end_line + offset, max(end_column, column + 1)),
    )
