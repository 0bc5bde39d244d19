"""The command line as users run it: exit codes, formats, selection, errors without tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from mlpizza_lint.cli.main import main

from .conftest import EXAMPLES, NotebookWriter


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    assert "Traceback" not in result.output + result.stderr
    return result.exit_code, result.stdout, result.stderr


def test_clean_notebook_exits_zero(write_notebook: NotebookWriter) -> None:
    path = write_notebook(("import os", 1), ("print(os.sep)", 2))
    code, out, _ = run(str(path))
    assert code == 0 and "All checks passed" in out


def test_findings_exit_one_with_cell_locations_and_a_frame(write_notebook: NotebookWriter) -> None:
    path = write_notebook(("import pandas as pd", 1), ("df = pd.read_csv('/home/alice/x.csv')", 2))
    (path.parent / "requirements.txt").write_text("pandas==2.2.2\n", encoding="utf-8")
    code, out, _ = run("check", str(path))
    assert code == 1
    assert f"{path}:cell 2:1:18 MLP301 [*] `/home/alice/x.csv` only exists in one user's" in out
    assert "1 | df = pd.read_csv('/home/alice/x.csv')" in out
    assert "^^^^^^^^^^^^^^^^^^^" in out
    assert "Found 1 problem (1 error, 0 warnings) in 1 of 1 files." in out


def test_json_output_follows_the_documented_schema(write_notebook: NotebookWriter) -> None:
    path = write_notebook(("!pip install numpy==1.26.4", 1))
    code, out, _ = run(str(path), "--format", "json")
    assert code == 1
    (item,) = json.loads(out)
    assert item == {
        "code": "MLP201",
        "name": "inline-install",
        "severity": "error",
        "message": item["message"],
        "path": str(path),
        "cell": 1,
        "line": 1,
        "column": 1,
        "end_line": 1,
        "end_column": 27,
        "fix": {
            "title": "Remove the install; add `numpy==1.26.4` to requirements.txt",
            "applicability": "unsafe",
            "move": None,
            "edits": item["fix"]["edits"],
        },
    }
    assert item["message"].startswith("`numpy==1.26.4` installed inside the notebook")
    requirements = str(path.parent / "requirements.txt")
    assert [(edit["cell"], edit["path"]) for edit in item["fix"]["edits"]] == [
        (1, None),
        (None, requirements),
    ]


def test_select_ignore_and_exit_zero(write_notebook: NotebookWriter) -> None:
    path = write_notebook(("!pip install numpy\nopen('/home/a/b')", 3))
    assert run(str(path), "--select", "MLP3", "--format", "json")[1].count('"MLP301"') == 1
    out = run(str(path), "--ignore", "MLP201,MLP301", "--format", "json")[1]
    assert json.loads(out) == [
        item for item in json.loads(out) if item["code"] not in ("MLP201", "MLP301")
    ]
    assert run(str(path), "--exit-zero")[0] == 0


def test_statistics_and_quiet(write_notebook: NotebookWriter) -> None:
    path = write_notebook(("!pip install a\n!pip install b", 1))
    _, out, _ = run(str(path), "--statistics")
    assert out.splitlines()[0] == "     2  MLP201  inline-install" and "cell 1" not in out
    _, quiet, _ = run(str(path), "--quiet")
    assert quiet.count("MLP201") == 2 and "Found" not in quiet and " | " not in quiet


def test_folders_are_walked_and_checkpoints_skipped(tmp_path: Path) -> None:
    (tmp_path / ".ipynb_checkpoints").mkdir()
    (tmp_path / ".ipynb_checkpoints" / "nb-checkpoint.ipynb").write_text("not json")
    (tmp_path / "script.py").write_text("import os\nos.chdir('/home/bob/work')\n")
    code, out, _ = run(str(tmp_path), "--format", "json")
    assert code == 1
    assert [(d["path"], d["cell"], d["line"], d["code"]) for d in json.loads(out)] == [
        (str(tmp_path / "script.py"), None, 2, "MLP302")
    ]


def test_percent_script_reports_file_lines(tmp_path: Path) -> None:
    script = tmp_path / "analysis.py"
    script.write_text("import os\n# %%\nx = 1\n# %%\nos.chdir('/mnt/data')\n")
    (item,) = json.loads(run(str(script), "--format", "json")[1])
    assert (item["cell"], item["line"]) == (None, 5)


def test_bad_files_are_reported_and_others_still_linted(tmp_path: Path) -> None:
    (tmp_path / "a_broken.ipynb").write_text("{")
    (tmp_path / "b_ok.ipynb").write_text(
        json.dumps(
            {
                "nbformat": 4,
                "nbformat_minor": 5,
                "metadata": {},
                "cells": [
                    {
                        "cell_type": "code",
                        "source": "!pip install x==1",
                        "metadata": {},
                        "outputs": [],
                        "execution_count": None,
                    }
                ],
            }
        )
    )
    code, out, _ = run(str(tmp_path), "--format", "json")
    found = [(Path(d["path"]).name, d["code"]) for d in json.loads(out)]
    assert code == 1 and found == [("a_broken.ipynb", "MLP000"), ("b_ok.ipynb", "MLP201")]
    assert "a_broken.ipynb: invalid JSON" in json.loads(out)[0]["message"]


def test_missing_path_is_a_one_line_error(tmp_path: Path) -> None:
    code, _out, err = run(str(tmp_path / "nope.ipynb"))
    assert code == 2 and "nope.ipynb" in err and len(err.strip().splitlines()) == 1


def test_unknown_selector_is_a_usage_error(write_notebook: NotebookWriter) -> None:
    code, _, err = run(str(write_notebook("x = 1")), "--select", "MLP7")
    assert code == 2 and "MLP7" in err


def test_other_kernels_are_skipped_with_a_note(write_notebook: NotebookWriter) -> None:
    code, out, _ = run(str(write_notebook("library(dplyr)", language="R")))
    assert code == 0 and "skipped, the notebook's kernel language is r" in out


def test_config_in_pyproject_is_honoured(tmp_path: Path, write_notebook: NotebookWriter) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.mlpizza-lint]\nignore = ["MLP201"]\nallowed-path-prefixes = ["/mnt/shared/"]\n'
    )
    path = write_notebook(("!pip install x==1\nopen('/mnt/shared/a.csv')\nopen('/mnt/b/c')", 1))
    codes = [d["code"] for d in json.loads(run(str(path), "--format", "json")[1])]
    assert codes == ["MLP301"]


def test_noqa_comments_and_skip_tag(write_notebook: NotebookWriter) -> None:
    path = write_notebook(
        ("open('/home/a/x')  # noqa: MLP301\nopen('/home/a/y')  # noqa\nopen('/home/a/z')", 1),
        ("# mlpizza-lint: noqa\n!pip install x==1", 2),
        ("# mlpizza-lint: noqa: MLP302\n!pip install y==1", 3),
    )
    found = [(d["cell"], d["line"]) for d in json.loads(run(str(path), "--format", "json")[1])]
    assert found == [(1, 3), (3, 2)]


def test_noqa_inside_a_string_silences_nothing(write_notebook: NotebookWriter) -> None:
    path = write_notebook(("note = '# noqa'; data = open('/home/a/x')\n!ls /home/a  # noqa", 1))
    found = [(d["cell"], d["line"]) for d in json.loads(run(str(path), "--format", "json")[1])]
    assert found == [(1, 1)]


def test_text_output_marks_what_fix_applies_as_ruff_does(write_notebook: NotebookWriter) -> None:
    path = write_notebook(("import numpy as np\nx = np.float(1)", 1))
    out = run(str(path), "--select", "MLP208")[1]
    assert "MLP208 [*] `np.float`" in out
    assert "[*] 1 fixable with the `--fix` option." in out


def test_rule_and_rules_commands() -> None:
    code, out, _ = run("rule", "MLP301")
    assert code == 0 and out.startswith("# MLP301 hardcoded-path") and "## Why is this bad?" in out
    assert run("rule", "MLP999")[0] == 2
    listing = run("rules")[1]
    assert all(code in listing for code in ("MLP000", "MLP001", "MLP201", "MLP301", "MLP302"))


def test_installed_console_script_runs_on_examples() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mlpizza_lint", str(EXAMPLES), "--format", "json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1 and result.stderr == ""
    assert {Path(d["path"]).name for d in json.loads(result.stdout)} >= {
        "churn_training.ipynb",
        "colab_sentiment.ipynb",
        "kaggle_house_prices.ipynb",
    }


@pytest.mark.parametrize("no_color", ["1", ""])
def test_plain_output_when_not_a_terminal(write_notebook: NotebookWriter, no_color: str) -> None:
    path = write_notebook(("!pip install x", 1))
    result = CliRunner(env={"NO_COLOR": no_color}).invoke(main, [str(path)])
    assert "\x1b[" not in result.output


def test_a_bug_on_one_file_is_reported_and_the_rest_still_linted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mlpizza_lint.rules.paths import HardcodedPath

    def explode(self: HardcodedPath, context: object) -> None:
        raise RuntimeError("boom")

    (tmp_path / "a.py").write_text("x = 1\n")
    (tmp_path / "b.ipynb").write_text("{")
    monkeypatch.setattr(HardcodedPath, "check", explode)
    code, out, _ = run(str(tmp_path), "--format", "json", "-j", "1")
    found = [(Path(d["path"]).name, d["code"], d["message"]) for d in json.loads(out)]
    assert code == 1
    assert found[0][:2] == ("a.py", "MLP000") and "internal error" in found[0][2]
    assert "RuntimeError: boom" in found[0][2] and found[1][:2] == ("b.ipynb", "MLP000")
