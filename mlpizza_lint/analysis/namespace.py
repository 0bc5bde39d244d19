"""The notebook's namespace over time: which cell binds each name, and what every read finds.

Cells run in notebook order into one namespace that starts with Python's builtins and what
IPython injects. A read in cell k finds a name bound by an earlier cell or by cell k itself;
otherwise the name is bound by a later cell (the notebook fails top to bottom), by nothing
(undefined), or maybe by a star import (`from x import *`, `%pylab`, `%run`) seen earlier.
"""

from __future__ import annotations

import builtins
import re
from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass, replace
from enum import Enum
from functools import cached_property

from mlpizza_lint.analysis.bindings import FunctionFacts, NameUse
from mlpizza_lint.analysis.context import CellView, LintContext
from mlpizza_lint.ipython.magics import spec
from mlpizza_lint.ipython.translation import Magic, MagicKind

IPYTHON_NAMES = frozenset(
    {
        "display",
        "get_ipython",
        "In",
        "Out",
        "exit",
        "quit",
        "_",
        "__",
        "___",
        "_i",
        "_ii",
        "_iii",
        "_ih",
        "_oh",
        "_dh",
        "_exit_code",
        "__name__",
        "__doc__",
        "__builtins__",
        "__builtin__",
        "__package__",
        "__loader__",
        "__spec__",
        "__IPYTHON__",
    }
)
IPYTHON_HISTORY = re.compile(r"^_i?\d+$")
ALWAYS_DEFINED = frozenset(dir(builtins)) - {"__file__"} | IPYTHON_NAMES
# Magics that may bind any name: what they bind cannot be read statically.
# Names some kernels define before the first cell runs (Sparkmagic, Databricks), and the
# builtins of Python 2, whose notebooks MLP000 tells to port once rather than name by name.
KERNEL_NAMES = {
    "python2": frozenset(
        {"xrange", "unicode", "raw_input", "basestring", "long", "unichr", "reduce"}
        | {"file", "execfile", "reload", "cmp", "buffer", "apply", "intern", "coerce"}
    ),
    "spark": frozenset({"spark", "sc", "sqlContext", "sqlCtx"}),
    "databricks": frozenset({"spark", "sc", "dbutils", "display", "displayHTML"}),
}


# Names of the namespace `ipython notebook --pylab` gave every kernel before notebooks named
# their kernel (nbformat 3): read unbound in such a notebook, they show the flag was used.
PYLAB_NAMES = frozenset(
    {"np", "plt", "figsize", "plot", "subplot", "subplots", "linspace", "arange", "hist"}
    | {"title", "xlabel", "ylabel", "legend", "imshow", "scatter", "randn", "rand", "pi"}
)
PYLAB_FLAG = "ipython notebook --pylab"
DATABRICKS_RUN = re.compile(r"^# MAGIC %run\b.*$", re.M)


def always_defined(name: str) -> bool:
    return name in ALWAYS_DEFINED or bool(IPYTHON_HISTORY.match(name))


class Found(str, Enum):
    DEFINED = "defined"
    LATER = "later"
    UNDEFINED = "undefined"
    MAYBE_STAR = "maybe-star"


@dataclass(frozen=True)
class CellNames:
    view: CellView
    bound: frozenset[str]
    deleted: frozenset[str]
    star: str | None
    magic_lines: dict[str, int]  # name -> first line of a magic that binds it
    excerpt: bool = False  # `Cell.is_excerpt`: its bindings count, its reads are not checked

    def binds_before(self, use: NameUse) -> bool:
        """A magic above the read binds it (`x = !ls` on line 1, `x` read on line 3)."""
        return self.magic_lines.get(use.name, use.span.line) < use.span.line

    @property
    def index(self) -> int:
        return self.view.cell.index


@dataclass(frozen=True)
class Lookup:
    """One read of `use.name` in `cell`, and the cell that binds it (if any)."""

    cell: CellNames
    use: NameUse
    found: Found
    binder: int | None = None


def cell_names(view: CellView) -> CellNames:
    """Bindings from the code plus those of magics (`x = !ls`, `%%capture out`, `%store -r x`)."""
    names = view.facts.names
    bound = set(names.bound)
    star = names.star_import
    magic_lines: dict[str, int] = {}
    for magic in view.facts.magics:
        for target in _magic_targets(magic):
            magic_lines.setdefault(target, magic.span.line)
        if (magic.kind is MagicKind.LINE and spec(magic.name).line_binds_any) or (
            magic.kind is MagicKind.CELL and spec(magic.name).cell_binds_any
        ):
            star = star or magic.source
        if _restores_everything(magic):
            star = star or magic.source
    run = DATABRICKS_RUN.search(view.cell.source)  # a `.py` export's `%run`, as a comment
    star = star or (run[0].removeprefix("# MAGIC ").strip() if run else None)
    bound.update(magic_lines)
    bound.update([view.cell.result_name] if view.cell.result_name else [])
    return CellNames(
        view, frozenset(bound), frozenset(names.deleted), star, magic_lines, view.cell.is_excerpt
    )


def _magic_targets(magic: Magic) -> list[str]:
    """`x = !ls`, `%%capture out`, `%store -r x y`."""
    if magic.kind is MagicKind.LINE and magic.name == "store" and "-r" in magic.args.split():
        return [word for word in magic.args.split() if not word.startswith("-")]
    return list(magic.targets)


def _is_script(context: LintContext) -> bool:
    """A Python file without `# %%` cells, run as a script rather than cell by cell."""
    document = context.document
    return not document.is_notebook and len(document.cells) == 1


def _restores_everything(magic: Magic) -> bool:
    return magic.name == "store" and magic.args.split() == ["-r"]


class NotebookNames:
    def __init__(self, context: LintContext) -> None:
        self.cells = [cell_names(view) for view in context.code_cells]
        kernel = context.document.kernel.lower()
        self.kernel_names = frozenset().union(
            *(names for key, names in KERNEL_NAMES.items() if key in kernel)
        )
        if _is_script(context):  # `python train.py` sets `__file__`; a kernel does not
            self.kernel_names |= {"__file__"}
        if context.document.is_notebook and not kernel and self.cells and self._reads_pylab():
            self.cells[0] = replace(self.cells[0], star=self.cells[0].star or PYLAB_FLAG)

    def _reads_pylab(self) -> bool:
        read = {use.name for cell in self.cells for use in cell.view.facts.names.reads}
        return any(name not in self.binders for name in read & PYLAB_NAMES)

    def always_defined(self, name: str) -> bool:
        """Builtins, IPython's names, and what this notebook's kernel provides."""
        return always_defined(name) or name in self.kernel_names

    @cached_property
    def binders(self) -> dict[str, list[int]]:
        """Name -> indexes of the cells binding it, in notebook order."""
        found: dict[str, list[int]] = {}
        for cell in self.cells:
            for name in cell.bound:
                found.setdefault(name, []).append(cell.index)
        return found

    @cached_property
    def functions(self) -> dict[str, list[tuple[int, FunctionFacts]]]:
        found: dict[str, list[tuple[int, FunctionFacts]]] = {}
        for cell in self.cells:
            for function in cell.view.facts.names.functions:
                found.setdefault(function.name, []).append((cell.index, function))
        return found

    def lookups(self) -> Iterator[Lookup]:
        """What every immediate read finds, walking the cells top to bottom."""
        defined: set[str] = set()
        star_seen = future = False
        for cell in self.cells:
            star_seen |= cell.star is not None
            for use in () if cell.excerpt else cell.view.facts.names.reads:
                if use.annotation and future:
                    continue  # deferred by an earlier cell's `from __future__ import annotations`
                if use.name in defined or self.always_defined(use.name) or cell.binds_before(use):
                    yield Lookup(cell, use, Found.DEFINED, self._last_binder(use.name, cell))
                else:
                    yield self._missing(cell, use, star_seen)
            defined = (defined | cell.bound) - cell.deleted
            future |= cell.view.facts.names.future_annotations

    def _last_binder(self, name: str, cell: CellNames) -> int | None:
        return self.binder_above(name, cell.index)

    def binder_above(self, name: str, index: int) -> int | None:
        """The last cell above cell `index` that binds `name`."""
        binders = self.binders.get(name, [])
        position = bisect_left(binders, index)
        return binders[position - 1] if position else None

    def _missing(self, cell: CellNames, use: NameUse, star_seen: bool) -> Lookup:
        binders = self.binders.get(use.name, [])
        position = bisect_left(binders, cell.index)
        if star_seen:
            return Lookup(cell, use, Found.MAYBE_STAR)
        if position < len(binders):
            return Lookup(cell, use, Found.LATER, binders[position])
        return Lookup(cell, use, Found.UNDEFINED)

    def can_move_above(self, moved: int, target: int) -> bool:
        """Whether cell `moved` can run just before cell `target` without changing what any
        cell sees: it must need nothing bound in between, rebind nothing bound in between,
        and not change the value a cell in between reads."""
        cells = {cell.index: cell for cell in self.cells}
        mover = cells[moved]
        between = [cell for cell in self.cells if target <= cell.index < moved]
        bound_between = set().union(*(cell.bound for cell in between))
        read_between = {use.name for cell in between for use in cell.view.facts.names.reads}
        bound_above = {name for cell in self.cells if cell.index < target for name in cell.bound}
        needed = {use.name for use in mover.view.facts.names.reads}
        for call in mover.view.facts.names.calls:
            needed.update(use.name for use in self.deferred_reads(call.name, moved))
        return not (
            needed & bound_between
            or mover.bound & bound_between
            or mover.bound & bound_above & read_between
            or mover.star
        )

    def star_cells(self) -> list[CellNames]:
        return [cell for cell in self.cells if cell.star is not None]

    def deferred_reads(self, function: str, at: int) -> Iterator[NameUse]:
        """Globals read, directly or through other notebook functions, by calling `function`
        from cell `at` (the latest definition at or above that cell is the one called)."""
        seen: set[str] = set()
        pending = [function]
        while pending:
            name = pending.pop()
            if name in seen:
                continue
            seen.add(name)
            definitions = [f for index, f in self.functions.get(name, []) if index <= at]
            if definitions:
                yield from definitions[-1].reads
                pending.extend(definitions[-1].calls)
