"""MLP001-MLP004: what the saved execution counts and outputs say about how a notebook ran."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator

from mlpizza_lint.analysis.context import LintContext, line_span
from mlpizza_lint.analysis.execution_record import (
    CellRun,
    ExecutionRecord,
    cell_list,
    is_exercise,
)
from mlpizza_lint.analysis.facts import cell_facts
from mlpizza_lint.analysis.seeds import seeded_library
from mlpizza_lint.diagnostics import Severity
from mlpizza_lint.rules.base import Finding, Rule

RERUN_ADVICE = "restart the kernel and run all cells top to bottom before saving"
# Saved "errors" that are no failure of the cell: the user interrupting a loop or a long
# run, a library pausing a pipeline on purpose (Haystack's breakpoints).
NOT_FAILURES = frozenset({"KeyboardInterrupt", "BreakpointException"})


# Lines of cells an author leaves unrun on purpose: installs (MLP201's), credentials the
# environment already had, teardown at the end of a notebook.
OPTIONAL_LINE = re.compile(
    r"^[!%].*\binstall\b|^os\.environ\[.*\]\s*=|^_set_env\(|getpass\(|^load_dotenv\("
    r"|^!\s*(wget|curl|mkdir|mv|cp|unzip|tar|gdown|ln|git\s+clone)\b"  # data fetched once
    r"|rmtree\(|^os\._exit\(|\.delete\(|\bshutdown\(|\bteardown|\bclean_?up\("
    r"|\bstop_\w*\(|\.stop\(\)|\.pause\(\)|\bglue\(|\bstore_metadata\(|\bpm\.record\("
)
# A cell its first comment offers as a choice: "Optionally, ...", "Alternatively, ...",
# "if you want to use a self-hosted server": one of several ways, not all of them meant.
OPTION_COMMENT = re.compile(
    r"^#.*\b(optional(ly)?|alternative(ly)?|if you (want|prefer|wish|would like|need))\b",
    re.IGNORECASE,
)
IMPORT_LINE = re.compile(r"^(import|from)\s")
SHELL_CELL = re.compile(r"^%%(bash|sh|script\s+\w+)\s*$")
# A cell that only does something on a hosted platform (`if 'google.colab' in ...:`).
PLATFORM_CELL = re.compile(r"^if\b.*\b(colab|kaggle|databricks|sagemaker)", re.IGNORECASE)


def _optional(source: str) -> bool:
    """A cell whose skipping changes nothing the notebook reads: installs only (in a
    `%%bash` cell too), data fetched once (`!wget`, `!unzip`), set-up of credentials,
    teardown, results recorded for a test harness (scrapbook's `glue`), the set-up of a
    hosted platform, or one of several options its comment offers."""
    lines = [line.strip() for line in source.splitlines() if line.strip()]
    code = [line for line in lines if not line.startswith("#")]
    if not code:
        return False
    if SHELL_CELL.match(code[0]):  # `%%bash` then `pip install ...`: shell lines
        code = [f"!{line}" for line in code[1:]] or code
    if PLATFORM_CELL.match(code[0]) or OPTION_COMMENT.match(lines[0]):
        return True
    doing = [line for line in code if not IMPORT_LINE.match(line)]
    return bool(doing) and all(OPTIONAL_LINE.search(line) for line in doing)


def _skippable(context: LintContext, run: CellRun) -> bool:
    """Left unrun, it leaves what the notebook reads as it is: optional, or only shows."""
    return _optional(run.cell.source) or cell_facts(run.cell.source).shows_only


def _changes_what_ran(context: LintContext, execution: ExecutionRecord, run: CellRun) -> str:
    """How skipping the cell made the saved run differ from a run top to bottom: it seeds
    the random numbers cells below drew, or it rebinds a name that a cell above bound and
    a cell below read; "" when nothing below depends on it."""
    views = {view.cell.index: view for view in context.python_cells()}
    view = views.get(run.index)
    if view is None:
        return ""
    ran = [other.index for other in execution.runs if other.ran and other.index in views]
    if any(seeded_library(context.qualified(call.name)) for call in view.facts.calls):
        return "it seeds the random numbers that the cells below it drew unseeded"
    imported = {d.name for d in view.facts.definitions if d.kind == "import"}
    for name in dict.fromkeys(view.facts.names.bound):
        if name in imported:
            continue  # importing a module again changes nothing
        above = [i for i in ran if i < run.index and name in views[i].facts.names.bound]
        below = next(
            (
                i
                for i in ran
                if i > run.index and any(use.name == name for use in views[i].facts.names.reads)
            ),
            None,
        )
        if above and below is not None:
            return (
                f"it rebinds `{name}`, which cell {below} read as cell {above[-1]} left it; "
                "run top to bottom, it gets this cell's"
            )
    return ""


def record(context: LintContext) -> ExecutionRecord:
    return context.shared(ExecutionRecord.of)


def finding(run: CellRun, message: str, line: int = 1) -> Finding:
    return Finding(run.index, line_span(run.cell, line), message)


def increasing_subsequence(counts: list[int]) -> set[int]:
    """Positions of one longest non-decreasing subsequence (patience sorting): equal counts
    are not out of order, they are duplicates and reported as such."""
    tails: list[int] = []
    tail_positions: list[int] = []
    previous: list[int | None] = []
    for position, count in enumerate(counts):
        slot = bisect_right(tails, count)
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
    reports each of them, naming a neighbour it ran before or after. Cells that show the
    same count are reported once per count, naming all of them. Counts that Jupyter does
    not write (0 and below, counts equal to the cells' positions) and stripped counts
    cannot tell the order: that is said once per notebook, as a note.

    ## Why is this bad?
    The saved outputs come from a run in another order than the one a reader or "Run all"
    will use: a cell may depend on state made by a cell below it, so the notebook can fail
    or give other results when run from the top. Two cells showing one count come from two
    kernel sessions, or one is a copy of the other.

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
        "# %% [1]\nimport pandas as pd\n"
        "# %% [2]\ndf = pd.read_csv('train.csv')\n"
        "# %% [2]\ndf = pd.read_csv('train.csv')  # error: [MLP001]\n"
        "# %% [3]\ndf.describe()\n",
    )
    good = (
        "# %% [1]\nimport pandas as pd\n"
        "# %% [2]\ndf = pd.read_csv('train.csv')\n"
        "# %% [3]\ndf['price'] = df['price'].fillna(0)\n"
        "# %% [4]\ndf.describe()\n",
        "# %% [1]\nimport pandas as pd\n"
        "# %% [2]\ndf = pd.read_csv('train.csv')\n"
        "# %% [3]\ndf.describe()\n",
    )

    def check(self, context: LintContext) -> Iterator[Finding]:
        execution = record(context)
        runs = execution.ordered
        counts = [count for count, _ in runs]
        in_order = {runs[position][1].index for position in increasing_subsequence(counts)}
        duplicated = {run.index for group in execution.duplicates for run in group}
        above = nearest(counts, range(len(counts)), lambda other, mine: other > mine)
        below = nearest(counts, reversed(range(len(counts))), lambda other, mine: other < mine)
        for position, (count, run) in enumerate(runs):
            if run.index in in_order or run.index in duplicated:  # duplicates: said below
                continue
            earlier, later = above[position], below[position]
            if earlier is not None:
                other = runs[earlier]
                relation, sign = f"ran before cell {other[1].index} above it", "<"
            elif later is not None:  # a cell outside the sequence has one or the other
                other = runs[later]
                relation, sign = f"ran after cell {other[1].index} below it", ">"
            else:
                continue
            yield finding(
                run,
                f"cell {run.index} {relation} (execution count {count} {sign} {other[0]}): "
                f"{RERUN_ADVICE}",
            )
        if execution.duplicates:
            # where a count shown above shows again: there the other session or copy starts
            repeat = min((group[1] for group in execution.duplicates), key=lambda run: run.index)
            yield finding(repeat, _duplicates_message(execution.duplicates))

    def notes(self, context: LintContext) -> Iterator[str]:
        note = record(context).order_note() if context.document.is_notebook else None
        if note:  # a script has no execution record to speak of
            yield note


def _duplicates_message(groups: tuple[tuple[CellRun, ...], ...]) -> str:
    """One message for every count shown twice: they have one cause, two sessions."""
    if len(groups) == 1:
        both = "both" if len(groups[0]) == 2 else "all"
        shown = f"{cell_list(run.index for run in groups[0])} {both} show In [{groups[0][0].count}]"
        cause = "outputs from two sessions or a copied cell"
    else:
        pairs = [
            f"In [{group[0].count}] in {cell_list(run.index for run in group)}" for group in groups
        ]
        more = f"; and {len(pairs) - 5} more" if len(pairs) > 5 else ""
        shown = (
            f"{len(groups)} counts are shown by more than one cell ({'; '.join(pairs[:5])}{more})"
        )
        cause = "outputs from two sessions or copied cells"
    return f"{shown}: {cause}; {RERUN_ADVICE}"


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
    """A cell never run whose skipping changed what ran after it; a notebook not run to the end.

    ## What it does
    Reports, once per notebook, the code cells below the last one that ran (the notebook
    was saved before it ran to the end), and a code cell that shows no sign of a run (no
    execution count, no outputs) above cells that ran when skipping it changed what they
    computed: it seeds random numbers (`np.random.seed`, `torch.manual_seed`,
    `set_seed`), or it rebinds a name that a cell above it bound and a cell below it read
    (the saved outputs used the first value; run top to bottom, that cell gets this one).
    A cell skipped with no such effect (a scratch snippet, a plot, a cached stage whose
    files a later cell reloads) is left alone: the notebook runs the same either way.

    A cell with outputs ran, whatever its count says; cells tagged `skip-execution` or
    `nbval-skip` and nbgrader solution templates are meant to stay unrun. Nothing is
    reported where the counts cannot tell: a notebook saved cleared (no count at all, or
    at most a quarter of its code cells ran, or a single one did) or one whose cells with
    outputs were saved without counts (Colab), said once as a note; nor in an exercise
    notebook left to complete (`<YOUR CODE>`, `# YOUR CODE HERE`). Nor are cells the
    counts leave room for (two uncounted cells between `[4]` and `[7]` may have run as 5
    and 6, their counts cleared since), nor, in the unrun tail, cells that only show or
    say something (`df.head()`, `print(job.status)`), install, fetch data once, set up
    credentials, tear down (`endpoint.pause()`, `shutdown()`), record results for a test
    harness, set up a hosted platform, or offer one of several options ("Optionally").

    ## Why is this bad?
    The saved results were produced without this cell: run top to bottom, the notebook
    computes something other than what its outputs show.

    ## Fix
    None automatic: run all cells, or delete the cell.
    """

    code = "MLP002"
    name = "unexecuted-cell"
    bad = (
        "# %% [1]\nimport numpy as np\n"
        "# %% [ ]\nnp.random.seed(0)  # error: [MLP002]\n"
        "# %% [2]\nnp.random.rand(3)\n",
        "# %% [1]\nimport numpy as np\n"
        "# %% [2]\nx = np.random.rand(3)\n"
        "# %% [ ]\nx.mean()  # error: [MLP002]\n"
        "# %% [ ]\nx.std()\n",
    )
    good = (
        "# %% [1]\nimport numpy as np\n# %% [2]\nnp.random.seed(0)\n# %% [3]\nnp.random.rand(3)\n",
        "# %% [1]\nimport numpy as np\n"
        "# %% [2]\nx = np.random.rand(3)\n"
        "# %% [3]\nx.mean()\n"
        "# %% [4]\nx.std()\n",
    )

    def check(self, context: LintContext) -> Iterator[Finding]:
        execution = record(context)
        tail = [run for run in execution.unrun_tail if not _skippable(context, run)]
        for run in execution.never_run:
            if run not in execution.unrun_tail and not _skippable(context, run):
                changes = _changes_what_ran(context, execution, run)
                if changes:
                    yield finding(
                        run,
                        f"cell {run.index} was never run, but {changes}: run all cells "
                        "top to bottom, or delete it",
                    )
        if tail:
            unrun = execution.unrun_tail
            cells = "code cell" if len(unrun) == 1 else f"{len(unrun)} code cells"
            yield finding(
                unrun[0],
                f"the notebook was saved before it ran to the end: the last {cells} "
                f"({cell_list(run.index for run in unrun)}) never ran; {RERUN_ADVICE}",
            )

    def notes(self, context: LintContext) -> Iterator[str]:
        execution = record(context)
        if not context.document.is_notebook:
            return
        if execution.counts_dropped and not execution.cleared:
            has = "has" if len(execution.counts_dropped) == 1 else "have"
            yield (
                f"{cell_list(run.index for run in execution.counts_dropped)} {has} outputs "
                "but no execution count: counts were not saved for every cell that ran, so "
                "cells without one are not reported as never run"
            )
        elif execution.cleared and execution.counted:
            code = [run for run in execution.runs if run.has_code]
            ran = [run.index for run in code if run.ran]
            if not ran:  # only empty cells have counts
                return
            yield (
                f"only {len(ran)} of {len(code)} code cells ran ({cell_list(ran)}): read as "
                "a notebook saved cleared, so cells that never ran are not reported"
            )


class ExecutionCountGap(Rule):
    """Execution counts that skip numbers or do not start at 1.

    ## What it does
    Sorts the saved execution counts and reports, once per notebook, where they do not
    start at 1 and where they jump, listing the cells after each gap. Counts a tool wrote
    (see MLP001) are not read, nor those of a notebook saved cleared or with cells whose
    counts were not saved (see MLP002), nor those of an exercise notebook (its author ran
    the template before blanking the answers). A gap that the uncounted cells between the two
    counts could fill (their counts cleared since) is no gap.

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
        gaps: list[tuple[int, int, CellRun]] = []  # (count before, count after, cell after)
        previous = 0
        execution = record(context)
        if execution.cleared or execution.counts_dropped or len(execution.ordered) < 2:
            return  # a stray count or two in a notebook saved without a run; one real count
            # among `In [0]`s a tool wrote; cells whose counts were not saved
        if is_exercise(context):
            return  # a template's counts are its author's runs, kept with the blanks
        before: CellRun | None = None
        for count, run in sorted(execution.ordered, key=lambda pair: pair[0]):
            start = before.index if before is not None else 0
            room = execution.uncounted_between(start, run.index) if run.index > start else 0
            if count > previous + 1 + room:  # uncounted cells in between may fill it
                gaps.append((previous, count, run))
            previous, before = count, run
        if gaps:
            yield finding(gaps[0][2], _gap_message(gaps))


def _gap_message(gaps: list[tuple[int, int, CellRun]]) -> str:
    missing = sum(after - before - 1 for before, after, _ in gaps)
    runs = "1 run is" if missing == 1 else f"{missing} runs are"
    places = [
        f"start at {after}, not 1 (cell {run.index})"
        if before == 0
        else f"jump from {before} to {after} (cell {run.index})"
        for before, after, run in gaps
    ]
    shown = "; ".join(places[:10]) + (f"; and {len(places) - 10} more" if len(places) > 10 else "")
    return (
        f"execution counts {shown}: {runs} not in the notebook (cells deleted or re-run); "
        f"{RERUN_ADVICE}"
    )


class SavedErrorOutput(Rule):
    """A cell saved with an exception in its outputs.

    ## What it does
    Reports each error output saved in a code cell, at the cell line the traceback points
    to when it can be read, quoting the exception line the traceback ends with. Cells
    tagged `raises-exception` (the nbval, nbmake and Jupyter Book convention) and cells
    whose comments or printed text say the error is expected (`# this raises a KeyError`,
    `x  # so this will fail`), or that the markdown just above or below announces or
    explains, are demos; an error output with no exception name is a front end's notice,
    a `KeyboardInterrupt` the user's stop and a `BreakpointException` a pipeline's pause,
    not errors of the cell.

    ## Why is this bad?
    The notebook was saved after this cell failed: later outputs were produced without it,
    and a reader cannot tell whether the error is expected.

    ## Fix
    None automatic: fix the cell and re-run, or tag it `raises-exception` if the error is
    a demo.
    """

    code = "MLP004"
    name = "saved-error-output"
    bad = ("# %% [3] !KeyError\nmean_tenure = df['tenure'].mean()  # error: [MLP004]\n",)
    good = (
        "# %% [3]\nmean_tenure = df['tenure'].mean()\n",
        "# %% [3] !KeyError tags=raises-exception\nmean_tenure = df['tenure'].mean()\n",
    )

    def check(self, context: LintContext) -> Iterator[Finding]:
        for run in record(context).runs:
            if run.expects_error:
                continue
            for exception in run.exceptions:
                if not exception.name.strip() or exception.name in NOT_FAILURES:
                    continue  # the front end's notice ("session disposed"), the user's stop
                yield finding(
                    run,
                    f"`{_shortened(exception.text)}` was raised when this cell last ran; fix "
                    "the cell and re-run it, or tag it `raises-exception` if the error is a demo",
                    exception.line or 1,
                )


def _shortened(text: str, limit: int = 100) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
