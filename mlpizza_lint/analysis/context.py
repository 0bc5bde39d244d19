"""A document with its facts, the settings and the project snapshot: what rules, `extract`
and the graph read. Everything here is gathered before they run; they do no I/O."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import TypeVar, cast

from mlpizza_lint.analysis.distributions import ImportNames, import_names
from mlpizza_lint.analysis.facts import CellFacts, cell_facts
from mlpizza_lint.analysis.project import ProjectSnapshot
from mlpizza_lint.analysis.suppression import Silenced
from mlpizza_lint.config import Settings
from mlpizza_lint.notebook.documents import Cell, Document
from mlpizza_lint.spans import Span

T = TypeVar("T")


@dataclass(frozen=True)
class CellView:
    cell: Cell
    facts: CellFacts


@dataclass
class LintContext:
    document: Document
    settings: Settings = field(default_factory=Settings)
    project: ProjectSnapshot | None = None  # filled by the engine when a rule needs it
    # What the directives silenced: filled by the engine before the rules that judge them
    silenced: Silenced | None = None
    _shared: dict[object, object] = field(default_factory=dict, repr=False)

    @cached_property
    def code_cells(self) -> tuple[CellView, ...]:
        return tuple(
            CellView(cell, _facts(self.document.path, cell))
            for cell in self.document.cells
            if cell.kind == "code"
        )

    @cached_property
    def import_targets(self) -> dict[str, str]:
        """Local name -> what it was imported as, over the whole notebook."""
        return {
            imported.local: imported.target
            for view in self.code_cells
            for imported in view.facts.imports
        }

    def qualified(self, name: str) -> str:
        """`sp.run` -> `subprocess.run` after `import subprocess as sp`."""
        head, _, rest = name.partition(".")
        target = self.import_targets.get(head, head)
        return f"{target}.{rest}" if rest else target

    def shared(self, build: Callable[[LintContext], T]) -> T:
        """One `build(context)` per document, however many rules ask for it."""
        if build not in self._shared:
            self._shared[build] = build(self)
        return cast(T, self._shared[build])

    @property
    def platform(self) -> str:
        """The hosted service the document is made to run on (`colab`, `kaggle`,
        `databricks`; "" for none): its metadata, its badge, or a Kaggle kernel's
        `kernel-metadata.json` beside it."""
        kernel = self.project is not None and self.project.kaggle_kernel
        return self.document.platform or ("kaggle" if kernel else "")

    @cached_property
    def import_names(self) -> ImportNames:
        """Which modules are the standard library and which distribution provides each."""
        return import_names(self.settings.package_module_name_map)

    def python_cells(self) -> Iterator[CellView]:
        return (view for view in self.code_cells if view.facts.is_python)


def _facts(path: str, cell: Cell) -> CellFacts:
    """Kept per file and cell: the file however it is spelled (the project scan of MLP205
    reads it by its absolute path, the command line as given)."""
    if cell.is_python:
        return cell_facts(cell.source, (os.path.abspath(path), cell.index))
    return CellFacts(is_python=False, has_code=bool(cell.source.strip()))


def line_span(cell: Cell, line: int = 1) -> Span:
    """A whole line of a cell, for findings about the cell rather than an expression."""
    lines = cell.source.splitlines() or [""]
    line = min(max(line, 1), len(lines))
    return Span.whole_line(line, lines[line - 1])
