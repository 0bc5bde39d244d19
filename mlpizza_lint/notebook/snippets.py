"""Small notebooks written as text, for rule examples and tests.

A snippet is percent-format Python whose cell headers also carry what a saved notebook
has: `# %% [3]` is a code cell run third, `# %% [ ]` one never run, `# %% [5] !KeyError`
one saved with a KeyError, `# %% [markdown]` a markdown cell, `# %% tags=a,b` cell tags.
Text without a header is one unexecuted code cell. `# error: [MLP301]` at the end of a
line says that line must be reported; it is how examples state their expectation.
"""

from __future__ import annotations

import re
from dataclasses import replace

from mlpizza_lint.notebook.documents import Cell, Document, split_percent_cells
from mlpizza_lint.notebook.tracebacks import SavedError

COUNT = re.compile(r"\[\s*(\d*)\s*\]")
SAVED_ERROR = re.compile(r"!(\w+)")
TAGS = re.compile(r"tags=([\w:,-]+)")
EXPECTATION = re.compile(r"\s*# error: \[(?P<codes>[A-Z0-9, ]+)\]\s*$")


def snippet_document(text: str, path: str = "example.ipynb") -> Document:
    lines = text.splitlines(keepends=True)
    headers = [line for line in lines if line.startswith("# %%")]
    cells = split_percent_cells(text)
    if not headers:
        return Document(path=path, cells=cells, raw=text, is_notebook=True)
    return Document(
        path=path,
        cells=tuple(
            _with_header(replace(cell, index=index), header)
            for index, (cell, header) in enumerate(zip(cells, headers, strict=True), 1)
        ),
        raw=text,
        is_notebook=True,
    )


def expected_findings(document: Document) -> set[tuple[int, int, str]]:
    """(cell, line, code) for every `# error: [...]` marker."""
    expected: set[tuple[int, int, str]] = set()
    for cell in document.cells:
        for number, line in enumerate(cell.source.splitlines(), 1):
            match = EXPECTATION.search(line)
            if match:
                codes = (code.strip() for code in match["codes"].split(","))
                expected.update((cell.index, number, code) for code in codes)
    return expected


def without_expectations(text: str) -> str:
    """The snippet as shown in documentation."""
    return "\n".join(EXPECTATION.sub("", line) for line in text.splitlines())


def _with_header(cell: Cell, header: str) -> Cell:
    if "[markdown]" in header:
        return replace(cell, kind="markdown")
    count = COUNT.search(header)
    error = SAVED_ERROR.search(header)
    tags = TAGS.search(header)
    return replace(
        cell,
        execution_count=int(count[1]) if count and count[1] else None,
        errors=(SavedError(error[1], "", None),) if error else (),
        tags=tuple(tags[1].split(",")) if tags else (),
    )
