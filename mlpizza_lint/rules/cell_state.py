"""MLP105-MLP106: cells whose effect depends on what ran before them, or on how often."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import pairwise

from mlpizza_lint.analysis.context import CellView, LintContext
from mlpizza_lint.analysis.definitions import Definition
from mlpizza_lint.rules.base import Finding, Rule


@dataclass(frozen=True)
class _Defined:
    view: CellView
    definition: Definition


class Redefinition(Rule):
    """A function, class or import bound again in a later cell with different code.

    ## What it does
    Reports a top-level `def`, `class` or import that binds a name a cell above already
    bound with different code (another body, another module) when the old one matters:
    a cell between the two uses the name, or the saved session ran the two in the other
    order, so a cell below the second one was run with the first. Importing the same thing
    again (`import numpy as np` in a later cell) and copying a function unchanged are not
    reported, nor are two definitions in one cell.

    ## Why is this bad?
    Cells between the two definitions get the first one and cells after get the second:
    the outputs above may come from a version of the code the notebook no longer shows as
    current, and a reader who finds the first definition reads the wrong code.

    ## Fix
    None: give the two versions different names, or delete the one no longer wanted.
    """

    code = "MLP105"
    name = "redefinition"
    bad = (
        "# %% [1]\n"
        "def score(y, p):\n"
        "    return (y == p).mean()\n"
        "# %% [2]\n"
        "baseline = score(y_test, baseline_predictions)\n"
        "# %% [3]\n"
        "def score(y, p):  # error: [MLP105]\n"
        "    return f1_score(y, p)\n"
        "# %% [4]\n"
        "final = score(y_test, predictions)\n",
    )
    good = (
        "# %% [1]\n"
        "def accuracy(y, p):\n"
        "    return (y == p).mean()\n"
        "# %% [2]\n"
        "baseline = accuracy(y_test, baseline_predictions)\n"
        "# %% [3]\n"
        "def f1(y, p):\n"
        "    return f1_score(y, p)\n"
        "# %% [4]\n"
        "final = f1(y_test, predictions)\n"
        "import numpy as np\n",
    )

    def check(self, context: LintContext) -> Iterator[Finding]:
        by_name: dict[str, list[_Defined]] = defaultdict(list)
        for view in context.python_cells():
            for definition in view.facts.definitions:
                by_name[definition.name].append(_Defined(view, definition))
        readers = _readers(context)
        for name, defined in by_name.items():
            for first, second in pairwise(defined):
                index, later = first.view.cell.index, second.view.cell.index
                if index == later or first.definition.fingerprint == second.definition.fingerprint:
                    continue
                reason = _why_it_matters(name, first, second, readers.get(name, ()))
                if reason:
                    yield Finding(
                        later,
                        second.definition.span,
                        f"`{name}` is bound again here with different code than in cell "
                        f"{index}, and {reason}: rename one of the two",
                    )


def _readers(context: LintContext) -> dict[str, list[CellView]]:
    """Name -> the cells that read it when they run (not inside a function body)."""
    found: dict[str, list[CellView]] = defaultdict(list)
    for view in context.python_cells():
        names = view.facts.names
        for name in dict.fromkeys(use.name for use in (*names.reads, *names.calls)):
            found[name].append(view)
    return found


def _why_it_matters(
    name: str, first: _Defined, second: _Defined, readers: list[CellView] | tuple[()]
) -> str:
    index, later = first.view.cell.index, second.view.cell.index
    between = [view.cell.index for view in readers if index < view.cell.index < later]
    if between:
        return f"cell {between[0]} between them uses the first"
    ran_first, ran_second = first.view.cell.execution_count, second.view.cell.execution_count
    if ran_first is None or ran_second is None or ran_first <= ran_second:
        return ""
    for view in readers:
        ran = view.cell.execution_count
        if view.cell.index > later and ran is not None and ran > ran_first:
            return (
                f"the saved run of cell {view.cell.index} used cell {index}'s, which ran "
                "last; top to bottom it gets this one"
            )
    return ""


class NonIdempotentCell(Rule):
    """A cell that reads a global from an earlier cell and rebinds it.

    ## What it does
    Reports a name that a cell reads from the cells above it and then binds again
    (`features = features + extra`, `total += batch`, `df = pd.concat([df, new])`): each
    run of the cell starts from what the previous run left. A name the cell binds before
    reading it (`total = 0` then `total += x`) is not reported. Off by default: many such
    cells are meant to run once, and rerunning them is the user's decision.

    ## Why is this bad?
    Running the cell twice, which happens all the time while exploring, changes the state
    again: columns appended twice, a learning rate halved twice. The notebook's outputs
    then depend on how often each cell was run, not on its code.

    ## Fix
    None: bind a new name (`all_features = features + extra`), or start the cell from a
    value it creates itself.
    """

    code = "MLP106"
    name = "non-idempotent-cell"
    enabled_by_default = False
    bad = (
        "# %% [1]\n"
        "features = ['age', 'income']\n"
        "# %% [2]\n"
        "features = features + ['tenure']  # error: [MLP106]\n",
    )
    good = (
        "# %% [1]\n"
        "base_features = ['age', 'income']\n"
        "# %% [2]\n"
        "features = base_features + ['tenure']\n"
        "total = 0\n"
        "for value in features:\n"
        "    total += len(value)\n",
    )

    def check(self, context: LintContext) -> Iterator[Finding]:
        bound_above: set[str] = set()
        for view in context.python_cells():
            names = view.facts.names
            rebinds = set(names.bound)
            for use in names.reads:
                if use.name in rebinds and use.name in bound_above:
                    rebinds.discard(use.name)  # one finding per name and cell
                    yield Finding(
                        view.cell.index,
                        use.span,
                        f"this cell reads `{use.name}` from an earlier cell and binds it "
                        "again: running it twice changes the result",
                    )
            bound_above.update(names.bound)
