"""MLP000: what cannot be read cannot be checked, and will not run either."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from mlpizza_lint.analysis.context import LintContext
from mlpizza_lint.analysis.execution_record import cell_list, is_exercise
from mlpizza_lint.analysis.facts import SyntaxProblem
from mlpizza_lint.dependency_files import DependencyFile
from mlpizza_lint.diagnostics import Severity
from mlpizza_lint.notebook.documents import Cell, Document
from mlpizza_lint.rules.base import Finding, Rule
from mlpizza_lint.spans import Span

EXPECTED_FAILURE_TAG = "raises-exception"
PLACEHOLDER = ".."
MISSING_BODY = "expected an indented block"
# `logits = # TODO`, `[TODO add layer]`, `key = # set your own key`: left for the reader.
TO_BE_WRITTEN = re.compile(
    r"\bTODO\b|your (own )?(code|key)|fill (this |it )?in|set your|enter your|<[^<>=]*>", re.I
)
PYTHON_2_KERNELS = ("python2",)
BLANK_SLOT = re.compile(r"=\s*$|=\s*\?|\(\s*,|,\s*,|,\s*\)")
# `n_comps= ,`, `f(k=)`, `thr = #add threshold`: a value left out where one must go, which
# no program has; a blank for the reader in any notebook.
EMPTY_VALUE = re.compile(r"(?<![=!<>])=\s*[,)]|(?<![=!<>])=\s*#")
# What Python 3 says only of Python 2 statements: a notebook that names no kernel (saved
# before kernelspecs, nbformat 3) and has them was written for Python 2.
PYTHON_2_ONLY = (
    "Missing parentheses in call to 'print'",
    "Missing parentheses in call to 'exec'",
    "multiple exception types must be parenthesized",
    "leading zeros in decimal integer literals",
)


# `Capacity:`, `- Weight: 45 g`: a label and a colon, which no requirement line has (a URL's
# colon is followed by `//`).
LABEL = re.compile(r"[A-Za-z)\]]:(\s|$)")


def _prose(document: Document, dependencies: DependencyFile) -> bool:
    """A text file only named like a requirements file (`spec_requirements.txt`, not
    `requirements*.txt`) whose lines are mostly `Label: value` prose: not for pip."""
    name = Path(document.path).name.lower()
    if dependencies.kind != "requirements" or name.startswith("requirements"):
        return False
    lines = [line for line in document.raw.splitlines() if line.strip() and line[:1] != "#"]
    return sum(bool(LABEL.search(line)) for line in lines) * 2 > len(lines)


class Unreadable(Rule):
    """A file or cell that cannot be read or parsed.

    ## What it does
    Reports files that are not valid notebooks (invalid JSON, no `cells`, a binary file
    named `.ipynb`, bad encoding), code cells whose Python has a syntax error once IPython
    magics and shell escapes are set aside, and lines of dependency files that their
    installer would reject or silently ignore (an invalid requirement, a missing or circular
    `-r` include). The rest is still checked. A cell tagged `raises-exception` (the
    convention of nbval, nbmake and Jupyter Book for a cell meant to fail) and an error on
    a line holding an exercise placeholder (`answer = ...`, `def ...`, `[.., ..]`,
    `logits = # TODO`, a value left out (`n_comps= ,`, `thr = #add threshold`), a body left
    empty but for `# your code here`, and in an exercise notebook or a cell never run a
    blank slot such as `EPOCHS =` or `Dense( , , act)`, left to fill in) are not reported, nor
    is an excerpt (a cell that never ran and starts indented: part of a function body
    quoted for reading), nor an f-string that Python
    reads from 3.12 on (`f"{row["name"]}"`) when the linter runs on an older Python: a
    finding must not depend on the Python that lints. A notebook whose kernel is Python 2
    gets one finding that lists its cells, not one per cell; so does a notebook that names
    no kernel (saved before kernels were recorded) and holds Python 2 statements.

    ## Why is this bad?
    A notebook that cannot be parsed cannot be linted, and a cell with a syntax error
    stops "Run all" at that cell for everyone who opens the notebook.

    ## Fix
    None: correct the file or the cell.
    """

    code = "MLP000"
    name = "unreadable"
    severity = Severity.ERROR
    bad = ("# %% [1]\nif ready  # error: [MLP000]\n    train()\n",)
    good = ("# %% [1]\nif ready:\n    train()\n",)

    def check(self, context: LintContext) -> Iterator[Finding]:
        dependencies = context.document.dependencies
        if dependencies is not None and _prose(context.document, dependencies):
            dependencies = None  # `spec_requirements.txt` of a product, not of pip
        for unusable in dependencies.problems if dependencies else ():
            span = Span(unusable.line, unusable.column, unusable.line, unusable.column + 1)
            yield Finding(1, span, unusable.message)
        exercise = is_exercise(context)
        broken = [
            (view, problem)
            for view in context.python_cells()
            if (problem := view.facts.syntax_error) is not None
            and not problem.newer_python
            and not _meant(view.cell, problem.span.line, problem.message, exercise)
        ]
        python_2 = _python_2(context.document, [problem for _, problem in broken])
        if broken and python_2:
            view, problem = broken[0]
            cells = cell_list(each.cell.index for each, _ in broken)
            yield Finding(
                view.cell.index,
                problem.span,
                f"a Python 2 notebook ({python_2}): {cells} "
                f"{'does' if len(broken) == 1 else 'do'} not parse as Python 3; port it "
                "(`print(...)`, `//`, `except E as e`)",
            )
            return
        for view, problem in broken:
            yield Finding(
                view.cell.index,
                problem.span,
                f"syntax error: {problem.message}; this {_unit(context.document)} cannot run",
            )


def _unit(document: Document) -> str:
    """What stops at the error: a notebook's (or a `# %%` file's) cell, or a whole script."""
    return "cell" if document.is_notebook or len(document.cells) > 1 else "file"


def _python_2(document: Document, problems: list[SyntaxProblem]) -> str | None:
    """Why the notebook is read as Python 2, or None."""
    kernel = document.kernel
    if kernel.lower().startswith(PYTHON_2_KERNELS):
        return f"its kernel is {kernel}"
    statements = any(problem.message.startswith(PYTHON_2_ONLY) for problem in problems)
    if document.is_notebook and not kernel and statements:
        return "it names no kernel and has Python 2 statements"
    return None


def _meant(cell: Cell, line: int, message: str, exercise: bool) -> bool:
    """A cell meant to fail, or a template a student is to complete (a placeholder on the
    line or on the comment above it, a body left empty but for `# your code here`, and in
    an exercise notebook a blank slot: `EPOCHS =`, `Dense( , , act)`, `size = ?`)."""
    lines = cell.source.splitlines()
    here = lines[line - 1] if 0 < line <= len(lines) else ""
    above = lines[line - 2] if 1 < line <= len(lines) else ""
    return (
        EXPECTED_FAILURE_TAG in cell.tags
        or (
            (exercise or cell.execution_count is None)  # never run: a slot for live coding
            and BLANK_SLOT.search(here.partition("#")[0]) is not None
        )
        or EMPTY_VALUE.search(here) is not None
        or cell.is_excerpt
        or PLACEHOLDER in here.partition("#")[0]
        or TO_BE_WRITTEN.search(here) is not None
        or TO_BE_WRITTEN.search(above.partition("#")[2]) is not None
        or message.startswith(MISSING_BODY)
    )
