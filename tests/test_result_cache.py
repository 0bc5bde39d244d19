"""The result cache: a second run over unchanged files lints nothing and prints the same
bytes; any change to a file, a setting or a project input the rules read is seen."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from mlpizza_lint import engine
from mlpizza_lint.cli.main import main
from mlpizza_lint.result_cache import TAG_NAME
from tests.conftest import NotebookWriter

DEPENDENCY_NOTEBOOK = ("import pandas\nimport scipy\ndf = pandas.read_csv('/home/alice/x.csv')", 1)


@pytest.fixture
def project(
    tmp_path: Path, write_notebook: NotebookWriter, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """A folder with a notebook and a requirements file, old enough to be cached."""
    monkeypatch.delenv("MLPIZZA_LINT_NO_CACHE", raising=False)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "requirements.txt").write_text("pandas==2.2.2\n")
    write_notebook(DEPENDENCY_NOTEBOOK, ("print(df)", 2))
    _age(tmp_path)
    return tmp_path


def _age(folder: Path) -> None:
    """Inputs changed in the last seconds are not cached (their stat may not show a
    second change yet): the files of a test are made a minute old."""
    past = time.time() - 60
    for path in [folder, *folder.rglob("*")]:
        os.utime(path, (past, past))


def _check(*arguments: str) -> Result:
    result = CliRunner().invoke(
        main, ["check", "nb.ipynb", "--format", "json", "-j", "1", *arguments]
    )
    assert result.exit_code in (0, 1), result.output
    return result


def _codes(result: Result) -> list[str]:
    return [finding["code"] for finding in json.loads(result.stdout)]


def _refuse_to_lint(*_: object) -> None:
    raise AssertionError("linted again although nothing changed")


def test_a_second_run_lints_nothing_and_prints_the_same_bytes(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = _check()
    assert (project / ".mlpizza-lint-cache" / TAG_NAME).is_file()
    with monkeypatch.context() as patched:
        patched.setattr(engine, "lint_file", _refuse_to_lint)
        assert _check().stdout == first.stdout
    assert _check("--no-cache").stdout == first.stdout


def test_an_edited_notebook_is_linted_again(project: Path, write_notebook: NotebookWriter) -> None:
    assert "MLP301" in _codes(_check())
    write_notebook(("import pandas\nimport scipy", 1))
    _age(project)
    assert "MLP301" not in _codes(_check())


def test_a_changed_requirements_file_is_seen(project: Path) -> None:
    assert "MLP204" in _codes(_check())
    (project / "requirements.txt").write_text("pandas==2.2.2\nscipy==1.13.0\n")
    _age(project)
    assert "MLP204" not in _codes(_check())


def test_a_module_created_beside_the_notebook_is_seen(
    project: Path, write_notebook: NotebookWriter
) -> None:
    write_notebook(("import pandas\nimport churn_features", 1))
    _age(project)
    assert "MLP204" in _codes(_check())
    (project / "churn_features.py").write_text("X = 1\n")
    _age(project)
    assert "MLP204" not in _codes(_check())


def test_other_settings_are_other_entries(project: Path) -> None:
    assert "MLP301" in _codes(_check())
    assert "MLP301" not in _codes(_check("--ignore", "MLP301"))
    assert "MLP301" in _codes(_check())


def test_a_damaged_entry_is_ignored_and_written_again(project: Path) -> None:
    first = _check()
    (entry,) = (project / ".mlpizza-lint-cache" / "v1").iterdir()
    entry.write_text('{"digest": ')
    _age(project)
    assert _check().stdout == first.stdout
    assert json.loads(entry.read_text())["result"]["path"] == "nb.ipynb"


def test_inputs_changed_just_now_are_not_kept(project: Path) -> None:
    (project / "requirements.txt").write_text("pandas==2.2.2\n")  # mtime: now
    _check()
    assert not list((project / ".mlpizza-lint-cache" / "v1").iterdir())


def test_no_cache_writes_no_folder(project: Path) -> None:
    _check("--no-cache")
    assert not (project / ".mlpizza-lint-cache").exists()


def test_an_unwritable_cache_folder_only_costs_speed(project: Path) -> None:
    (project / "blocked").write_text("a file where the cache folder would go\n")
    assert "MLP301" in _codes(_check("--cache-dir", "blocked/cache"))


def test_clean_removes_the_cache_and_refuses_other_folders(project: Path) -> None:
    _check()
    runner = CliRunner()
    removed = runner.invoke(main, ["clean"])
    assert removed.exit_code == 0 and "Removed .mlpizza-lint-cache" in removed.stderr
    assert not (project / ".mlpizza-lint-cache").exists()
    (project / "data").mkdir()
    refused = runner.invoke(main, ["clean", "--cache-dir", "data"])
    assert refused.exit_code == 2 and "not a mlpizza-lint cache" in refused.stderr
    assert (project / "data").is_dir()


def test_concurrent_runs_share_one_cache_safely(project: Path) -> None:
    for index in range(8):
        (project / f"nb{index}.ipynb").write_bytes((project / "nb.ipynb").read_bytes())
    _age(project)
    command = [sys.executable, "-m", "mlpizza_lint", "check", ".", "--format", "json", "-j", "1"]
    environment = {k: v for k, v in os.environ.items() if k != "MLPIZZA_LINT_NO_CACHE"}
    runs = [
        subprocess.Popen(command, cwd=project, env=environment, stdout=subprocess.PIPE)
        for _ in range(4)
    ]
    outputs = {run.communicate()[0] for run in runs}
    expected = subprocess.run(
        [*command, "--no-cache"], cwd=project, capture_output=True, check=False
    ).stdout
    assert outputs == {expected}
    entries = list((project / ".mlpizza-lint-cache" / "v1").iterdir())
    assert len(entries) == 10 and not [e for e in entries if e.name.startswith(".tmp-")]
