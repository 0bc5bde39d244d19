"""`--changed-since REF`: a pull-request gate lints only what the branch changed."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from mlpizza_lint.cli.main import main

from .conftest import EXAMPLES

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def git(repository: Path, *arguments: str) -> None:
    subprocess.run(["git", *arguments], cwd=repository, check=True, capture_output=True)


@pytest.fixture
def repository(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    git(tmp_path, "init", "-q")
    git(tmp_path, "config", "user.email", "ci@example.com")
    git(tmp_path, "config", "user.name", "CI")
    for name in ("old.ipynb", "edited.ipynb"):
        shutil.copy(EXAMPLES / "kaggle_house_prices.ipynb", tmp_path / name)
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "start")
    edited = tmp_path / "edited.ipynb"
    edited.write_text(edited.read_text().replace("catboost", "catboost-x"))
    shutil.copy(EXAMPLES / "colab_sentiment.ipynb", tmp_path / "new.ipynb")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_only_changed_and_new_files_are_linted(repository: Path) -> None:
    result = CliRunner().invoke(main, [".", "--changed-since", "HEAD", "--format", "json"])
    assert result.exit_code == 1
    found = json.loads(result.output)
    assert [item["code"] for item in found if item["path"] == "."] == ["MLP205"]  # the project
    assert {Path(item["path"]).name for item in found if item["path"] != "."} == {
        "edited.ipynb",
        "new.ipynb",
    }


def test_unknown_ref_is_a_one_line_error(repository: Path) -> None:
    result = CliRunner().invoke(main, [".", "--changed-since", "no-such-ref"])
    assert result.exit_code == 2
    assert result.stderr.startswith("mlpizza-lint: error: git diff:")
    assert len(result.stderr.strip().splitlines()) == 1
