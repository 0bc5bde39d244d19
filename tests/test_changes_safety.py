"""`--changed-since` runs none of the repository's git configuration, and its ref is a ref."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from mlpizza_lint.cli.main import main

from .conftest import NotebookWriter

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def git(repository: Path, *arguments: str) -> None:
    subprocess.run(["git", *arguments], cwd=repository, check=True, capture_output=True)


@pytest.fixture
def repository(
    tmp_path: Path, write_notebook: NotebookWriter, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """A repository with one committed notebook, edited since, in the working folder."""
    git(tmp_path, "init", "-q")
    git(tmp_path, "config", "user.email", "ci@example.com")
    git(tmp_path, "config", "user.name", "CI")
    path = write_notebook(("x = 1", 1))
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "start")
    write_notebook(("x = open('/home/alice/data.csv')", 1))
    monkeypatch.chdir(tmp_path)
    return path.parent


def changed_since(ref: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, [".", f"--changed-since={ref}", "--format", "json"])
    return result.exit_code, result.stderr


def test_git_runs_neither_fsmonitor_nor_filters(repository: Path) -> None:
    ran = repository.parent / "ran"
    git(repository, "config", "core.fsmonitor", f"touch {ran}-fsmonitor; false")
    git(repository, "config", "filter.evil.clean", f"touch {ran}-clean; cat")
    (repository / ".gitattributes").write_text("*.ipynb filter=evil\n", encoding="utf-8")
    code, _ = changed_since("HEAD")
    assert code == 1
    assert sorted(path.name for path in repository.parent.glob("ran-*")) == []


def test_a_ref_that_looks_like_an_option_is_a_usage_error(repository: Path) -> None:
    code, stderr = changed_since("--output=written.txt")
    assert code == 2
    assert (
        stderr == "mlpizza-lint: error: --changed-since: `--output=written.txt` is not a git ref\n"
    )
    assert not (repository / "written.txt").exists()
