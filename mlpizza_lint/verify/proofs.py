"""`check --fix --verify` and `extract --rewrite --verify`: a change is written only when
running the notebook before and after proves every cell shows what it showed (see
`verify.changes`). Each returns the line saying why a change is kept back, or None."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from mlpizza_lint.api import Overrides
from mlpizza_lint.extract.model import ExtractError, ExtractOptions
from mlpizza_lint.extract.plan import plan_extraction
from mlpizza_lint.extract.writing import write_extraction
from mlpizza_lint.fixing.rounds import FixOutcome, fix_document
from mlpizza_lint.notebook.documents import parse_document
from mlpizza_lint.notebook.reading import read_regular_file
from mlpizza_lint.verify.changes import first_changed_cell, refusal
from mlpizza_lint.verify.kernels import this_environment
from mlpizza_lint.verify.running import Limits
from mlpizza_lint.verify.sandbox import Sandbox


def fix_refusal(outcome: FixOutcome, overrides: Overrides, unsafe: bool) -> str | None:
    """Files that are not notebooks are not run, and pass."""
    if not outcome.is_notebook or not outcome.changed:
        return None
    notebook = Path(outcome.path)

    def fix(sandbox: Sandbox) -> Path:
        copy = sandbox.inside(notebook)
        document = parse_document(str(copy), read_regular_file(copy))
        settings = overrides.settings_for(copy)
        copy.write_text(fix_document(document, settings, unsafe).after, encoding="utf-8")
        return copy

    difference = first_changed_cell(notebook, fix, this_environment(), Limits())
    return refusal(outcome.path, "fixes", difference)


def extraction_refusal(options: ExtractOptions) -> str | None:
    """The extraction is made again in the project's copy, its module beside the copy of
    the notebook, and the rewritten notebook run there."""

    def extract(sandbox: Sandbox) -> Path:
        inside = sandbox.inside
        copied = replace(
            options,
            notebook=inside(options.notebook),
            output=options.output and inside(options.output),
            requirements=options.requirements and inside(options.requirements),
        )
        extraction = plan_extraction(copied)
        if extraction.problems:
            raise ExtractError(f"{options.notebook}: the marked copy could not be extracted")
        write_extraction(extraction)
        return copied.notebook

    difference = first_changed_cell(options.notebook, extract, this_environment(), Limits())
    return refusal(str(options.notebook), "extraction", difference)
