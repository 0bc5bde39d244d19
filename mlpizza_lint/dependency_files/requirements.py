"""Requirements files, and the files they pull in with `-r` and `-c`.

An included file's declarations are its own (read it to get them), but a missing include or a
cycle of includes breaks `pip install -r` on this file, so both are reported here, at the line
of this file's include. A cycle is reported by each file on it, at that file's own include.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from pathlib import Path

from mlpizza_lint.dependency_files.model import Findings
from mlpizza_lint.dependency_files.pip_format import Include, pip_lines, read_pip_line
from mlpizza_lint.dependency_files.text import read_text
from mlpizza_lint.file_cache import FileCache, Read

_REMOTE = re.compile(r"(?:https?|file):", re.IGNORECASE)  # pip's SCHEME_RE: fetched, not joined


def read_requirements(path: str, text: str, source: str) -> Findings:
    """Every requirement of a pip requirements file, and the problems of its includes."""
    findings = Findings()
    check_includes(path, _read_lines(text, source, findings), findings)
    return findings


def _read_lines(text: str, source: str, findings: Findings) -> list[Include]:
    return [
        include for line in pip_lines(text) for include in read_pip_line(line, source, findings)
    ]


def _target(path: str, include: Include) -> str | None:
    """Where pip reads an included file: beside the including one; None for a URL."""
    if _REMOTE.match(include.value):
        return None
    return os.path.normpath(os.path.join(os.path.dirname(path), include.value))


def check_includes(path: str, includes: Sequence[Include], findings: Findings) -> None:
    """Report includes that are missing or lead back to `path`; list the others."""
    root = os.path.realpath(path)
    explored: set[str] = set()
    for include in includes:
        target = _target(path, include)
        if target is None:
            continue
        if not os.path.isfile(target):
            state = "is not a file" if os.path.exists(target) else "does not exist"
            findings.problem(
                include.line, include.column, f"included file `{include.value}` {state}"
            )
            continue
        findings.includes.append(target)
        chain = _chain_back(root, os.path.realpath(target), explored)
        if chain is not None:
            names = [os.path.relpath(name, os.path.dirname(root)) for name in [root, *chain, root]]
            findings.problem(include.line, include.column, f"include cycle: {' -> '.join(names)}")


def _chain_back(root: str, start: str, explored: set[str]) -> list[str] | None:
    """The files from `start` whose includes lead back to `root`, or None when none do.

    `explored` holds files already searched from another include of `root`, so a file reached
    twice is searched once and each cycle is reported once.
    """
    stack = [[start]]
    while stack:
        chain = stack.pop()
        if chain[-1] == root:
            return chain[:-1]
        if chain[-1] not in explored:
            explored.add(chain[-1])
            stack.extend([*chain, target] for target in reversed(_included_files(chain[-1])))
    return None


def _read_included_files(path: str) -> Read[tuple[str, ...]]:
    """The existing files `path` includes, as real paths; none when it cannot be read.
    Kept while the file is unchanged: a fan-out of includes is read once, not per file."""
    try:
        text = read_text(path)
    except (OSError, UnicodeDecodeError):
        return Read((), (Path(path),))
    targets = [_target(path, include) for include in _read_lines(text, "", Findings())]
    found = tuple(
        os.path.realpath(target) for target in targets if target and os.path.isfile(target)
    )
    return Read(found, (Path(path), *(Path(target) for target in targets if target)))


_included_files = FileCache(_read_included_files)
