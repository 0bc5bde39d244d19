"""How CI-facing formats name a file and the place in it where a finding is.

SARIF viewers, GitHub annotations and GitLab's Code Quality widget can only point at lines
of a file, and a line of a cell is not a line of the `.ipynb` file. So a notebook finding is
placed where its source text sits in the notebook's JSON (`notebook.json_text`): the
annotation lands on the JSON line holding the offending code, on the pull request's diff.
"""

from __future__ import annotations

import os
import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from mlpizza_lint.diagnostics import Diagnostic
from mlpizza_lint.file_cache import Stamp, stamp
from mlpizza_lint.notebook.json_text import source_offsets
from mlpizza_lint.notebook.reading import read_regular_file
from mlpizza_lint.spans import Span

NEWLINE = re.compile("\n")


def repository_root(*variables: str) -> Path:
    """Where CI names paths from: the first of `variables` set (`GITHUB_WORKSPACE`,
    `CI_PROJECT_DIR`), else the git checkout around the working folder, else that folder;
    so a run started in a subfolder still names files as the repository does."""
    for variable in variables:
        if os.environ.get(variable):
            return Path(os.environ[variable])
    here = Path.cwd()
    return next((folder for folder in (here, *here.parents) if (folder / ".git").exists()), here)


def relative_path(path: str, root: Path | None = None) -> str:
    """`path` relative to `root` (the working directory) with forward slashes when inside
    it, else absolute, so CI annotations point at files the same way on every runner."""
    absolute = Path(path).resolve()
    base = (root or Path.cwd()).resolve()
    return absolute.relative_to(base).as_posix() if absolute.is_relative_to(base) else str(absolute)


def located_message(diagnostic: Diagnostic) -> str:
    """The message, led by `cell N, line L: ` for a notebook finding."""
    if diagnostic.cell is None:
        return diagnostic.message
    return f"cell {diagnostic.cell}, line {diagnostic.span.line}: {diagnostic.message}"


def file_region(diagnostic: Diagnostic) -> Span | None:
    """The finding's place in lines and columns of the file's own text; None for a notebook
    that can no longer be read as it was linted (then the formats fall back to line 1)."""
    if diagnostic.cell is None:
        return diagnostic.span
    notebook = notebook_text(diagnostic.path)
    if notebook is None:
        return None
    try:
        lines = source_offsets(notebook.text, diagnostic.cell)
    except (ValueError, IndexError):
        return None
    span = diagnostic.span
    start = notebook.line_column(_offset(lines, span.line, span.column))
    end = notebook.line_column(_offset(lines, span.end_line, span.end_column))
    return Span(*start, *end)


@dataclass(frozen=True)
class _NotebookText:
    text: str
    line_starts: tuple[int, ...]

    def line_column(self, offset: int) -> tuple[int, int]:
        line = bisect_right(self.line_starts, offset)
        return line, offset - self.line_starts[line - 1] + 1


def notebook_text(path: str) -> _NotebookText | None:
    """The file's text as the CI formats read it (locations, cell ids), once per state."""
    return _read_text(path, stamp(Path(path)))


@lru_cache(maxsize=64)
def _read_text(path: str, _: Stamp) -> _NotebookText | None:
    """Kept per path and stat: a notebook fixed since it was read is read again."""
    try:
        text = read_regular_file(path).decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    starts = [0, *(match.end() for match in NEWLINE.finditer(text))]
    return _NotebookText(text, tuple(starts))


def _offset(lines: list[list[int]], line: int, column: int) -> int:
    """The file offset of a cell position, clamped to the cell's text."""
    row = lines[min(max(line, 1), len(lines)) - 1]
    return row[min(max(column, 1), len(row)) - 1]
