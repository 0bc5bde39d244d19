"""Every `$ command` in examples/README.md runs in a copy of examples/ and prints what it shows."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

from .conftest import EXAMPLES

BLOCK = re.compile(r"```console\n(.*?)```", re.DOTALL)
# The journey, in order: lint, fix, extract a module, run the extracted script.
JOURNEY = ("--statistics", "--fix", "mlpizza-lint extract", "python ")


def steps(readme: str) -> list[tuple[str, list[str]]]:
    """(command, output lines shown after it) for every command, in order."""
    found: list[tuple[str, list[str]]] = []
    for block in BLOCK.findall(readme):
        for line in block.splitlines():
            if line.startswith("$ "):
                found.append((line[2:], []))
            elif line.strip() and found:
                found[-1][1].append(line)
    return found


def test_walkthrough_commands_run_as_shown(tmp_path: Path) -> None:
    folder = tmp_path / "examples"
    shutil.copytree(EXAMPLES, folder)
    commands = steps((EXAMPLES / "README.md").read_text(encoding="utf-8"))
    assert len(commands) >= 6
    order = [
        next(n for n, (command, _) in enumerate(commands) if step in command) for step in JOURNEY
    ]
    assert order == sorted(order)
    environment = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
    }
    for command, shown in commands:
        result = subprocess.run(
            shlex.split(command),
            cwd=folder,
            env=environment,
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode in (0, 1), (command, result.stderr)
        for line in shown:
            assert line in result.stdout.splitlines(), (command, line, result.stdout)
