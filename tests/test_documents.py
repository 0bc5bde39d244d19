"""Loading notebooks and Python files into cells, and refusing bad input with a reason."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mlpizza_lint.notebook.documents import DocumentError, load_document, split_percent_cells

from .conftest import CORPUS, NotebookWriter


def test_notebook_cells_keep_positions_counts_and_raw_text(write_notebook: NotebookWriter) -> None:
    path = write_notebook(("import os", 1), ("x = 1\ny = 2", None))
    document = load_document(str(path))
    assert document.is_notebook and document.raw == path.read_text()
    assert [(c.index, c.execution_count, c.source) for c in document.cells] == [
        (1, 1, "import os"),
        (2, None, "x = 1\ny = 2"),
    ]


def test_markdown_cells_count_in_cell_numbers(tmp_path: Path) -> None:
    path = tmp_path / "nb.ipynb"
    cells = [
        {"cell_type": "markdown", "metadata": {}, "source": ["# Title"]},
        {
            "cell_type": "code",
            "metadata": {"tags": ["export"]},
            "source": ["x = 1\n", "y = 2"],
            "execution_count": 3,
            "outputs": [],
        },
    ]
    path.write_text(
        json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": cells})
    )
    document = load_document(str(path))
    assert [(c.index, c.kind) for c in document.cells] == [(1, "markdown"), (2, "code")]
    assert document.cells[1].source == "x = 1\ny = 2" and document.cells[1].tags == ("export",)


def test_nbformat_3_notebooks_are_upgraded_in_memory(corpus: Path) -> None:
    old = next(
        path
        for path in sorted((corpus / "notebooks").rglob("*.ipynb"))
        if json.loads(path.read_text(encoding="utf-8")).get("nbformat") == 3
    )
    document = load_document(str(old))
    assert any(cell.kind == "code" and cell.source for cell in document.cells)


def test_percent_format_splits_cells_and_keeps_file_lines() -> None:
    cells = split_percent_cells("import os\n# %%\nx = 1\n# %% [markdown]\n# Title\n#%%\ny = 2\n")
    assert [(c.kind, c.source, c.line_offset) for c in cells] == [
        ("code", "import os\n", 0),
        ("code", "x = 1\n", 2),
        ("markdown", "# Title\n", 4),
        ("code", "y = 2\n", 6),
    ]


def test_python_file_without_markers_is_one_cell(tmp_path: Path) -> None:
    path = tmp_path / "train.py"
    path.write_text("import os\nprint(os.sep)\n")
    document = load_document(str(path))
    assert not document.is_notebook and len(document.cells) == 1


def test_coding_cookie_is_honoured(tmp_path: Path) -> None:
    path = tmp_path / "legacy.py"
    path.write_bytes("# -*- coding: latin-1 -*-\nname = 'café'\n".encode("latin-1"))
    assert "café" in load_document(str(path)).cells[0].source


def test_other_kernels_are_recognised() -> None:
    r_notebook = (
        CORPUS
        / "fixtures/astral-sh__ruff/crates/ruff_notebook/resources/test/fixtures/jupyter/R.ipynb"
    )
    if not r_notebook.exists():
        pytest.skip("corpus not available")
    document = load_document(str(r_notebook))
    assert not document.is_python and document.language == "r"


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("broken.ipynb", b'{"cells": [', "invalid JSON"),
        ("empty.ipynb", b"", "empty file"),
        ("list.ipynb", b"[1, 2]", "not an object"),
        ("nocells.ipynb", b'{"nbformat": 4, "metadata": {}}', "no `cells` list"),
        (
            "badcell.ipynb",
            b'{"nbformat": 4, "cells": [{"cell_type": "code", "source": 3}]}',
            "cell 1",
        ),
        ("cellnotdict.ipynb", b'{"nbformat": 4, "cells": ["x"]}', "cell 1 is not"),
        ("binary.ipynb", bytes(range(256)), "not UTF-8"),
        ("future.ipynb", b'{"nbformat": 9, "cells": []}', "unsupported nbformat"),
        ("latin.py", "name = 'café'\n".encode("latin-1"), "not UTF-8 text"),
    ],
)
def test_bad_input_raises_a_reason(tmp_path: Path, name: str, content: bytes, reason: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(DocumentError, match=reason):
        load_document(str(path))


def test_percent_cells_count_lines_as_python_does() -> None:
    from mlpizza_lint.notebook.documents import split_percent_cells

    cells = split_percent_cells("# %%\n# a\u2028b\nx = 1\n# %%\nrows = 2\n")
    assert [cell.line_offset for cell in cells] == [1, 4]
