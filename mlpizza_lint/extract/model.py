"""The plain records of an extraction: what was asked, what to write, what stopped it."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path


class ExtractError(Exception):
    """Input the command cannot work with; the message is one line, file name first."""


class NotebookProblem(Exception):
    """Notebook content the command cannot work with; the notebook's path goes in front."""


@dataclass(frozen=True)
class ExtractOptions:
    notebook: Path
    output: Path | None = None  # default: next to the notebook, named after it
    script: bool = False
    rewrite: bool = False
    requirements: Path | None = None
    force: bool = False
    dockerfile: bool = False  # with `script`: an image that runs it


@dataclass(frozen=True)
class Message:
    """Something to tell the user about a place in the notebook: cell 0 is the whole
    notebook, line 0 the whole cell."""

    cell: int
    message: str
    line: int = 0
    column: int = 0

    def render(self, path: str, prefix: str = "") -> str:
        where = f"{path}:cell {self.cell}" if self.cell else path
        if self.cell and self.line:
            where += f":{self.line}:{self.column or 1}"
        return f"{where}: {prefix}{self.message}"


@dataclass(frozen=True)
class Output:
    """A file to write (None: nothing to change), and the line that tells the user. The
    file must still hold `before` (None: no file) when it is replaced, and the files it
    `needs` (those the notebook's cells moved to) must have been written first."""

    path: Path
    text: str | None
    summary: str
    before: str | None = None
    needs: tuple[Path, ...] = ()


@dataclass(frozen=True)
class Extraction:
    """Either outputs to write, or the problems that stop the extraction (then no outputs)."""

    outputs: tuple[Output, ...] = ()
    problems: tuple[Message, ...] = ()
    notes: tuple[Message, ...] = ()


def cells_text(cells: Collection[int]) -> str:
    """`[3]` -> "cell 3", `[2, 3, 4, 7]` -> "cells 2-4, 7"."""
    return f"cell{'s' if len(cells) > 1 else ''} {cell_ranges(cells)}"


def cell_ranges(cells: Collection[int]) -> str:
    """`[2, 3, 4, 5, 7]` -> "2-5, 7"."""
    runs: list[list[int]] = []
    for cell in sorted(cells):
        if runs and cell == runs[-1][-1] + 1:
            runs[-1].append(cell)
        else:
            runs.append([cell])
    return ", ".join(
        f"{run[0]}-{run[-1]}" if len(run) > 2 else ", ".join(map(str, run)) for run in runs
    )
