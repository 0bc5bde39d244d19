"""Which static finding foresaw a failure: the loop no peer closes.

A finding predicts a failure when its rule is one that foresees the failure's kind and it
names the failing name, module or file (wherever it is: MLP204 may sit on an import in
another cell, MLP205 on the project), or sits on the line the traceback points at (MLP302's
`drive.mount` fails with `No module named 'google'`). Findings in the failing cell first.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from mlpizza_lint.analysis.distributions import import_names
from mlpizza_lint.analysis.project import project_of
from mlpizza_lint.diagnostics import Diagnostic
from mlpizza_lint.verify.failures import SAVED_FAILURE, kind_of, subject_of
from mlpizza_lint.verify.running import Failure


def predicting(failure: Failure, cell: int, static: Sequence[Diagnostic]) -> Diagnostic | None:
    kind = kind_of(failure)
    subject = subject_of(failure, kind)
    order = {code: rank for rank, code in enumerate(kind.predicted_by)}

    def on_failing_line(found: Diagnostic) -> bool:
        anywhere = found.code in kind.anywhere_in_cell
        return found.cell == cell and (anywhere or failure.line in (None, found.span.line))

    def names_subject(found: Diagnostic) -> bool:
        return subject is not None and f"`{subject}`" in found.message

    def saved_so(found: Diagnostic) -> bool:
        """MLP004: the author saw this very exception in this cell."""
        return found.code == SAVED_FAILURE and found.cell == cell and failure.name in found.message

    matches = [
        found
        for found in static
        if (found.code in order and (names_subject(found) or on_failing_line(found)))
        or saved_so(found)
    ]
    order[SAVED_FAILURE] = len(order)
    return min(matches, key=lambda d: (d.cell != cell, order[d.code], d.sort_key), default=None)


def declared_but_missing(failure: Failure, notebook: str) -> str | None:
    """The dependency file that declares the module a failure misses: then the kernel's
    environment, not the notebook, lacks it."""
    kind = kind_of(failure)
    module = subject_of(failure, kind) if kind.name == "missing module" else None
    if module is None:
        return None
    project = project_of(notebook)
    if not import_names().distributions_for(module) & project.declared:
        return None
    return ", ".join(Path(file).name for file in project.files) or None


def prediction_text(found: Diagnostic | None, declared_in: str | None = None) -> str:
    if found is None and declared_in is not None:
        return (
            f"the project declares it ({declared_in}) but the kernel's environment does not "
            "have it: install the requirements there, or run with --env fresh"
        )
    if found is None:
        return "no static finding predicted it"
    where = f" at cell {found.cell}" if found.cell else f" in {found.path}"
    return f"predicted by {found.code}{where}: {found.message}"
