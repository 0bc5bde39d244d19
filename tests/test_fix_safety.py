"""`--fix` never loses a line: files saved meanwhile, failed and interrupted writes, two runs
at once, read-only files, and a file whose fixing fails."""

from __future__ import annotations

import fcntl
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import nbformat
import pytest
import yaml
from click.testing import CliRunner, Result

from mlpizza_lint import api
from mlpizza_lint.cli import main as cli
from mlpizza_lint.fixing import rounds
from mlpizza_lint.notebook.staging import Change, StagingError, write_changes

from .conftest import ROOT

FIX = (sys.executable, "-m", "mlpizza_lint", "check", "--fix", "--unsafe-fixes")


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(cli.main, ["check", "--fix", "--unsafe-fixes", *map(str, args)])


def project(folder: Path, *packages: str) -> list[Path]:
    """A git project with one notebook per package, each installing it with pip."""
    (folder / ".git").mkdir()
    paths = []
    for package in packages:
        content = nbformat.v4.new_notebook()
        content.metadata["kernelspec"] = {"name": "python3", "language": "python"}
        for source in (f"!pip install {package}==1.0", f"import {package}"):
            content.cells.append(nbformat.v4.new_code_cell(source))
        paths.append(folder / f"{package}.ipynb")
        paths[-1].write_text(json.dumps(content, indent=1) + "\n", encoding="utf-8")
    return paths


def listing(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir())


def after_fixing(monkeypatch: pytest.MonkeyPatch, meanwhile: Callable[[], None]) -> None:
    """Do `meanwhile` between the fixes being computed and written, as another program
    saving a file during the run would."""
    compute = api.fix_paths

    def fix_paths(*args: Any, **kwargs: Any) -> api.FixRun:
        found = compute(*args, **kwargs)
        meanwhile()
        return found

    monkeypatch.setattr(cli, "fix_paths", fix_paths)


# --- 1: a file saved during the run ---------------------------------------------------------


def test_a_notebook_saved_during_the_run_is_not_overwritten(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (notebook,) = project(tmp_path, "attrs")
    saved = notebook.read_text(encoding="utf-8").replace("import attrs", "import attrs  # saved")
    after_fixing(monkeypatch, lambda: notebook.write_text(saved, encoding="utf-8"))
    result = run(tmp_path)
    assert notebook.read_text(encoding="utf-8") == saved
    assert f"error: {notebook}: changed on disk since it was read; not written" in result.stderr
    assert result.exit_code == 2
    assert listing(tmp_path) == [".git", "attrs.ipynb", "requirements.txt"]


# --- 2: staged writes, additions first ------------------------------------------------------


def test_a_requirements_file_that_cannot_be_written_changes_nothing(tmp_path: Path) -> None:
    (notebook,) = project(tmp_path, "attrs")
    before = notebook.read_bytes()
    (tmp_path / "requirements.txt").symlink_to(tmp_path / "gone" / "requirements.txt")
    result = run(tmp_path)
    assert notebook.read_bytes() == before
    assert (
        "requirements.txt: cannot be written (No such file or directory); no file was changed"
    ) in result.stderr
    assert result.exit_code == 2
    assert listing(tmp_path) == [".git", "attrs.ipynb", "requirements.txt"]


def test_the_requirements_are_replaced_before_the_notebooks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Killed between two replaces, the packages are in requirements.txt and maybe still in
    the notebook: never in neither. And a notebook whose packages could not be recorded
    keeps its install line."""
    notebooks = project(tmp_path, "attrs", "click")
    before = [path.read_bytes() for path in notebooks]
    replaced: list[str] = []
    replace = os.replace

    def record(source: str, target: str) -> None:
        replaced.append(Path(target).name)
        if Path(target).name == "requirements.txt":
            raise OSError(28, "No space left on device")
        replace(source, target)

    monkeypatch.setattr(os, "replace", record)
    result = run(tmp_path)
    assert replaced == ["requirements.txt"]
    assert [path.read_bytes() for path in notebooks] == before
    assert "requirements.txt: cannot be replaced (No space left on device)" in result.stderr
    assert f"{notebooks[0]}: not written, because " in result.stderr
    assert result.exit_code == 2
    assert listing(tmp_path) == [".git", "attrs.ipynb", "click.ipynb"]


SIGTERM_DURING_STAGING = """
import os, signal, sys
from mlpizza_lint.cli.main import main
fsync, calls = os.fsync, []
def fsync_then_terminated(descriptor):
    calls.append(descriptor)
    fsync(descriptor)
    if len(calls) == 2:
        os.kill(os.getpid(), signal.SIGTERM)
os.fsync = fsync_then_terminated
main(["check", "--fix", "--unsafe-fixes", sys.argv[1]])
"""


def test_sigterm_while_staging_ends_the_run_once_the_write_is_whole(tmp_path: Path) -> None:
    """The signal is held while files are staged and replaced (a signal landing between
    creating a temporary file and recording it would leave the file behind), then ends the
    run: every file is written, no temporary file is left."""
    notebooks = project(tmp_path, "attrs", "click")
    before = [path.read_bytes() for path in notebooks]
    done = subprocess.run(
        [sys.executable, "-c", SIGTERM_DURING_STAGING, str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 128 + signal.SIGTERM, done.stderr
    assert all(path.read_bytes() != old for path, old in zip(notebooks, before, strict=True))
    assert (tmp_path / "requirements.txt").read_text() == "attrs==1.0\nclick==1.0\n"
    assert listing(tmp_path) == [".git", "attrs.ipynb", "click.ipynb", "requirements.txt"]


def test_nothing_is_left_behind_when_staging_fails(tmp_path: Path) -> None:
    kept = tmp_path / "kept.txt"
    kept.write_text("old\n")
    changes = [
        Change(str(kept), "new\n", "old\n"),
        Change(str(tmp_path / "missing" / "new.txt"), "text\n"),
    ]
    with pytest.raises(StagingError, match=r"new\.txt: cannot be written"):
        write_changes(changes)
    assert kept.read_text() == "old\n" and listing(tmp_path) == ["kept.txt"]


# --- 3: two runs at once --------------------------------------------------------------------


def test_lines_another_run_added_meanwhile_are_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (notebook,) = project(tmp_path, "attrs")
    requirements = tmp_path / "requirements.txt"
    after_fixing(monkeypatch, lambda: requirements.write_text("click==8.0\n"))
    assert run(tmp_path).exit_code == 0
    assert requirements.read_text() == "click==8.0\nattrs==1.0\n"
    assert "!pip" not in notebook.read_text(encoding="utf-8")


def test_a_run_waits_while_another_holds_the_project_folder(tmp_path: Path) -> None:
    (notebook,) = project(tmp_path, "attrs")
    before = notebook.read_bytes()
    folder = os.open(tmp_path, os.O_RDONLY)
    try:
        fcntl.flock(folder, fcntl.LOCK_EX)
        fixing = subprocess.Popen(
            [*FIX, "-q"],
            cwd=tmp_path,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(3)
        assert fixing.poll() is None and notebook.read_bytes() == before
    finally:
        os.close(folder)
    assert fixing.wait(timeout=60) == 0
    assert (tmp_path / "requirements.txt").read_text() == "attrs==1.0\n"


def test_parallel_runs_on_one_project_keep_every_requirement(tmp_path: Path) -> None:
    packages = ["attrs", "click", "rich", "tqdm"]
    for trial in range(3):
        folder = tmp_path / str(trial)
        folder.mkdir()
        project(folder, *packages)
        runs = [
            subprocess.Popen(
                [*FIX, "--exit-zero", "-q", f"{package}.ipynb"],
                cwd=folder,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            for package in packages
        ]
        assert [process.wait(timeout=120) for process in runs] == [0] * len(packages)
        recorded = (folder / "requirements.txt").read_text().split()
        assert sorted(recorded) == sorted(f"{package}==1.0" for package in packages)


def test_the_fix_hook_runs_serially() -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    serial = {hook["id"]: hook["require_serial"] for hook in hooks}
    assert serial["mlpizza-lint-fix"] is True


# --- 4: read-only files ---------------------------------------------------------------------


def test_a_read_only_notebook_is_refused(tmp_path: Path) -> None:
    notebooks = project(tmp_path, "attrs", "click")
    notebooks[0].chmod(0o444)
    before = notebooks[0].read_bytes()
    result = run(tmp_path)
    assert notebooks[0].read_bytes() == before and notebooks[0].stat().st_mode & 0o777 == 0o444
    assert f"error: {notebooks[0]}: read-only; not written\n" in result.stderr
    assert "!pip" not in notebooks[1].read_text(encoding="utf-8")
    assert result.exit_code == 2


def test_a_read_only_requirements_file_keeps_the_install_lines(tmp_path: Path) -> None:
    (notebook,) = project(tmp_path, "attrs")
    requirements = tmp_path / "requirements.txt"
    requirements.write_text("click==8.0\n")
    requirements.chmod(0o444)
    before = notebook.read_bytes()
    result = run(tmp_path)
    assert notebook.read_bytes() == before and requirements.read_text() == "click==8.0\n"
    assert "requirements.txt: read-only; not written" in result.stderr
    assert result.exit_code == 2


# --- 8: one file's failure ------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["--fix", "--diff"])
def test_a_file_whose_fixing_fails_does_not_stop_the_others(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, mode: str
) -> None:
    broken, fine = project(tmp_path, "attrs", "click")
    fix_document = rounds.fix_document

    def fails_on_one(document: Any, *args: Any) -> Any:
        if document.path == str(broken):
            raise RecursionError("maximum recursion depth exceeded")
        return fix_document(document, *args)

    monkeypatch.setattr(rounds, "fix_document", fails_on_one)
    result = CliRunner().invoke(cli.main, ["check", mode, "--unsafe-fixes", str(tmp_path)])
    assert f"error: {broken}: internal error while fixing it (RecursionError: " in result.stderr
    assert result.exit_code == 2
    if mode == "--fix":
        assert "!pip" not in fine.read_text(encoding="utf-8")
        assert "!pip" in broken.read_text(encoding="utf-8")
    else:
        assert f"+++ b/{fine}" in result.stdout and str(broken) not in result.stdout
