"""MLP501-MLP503: what running the notebook top to bottom showed (`verify` only).

These rules read no facts: `mlpizza_lint.verify` runs the notebook in a fresh kernel and
reports them. They are rules so that they have codes, pages, examples and selection like
the others; `check` never reports them.
"""

from __future__ import annotations

from collections.abc import Iterator

from mlpizza_lint.analysis.context import LintContext
from mlpizza_lint.diagnostics import Severity
from mlpizza_lint.rules.base import Finding, Rule


class FoundByRunning(Rule):
    """A rule whose findings come from running the notebook, not from reading it."""

    found_by_running = True

    def check(self, context: LintContext) -> Iterator[Finding]:
        return iter(())


class FailsWhenRun(FoundByRunning):
    """A cell raised when the notebook ran top to bottom in a fresh kernel.

    ## What it does
    `mlpizza-lint verify` runs the notebook as "Restart kernel and run all" does: a new
    kernel, started in the notebook's folder, every code cell in order. The first cell
    that raises is reported with the exception and the line its traceback points at, and
    the message names the static finding that predicted the failure (`predicted by MLP101
    at cell 1: ...`) or says that none did. Cells after it did not run; a note says so. A
    cell tagged `raises-exception` (nbval's and nbmake's convention for a cell meant to
    fail) may raise; one tagged `skip-execution` is not run.

    ## Why is this bad?
    This is what "it works on my machine" hides: the notebook does not run for the next
    person, however good its saved outputs look. A failure no static finding predicted
    shows where reading the code is not enough (a removed library API, data that is not
    in the repository).

    ## Fix
    None automatic: fix what the predicting finding says, or the exception, and run
    `verify` again.
    """

    code = "MLP501"
    name = "fails-when-run"
    severity = Severity.ERROR
    bad = (
        "# %%\nprint(f'{total_price(3):.2f}')  # error: [MLP501]\n"
        "# %%\ndef total_price(items):\n    return items * 2.5\n",
    )
    good = (
        "# %%\ndef total_price(items):\n    return items * 2.5\n"
        "# %%\nprint(f'{total_price(3):.2f}')\n",
    )


class OutputDiffers(FoundByRunning):
    """A cell's output when re-run differs from the output saved in the notebook.

    ## What it does
    With `verify --compare-outputs`, compares each cell's saved output with what it shows
    when the notebook runs top to bottom in a fresh kernel, and reports the first cell
    that differs, quoting both. Compared is the text a reader sees: printed output, the
    plain-text form of results and displays, and exceptions; images, HTML, widgets and
    stderr are not. Memory addresses, dates, times, durations and progress bars are
    normalised first, and numbers are compared to six significant digits.

    ## Why is this bad?
    The saved outputs are the notebook's claim about its results. When a clean run shows
    something else, the results came from state the notebook does not recreate: cells
    run in another order, a deleted cell, unseeded randomness, data that changed.

    ## Fix
    None automatic: find what the run depends on (seed the randomness, pin the data), run
    the notebook top to bottom and save it.
    """

    code = "MLP502"
    name = "output-differs"
    bad = (
        "# %% [1]\nimport random\n# %% [2] => 0.844421851525\nrandom.random()  # error: [MLP502]\n",
    )
    good = (
        "# %% [1]\nimport random\n\nrandom.seed(0)\n# %% [2] => 0.844421851525\nrandom.random()\n",
    )


class CellTimeout(FoundByRunning):
    """A cell ran past its time limit when the notebook ran top to bottom.

    ## What it does
    `verify` gives each cell `--cell-timeout` seconds (600 by default) and the whole
    notebook `--timeout` seconds; the cell that runs out of time is reported, the kernel
    is stopped, and the cells after it are not run.

    ## Why is this bad?
    A cell that waits for input, a server or a file that never comes, or that trains for
    hours, keeps the notebook from being run by a CI job or by the next person in any
    reasonable time.

    ## Fix
    None automatic: bound the loop, make the long step a parameter (fewer epochs, a sample
    of the data), or cache its result in a file the notebook can load.
    """

    code = "MLP503"
    name = "cell-timeout"
    severity = Severity.ERROR
    bad = (
        "# %% [1]\nimport time\n"
        "# %% [2]\nwhile True:  # error: [MLP503]\n    time.sleep(1)  # waits for a file\n",
    )
    good = ("# %% [1]\nimport time\n# %% [2]\nfor attempt in range(3):\n    time.sleep(0.1)\n",)


class InstallFails(FoundByRunning):
    """A declared dependency that cannot be installed in a fresh environment.

    ## What it does
    `verify --env fresh` builds a new virtual environment from what the project declares
    (requirements files, pyproject, setup.cfg, Pipfile, an environment file's `pip:`
    section) and reports each declaration the installer refuses, at its line, with the
    installer's reason: a version that does not exist, a name that is not on the index, a
    package that does not build for this Python.

    ## Why is this bad?
    The first thing the next person does is install the requirements; when that fails,
    nothing in the notebook can run, and the error is about a file they did not write.

    ## Fix
    None automatic: correct the name or the version (`pip index versions NAME` lists
    them), and run `verify --env fresh` again.
    """

    code = "MLP504"
    name = "install-fails"
    severity = Severity.ERROR
    example_file = "requirements.txt"
    bad = ("six==1.16.0\nno-such-distribution-mlpizza==1.0  # error: [MLP504]\n",)
    good = ("six==1.16.0\n",)
