"""Fixes: the MLP101 cell move, `--diff`, `--fix`, and atomic, byte-preserving writes."""

from __future__ import annotations

import itertools
import json
import os
import shutil
from pathlib import Path

import nbformat
import pytest
from click.testing import CliRunner

from mlpizza_lint.cli import main
from mlpizza_lint.notebook_json import cell_spans, move_cell
from mlpizza_lint.writer import write_atomically

from .conftest import EXAMPLES, NotebookWriter


def notebooks(corpus: Path) -> list[Path]:
    return sorted(p for p in (corpus / "notebooks").rglob("*.ipynb") if "checkpoints" not in str(p))


def test_moving_a_cell_keeps_every_other_byte(corpus: Path) -> None:
    for path in notebooks(corpus):
        text = path.read_text(encoding="utf-8")
        cells = json.loads(text).get("cells", [])  # nbformat 3 keeps them in worksheets
        if len(cells) < 2:
            continue
        moved = move_cell(text, len(cells), 1)
        assert json.loads(moved)["cells"] == [cells[-1], *cells[:-1]], path
        before, after = cell_spans(text), cell_spans(moved)
        assert gaps(moved, after) == gaps(text, before)
        pieces = [text[start:end] for start, end in before]
        assert [moved[start:end] for start, end in after] == [pieces[-1], *pieces[:-1]]


def gaps(text: str, spans: list[tuple[int, int]]) -> list[str]:
    """Everything outside the cells' JSON objects: it must not change."""
    inner = [text[end:start] for (_, end), (start, _) in itertools.pairwise(spans)]
    return [text[: spans[0][0]], *inner, text[spans[-1][1] :]]


def test_diff_shows_the_move_and_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "churn.ipynb"
    shutil.copy(EXAMPLES / "churn_training.ipynb", path)
    before = path.read_bytes()
    result = CliRunner().invoke(main, [str(path), "--diff", "--unsafe-fixes"])
    assert result.exit_code == 1
    assert f"--- a/{path}" in result.output and "+# %% cell 18" in result.output
    assert path.read_bytes() == before
    safe_only = CliRunner().invoke(main, [str(path), "--diff"])
    assert safe_only.exit_code == 0 and safe_only.output == ""


def test_fix_moves_the_defining_cell_and_is_idempotent(tmp_path: Path) -> None:
    path = tmp_path / "churn.ipynb"
    shutil.copy(EXAMPLES / "churn_training.ipynb", path)
    path.chmod(0o640)
    original = json.loads(path.read_text())["cells"]
    CliRunner().invoke(main, [str(path), "--fix", "--unsafe-fixes", "--select", "MLP101"])
    fixed = nbformat.read(path, as_version=4)
    nbformat.validate(fixed)
    assert [c["id"] for c in fixed.cells] == [
        c["id"] for c in [*original[:16], original[17], original[16], *original[18:]]
    ]
    assert oct(path.stat().st_mode & 0o777) == "0o640"
    again = CliRunner().invoke(main, [str(path), "--select", "MLP101", "--format", "json"])
    assert again.exit_code == 0 and json.loads(again.output) == []


def test_no_move_when_the_moved_cell_needs_a_cell_it_would_jump(
    write_notebook: NotebookWriter,
) -> None:
    path = write_notebook(("print(model)", 1), ("data = [1, 2]", 2), ("model = sum(data)", 3))
    result = CliRunner().invoke(main, [str(path), "--format", "json", "--select", "MLP101"])
    (finding,) = json.loads(result.output)
    assert finding["fix"] is None


def test_safe_fix_is_offered_when_nothing_is_in_between(write_notebook: NotebookWriter) -> None:
    path = write_notebook(("print(model)", 1), ("model = 3", 2))
    (finding,) = json.loads(
        CliRunner().invoke(main, [str(path), "--format", "json", "--select", "MLP101"]).output
    )
    assert finding["fix"]["move"] == {"cell": 2, "before": 1}
    assert finding["fix"]["applicability"] == "unsafe"


def test_failed_write_leaves_the_original_intact(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "nb.ipynb"
    path.write_text("original")

    def refuse(source: str, target: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(OSError):
        write_atomically(str(path), "new content")
    assert path.read_text() == "original"
    assert [p.name for p in tmp_path.iterdir()] == ["nb.ipynb"]
