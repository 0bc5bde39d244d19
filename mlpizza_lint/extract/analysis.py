"""Whether the chosen cells can live in a module, and which imports they need from elsewhere.

Module code reads names at import time (statements, decorators, defaults, class bodies) and
when its functions are called. Each read must find a name the module binds, a builtin, or an
import (copied from the cell that has it). A read of a notebook variable that stays in the
notebook refuses the extraction, and so does a name the module binds that a cell left in the
notebook rebinds afterwards: the module would keep the old value where the notebook saw the
new one.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from mlpizza_lint.analysis.bindings import NameUse
from mlpizza_lint.analysis.namespace import IPYTHON_NAMES, NotebookNames
from mlpizza_lint.extract.cells import top_level
from mlpizza_lint.extract.imports import ImportedName
from mlpizza_lint.extract.model import Message
from mlpizza_lint.extract.replacement import replacement_problems

# Names every module has; IPython's others exist only inside IPython.
MODULE_NAMES = frozenset(
    {"__name__", "__doc__", "__file__", "__builtins__", "__package__", "__loader__", "__spec__"}
)
IPYTHON_ONLY = IPYTHON_NAMES - MODULE_NAMES


@dataclass(frozen=True)
class Read:
    """A read by module code; `deferred` when it happens inside a function body."""

    cell: int
    use: NameUse
    deferred: bool

    def owner(self, source: str) -> str:
        owner = top_level(source).owner(self.use.span.line)
        return f"`{owner}`" if owner else f"line {self.use.span.line}"

    def at(self, message: str) -> Message:
        return Message(self.cell, message, self.use.span.line, self.use.span.column)


@dataclass(frozen=True)
class Analysis:
    pulled: tuple[ImportedName, ...] = ()
    problems: tuple[Message, ...] = ()
    notes: tuple[Message, ...] = ()


class _Analyser:
    def __init__(self, names: NotebookNames, chosen: tuple[int, ...], marked: bool) -> None:
        self.names = names
        self.chosen = frozenset(chosen)
        self.marked = marked
        self.cells = {cell.index: cell for cell in names.cells}
        self.pulled: dict[ImportedName, None] = {}
        self.problems: list[Message] = []
        self.notes: list[Message] = []

    def binders(self, name: str, extracted: bool) -> list[int]:
        return [k for k in self.names.binders.get(name, []) if (k in self.chosen) == extracted]

    def reads(self) -> Iterator[Read]:
        for cell in sorted(self.chosen):
            facts = self.cells[cell].view.facts.names
            yield from (Read(cell, use, False) for use in facts.reads)
            yield from (Read(cell, use, True) for use in facts.deferred_reads)

    def source(self, cell: int) -> str:
        return self.cells[cell].view.cell.source

    def imported(self, cell: int, name: str) -> ImportedName | None:
        """The top-level import by which `cell` binds `name`, if any."""
        return next((i for i, _ in top_level(self.source(cell)).imports if i.local == name), None)

    def resolve(self, read: Read) -> None:
        name = read.use.name
        extracted = self.binders(name, extracted=True)
        if extracted and (read.deferred or min(extracted) < read.cell):
            return
        if name in IPYTHON_ONLY:
            self.notes.append(read.at(f"`{name}` only exists inside IPython: {self._fails(read)}"))
            return
        if self.names.always_defined(name) or name in MODULE_NAMES:
            return
        outside = self.binders(name, extracted=False)
        imports = [i for i in (self.imported(k, name) for k in outside) if i is not None]
        if imports:
            self.pulled[imports[0]] = None
        elif outside:
            self.problems.append(read.at(self._outside(read, outside)))
        elif extracted:
            self.problems.append(
                read.at(
                    f"{read.owner(self.source(read.cell))} reads `{name}` before cell "
                    f"{min(extracted)} defines it; move that definition up"
                )
            )
        else:
            self._unbound(read)

    def _outside(self, read: Read, outside: list[int]) -> str:
        name = read.use.name
        before = [k for k in outside if k < read.cell]
        binder = before[-1] if before and not read.deferred else outside[0]
        owner = read.owner(self.source(read.cell))
        if any(d.name == name for d in top_level(self.source(binder)).definitions):
            advice = (
                f"mark cell {binder} for export too"
                if self.marked
                else f"move the definition of `{name}` to a cell of its own"
            )
        elif read.deferred:
            advice = "make it a parameter"
        else:
            advice = f"extract cell {binder} too, or leave this code in the notebook"
        return f"{owner} reads `{name}`, which cell {binder} defines and is not extracted; {advice}"

    def _unbound(self, read: Read) -> None:
        stars = [
            imported
            for k in self.binders_of_stars()
            for imported, _ in top_level(self.source(k)).imports
            if imported.name == "*"
        ]
        if stars:
            self.pulled.update(dict.fromkeys(stars))
        elif not self.names.star_cells():
            self.notes.append(
                read.at(f"`{read.use.name}` is defined by no cell: {self._fails(read)}")
            )

    def _fails(self, read: Read) -> str:
        owner = read.owner(self.source(read.cell))
        return f"calling {owner} fails" if read.deferred else f"{owner} fails on import"

    def binders_of_stars(self) -> list[int]:
        return [cell.index for cell in self.names.star_cells() if cell.index not in self.chosen]

    def conflicts(self, reads: list[Read], rewrite: bool) -> None:
        """Names bound both by the module and by a cell left in the notebook."""
        bound = dict.fromkeys(n for k in sorted(self.chosen) for n in self.cells[k].bound)
        for name in bound:
            extracted = self.binders(name, extracted=True)
            others = [
                k
                for k in self.binders(name, extracted=False)
                if not self._same_import(k, name, extracted)
            ]
            problem = next(
                (
                    found
                    for k in others
                    if (found := self._conflict(name, k, extracted, reads, rewrite))
                ),
                None,
            )
            if problem is not None:
                self.problems.append(problem)

    def _conflict(
        self, name: str, k: int, extracted: list[int], reads: list[Read], rewrite: bool
    ) -> Message | None:
        """Cell `k`, left in the notebook, binds `name` too: does the split change a value?"""
        reader = next((r for r in reads if r.use.name == name and (r.deferred or r.cell > k)), None)
        if reader is not None and k > min(extracted):
            return reader.at(
                f"{reader.owner(self.source(reader.cell))} reads `{name}`, which cell {k} "
                f"rebinds after cell {min(extracted)} defines it; the module would keep the "
                "first value: make it a parameter"
            )
        if rewrite and min(self.chosen) < k < max(extracted):
            return Message(
                k,
                f"`{name}` is bound here and again by cell {max(extracted)}; once that cell "
                f"is replaced by the import in cell {min(self.chosen)}, this value would win: "
                "rename one of them",
            )
        return None

    def _same_import(self, cell: int, name: str, extracted: list[int]) -> bool:
        here = self.imported(cell, name)
        return here is not None and any(self.imported(k, name) == here for k in extracted)


def analyse(names: NotebookNames, chosen: tuple[int, ...], marked: bool, rewrite: bool) -> Analysis:
    analyser = _Analyser(names, chosen, marked)
    reads = list(analyser.reads())
    for read in reads:
        analyser.resolve(read)
    analyser.conflicts(reads, rewrite)
    if rewrite:
        analyser.problems += replacement_problems(names, analyser.chosen)
    return Analysis(tuple(analyser.pulled), tuple(analyser.problems), tuple(analyser.notes))
