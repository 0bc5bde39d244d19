"""Fixes: the MLP101 cell move, `--diff`, `--fix`, and atomic, byte-preserving writes."""

from __future__ import annotations

import difflib
import itertools
import json
import os
import shutil
import warnings
from pathlib import Path

import nbformat
import pytest
from click.testing import CliRunner

from mlpizza_lint.cli.main import main
from mlpizza_lint.notebook.json_text import cell_spans, delete_cells, move_cell, replace_sources
from mlpizza_lint.notebook.staging import Change, write_changes

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
    safe_only = CliRunner().invoke(main, [str(path), "--diff", "--select", "MLP101"])
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
    skipped = write_changes([Change(str(path), "new content", "original")])
    assert skipped == {str(path): f"{path}: cannot be replaced (disk full); not written"}
    assert path.read_text() == "original"
    assert [p.name for p in tmp_path.iterdir()] == ["nb.ipynb"]


def test_editing_one_cell_source_changes_only_its_lines(corpus: Path, tmp_path: Path) -> None:
    """The writer on every corpus notebook: one cell's new source, nothing else moves."""
    edited = 0
    for path in notebooks(corpus):
        text = path.read_text(encoding="utf-8")
        cells = json.loads(text).get("cells", [])
        code = [i for i, cell in enumerate(cells, 1) if cell.get("cell_type") == "code"]
        if not code:
            continue
        target = code[len(code) // 2]
        new_source = "value = 'naïve'\nprint(value)\n"
        copy = tmp_path / path.name
        copy.write_text(text, encoding="utf-8", newline="")
        new_text = replace_sources(text, {target: new_source})
        assert write_changes([Change(str(copy), new_text, text)]) == {}
        result = copy.read_text(encoding="utf-8")
        loaded = json.loads(result)
        assert "".join(loaded["cells"][target - 1]["source"]) == new_source, path
        assert [c for i, c in enumerate(loaded["cells"], 1) if i != target] == [
            c for i, c in enumerate(cells, 1) if i != target
        ]
        assert is_valid(result) or not is_valid(text), path
        start, end = source_lines(text, target)
        changed = changed_lines(text, result)
        assert changed and all(start <= line <= end for line in changed), path
        assert result.endswith("\n") == text.endswith("\n")
        edited += 1
    assert edited > 50


def is_valid(text: str) -> bool:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return bool(nbformat.validator.isvalid(json.loads(text)))


def source_lines(text: str, cell: int) -> tuple[int, int]:
    """First and last line (0-based) of the cell's `source` value in the JSON text."""
    cell_start, cell_end = cell_spans(text)[cell - 1]
    key = text.index('"source"', cell_start, cell_end)
    end = json.JSONDecoder().raw_decode(text, text.index(":", key) + 1 + _spaces(text, key))[1]
    return text.count("\n", 0, key), text.count("\n", 0, end)


def _spaces(text: str, key: int) -> int:
    after = text[text.index(":", key) + 1 :]
    return len(after) - len(after.lstrip())


def changed_lines(before: str, after: str) -> set[int]:
    """Lines of `before` that a line diff replaces or deletes (insertions count at their spot)."""
    matcher = difflib.SequenceMatcher(None, before.splitlines(), after.splitlines(), autojunk=False)
    return {
        line
        for tag, i1, i2, _, _ in matcher.get_opcodes()
        if tag != "equal"
        for line in range(i1, max(i2, i1 + 1))
    }


def test_deleting_cells_keeps_the_rest(corpus: Path) -> None:
    for path in notebooks(corpus)[:40]:
        text = path.read_text(encoding="utf-8")
        cells = json.loads(text).get("cells", [])
        if len(cells) < 3:
            continue
        remaining = json.loads(delete_cells(text, [1, len(cells)]))["cells"]
        assert remaining == cells[1:-1], path
        assert json.loads(delete_cells(text, [1, 2]))["cells"] == cells[2:], path
