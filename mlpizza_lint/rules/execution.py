"""MLP001-MLP004: what the saved execution counts and outputs say about how a notebook ran."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator

from mlpizza_lint.analysis.context import CellView, LintContext, line_span
from mlpizza_lint.diagnostics import Severity
from mlpizza_lint.rules.base import Finding, Rule

RERUN_ADVICE = "restart the kernel and run all cells top to bottom before saving"


def executed(context: LintContext) -> list[tuple[int, CellView]]:
    return [
        (view.cell.execution_count, view)
        for view in context.code_cells
        if view.cell.execution_count is not None
    ]


def increasing_subsequence(counts: list[int]) -> set[int]:
    """Positions of one longest strictly increasing subsequence (patience sorting)."""
    tails: list[int] = []
    tail_positions: list[int] = []
    previous: list[int | None] = []
    for position, count in enumerate(counts):
        slot = bisect_left(tails, count)
        previous.append(tail_positions[slot - 1] if slot else None)
        if slot == len(tails):
            tails.append(count)
            tail_positions.append(position)
        else:
            tails[slot], tail_positions[slot] = count, position
    chain: set[int] = set()
    cursor = tail_positions[-1] if tail_positions else None
    while cursor is not None:
        chain.add(cursor)
        cursor = previous[cursor]
    return chain


class OutOfOrderExecution(Rule):
    """Code cells whose saved execution counts do not increase top to bottom.

    ## What it does
    Finds the fewest cells whose execution counts break the top-to-bottom order and
    reports each of them, naming a neighbour it ran before or after.

    ## Why is this bad?
    The saved outputs come from a run in another order than the one a reader or "Run all"
    will use: a cell may depend on state made by a cell below it, so the notebook can fail
    or give other results when run from the top.

    ## Fix
    None automatic: restart the kernel, run all cells, and save.
    """

    code = "MLP001"
    name = "out-of-order-execution"
    severity = Severity.ERROR
    bad = (
        "# %% [1]\nimport pandas as pd\n"
        "# %% [4]\ndf = pd.read_csv('train.csv')  # error: [MLP001]\n"
        "# %% [2]\ndf['price'] = df['price'].fillna(0)\n"
        "# %% [3]\ndf.describe()\n",
    )
    good = (
        "# %% [1]\nimport pandas as pd\n"
        "# %% [2]\ndf = pd.read_csv('train.csv')\n"
        "# %% [3]\ndf['price'] = df['price'].fillna(0)\n",
    )

    def check(self, context: LintContext) -> Iterator[Finding]:
        runs = executed(context)
        counts = [count for count, _ in runs]
        in_order = increasing_subsequence(counts)
        above = nearest(counts, range(len(counts)), lambda other, mine: other >= mine)
        below = nearest(counts, reversed(range(len(counts))), lambda other, mine: other <= mine)
        for position, (count, view) in enumerate(runs):
            if position in in_order:
                continue
            earlier, later = above[position], below[position]
            if earlier is not None:
                other = runs[earlier]
                relation, sign = f"ran before cell {other[1].cell.index} above it", "<"
            elif later is not None:  # a cell outside the sequence has one or the other
                other = runs[later]
                relation, sign = f"ran after cell {other[1].cell.index} below it", ">"
            else:
                continue
            yield Finding(
                view.cell.index,
                line_span(view.cell),
                f"cell {view.cell.index} {relation} (execution count {count} {sign} {other[0]}): "
                f"{RERUN_ADVICE}",
            )


def nearest(
    counts: list[int], order: Iterable[int], wanted: Callable[[int, int], bool]
) -> list[int | None]:
    """For each position, the closest position visited before it (in `order`) whose count
    satisfies `wanted(other, mine)`, found with a monotonic stack in linear time."""
    found: list[int | None] = [None] * len(counts)
    stack: list[int] = []
    for position in order:
        while stack and not wanted(counts[stack[-1]], counts[position]):
            stack.pop()
        found[position] = stack[-1] if stack else None
        stack.append(position)
    return found


class UnexecutedCell(Rule):
    """A code cell that was never run, above cells that were.

    ## What it does
    Reports a non-empty code cell without an execution count when a cell below it has one.
    Cells after the last executed cell (work in progress) and notebooks saved without any
    outputs are not reported.

    ## Why is this bad?
    The saved results were produced without this cell: either it is dead code, or running
    the notebook top to bottom executes something the author never ran.

    ## Fix
    None automatic: run all cells, or delete the cell.
    """

    code = "MLP002"
    name = "unexecuted-cell"
    bad = (
        "# %% [1]\nimport numpy as np\n"
        "# %% [ ]\nnp.random.seed(0)  # error: [MLP002]\n"
        "# %% [2]\nnp.random.rand(3)\n",
    )
    good = (
        "# %% [1]\nimport numpy as np\n"
        "# %% [2]\nnp.random.rand(3)\n"
        "# %% [ ]\n# scratch: try another seed\n"
        "# %% [ ]\nnp.random.seed(1)\n",
    )

    def check(self, context: LintContext) -> Iterator[Finding]:
        last_run = max(
            (
                position
                for position, view in enumerate(context.code_cells)
                if view.cell.execution_count is not None
            ),
            default=0,
        )
        for view in context.code_cells[:last_run]:
            if view.cell.execution_count is None and view.facts.has_code:
                yield Finding(
                    view.cell.index,
                    line_span(view.cell),
                    f"cell {view.cell.index} was never run but cells below it were: "
                    "run all cells top to bottom, or delete it if it is dead code",
                )


class ExecutionCountGap(Rule):
    """Execution counts that skip numbers or do not start at 1.

    ## What it does
    Sorts the saved execution counts and reports where they do not start at 1 and where
    they jump, on the cell with the count after the gap.

    ## Why is this bad?
    Every missing number is a run whose cell has since been deleted or re-run: the saved
    outputs may depend on state that nothing in the notebook creates any more.

    ## Fix
    None automatic: restart the kernel, run all cells, and save.
    """

    code = "MLP003"
    name = "execution-count-gap"
    bad = (
        "# %% [1]\nimport pandas as pd\n"
        "# %% [2]\ndf = pd.read_csv('sales.csv')\n"
        "# %% [7]\ndf.groupby('region').sum()  # error: [MLP003]\n",
    )
    good = (
        "# %% [1]\nimport pandas as pd\n"
        "# %% [2]\ndf = pd.read_csv('sales.csv')\n"
        "# %% [3]\ndf.groupby('region').sum()\n",
    )

    def check(self, context: LintContext) -> Iterator[Finding]:
        runs = sorted(executed(context), key=lambda run: run[0])
        previous = 0
        for count, view in runs:
            if count > previous + 1:
                yield Finding(view.cell.index, line_span(view.cell), _gap_message(previous, count))
            previous = max(previous, count)


def _gap_message(previous: int, count: int) -> str:
    missing = count - previous - 1
    runs = "run is" if missing == 1 else "runs are"
    start = (
        f"execution counts start at {count}, not 1"
        if previous == 0
        else (f"execution count jumps from {previous} to {count}")
    )
    return (
        f"{start}: {missing} {runs} not in the notebook (cells deleted or re-run); {RERUN_ADVICE}"
    )


class SavedErrorOutput(Rule):
    """A cell saved with an exception in its outputs.

    ## What it does
    Reports each error output saved in a code cell, at the cell line the traceback points
    to when it can be read.

    ## Why is this bad?
    The notebook was saved after this cell failed: later outputs were produced without it,
    and a reader cannot tell whether the error is expected.

    ## Fix
    None automatic: fix the cell and re-run, or clear its output if the error is a demo.
    """

    code = "MLP004"
    name = "saved-error-output"
    bad = ("# %% [3] !KeyError\nmean_tenure = df['tenure'].mean()  # error: [MLP004]\n",)
    good = ("# %% [3]\nmean_tenure = df['tenure'].mean()\n",)

    def check(self, context: LintContext) -> Iterator[Finding]:
        for view in context.code_cells:
            for error in view.cell.errors:
                detail = f": {error.value}" if error.value else ""
                yield Finding(
                    view.cell.index,
                    line_span(view.cell, error.line or 1),
                    f"`{error.name}` was raised when this cell last ran{detail[:80]}; "
                    "fix the cell and re-run it, or clear its output",
                )
