"""Shared fixtures: the read-only corpus of real notebooks, and notebook writers."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import nbformat
import pytest

# Every run in the tests lints afresh (and writes no cache folder into the checkout);
# tests/test_result_cache.py turns the cache on where it is what is tested.
os.environ["MLPIZZA_LINT_NO_CACHE"] = "1"

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
EXAMPLES = ROOT / "examples"


@pytest.fixture(scope="session")
def corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.skip("the shared corpus is not available")
    return CORPUS


NotebookWriter = Callable[..., Path]


@pytest.fixture
def write_notebook(tmp_path: Path) -> NotebookWriter:
    """Write a v4 notebook of code cells (source, execution count) into tmp_path."""

    def write(
        *cells: str | tuple[str, int | None],
        name: str = "nb.ipynb",
        language: str = "python",
    ) -> Path:
        notebook = nbformat.v4.new_notebook()
        notebook.metadata["kernelspec"] = {
            "name": language,
            "language": language,
            "display_name": language,
        }
        for cell in cells:
            source, count = cell if isinstance(cell, tuple) else (cell, None)
            notebook.cells.append(nbformat.v4.new_code_cell(source, execution_count=count))
        path = tmp_path / name
        path.write_text(json.dumps(notebook, indent=1), encoding="utf-8")
        return path

    return write
