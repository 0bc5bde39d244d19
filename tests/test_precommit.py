"""The hooks of .pre-commit-hooks.yaml, run by pre-commit itself in a throwaway git repository.

Slow: pre-commit builds the hooks' virtualenv with pip, once for this module, in a temporary
PRE_COMMIT_HOME (the user's ~/.cache/pre-commit and ~/.cache/virtualenv are not touched).

The hook repository is a committed copy of this working tree rather than the project folder
itself: `pre-commit try-repo <folder>` sees only HEAD plus changes to files git already tracks
(its shadow commit takes the staged files and `git add -u`), so a new, untracked file, such as
.pre-commit-hooks.yaml before its first commit, would be missing. And try-repo always builds the
environment into a fresh temporary store, ignoring PRE_COMMIT_HOME; so both runs here use the
config try-repo would write (the repository, its commit, the hook ids) with `pre-commit run -c`,
which builds the environment once in PRE_COMMIT_HOME and reuses it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
HOOK_IDS = ("mlpizza-lint", "mlpizza-lint-fix")
# What a commit of this project leaves out (see .gitignore); none of it is needed to install it.
NOT_COMMITTED = (
    ".git",
    ".venv",
    "__pycache__",
    "*.egg-info",
    "build",
    "dist",
    ".pytest_cache",
    ".mypy_cache",
    ".ruff_cache",
    ".mlpizza-lint-cache",
)


def _env(pre_commit_home: Path | None = None) -> dict[str, str]:
    # Drop the variables that point git at another repository (set when run from a git hook).
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"GIT_DIR", "GIT_INDEX_FILE", "GIT_WORK_TREE"}
    }
    if pre_commit_home is not None:
        env["PRE_COMMIT_HOME"] = str(pre_commit_home)
        # virtualenv's cache of seed wheels, otherwise ~/.cache/virtualenv.
        env["VIRTUALENV_OVERRIDE_APP_DATA"] = str(pre_commit_home / "virtualenv-app-data")
    return env


def _git(repo: Path, *args: str) -> str:
    result = subprocess.run(
        ["git", *args], cwd=repo, env=_env(), capture_output=True, text=True, check=True
    )
    return result.stdout.strip()


def _new_repo(path: Path) -> Path:
    path.mkdir(exist_ok=True)
    _git(path, "init", "--quiet")
    _git(path, "config", "user.name", "mlpizza test")
    _git(path, "config", "user.email", "test@example.com")
    _git(path, "config", "commit.gpgsign", "false")
    return path


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("pre-commit-home")


@pytest.fixture(scope="module")
def hook_config(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A pre-commit config naming both hooks of a committed copy of this working tree."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    base = tmp_path_factory.mktemp("hooks")
    hooks_repo = base / "mlpizza-lint"
    shutil.copytree(ROOT, hooks_repo, ignore=shutil.ignore_patterns(*NOT_COMMITTED))
    _new_repo(hooks_repo)
    _git(hooks_repo, "add", "--all")
    _git(hooks_repo, "commit", "--quiet", "--message", "snapshot")
    config = {
        "repos": [
            {
                "repo": str(hooks_repo),
                "rev": _git(hooks_repo, "rev-parse", "HEAD"),
                "hooks": [{"id": hook_id} for hook_id in HOOK_IDS],
            }
        ]
    }
    path = base / "pre-commit-config.yaml"
    path.write_text(json.dumps(config, indent=2), encoding="utf-8")  # JSON is YAML
    return path


def _pre_commit_run(repo: Path, config: Path, home: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pre_commit",
            "run",
            "--all-files",
            "--color",
            "never",
            "--config",
            str(config),
        ],
        cwd=repo,
        env=_env(home),
        capture_output=True,
        text=True,
        timeout=900,
    )


def test_hooks_fail_on_a_messy_notebook_and_pass_on_a_clean_one(
    tmp_path: Path, hook_config: Path, pre_commit_home: Path
) -> None:
    repo = _new_repo(tmp_path / "project")
    notebook = repo / "analysis.ipynb"
    shutil.copyfile(EXAMPLES / "churn_training.ipynb", notebook)
    _git(repo, "add", "analysis.ipynb")

    messy = _pre_commit_run(repo, hook_config, pre_commit_home)
    output = messy.stdout + messy.stderr
    assert messy.returncode != 0, output
    for hook_id in HOOK_IDS:
        assert f"- hook id: {hook_id}" in output, output
    assert "analysis.ipynb:cell 2:1:1 MLP201" in output, output
    assert "analysis.ipynb:cell 7:1:24 MLP301" in output, output

    shutil.copyfile(EXAMPLES / "clean_forecast.ipynb", notebook)
    (repo / "requirements.txt").write_text("numpy==1.26.4\n", encoding="utf-8")
    _git(repo, "add", "analysis.ipynb", "requirements.txt")

    clean = _pre_commit_run(repo, hook_config, pre_commit_home)
    output = clean.stdout + clean.stderr
    assert clean.returncode == 0, output
    assert output.count("Passed") == len(HOOK_IDS), output
    assert "MLP" not in output, output
    # The fix hook left the clean notebook as it was.
    assert notebook.read_bytes() == (EXAMPLES / "clean_forecast.ipynb").read_bytes()


def test_hooks_check_dependency_files_and_honour_the_excludes(
    tmp_path: Path, hook_config: Path, pre_commit_home: Path
) -> None:
    """pre-commit names every staged file: an unpinned requirements file is one of them,
    and a notebook under an excluded folder is left alone (`--force-exclude`)."""
    repo = _new_repo(tmp_path / "project")
    (repo / "requirements.txt").write_text("pandas\n", encoding="utf-8")
    (repo / "pyproject.toml").write_text(
        '[tool.mlpizza-lint]\nextend-exclude = ["scratch"]\n', encoding="utf-8"
    )
    (repo / "scratch").mkdir()
    shutil.copyfile(EXAMPLES / "churn_training.ipynb", repo / "scratch" / "draft.ipynb")
    _git(repo, "add", "requirements.txt", "pyproject.toml", "scratch/draft.ipynb")

    run = _pre_commit_run(repo, hook_config, pre_commit_home)
    output = run.stdout + run.stderr
    assert run.returncode != 0, output
    assert "requirements.txt:1:1 MLP202 `pandas` has no version" in output, output
    assert "draft.ipynb" not in output, output
