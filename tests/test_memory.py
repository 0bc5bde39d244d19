"""An editor re-lints a notebook on every keystroke: memory must not grow with them."""

from __future__ import annotations

import json
import tracemalloc

import nbformat
import pytest

from mlpizza_lint.analysis.context import LintContext
from mlpizza_lint.config import Settings
from mlpizza_lint.engine import check_context, default_codes
from mlpizza_lint.notebook.documents import parse_document

KEYSTROKES = 150


@pytest.mark.slow
def test_facts_of_an_edited_cell_replace_the_old_ones() -> None:
    notebook = nbformat.v4.new_notebook()
    body = "\n".join(f"x{i} = np.mean([{i}, {i} + 1]) + len('data/{i}.csv')" for i in range(100))
    notebook.cells = [nbformat.v4.new_code_cell("import numpy as np"), nbformat.v4.new_code_cell()]
    codes = default_codes()

    def lint(keystroke: int) -> None:
        notebook.cells[1].source = f"{body}\ny = {keystroke}"
        document = parse_document("/editor/open.ipynb", json.dumps(notebook).encode())
        check_context(LintContext(document, Settings()), codes)

    tracemalloc.start()
    try:
        lint(0)
        start = tracemalloc.get_traced_memory()[0]
        for keystroke in range(1, KEYSTROKES):
            lint(keystroke)
        grown = tracemalloc.get_traced_memory()[0] - start
    finally:
        tracemalloc.stop()
    assert grown < 2 * 1024 * 1024, f"{grown / 1024 / 1024:.1f} MiB kept after {KEYSTROKES} edits"
