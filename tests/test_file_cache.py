"""A long-lived process sees files change: answers are kept only while what they read is."""

from __future__ import annotations

from pathlib import Path

from mlpizza_lint import lint_file
from mlpizza_lint.config import find_settings
from mlpizza_lint.file_cache import FileCache, Read
from tests.conftest import NotebookWriter


def _codes(path: Path) -> list[str]:
    return [d.code for d in lint_file(str(path), find_settings(path)).diagnostics]


def test_a_module_created_beside_the_notebook_is_seen_by_the_same_process(
    tmp_path: Path, write_notebook: NotebookWriter
) -> None:
    (tmp_path / "requirements.txt").write_text("pandas==2.2.2\n")
    notebook = write_notebook(("import churn_features\nimport pandas", 1))
    assert _codes(notebook) == ["MLP204"]
    (tmp_path / "churn_features.py").write_text("X = 1\n")
    assert _codes(notebook) == []


def test_a_requirement_added_later_is_seen_by_the_same_process(
    tmp_path: Path, write_notebook: NotebookWriter
) -> None:
    requirements = tmp_path / "requirements.txt"
    requirements.write_text("pandas==2.2.2\n")
    notebook = write_notebook(("import pandas\nimport scipy", 1))
    assert _codes(notebook) == ["MLP204"]
    requirements.write_text("pandas==2.2.2\nscipy==1.13.0\n")
    assert _codes(notebook) == []


def test_settings_created_later_are_seen_by_the_same_process(
    tmp_path: Path, write_notebook: NotebookWriter
) -> None:
    notebook = write_notebook(("x = undefined_name", 1))
    assert _codes(notebook) == ["MLP102"]
    (tmp_path / "pyproject.toml").write_text('[tool.mlpizza-lint]\nignore = ["MLP102"]\n')
    assert _codes(notebook) == []


def test_an_answer_is_read_once_while_its_sources_are_unchanged(tmp_path: Path) -> None:
    source = tmp_path / "source.txt"
    source.write_text("one")
    reads: list[str] = []

    def read(path: Path) -> Read[str]:
        reads.append(path.read_text())
        return Read(reads[-1], (path,))

    cache = FileCache(read)
    assert [cache(source), cache(source)] == ["one", "one"]
    source.write_text("three")  # another size: a new stamp even within one clock tick
    assert cache(source) == "three"
    assert reads == ["one", "three"]
