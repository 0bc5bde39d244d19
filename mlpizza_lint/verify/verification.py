"""Verify one notebook: run it, and turn what happened into MLP5xx diagnostics.

The static findings of every rule are computed first (whatever the configuration
enables), so each failure can name the finding that predicted it.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from mlpizza_lint.analysis.context import line_span
from mlpizza_lint.config import Settings
from mlpizza_lint.diagnostics import Diagnostic, FileResult
from mlpizza_lint.engine import enabled_codes, lint_file
from mlpizza_lint.notebook.documents import Document, DocumentError, load_document
from mlpizza_lint.rules import Rule
from mlpizza_lint.rules.running import CellTimeout, FailsWhenRun, OutputDiffers
from mlpizza_lint.verify.kernels import KernelLaunch
from mlpizza_lint.verify.outputs import first_difference, shown_text
from mlpizza_lint.verify.predictions import declared_but_missing, predicting, prediction_text
from mlpizza_lint.verify.running import CellRun, Limits, NotebookRun, Progress, run_notebook
from mlpizza_lint.verify.sandbox import sandboxed

QUOTE_LENGTH = 120


@dataclass(frozen=True)
class VerifyOptions:
    kernel: KernelLaunch
    limits: Limits = field(default_factory=Limits)
    compare_outputs: bool = False
    sandbox: bool = False


@dataclass(frozen=True)
class Verified:
    """A notebook as it ran, with every rule's static findings on it."""

    document: Document
    run: NotebookRun
    static: tuple[Diagnostic, ...]


def verify_run(
    path: str, settings: Settings, options: VerifyOptions, progress: Progress | None = None
) -> Verified | FileResult:
    """The run, or the result that says why the file was not run (unreadable, not a
    notebook, another language)."""
    static = lint_file(path, settings.with_overrides(select=("ALL",)))
    try:
        document = load_document(path)
    except DocumentError:
        return static  # its MLP000 says why it cannot be read, let alone run
    if not document.is_notebook:
        return FileResult(path, (), (f"{path}: skipped, verify runs notebooks (.ipynb)",))
    if document.language != options.kernel.language:
        note = f"{path}: skipped, its kernel language is {document.language}"
        return FileResult(path, (), (note,))
    with _location(Path(path), options.sandbox) as where:
        run = run_notebook(where, document.raw, options.kernel, options.limits, progress=progress)
    return Verified(document, run, static.diagnostics)


def verify_file(
    path: str, settings: Settings, options: VerifyOptions, progress: Progress | None = None
) -> FileResult:
    verified = verify_run(path, settings, options, progress)
    if isinstance(verified, FileResult):
        return verified
    document, run = verified.document, verified.run
    codes = enabled_codes(settings, path)
    diagnostics = tuple(
        found
        for found in _diagnostics(document, run, verified.static, options)
        if found.code in codes
    )
    sources: dict[int | None, str] = {
        d.cell: document.cells[d.cell - 1].source for d in diagnostics if d.cell
    }
    return FileResult(path, diagnostics, _notes(path, run), sources)


@contextlib.contextmanager
def _location(path: Path, sandbox: bool) -> Iterator[Path]:
    if not sandbox:
        yield path
        return
    with sandboxed(path) as copy:
        yield copy


def _diagnostics(
    document: Document, run: NotebookRun, static: tuple[Diagnostic, ...], options: VerifyOptions
) -> Iterator[Diagnostic]:
    stopped = run.stopped_at
    if stopped is not None and stopped.timed_out:
        yield _diagnostic(
            CellTimeout,
            document,
            stopped.index,
            1,
            f"`{_first_line(document, stopped.index)}` ran past its {stopped.limit:g} s limit; "
            "the kernel was stopped",
        )
    elif stopped is not None and stopped.failure is not None:
        failure = stopped.failure
        found = predicting(failure, stopped.index, static)
        yield _diagnostic(
            FailsWhenRun,
            document,
            stopped.index,
            failure.line or 1,
            f"`{_quoted(f'{failure.name}: {failure.value}')}` when run top to bottom in a "
            f"fresh kernel; {prediction_text(found, declared_but_missing(failure, document.path))}",
        )
    if options.compare_outputs:
        difference = first_difference(_saved_texts(document), _run_texts(run.runs))
        if difference is not None:
            yield _diagnostic(
                OutputDiffers,
                document,
                difference.cell,
                1,
                f"`{_quoted(difference.found) or '(nothing)'}` when re-run, but the notebook "
                f"was saved showing `{_quoted(difference.expected) or '(nothing)'}`",
            )


def _diagnostic(
    rule: type[Rule], document: Document, cell: int, line: int, message: str
) -> Diagnostic:
    return Diagnostic(
        rule.code,
        rule.name,
        rule.severity,
        message,
        document.path,
        cell,
        line_span(document.cells[cell - 1], line),
    )


def _saved_texts(document: Document) -> dict[int, str]:
    """What each code cell was saved showing, for cells that were run before saving."""
    return {
        cell.index: shown_text(document.cell_json[cell.index - 1].get("outputs", []))
        for cell in document.cells
        if cell.kind == "code" and cell.execution_count is not None
    }


def _run_texts(runs: tuple[CellRun, ...]) -> dict[int, str]:
    """What each cell showed when it ran; a failed cell is MLP501's, not a difference."""
    return {
        run.index: shown_text(run.outputs)
        for run in runs
        if not run.timed_out and run.failure is None
    }


def _notes(path: str, run: NotebookRun) -> tuple[str, ...]:
    stopped, left = run.stopped_at, run.not_run
    if stopped is None or not left:
        return ()
    cells = f"cell {left[0]}" if len(left) == 1 else f"cells {left[0]}-{left[-1]}"
    return (f"{path}: {cells} did not run: cell {stopped.index} stopped the run",)


def _first_line(document: Document, cell: int) -> str:
    lines = [line for line in document.cells[cell - 1].source.splitlines() if line.strip()]
    return _quoted(lines[0].strip() if lines else "")


def _quoted(text: str) -> str:
    """One line, short enough for a message; backticks cannot end the quote early."""
    line = " ".join(text.split()).replace("`", "'")
    return line if len(line) <= QUOTE_LENGTH else line[: QUOTE_LENGTH - 1] + "…"
