"""What a person at a terminal sees while notebooks run: which cell of which notebook,
for how long. Nothing when the output is piped or redirected."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from mlpizza_lint.verify.running import Progress as CellProgress

FIRST_LINE_WIDTH = 60


@contextmanager
def progress_display(path: str) -> Iterator[CellProgress | None]:
    """A callback that shows cell k of N and its first line on stderr's terminal."""
    console = Console(file=sys.stderr)
    if not console.is_terminal:
        yield None
        return
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("cell {task.fields[cell]}/{task.total}"),
        TimeElapsedColumn(),
        TextColumn("[dim]{task.fields[line]}"),
    )
    with Progress(*columns, console=console, transient=True) as display:
        task = display.add_task(path, total=None, line="", cell=0)

        def update(number: int, total: int, first_line: str) -> None:
            shown = first_line[:FIRST_LINE_WIDTH].replace("[", r"\[")
            display.update(task, completed=number - 1, total=total, line=shown, cell=number)

        yield update
