"""Changes proven by running: `check --fix --verify` and `extract --rewrite --verify`.

The notebook runs top to bottom before and after the change, each time in its own copy of
the project. Every cell is marked first (a key in its metadata, which fixes and the rewrite
carry along when they edit or move a cell), so each cell of the changed notebook is
compared with the cell it came from, wherever it now is. The change keeps behaviour when
every cell that ran cleanly before shows the same output after (normalised as for
`--compare-outputs`), and no cell fails after that did not fail before; a cell that failed
before and works after is what the fix is for.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from mlpizza_lint.verify.kernels import KernelLaunch
from mlpizza_lint.verify.outputs import Difference, shown_text
from mlpizza_lint.verify.running import Limits, NotebookRun, run_notebook
from mlpizza_lint.verify.sandbox import Sandbox, sandbox_of, sandboxed

MARKER = "mlpizza-lint-verify"

# Makes the change to the marked notebook (at `sandbox.inside(notebook)`) inside a copy of
# the project; returns the changed notebook's path.
Change = Callable[[Sandbox], Path]


def first_changed_cell(
    notebook: Path, change: Change, kernel: KernelLaunch, limits: Limits
) -> Difference | None:
    marked = _marked(notebook.read_text(encoding="utf-8"))
    with sandboxed(notebook) as copy:
        copy.write_text(marked, encoding="utf-8")
        before = run_notebook(copy, marked, kernel, limits, keep_going=True)
    with sandbox_of(notebook) as sandbox:
        sandbox.inside(notebook).write_text(marked, encoding="utf-8")
        changed = change(sandbox)
        changed_text = changed.read_text(encoding="utf-8")
        after = run_notebook(changed, changed_text, kernel, limits, keep_going=True)
    return _first_difference(before, _markers(marked), after, _markers(changed_text))


def _first_difference(
    before: NotebookRun,
    before_marks: dict[int, str],
    after: NotebookRun,
    after_marks: dict[int, str],
) -> Difference | None:
    position_after = {mark: index for index, mark in after_marks.items()}
    shown_before = {
        before_marks.get(run.index): run for run in before.runs if run.index in before_marks
    }
    for run in after.runs:
        mark = after_marks.get(run.index)
        earlier = shown_before.get(mark) if mark is not None else None
        new_failure = (run.failure or run.timed_out) and (
            earlier is None or not (earlier.failure or earlier.timed_out)
        )
        if new_failure:
            cell = int(mark) if mark is not None else run.index
            return Difference(cell, "", shown_text(run.outputs) or "a time-out")
    for run in before.runs:
        mark = before_marks.get(run.index)
        if run.failure or run.timed_out or mark not in position_after:
            continue  # it failed before (the change may be its fix), or it is gone
        changed = after.run_of(position_after[mark])
        expected = shown_text(run.outputs)
        found = shown_text(changed.outputs) if changed is not None else ""
        if found != expected:
            return Difference.between(run.index, expected, found)
    return None


def refusal(path: str, what: str, difference: Difference | None) -> str | None:
    """The line that says why a change was not written, or None when it keeps behaviour."""
    if difference is None:
        return None
    found = difference.found or "nothing"
    expected = difference.expected or "nothing"
    return (
        f"{path}: {what} kept back: run top to bottom, cell {difference.cell} shows "
        f"`{found}` after the change and `{expected}` before it"
    )


def _marked(text: str) -> str:
    notebook = json.loads(text)
    for position, cell in enumerate(notebook.get("cells", []), 1):
        cell.setdefault("metadata", {})[MARKER] = str(position)
    return json.dumps(notebook, indent=1, ensure_ascii=False) + "\n"


def _markers(text: str) -> dict[int, str]:
    """Cell position -> the mark of the original cell it came from."""
    cells = json.loads(text).get("cells", [])
    return {
        position: str(cell["metadata"][MARKER])
        for position, cell in enumerate(cells, 1)
        if MARKER in cell.get("metadata", {})
    }
