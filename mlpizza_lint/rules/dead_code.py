"""MLP401-MLP402: code a notebook carries that nothing runs."""

from __future__ import annotations

from collections.abc import Iterator

from mlpizza_lint.analysis.context import LintContext, line_span
from mlpizza_lint.diagnostics import Applicability, Fix
from mlpizza_lint.rules.base import Finding, Rule
from mlpizza_lint.spans import Edit, Span

# Names a framework or a test runner calls, not a cell (`ipytest`, pytest in a notebook).
CALLED_BY_NAME = ("test_", "Test")
EXPORT_MARKERS = ("#| export", "#|export", "# export", "#export")


class CommentedOutCode(Rule):
    """A block of commented-out Python.

    ## What it does
    Reports runs of full-line comments that parse as Python statements which do
    something (`# df = df.dropna()`, `# model.fit(X, y)`, a commented-out loop), one
    finding per block. Comments are parsed, not guessed at: prose that happens to parse
    as a lone name, a constant, an attribute (`# sklearn.metrics`) or an annotation
    (`# Note: slow`) is not code, nor is `# import libraries`. Directives and markers are
    left alone: `# noqa`, `# type:`, `# %%`, `# In[3]:`, Colab's `#@param`, nbdev's
    `#| export`, jupytext's commented magics (`# !pip ...`, `# %time`).

    ## Why is this bad?
    Switched-off code is a question every reader has to answer again: is this the
    version that produced the results above, or the one that did not work? Version
    control keeps old code; the notebook should show what runs.

    Off by default, as ruff's ERA001: it is a clean-up before a notebook becomes a
    package (`--select MLP401`), not something that breaks a run.

    ## Fix
    Unsafe: delete the block. Unsafe because the block may be an example kept on purpose.
    """

    code = "MLP401"
    name = "commented-out-code"
    enabled_by_default = False  # as ruff's ERA001: a clean-up pass, not a failure
    fix_title = "Delete the commented-out code"
    fix_applicability = Applicability.UNSAFE
    bad = (
        "import pandas as pd\n"
        "df = pd.read_csv('train.csv')\n"
        "# df = df.dropna()  # error: [MLP401]\n"
        "# for column in df.columns:\n"
        "#     print(df[column].describe())\n"
        "df.head()\n",
    )
    good = (
        "import pandas as pd\n"
        "df = pd.read_csv('train.csv')\n"
        "# Note: the rows with missing ages are kept\n"
        "df.head()\n",
    )

    def check(self, context: LintContext) -> Iterator[Finding]:
        for view in context.python_cells():
            for block in view.facts.commented_code:
                lines = block.end_line - block.line + 1
                what = "a line" if lines == 1 else f"{lines} lines"
                yield Finding(
                    view.cell.index,
                    line_span(view.cell, block.line),
                    f"{what} of commented-out code: delete it or make it run",
                    Fix(
                        self.fix_title or "",
                        Applicability.UNSAFE,
                        (Edit(view.cell.index, Span(block.line, 1, block.end_line + 1, 1), ""),),
                    ),
                )


class UnusedDefinition(Rule):
    """A function or class that no cell uses.

    ## What it does
    Reports a function or class defined at notebook scope that no cell mentions: no call,
    no reference (`df.apply(clean)`), no string naming it (`getattr`, `__all__`), no magic
    running it (`%timeit f()`). Exported definitions (an `__all__`, nbdev's `#| export`)
    are the notebook's product and are not reported, nor decorated ones (`@app.route`,
    `@interact`: a framework calls them), nor tests (`test_*`, `Test*`) that a runner
    collects. Python files are modules whose functions others import, and are not checked.

    ## Why is this bad?
    A helper written on the first day and never called again ("if it doesn't spark joy,
    remove it") makes every reader study code that does not matter, and is what gets
    copied into the package by mistake.

    ## Fix
    None: delete it, or call it.
    """

    code = "MLP402"
    name = "unused-definition"
    bad = (
        "# %% [1]\n"
        "def clean(df):\n"
        "    return df.dropna()\n"
        "def dwnloard_data_from_drive__tmp(url):  # error: [MLP402]\n"
        "    return url\n"
        "# %% [2]\n"
        "train = clean(raw)\n",
    )
    good = ("# %% [1]\ndef clean(df):\n    return df.dropna()\n# %% [2]\ntrain = clean(raw)\n",)

    def check(self, context: LintContext) -> Iterator[Finding]:
        if not context.document.is_notebook or _exports(context):
            return
        mentioned = frozenset[str]().union(*(view.facts.mentioned for view in context.code_cells))
        reported: set[str] = set()
        for view in context.python_cells():
            for definition in view.facts.definitions:
                name = definition.name
                if (
                    definition.kind == "import"
                    or definition.decorated
                    or name in mentioned
                    or name in reported
                    or name.startswith(CALLED_BY_NAME)
                ):
                    continue
                reported.add(name)
                yield Finding(
                    view.cell.index,
                    definition.span,
                    f"{definition.kind} `{name}` is defined but no cell uses it",
                )


def _exports(context: LintContext) -> bool:
    """A notebook that is a library's source (nbdev) or declares its API (`__all__`)."""
    return any(
        marker in view.cell.source for view in context.code_cells for marker in EXPORT_MARKERS
    ) or any("__all__" in view.facts.names.bound for view in context.python_cells())
