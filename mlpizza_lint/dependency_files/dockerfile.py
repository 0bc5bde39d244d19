"""Dockerfiles: the packages that `RUN pip install ...` (and conda, mamba, uv) installs.

Instructions are read as Docker reads them: the escape character (`\\`, or the one a
`# escape=` directive sets) continues a line, comment lines inside a continuation are dropped,
and a heredoc (`RUN <<EOF`) is a script of its own lines. The command itself is read by
`installs.shell_installs` (shell form) or `installs.argv_install` (JSON exec form), the same
grammar that finds installs in notebooks, so `-r requirements.txt`, `--no-cache-dir`, `-U`,
`&&` chains and `python -m pip` are understood alike. Each package is then found in the
instruction's text for its line and column.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from functools import partial

from mlpizza_lint.analysis.installs import InstallCommand, argv_install, shell_installs
from mlpizza_lint.dependency_files.conda_spec import conda_spec
from mlpizza_lint.dependency_files.model import Findings, Instruction, Spec
from mlpizza_lint.dependency_files.pep508 import editable_spec, pip_spec
from mlpizza_lint.dependency_files.text import Located

# How each installer's package arguments are read.
_READERS: dict[str, Callable[[str], Spec]] = {
    "pip": pip_spec,
    "uv": pip_spec,
    "conda": conda_spec,
    "mamba": conda_spec,
    "micromamba": conda_spec,
}
# `pip install -U pip` upgrades the installer itself, not a dependency of the project.
_INSTALLER = re.compile(r"pip(?![\w.-])", re.IGNORECASE)
_DIRECTIVE = re.compile(r"#\s*(\w+)\s*=\s*(\S*)\s*$")
_COMMENT_OR_BLANK = re.compile(r"\s*(#.*)?$")
# An instruction's name, and for RUN its BuildKit flags (`--mount=type=cache,target=...`).
_INSTRUCTION = re.compile(r"\s*([A-Za-z]+)(?:\s+(?:--[\w-]+(?:=\S*)?\s+)*|\s*$)")
_FLAG = re.compile(r"--[\w-]+(?:=\S*)?")
_HEREDOC = re.compile(r"<<(-?)([\"']?)([A-Za-z_][\w.-]*)\2")
# A build argument standing for a version (`torch==${TORCH_VERSION}`): the package is known,
# and its pin follows from the operator whatever the value.
_VERSION_VARIABLE = re.compile(r"([=<>~!]\s*)\$(?:\{\w+\}|\w+)")


def read_dockerfile(path: str, text: str) -> Findings:
    """The packages each RUN instruction installs, at the place each is written, and every
    instruction for the Dockerfile rules."""
    findings = Findings()
    for instruction, heredocs in _instructions(text.split("\n")):
        match = _INSTRUCTION.match(instruction.text)
        if match is None:
            continue
        keyword = match[1].upper()
        command = instruction.sub(match.end(), len(instruction.text))
        if keyword == "RUN" and heredocs and not _HEREDOC.sub("", command.text).strip():
            command = heredocs[0]
        findings.instructions.append(_instruction(keyword, instruction, match, command))
        if keyword == "RUN":
            taken: set[int] = set()  # where packages already found start in this command
            for install in _installs(command.text):
                _read_install(install, command, taken, findings)
    return findings


def _instruction(
    keyword: str, instruction: Located, match: re.Match[str], command: Located
) -> Instruction:
    first = instruction.segments[0]
    flags = tuple(_FLAG.findall(instruction.text[len(match[1]) : match.end()]))
    return Instruction(
        keyword,
        instruction.text[match.end() :].strip(),
        flags,
        first.line,
        first.column + first.length,
        command.text if keyword == "RUN" else "",
    )


def _instructions(lines: list[str]) -> Iterator[tuple[Located, list[Located]]]:
    """Each instruction with its lines joined, and the bodies of its heredocs."""
    continuation = re.compile(re.escape(_escape_character(lines)) + r"[ \t]*$")
    pieces: list[tuple[int, int, str]] = []
    numbered = iter(enumerate(lines, 1))
    for number, line in numbered:
        if _COMMENT_OR_BLANK.match(line):
            continue
        cut = continuation.search(line)
        pieces.append((number, 1, line[: cut.start()] if cut else line))
        if not cut:
            instruction, pieces = Located.joined(pieces), []
            heredocs = [_heredoc(match, numbered) for match in _HEREDOC.finditer(instruction.text)]
            yield instruction, heredocs
    if pieces:
        yield Located.joined(pieces), []


def _escape_character(lines: list[str]) -> str:
    """The escape character from the parser directives at the top of the file."""
    directives = {}
    for line in lines:
        match = _DIRECTIVE.match(line)
        if match is None:
            break
        directives[match[1].lower()] = match[2]
    return directives.get("escape") or "\\"


def _heredoc(marker: re.Match[str], numbered: Iterator[tuple[int, str]]) -> Located:
    """The lines up to the delimiter (`<<-` strips leading tabs before comparing)."""
    pieces = []
    for number, line in numbered:
        if (line.lstrip("\t") if marker[1] else line) == marker[3]:
            break
        pieces.append((number, 1, line + "\n"))
    return Located.joined(pieces)


def _installs(command: str) -> list[InstallCommand]:
    """The installs of a shell-form or exec-form (`["pip", "install", "x"]`) command."""
    if command.lstrip().startswith("["):
        try:
            argv = json.loads(command)
        except (ValueError, RecursionError):
            argv = None  # not JSON (or nested too deeply for one): Docker runs it in a shell
        if isinstance(argv, list) and all(isinstance(arg, str) for arg in argv):
            install = argv_install(argv)
            return [install] if install else []
    return shell_installs(command)


def _read_install(
    install: InstallCommand, command: Located, taken: set[int], findings: Findings
) -> None:
    read = _READERS.get(install.manager)
    if read is None:
        return
    arguments = [(package, read) for package in install.packages]
    arguments += [(editable, editable_spec) for editable in install.editables]
    for argument, reader in arguments:
        value = _VERSION_VARIABLE.sub(r"\g<1>0.0", argument)
        if "$" not in value and not _INSTALLER.match(argument):
            written = _find(command, argument, taken)
            source = "conda" if reader is conda_spec else "dockerfile"  # conda's own names
            findings.declare(written, partial(reader, value), source)


def _find(command: Located, argument: str, taken: set[int]) -> Located:
    """The first place `argument` is written as a shell word, other than those `taken`."""
    word = re.compile(rf"(?<![^\s\"'=]){re.escape(argument)}(?![^\s\"';&|)])")
    found = next((m for m in word.finditer(command.text) if m.start() not in taken), None)
    if found is None:  # written with escapes or quotes inside the word
        return Located.placed(command.place(0), argument)
    taken.add(found.start())
    return command.sub(found.start(), found.end())
