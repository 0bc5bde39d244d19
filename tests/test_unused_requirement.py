"""MLP207 (off by default) on projects written as files."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
from click.testing import CliRunner

from mlpizza_lint.cli.main import main


def found(path: Path) -> list[str]:
    result = CliRunner().invoke(main, [str(path), "--select", "MLP207", "--format", "json"])
    return [item["message"].split("`")[1] for item in json.loads(result.stdout)]


def test_declared_and_imported_by_nothing(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "requirements.txt").write_text(
        "pandas==2.2.2\nscikit-learn==1.5.0\nrequests==2.32.3\nipykernel==6.29.5\n"
        "openpyxl==3.1.2\nujson==5.10.0\nfastapi==0.110.0\n",
        encoding="utf-8",
    )
    cells = [
        "import pandas as pd\nfrom sklearn.svm import SVC",
        "try:\n    import ujson\nexcept ImportError:\n    ujson = None",
    ]
    nbformat.write(
        nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells]),
        tmp_path / "nb.ipynb",
    )
    (tmp_path / "service").mkdir()  # a subproject's imports count for the root's declaration
    (tmp_path / "service" / "requirements.txt").write_text("fastapi==0.110.0\n", encoding="utf-8")
    (tmp_path / "service" / "app.py").write_text("import fastapi\n", encoding="utf-8")
    assert found(tmp_path / "requirements.txt") == ["requests"]


def test_nothing_without_code_or_for_a_frozen_environment(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("requests==2.32.3\n", encoding="utf-8")
    assert found(tmp_path / "requirements.txt") == []  # no code to compare with
    (tmp_path / "main.py").write_text("import numpy\n", encoding="utf-8")
    frozen = "".join(f"package-{n}==1.0.{n}\n" for n in range(20))
    (tmp_path / "requirements.txt").write_text("numpy==1.26.4\n" + frozen, encoding="utf-8")
    assert found(tmp_path / "requirements.txt") == []
