"""Run a notebook top to bottom in a fresh kernel, as "Restart and run all" does.

The kernel starts in the notebook's folder (Jupyter's working directory). Each code cell
gets the per-cell time limit, cut to what is left of the notebook's; a cell tagged
`raises-exception` may raise (nbval's and nbmake's convention), one tagged
`skip-execution` is not run (nbclient's).
"""

from __future__ import annotations

import json
import subprocess
import tempfile
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mlpizza_lint.notebook.tracebacks import SavedError, saved_errors
from mlpizza_lint.verify.kernels import KernelLaunch

ALLOWED_TO_RAISE = "raises-exception"
DEAD_KERNEL = "DeadKernelError"


@dataclass(frozen=True)
class Limits:
    """Seconds a cell, and the whole notebook, may run."""

    cell: float = 600.0
    notebook: float = 3600.0


# The exception a cell raised, and the line of the cell its traceback points at.
Failure = SavedError


@dataclass(frozen=True)
class CellRun:
    """One code cell as it ran: `index` is its 1-based position among all cells."""

    index: int
    outputs: tuple[Mapping[str, Any], ...]
    seconds: float
    failure: Failure | None = None
    timed_out: bool = False
    limit: float = 0.0  # the time limit it had


@dataclass(frozen=True)
class NotebookRun:
    path: str
    runs: tuple[CellRun, ...]  # in the order they ran, up to the one that stopped the run
    code_cells: tuple[int, ...]  # every code cell the notebook has

    @property
    def stopped_at(self) -> CellRun | None:
        last = self.runs[-1] if self.runs else None
        return last if last is not None and (last.failure or last.timed_out) else None

    @property
    def not_run(self) -> tuple[int, ...]:
        ran = {run.index for run in self.runs}
        return tuple(index for index in self.code_cells if index not in ran)

    def run_of(self, index: int) -> CellRun | None:
        return next((run for run in self.runs if run.index == index), None)


# (cell position, number of code cells, first line) before each cell runs.
Progress = Callable[[int, int, str], None]


def run_notebook(
    path: Path,
    notebook: str,
    kernel: KernelLaunch,
    limits: Limits,
    keep_going: bool = False,
    progress: Progress | None = None,
) -> NotebookRun:
    """Run `notebook` (the JSON text of `path`) in a new kernel started in the
    folder of `path`. The run stops at the first failure or timeout unless `keep_going`
    (then a failed cell is recorded and the next one runs)."""
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellTimeoutError, DeadKernelError

    node = nbformat.reads(notebook, as_version=4)  # type: ignore[no-untyped-call]
    code_cells = tuple(
        position for position, cell in enumerate(node.cells, 1) if cell.cell_type == "code"
    )
    runs: list[CellRun] = []
    with tempfile.TemporaryDirectory(prefix="mlp-") as private:
        client = NotebookClient(
            node,
            km=kernel.manager(Path(private)),
            allow_errors=True,
            timeout=int(limits.cell),
            resources={"metadata": {"path": str(path.parent)}},
        )
        started = time.monotonic()
        with client.setup_kernel(stderr=subprocess.DEVNULL, stdout=subprocess.DEVNULL):
            for number, position in enumerate(code_cells, 1):
                cell = node.cells[position - 1]
                left = limits.notebook - (time.monotonic() - started)
                limit = max(1.0, min(limits.cell, left))
                client.timeout = int(limit)
                if progress is not None:
                    progress(number, len(code_cells), _first_line(cell.source))
                began = time.monotonic()
                try:
                    client.execute_cell(cell, position - 1)
                except CellTimeoutError:
                    runs.append(_ran(position, cell, began, timed_out=True, limit=limit))
                    break
                except DeadKernelError:
                    died = Failure(
                        DEAD_KERNEL, "the kernel died (out of memory, a crash or exit)", None
                    )
                    runs.append(_ran(position, cell, began, failure=died))
                    break
                run = _ran(position, cell, began, failure=_failure(cell), limit=limit)
                runs.append(run)
                if run.failure is not None and not keep_going:
                    break
    return NotebookRun(str(path), tuple(runs), code_cells)


def _ran(position: int, cell: Any, began: float, **result: Any) -> CellRun:
    outputs = tuple(json.loads(json.dumps(cell.get("outputs", []))))
    return CellRun(position, outputs, time.monotonic() - began, **result)


def _failure(cell: Any) -> Failure | None:
    if ALLOWED_TO_RAISE in cell.get("metadata", {}).get("tags", []):
        return None
    return next(iter(saved_errors(cell.get("outputs", []))), None)


def _first_line(source: str) -> str:
    return next((line.strip() for line in source.splitlines() if line.strip()), "")
