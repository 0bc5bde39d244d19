"""The README is true: each `$ command` of its console blocks runs on a copy of the examples
and prints what the README shows (`...` stands for lines left out), and every option it
lists for a command is one that command takes."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from .conftest import EXAMPLES, ROOT

README = ROOT / "README.md"
BLOCK = re.compile(r"^```console\n(.*?)^```", re.S | re.M)
OPTION = re.compile(r"(?<![\w-])(--[a-z][a-z-]*|-[a-zA-Z])\b")
COMMANDS = ("check", "verify", "extract", "graph", "rule", "rules", "lsp", "clean")
SLOW = ("verify",)  # starts a kernel


@dataclass(frozen=True)
class Example:
    command: str
    shown: tuple[str, ...]
    line: int

    def __str__(self) -> str:
        return f"README line {self.line}: $ {self.command}"


def examples() -> list[Example]:
    text = README.read_text(encoding="utf-8")
    found = []
    for block in BLOCK.finditer(text):
        lines = block[1].splitlines()
        if lines and lines[0].startswith("$ "):
            line = text.count("\n", 0, block.start()) + 2
            found.append(Example(lines[0][2:], tuple(lines[1:]), line))
    return found


def chunks(shown: tuple[str, ...]) -> list[list[str]]:
    """The shown lines between `...` markers: each must appear in the output, in order."""
    parts: list[list[str]] = [[]]
    for line in shown:
        if line.strip() == "...":
            parts.append([])
        else:
            parts[-1].append(line)
    return [part for part in parts if part]


def appears_in_order(parts: list[list[str]], output: list[str]) -> bool:
    position = 0
    for part in parts:
        while position <= len(output) - len(part):
            if output[position : position + len(part)] == part:
                position += len(part)
                break
            position += 1
        else:
            return False
    return True


def marks(example: Example) -> list[pytest.MarkDecorator]:
    command = shlex.split(example.command)
    return [pytest.mark.slow] if len(command) > 1 and command[1] in SLOW else []


@pytest.mark.parametrize(
    "example", [pytest.param(e, id=e.command, marks=marks(e)) for e in examples()]
)
def test_each_console_example_prints_what_the_readme_shows(
    example: Example, tmp_path: Path
) -> None:
    shutil.copytree(EXAMPLES, tmp_path / "examples")
    command = shlex.split(example.command)
    assert command[0] == "mlpizza-lint", example
    environment = {**os.environ, "MLPIZZA_LINT_NO_CACHE": "1", "NO_COLOR": "1"}
    done = subprocess.run(
        [sys.executable, "-m", "mlpizza_lint", *command[1:]],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=environment,
        timeout=600,
    )
    output = (done.stdout + done.stderr).splitlines()
    assert "Traceback" not in done.stderr, done.stderr
    assert appears_in_order(chunks(example.shown), output), (
        f"{example} prints:\n{done.stdout}{done.stderr}"
    )


def listed_options() -> dict[str, set[str]]:
    """Command -> the options the README's console blocks list for it."""
    options: dict[str, set[str]] = {}
    for block in BLOCK.finditer(README.read_text(encoding="utf-8")):
        current = None
        for line in block[1].splitlines():
            words = line.split("#")[0].split()
            if words[:1] == ["mlpizza-lint"]:
                named = next((word for word in words[1:] if word in COMMANDS), None)
                current = named or "check"
            elif line.startswith("$") or current is None:
                current = None
                continue
            options.setdefault(current, set()).update(OPTION.findall(line.split("#")[0]))
    return options


@pytest.mark.parametrize(("command", "options"), sorted(listed_options().items()))
def test_every_option_the_readme_lists_exists(command: str, options: set[str]) -> None:
    help_text = subprocess.run(
        [sys.executable, "-m", "mlpizza_lint", command, "--help"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    taken = set(OPTION.findall(help_text))
    assert options <= taken, f"`{command}` takes no {sorted(options - taken)}"


def test_the_examples_are_found() -> None:
    commands = [example.command for example in examples()]
    assert "mlpizza-lint examples/churn_training.ipynb --diff" in commands
    assert {"check", "verify", "extract"} <= set(listed_options())
