"""The pylint bridge (`check --pylint`) and plugin (`--load-plugins`), with pylint for real."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from mlpizza_lint.cli.main import main

from .conftest import NotebookWriter


def pylint_findings(path: Path) -> list[tuple[str, int | None, int, int]]:
    result = CliRunner().invoke(main, [str(path), "--pylint", "--format", "json", "-j", "1"])
    return [
        (item["code"], item["cell"], item["line"], item["column"])
        for item in json.loads(result.output)
        if item["code"].startswith("PL:")
    ]


def test_pylint_messages_point_at_cells(
    write_notebook: NotebookWriter, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    path = write_notebook(
        ("%matplotlib inline\nimport json\n", 1),
        ("if True:\n    %time value = undefined_thing\n", 2),
        ("    def helper():\n        return 1\n", 3),
    )
    found = pylint_findings(path)
    assert ("PL:W0611", 1, 2, 1) in found  # unused import json
    assert all(line != 1 or cell != 1 for _, cell, line, _ in found)  # not on the magic line
    assert ("PL:C0116", 3, 1, 5) in found  # dedented cell: the user's column is kept


def test_the_users_pylint_configuration_is_honoured(
    write_notebook: NotebookWriter, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".pylintrc").write_text("[MESSAGES CONTROL]\ndisable=unused-import\n")
    path = write_notebook(("import json\n", 1))
    assert [code for code, *_ in pylint_findings(path)] == []


def test_plugin_reports_our_rules_inside_pylint(tmp_path: Path) -> None:
    script = tmp_path / "train.py"
    script.write_text('import os\nos.chdir("/home/bob/work")\nopen("/mnt/data/x.csv")\n')
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pylint",
            "--load-plugins=mlpizza_lint.pylint_plugin",
            "--disable=all",
            "--enable=mlpizza-lint",
            "--output-format=json",
            str(script),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    messages = [(m["message-id"], m["symbol"], m["line"]) for m in json.loads(result.stdout)]
    assert messages == [
        ("W9232", "environment-specific-call", 2),
        ("W9231", "hardcoded-path", 3),
    ]
