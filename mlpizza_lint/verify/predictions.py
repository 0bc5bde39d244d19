"""Which static finding foresaw a failure: the loop no peer closes.

A finding predicts a failure when its rule is one that foresees the failure's kind and it
names the failing name, module or file (wherever it is: MLP204 may sit on an import in
another cell, MLP205 on the project), or sits on the line the traceback points at (MLP302's
`drive.mount` fails with `No module named 'google'`). Findings in the failing cell first.
"""

from __future__ import annotations

from collections.abc import Sequence

from mlpizza_lint.diagnostics import Diagnostic
from mlpizza_lint.verify.failures import kind_of, subject_of
from mlpizza_lint.verify.running import Failure


def predicting(failure: Failure, cell: int, static: Sequence[Diagnostic]) -> Diagnostic | None:
    kind = kind_of(failure)
    subject = subject_of(failure, kind)
    order = {code: rank for rank, code in enumerate(kind.predicted_by)}

    def on_failing_line(found: Diagnostic) -> bool:
        return found.cell == cell and failure.line in (None, found.span.line)

    def names_subject(found: Diagnostic) -> bool:
        return subject is not None and f"`{subject}`" in found.message

    matches = [
        found
        for found in static
        if found.code in order and (names_subject(found) or on_failing_line(found))
    ]
    return min(matches, key=lambda d: (d.cell != cell, order[d.code], d.sort_key), default=None)


def prediction_text(found: Diagnostic | None) -> str:
    if found is None:
        return "no static finding predicted it"
    where = f" at cell {found.cell}" if found.cell else f" in {found.path}"
    return f"predicted by {found.code}{where}: {found.message}"
