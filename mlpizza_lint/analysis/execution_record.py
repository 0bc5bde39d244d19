"""What a saved notebook says about how it ran: the model MLP001-MLP004 read.

Jupyter numbers executions from 1 (`In [n]`, a cell's `execution_count`) and saves a cell's
outputs with it. Tools that write notebooks do not always do so (counts of 0, counts set to
the cell's position, counts stripped, outputs kept without a count), so the record also says
when the counts cannot tell the order the cells ran in, and which cells ran whatever their
count says. It is read once per notebook (`ExecutionRecord.of`, through `LintContext.shared`).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from functools import cached_property
from typing import Any

from mlpizza_lint.analysis.context import LintContext
from mlpizza_lint.analysis.namespace import Found, NotebookNames
from mlpizza_lint.notebook.documents import Cell, Document
from mlpizza_lint.notebook.tracebacks import ANSI_ESCAPE

# At most this share of the code cells ran (or a single one did): the notebook was saved
# cleared, and a stray count is not a sign that the other cells were skipped (fresh set 15
# had three stray counts among 13 cells, 23%).
CLEARED_SHARE = 0.25
# Tags for cells that are not meant to run (Jupyter Book, MyST-NB, nbval) or to fail (nbval,
# nbmake, Jupyter Book).
SKIP_TAGS = frozenset({"skip-execution", "nbval-skip"})
RAISES_TAG = "raises-exception"
# Cell metadata that only a run writes, kept when its outputs are cleared: Colab's
# `executionInfo` and `outputId`, JupyterLab's timing record.
# `<YOUR CODE>`, `# YOUR CODE HERE`, and blanks to fill (`beta0 = ___`, `np.sum(____)`).
# ... and `assert False, "Collect the counts and return the estimates."`, `ob = TODO`: a
# body or a value to write.
TEMPLATE_MARK = re.compile(
    r"<\s*your[ _-]|your code here|^\s*#+\s*your code|(?<!\w)_{3,}(?!\w)"
    r"|^\s*assert\s+False\s*,|(?-i:=\s*TODO\b)",
    re.I | re.M,
)
# A notebook's function left to write (`raise NotImplementedError`): a starter notebook.
STUB = re.compile(r"^\s*raise\s+NotImplementedError\b", re.M)
# `# <your code>`, `# YOUR CODE HERE`, `# Insert code here`, `# fill this in`: a cell left
# for a student, whose missing names and statements are the answer to write.
EXERCISE_COMMENT = re.compile(
    r"#.*(your (own )?(code|answer|solution|implementation)|fill (this |it )?in"
    r"|insert (your )?code"
    r"|<[^<>]*\byour\b[^<>]*>)",
    re.I,
)
RUN_METADATA = ("executionInfo", "outputId", "execution")
ERROR_OUTPUTS = ("error", "pyerr")
RESULT_OUTPUTS = ("execute_result", "pyout")


# A first comment line saying the error is wanted: `# Errors`, `# this raises a KeyError`,
# `# raises ValueError`, `# expected to fail`, `# will throw`, `# error expected`.
EXPECTED_ERROR = re.compile(
    r"^#+\s*(errors?|exceptions?)\b"
    r"|\b(this|it|which|will|should|must|would)\s+(raises?|fails?|throws?|errors?)\b"
    r"|\braises?\s+(an?\s+)?\w*(error|exception)\b"
    r"|\b(errors?|exceptions?|failure)\s+(is\s+|are\s+)?expected\b"
    r"|\bexpect(ed|s)?\s+(to\s+fail|an?\s+(error|exception)|\w*error)"
    r"|\bgives?\s+an?\s+error\b"
    r"|^#+\s*[A-Z]\w*(Error|Exception)\s*:",  # `# ValueError: operands could not be ...`
    re.IGNORECASE,
)


def is_exercise(context: LintContext) -> bool:
    """A notebook left for a student to complete (`# YOUR CODE HERE`, `<your code>`,
    `x = ___`): its blanks are missing names and statements by design."""
    return context.shared(_has_blanks)


def _has_blanks(context: LintContext) -> bool:
    stubs = context.document.is_notebook  # a module's `raise NotImplementedError` is an ABC's
    return any(
        TEMPLATE_MARK.search(view.cell.source)
        or EXERCISE_COMMENT.search(view.cell.source)
        or (stubs and STUB.search(view.cell.source))
        for view in context.code_cells
    )


@dataclass(frozen=True)
class SavedException:
    """One saved error output, as the user saw it."""

    name: str
    text: str  # `KeyError: 'tenure'`: the traceback's exception line, or name and value
    line: int | None  # the cell line the traceback points at


@dataclass(frozen=True)
class CellRun:
    """A code cell and the evidence of its last run."""

    cell: Cell
    count: int | None  # the `In [n]` shown: the cell's count, else its result's count
    has_outputs: bool
    ran: bool  # a count, outputs or run metadata prove it ran
    not_to_run: bool  # deliberately left unrun: a skip tag or an nbgrader solution template
    has_code: bool
    exceptions: tuple[SavedException, ...]
    introduced_as_failing: bool = False  # the markdown just above says it will fail

    @property
    def index(self) -> int:
        return self.cell.index

    @property
    def expects_error(self) -> bool:
        """Tagged, commented or introduced as failing, or an exercise blank still unfilled
        (`x = df.___`), whose error is the exercise's."""
        return (
            RAISES_TAG in self.cell.tags
            or self.introduced_as_failing
            or any(EXPECTED_ERROR.search(text) for text in _remarks(self.cell.source))
            or bool(TEMPLATE_MARK.search(self.cell.source))
        )


@dataclass(frozen=True)
class ExecutionRecord:
    runs: tuple[CellRun, ...]  # the code cells, top to bottom

    read_later: frozenset[int] = frozenset()  # cells whose names a later cell that ran read

    @classmethod
    def of(cls, context: LintContext) -> ExecutionRecord:
        saved = _saved_cells(context.document)
        cells = context.document.cells
        runs = tuple(
            replace(
                _cell_run(view.cell, view.facts.has_code, saved.get(view.cell.index, {})),
                introduced_as_failing=_introduced_as_failing(cells, view.cell.index),
            )
            for view in context.code_cells
        )
        return cls(runs, _read_later(context, runs))

    @cached_property
    def counted(self) -> tuple[CellRun, ...]:
        return tuple(run for run in self.runs if run.count is not None)

    @cached_property
    def tool_counts(self) -> tuple[CellRun, ...]:
        """Cells showing `In [0]` or below: Jupyter counts from 1, so a tool wrote these."""
        return tuple(run for run in self.counted if (run.count or 0) < 1)

    @cached_property
    def renumbered(self) -> bool:
        """Every count equals its cell's position and skips exactly the other cells (`[1]`,
        markdown, `[3]`): a tool numbered the cells, Jupyter never counts markdown."""
        counts = [run.count for run in self.counted]
        return (
            len(counts) > 1
            and all(run.count == run.index for run in self.counted)
            and counts[-1] != len(counts)
        )

    @cached_property
    def ordered(self) -> tuple[tuple[int, CellRun], ...]:
        """(count, cell) of the cells whose counts tell the order they ran in: none when a
        tool renumbered the cells, or stripped every cell's count and left only the counts
        of some results (a runtime restarted between them cannot be seen)."""
        if self.renumbered or all(run.cell.execution_count is None for run in self.runs):
            return ()
        return tuple(
            (count, run)
            for run in self.counted
            if (count := run.count) is not None and count > 0 and run.cell.source.strip()
        )  # an empty cell run shows the count before it: IPython does not count it

    @cached_property
    def duplicates(self) -> tuple[tuple[CellRun, ...], ...]:
        """Groups of cells that show the same count, in the order of their first cell."""
        by_count: dict[int, list[CellRun]] = defaultdict(list)
        for count, run in self.ordered:
            by_count[count].append(run)
        return tuple(tuple(group) for group in by_count.values() if len(group) > 1)

    @cached_property
    def cleared(self) -> bool:
        """Saved without a run: no count anywhere, or only a stray few (see CLEARED_SHARE).
        Only what clearing removes counts here (counts, outputs): run metadata such as
        Colab's `outputId` stays on cells that printed, so it would make a cleared notebook
        look half run."""
        code = [run for run in self.runs if run.has_code]
        ran = sum(run.count is not None or run.has_outputs for run in code)
        return not self.counted or (ran < len(code) and ran <= max(1, CLEARED_SHARE * len(code)))

    @cached_property
    def counts_dropped(self) -> tuple[CellRun, ...]:
        """Cells saved with outputs but without a count (Colab, some tools): where counts are
        dropped for cells that ran, a cell without one may have run too."""
        return tuple(
            run for run in self.runs if run.has_outputs and run.cell.execution_count is None
        )

    @cached_property
    def is_template(self) -> bool:
        """An exercise notebook left for the reader to complete (`<YOUR CODE>`, `# YOUR CODE
        HERE`, `x = ___`): its unrun cells are the exercise, not a skipped step."""
        return any(TEMPLATE_MARK.search(run.cell.source) for run in self.runs)

    @cached_property
    def never_run(self) -> tuple[CellRun, ...]:
        """Cells with code that nothing shows ran, and that were meant to; none when the
        counts cannot tell (a cleared notebook, counts dropped), nor cells the counts
        leave room for (`cleared_since`)."""
        if self.cleared or self.counts_dropped or self.is_template:
            return ()
        return tuple(
            run
            for run in self.runs
            if run.has_code
            and not run.ran
            and not run.not_to_run
            and run.index not in self.cleared_since
            and run.index not in self.read_later
        )

    @cached_property
    def cleared_since(self) -> frozenset[int]:
        """Uncounted cells between two counted ones whose counts leave room for them:
        between `[4]` and `[7]`, two cells may have run as 5 and 6 and had their count and
        output cleared since (a long output removed, a notebook sanitised to publish)."""
        room: set[int] = set()
        previous, pending = 0, []
        for run in self.runs:
            if run.count is None:
                pending += [run.index] if run.has_code else []
                continue
            if run.count - previous - 1 >= len(pending):
                room.update(pending)
            previous, pending = run.count, []
        return frozenset(room)

    def uncounted_between(self, first: int, last: int) -> int:
        """Code cells without a count (or with a tool's `In [0]`) after cell `first` and
        before cell `last`."""
        return self._uncounted_up_to(last - 1) - self._uncounted_up_to(first)

    def _uncounted_up_to(self, index: int) -> int:
        """Code cells without a count at or above cell `index`."""
        return bisect_right(self._uncounted_indexes, index)

    @cached_property
    def _uncounted_indexes(self) -> list[int]:
        """`In [0]` is no count either: a tool wrote it over the one the run gave."""
        return [run.index for run in self.runs if not run.count and run.has_code]

    @cached_property
    def unrun_tail(self) -> tuple[CellRun, ...]:
        """The never-run cells below the last cell that ran: the run stopped before them."""
        last = max((run.index for run in self.runs if run.ran), default=0)
        return tuple(run for run in self.never_run if run.index > last)

    def order_note(self) -> str | None:
        """Why the saved counts cannot tell the order the cells ran in, if they cannot."""
        unknown = "so the order the cells ran in cannot be checked from the file"
        if not self.counted and self.runs:
            return (
                f"no code cell has an execution count (never run, or stripped), {unknown}; "
                "running the notebook top to bottom can (`mlpizza-lint verify` will)"
            )
        if self.tool_counts:
            cells = cell_list(run.index for run in self.tool_counts)
            one = len(self.tool_counts) == 1
            return (
                f"{cells} {'shows' if one else 'show'} In [0] or below, which Jupyter never "
                f"writes (it counts from 1): a tool wrote {'it' if one else 'them'}, so when "
                f"{'that cell' if one else 'those cells'} ran cannot be checked from the file"
            )
        if self.renumbered:
            return (
                f"every execution count equals its cell's position (In [{self.counted[0].count}] "
                f"in cell {self.counted[0].index}, In [{self.counted[1].count}] in cell "
                f"{self.counted[1].index}, ...): a tool renumbered them, {unknown}"
            )
        return None


def cell_list(indexes: Iterable[int], limit: int = 10) -> str:
    """`cell 3`, `cells 3 and 5`, `cells 3, 5, 7 and 2 more`."""
    numbers = [str(index) for index in indexes]
    if len(numbers) == 1:
        return f"cell {numbers[0]}"
    if len(numbers) > limit:
        return f"cells {', '.join(numbers[:limit])} and {len(numbers) - limit} more"
    return f"cells {', '.join(numbers[:-1])} and {numbers[-1]}"


# Markdown right above a cell announcing its failure: "Immutable objects can't be
# modified:", "this raises a TypeError", "trying it gives an error".
PRINTED = re.compile(r"""\bprint\(\s*f?["']([^"'\n]*)""")
ANNOUNCED_FAILURE = re.compile(
    r"\b(can't|cannot|can not|won't work|will not work|not allowed|not possible)\b"
    r"|\b(raises?|throws?|fails?|failing)\b|\b(an?|the following)\s+error\b"
    r"|\b[A-Z]\w*(Error|Exception)\b|\bnot (yet )?defined\b"
    r"|\berrors? (are|is) (intended|expected|deliberate)\b",
    re.IGNORECASE,
)


def _introduced_as_failing(cells: tuple[Cell, ...], index: int) -> bool:
    """The markdown just above the cell announces its failure, or the one just below
    explains it (`An int has no length, so this raises an error`)."""
    around = (
        cells[index - 2] if index >= 2 else None,
        cells[index] if index < len(cells) else None,
    )
    return any(
        cell is not None and cell.kind == "markdown" and bool(ANNOUNCED_FAILURE.search(cell.source))
        for cell in around
    )


def _read_later(context: LintContext, runs: tuple[CellRun, ...]) -> frozenset[int]:
    """Cells a later cell that ran read a name from, directly or through the notebook
    functions it called (`main()` reading `agent`), when no cell above that ran binds the
    name too: the value could only come from them, so they ran, whatever their count says.
    (With a binder above that ran, the read may have used its value: MLP002 then asks
    whether skipping the cell changed what ran.)"""
    ran = {run.index for run in runs if run.count is not None}
    names = context.shared(NotebookNames)

    def only_source(name: str, binder: int) -> bool:
        above = names.binder_above(name, binder)
        while above is not None:
            if above in ran:
                return False
            above = names.binder_above(name, above)
        return True

    direct = {
        lookup.binder
        for lookup in names.lookups()
        if lookup.found is Found.DEFINED
        and lookup.binder is not None
        and lookup.binder < lookup.cell.index
        and lookup.cell.index in ran
        and only_source(lookup.use.name, lookup.binder)
    }
    through_calls = {
        binder
        for cell in names.cells
        if cell.index in ran
        for call in cell.view.facts.names.calls
        for use in names.deferred_reads(call.name, cell.index)
        if (binder := names.binder_above(use.name, cell.index)) is not None
        and only_source(use.name, binder)
    }
    return frozenset(direct | through_calls)


def _cell_run(cell: Cell, has_code: bool, saved: Mapping[str, Any]) -> CellRun:
    outputs = [output for output in saved.get("outputs", ()) if isinstance(output, dict)]
    metadata = saved.get("metadata")
    metadata = metadata if isinstance(metadata, dict) else {}
    count = cell.execution_count if cell.execution_count is not None else _result_count(outputs)
    nbgrader = metadata.get("nbgrader")
    has_outputs = bool(outputs or cell.errors)
    return CellRun(
        cell=cell,
        count=count,
        has_outputs=has_outputs,
        ran=count is not None or has_outputs or any(key in metadata for key in RUN_METADATA),
        not_to_run=bool(SKIP_TAGS.intersection(cell.tags))
        or (isinstance(nbgrader, dict) and nbgrader.get("solution") is True),
        has_code=has_code,
        exceptions=_exceptions(cell, outputs),
    )


def _result_count(outputs: list[dict[str, Any]]) -> int | None:
    """A result output keeps the count of the run that made it (`prompt_number` in v3)."""
    for output in outputs:
        count = output.get("execution_count", output.get("prompt_number"))
        if output.get("output_type") in RESULT_OUTPUTS and isinstance(count, int):
            return count
    return None


def _exceptions(cell: Cell, outputs: list[dict[str, Any]]) -> tuple[SavedException, ...]:
    """`cell.errors` with the exception line the user saw: Colab saves `evalue: "ignored"`
    but keeps the real line at the end of the traceback."""
    tracebacks = [output.get("traceback") for output in outputs]
    saved = [
        traceback
        for traceback, output in zip(tracebacks, outputs, strict=True)
        if output.get("output_type") in ERROR_OUTPUTS
    ]
    if len(saved) != len(cell.errors):  # a snippet, or a notebook this reader cannot align
        saved = [None] * len(cell.errors)
    return tuple(
        SavedException(
            error.name,
            _exception_line(traceback, error.name)
            or _first_line(f"{error.name}: {error.value}" if error.value else error.name),
            error.line,
        )
        for error, traceback in zip(cell.errors, saved, strict=True)
    )


def _first_line(text: str) -> str:
    """The first line; an error output may leave both its name and value empty."""
    return next(iter(text.splitlines()), "")


def _exception_line(traceback: object, name: str) -> str | None:
    """The exception line in the traceback's last entry (a message may span more lines)."""
    if not isinstance(traceback, list) or not traceback:
        return None
    lines = ANSI_ESCAPE.sub("", str(traceback[-1])).splitlines()
    return next(
        (line.strip() for line in lines if line == name or line.startswith(f"{name}:")), None
    )


def _remarks(source: str) -> list[str]:
    """What the cell says to its reader: each comment, wherever it sits on its line, and
    the text it prints (`print("this will fail: store=False")`)."""
    comments = [  # a whole-line comment may be a heading (`# Errors`); a trailing one not
        line.strip() if line.lstrip().startswith("#") else line.partition("#")[2]
        for line in source.splitlines()
        if "#" in line
    ]
    return [*comments, *PRINTED.findall(source)]


def _saved_cells(document: Document) -> dict[int, Mapping[str, Any]]:
    """Each cell's JSON by cell number; empty for what is not a notebook file (snippets,
    Python files)."""
    return dict(enumerate(document.cell_json, 1))
