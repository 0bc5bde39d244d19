"""The CI gate as a repository adopts it: a baseline of today's findings, ruff's output
options, excludes for the files pre-commit names, .gitignore, and the workflow files of
examples/ci run against a copy of the examples."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import nbformat
import pytest
import yaml
from click.testing import CliRunner, Result

from mlpizza_lint.cli.main import main

from .conftest import EXAMPLES

BIN = Path(sys.executable).parent


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the examples as the working folder."""
    copy = tmp_path / "project"
    shutil.copytree(EXAMPLES, copy, ignore=shutil.ignore_patterns("ci"))
    monkeypatch.chdir(copy)
    return copy


def _check(*arguments: str) -> Result:
    return CliRunner().invoke(main, ["check", ".", *arguments])


def _add_finding(project: Path) -> None:
    """A markdown cell above everything, and one new hard-coded path at the end."""
    path = project / "churn_training.ipynb"
    notebook = nbformat.read(path, as_version=4)
    notebook.cells.insert(0, nbformat.v4.new_markdown_cell("# Churn, revisited"))
    notebook.cells.append(nbformat.v4.new_code_cell("extra = open('/home/bob/extra.csv')"))
    nbformat.write(notebook, path)


def test_a_baseline_lets_only_new_findings_fail(project: Path) -> None:
    written = _check("--write-baseline", "baseline.json")
    assert written.exit_code == 0, written.output
    recorded = json.loads((project / "baseline.json").read_text())["findings"]
    assert len(recorded) > 10 and {"fingerprint", "code", "path", "message"} <= set(recorded[0])
    assert _check("--baseline", "baseline.json", "-q").exit_code == 0
    _add_finding(project)
    result = _check("--baseline", "baseline.json", "--format", "json")
    assert result.exit_code == 1
    new = json.loads(result.stdout)
    last = len(nbformat.read(project / "churn_training.ipynb", as_version=4).cells)
    assert {d["cell"] for d in new} == {last} and "MLP301" in {d["code"] for d in new}
    assert f"{len(recorded)} finding(s) left out" in result.stderr


def test_a_baseline_names_its_entries_no_longer_found(project: Path) -> None:
    assert _check("--write-baseline", "baseline.json").exit_code == 0
    (project / "requirements.txt").write_text("pandas==2.2.2\nscikit-learn==1.5.0\n")
    result = _check("--baseline", "baseline.json", "-q")
    assert "of the baseline baseline.json no longer found" in result.stderr


def test_a_baseline_that_cannot_be_read_is_one_line_and_exit_2(project: Path) -> None:
    (project / "baseline.json").write_text("{not json")
    result = _check("--baseline", "baseline.json")
    assert result.exit_code == 2
    assert result.stderr.startswith("mlpizza-lint: error: baseline.json: not a mlpizza-lint")
    missing = _check("--baseline", "missing.json")
    assert missing.exit_code == 2 and "no such baseline file" in missing.stderr


def test_ruffs_output_options(project: Path) -> None:
    as_ruff = _check("--output-format", "json", "-o", "findings.json")
    assert as_ruff.exit_code == 1 and as_ruff.stdout == ""
    findings = json.loads((project / "findings.json").read_text())
    assert findings == json.loads(_check("--format", "json").stdout)
    statistics = json.loads(_check("--statistics", "--format", "json").stdout)
    by_code = {row["code"]: row for row in statistics}
    assert by_code["MLP202"]["count"] == sum(f["code"] == "MLP202" for f in findings)
    assert by_code["MLP202"]["fixable"] is True and by_code["MLP101"]["name"] == "use-before-define"


def test_force_exclude_applies_the_excludes_to_named_files(project: Path) -> None:
    (project / "pyproject.toml").write_text('[tool.mlpizza-lint]\nextend-exclude = ["scratch"]\n')
    (project / "scratch").mkdir()
    shutil.copy(project / "churn_training.ipynb", project / "scratch" / "draft.ipynb")
    named = "scratch/draft.ipynb"
    assert CliRunner().invoke(main, ["check", named, "-q"]).exit_code == 1
    excluded = CliRunner().invoke(main, ["check", named, "--force-exclude", "-q"])
    assert excluded.exit_code == 0 and excluded.stdout == ""


def test_what_git_ignores_is_not_searched(project: Path) -> None:
    subprocess.run(["git", "init", "-q", str(project)], check=True)
    (project / ".gitignore").write_text("outputs/\n")
    (project / "outputs").mkdir()
    shutil.copy(project / "churn_training.ipynb", project / "outputs" / "run.ipynb")
    paths = {d["path"] for d in json.loads(_check("--format", "json").stdout)}
    assert "churn_training.ipynb" in paths and "outputs/run.ipynb" not in paths
    searched = json.loads(_check("--format", "json", "--no-respect-gitignore").stdout)
    assert "outputs/run.ipynb" in {d["path"] for d in searched}


def _commands(workflow: Any) -> list[str]:
    """The mlpizza-lint command lines of a GitHub workflow or a GitLab job."""
    if "jobs" in workflow:
        steps = [step for job in workflow["jobs"].values() for step in job["steps"]]
        lines = [step["run"] for step in steps if "run" in step]
    else:
        lines = [line for job in workflow.values() for line in job["script"]]
    return [line for line in lines if line.startswith("mlpizza-lint ")]


@pytest.mark.parametrize("name", ["github-actions.yml", "gitlab-ci.yml"])
def test_the_ci_examples_run_against_the_examples(project: Path, name: str) -> None:
    commands = _commands(yaml.safe_load((EXAMPLES / "ci" / name).read_text()))
    assert len(commands) == 2
    environment = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}

    def run(line: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            shlex.split(line), cwd=project, env=environment, capture_output=True, text=True
        )

    assert run("mlpizza-lint check . --write-baseline mlpizza-lint-baseline.json").returncode == 0
    report, gate = (run(line) for line in commands)
    assert report.returncode == 0, report.stderr
    written = json.loads((project / shlex.split(commands[0])[-1]).read_text())
    assert written["runs"][0]["results"] if "sarif" in commands[0] else written
    assert gate.returncode == 0, gate.stdout + gate.stderr
    _add_finding(project)
    assert run(commands[1]).returncode == 1


def test_stdin_is_linted_as_the_file_it_names(project: Path) -> None:
    """`-` with `--stdin-filename`, as editors and pipes give a buffer (ruff's flags)."""
    notebook = (project / "churn_training.ipynb").read_bytes()
    piped = CliRunner().invoke(
        main,
        ["check", "-", "--stdin-filename", "churn_training.ipynb", "--format", "json"],
        input=notebook,
    )
    on_disk = _check("churn_training.ipynb", "--format", "json")
    assert piped.exit_code == 1
    named = [d for d in json.loads(on_disk.stdout) if d["path"] == "churn_training.ipynb"]
    assert json.loads(piped.stdout) == named
    script = CliRunner().invoke(main, ["check", "-"], input=b"x = open('/home/alice/x.csv')\n")
    assert "stdin.py:1:10 MLP301" in script.stdout
    refused = CliRunner().invoke(main, ["check", "-", "--fix"], input=b"")
    assert refused.exit_code == 2


def test_rule_all_explains_every_rule() -> None:
    result = CliRunner().invoke(main, ["rule", "--all"])
    assert result.exit_code == 0
    assert result.stdout.count("\n# MLP") + result.stdout.startswith("# MLP") >= 28
    assert CliRunner().invoke(main, ["rule"]).exit_code == 2


@pytest.mark.parametrize("output_format", ["text", "json", "sarif", "github", "gitlab"])
def test_a_baseline_works_with_every_format(project: Path, output_format: str) -> None:
    assert _check("--write-baseline", "baseline.json").exit_code == 0
    (project / "new.py").write_text("x = open('/home/bob/x.csv')\n", encoding="utf-8")
    result = _check("--baseline", "baseline.json", "--format", output_format, "-q")
    assert result.exit_code == 1
    shown = result.stdout
    if output_format == "sarif":  # the rules' help, which quotes paths, is in the log too
        shown = json.dumps(json.loads(shown)["runs"][0]["results"])
    assert "/home/bob/x.csv" in shown and "/home/alice" not in shown


def test_a_baseline_with_changed_since_reports_no_stale_entries(project: Path) -> None:
    """Files left out by --changed-since are not linted: their entries are not stale."""
    for arguments in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "init"]):
        subprocess.run(
            ["git", "-c", "user.email=a@b.c", "-c", "user.name=a", *arguments],
            cwd=project,
            check=True,
        )
    assert _check("--write-baseline", "baseline.json").exit_code == 0
    (project / "new.py").write_text("x = open('/home/bob/x.csv')\n", encoding="utf-8")
    result = _check("--baseline", "baseline.json", "--changed-since", "HEAD", "--format", "json")
    assert result.exit_code == 1
    assert [d["path"] for d in json.loads(result.stdout)] == ["new.py"]
    assert "no longer found" not in result.stderr
