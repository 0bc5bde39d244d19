"""Findings depend on the linted files and the configuration only.

The same repository must give the same findings in a developer's virtualenv, in
pre-commit's isolated one and in CI, or a gate flips between machines. So the rules read
no file system and nothing of the environment the linter runs in.
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from tests.conftest import ROOT

RULES = ROOT / "mlpizza_lint" / "rules"
# Attributes and modules through which code reads the file system or the environment.
IO_ATTRIBUTES = frozenset(
    {"exists", "is_file", "is_dir", "iterdir", "glob", "rglob", "read_text", "read_bytes"}
    | {"open", "stat", "lstat", "resolve", "scandir", "listdir", "walk", "getcwd", "cwd"}
)
IO_MODULES = frozenset({"os", "importlib", "subprocess", "shutil", "glob", "io", "tempfile"})


def _io_in(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Attribute) and node.attr in IO_ATTRIBUTES:
            found.append(f"{path.name}:{node.lineno} .{node.attr}")
        elif isinstance(node, ast.Name) and node.id == "open":
            found.append(f"{path.name}:{node.lineno} open")
        elif isinstance(node, ast.Import | ast.ImportFrom):
            imported = node.names if isinstance(node, ast.Import) else ()
            modules = [a.name for a in imported] or [getattr(node, "module", None)]
            found += [
                f"{path.name}:{node.lineno} import {module}"
                for module in modules
                if module and module.split(".")[0] in IO_MODULES
            ]
    return found


def test_rules_touch_neither_the_file_system_nor_the_environment() -> None:
    modules = sorted(RULES.glob("*.py"))
    assert len(modules) > 5
    assert [found for path in modules for found in _io_in(path)] == []


def test_the_io_check_sees_what_it_looks_for(tmp_path: Path) -> None:
    module = tmp_path / "rule.py"
    module.write_text("import importlib.metadata\nok = Path('x').exists()\n")
    assert _io_in(module) == ["rule.py:1 import importlib.metadata", "rule.py:2 .exists"]


def _lint_corpus(python: Path, corpus: Path) -> bytes:
    command = [str(python), "-m", "mlpizza_lint", "check", str(corpus), "--select", "ALL"]
    result = subprocess.run(
        [*command, "--format", "json", "--exit-zero"],
        capture_output=True,
        check=True,
        env={**os.environ, "PYTHONHASHSEED": "0"},
    )
    return result.stdout


@pytest.mark.slow
def test_two_virtualenvs_with_different_packages_give_byte_identical_json(
    tmp_path: Path, corpus: Path
) -> None:
    """One environment is this test run's (the dev extras: numpy, pylint, jupyter...);
    the other has the linter and its own dependencies only, plus packages the corpus
    imports that the first one lacks."""
    bare = tmp_path / "bare"
    venv.create(bare, with_pip=True)
    python = bare / "bin" / "python"
    pip = [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    subprocess.run([*pip, str(ROOT), "tabulate", "toolz"], check=True, capture_output=True)
    assert _lint_corpus(python, corpus) == _lint_corpus(Path(sys.executable), corpus)
