"""Whether the notebook still sees the same values once `--rewrite` has replaced the extracted
cells by one import cell, at the place of the first of them.

That cell binds each name to its final value in the module, so a cell left in the notebook
reads the wrong value when it runs between two extracted definitions of the name (it saw the
first, it would see the last), and a stale one when an extracted function rebinds the name
through `global` (the function changes the module's name, the notebook keeps its import).
And `if __name__ == "__main__":` code runs in the notebook, but not when a module is imported.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from mlpizza_lint.analysis.bindings import FUNCTIONS
from mlpizza_lint.analysis.namespace import CellNames, NotebookNames
from mlpizza_lint.extract.cells import top_level
from mlpizza_lint.extract.model import Message

MAIN_GUARD = "__name__"


def replacement_problems(names: NotebookNames, chosen: frozenset[int]) -> list[Message]:
    extracted = [cell for cell in names.cells if cell.index in chosen]
    remaining = [cell for cell in names.cells if cell.index not in chosen]
    return [
        *_read_before_redefinition(names, remaining, chosen),
        *_rebound_globals(extracted, remaining),
        *_main_guards(extracted),
    ]


def _read_before_redefinition(
    names: NotebookNames, remaining: list[CellNames], chosen: frozenset[int]
) -> Iterator[Message]:
    first = min(chosen)
    for cell in remaining:
        for use in cell.view.facts.names.reads:
            binders = [k for k in names.binders.get(use.name, []) if k in chosen]
            last = max(binders, default=0)
            if first < cell.index < last and not _same_import(names, use.name, binders):
                yield Message(
                    cell.index,
                    f"reads `{use.name}` before cell {last} defines it again; once the import "
                    f"in cell {first} brings the module's last value, this cell would see that "
                    "one: rename one of the definitions",
                    use.span.line,
                    use.span.column,
                )


def _same_import(names: NotebookNames, name: str, binders: list[int]) -> bool:
    """`import numpy as np` in several cells binds the same value each time."""
    sources = {cell.index: cell.view.cell.source for cell in names.cells}
    found = {
        next((i for i, _ in top_level(sources[k]).imports if i.local == name), None)
        for k in binders
    }
    return None not in found and len(found) == 1


def _rebound_globals(extracted: list[CellNames], remaining: list[CellNames]) -> Iterator[Message]:
    reader = {
        use.name: cell.index
        for cell in reversed(remaining)
        for use in (*cell.view.facts.names.reads, *cell.view.facts.names.deferred_reads)
    }
    for cell in extracted:
        for function, name, statement in _global_assignments(cell.view.cell.source):
            if name in reader:
                yield Message(
                    cell.index,
                    f"`{function}` rebinds the global `{name}`, which cell {reader[name]} reads; "
                    "imported from the module, the notebook would keep the first value: return "
                    "the new value instead",
                    statement.lineno,
                    statement.col_offset + 1,
                )


def _main_guards(extracted: list[CellNames]) -> Iterator[Message]:
    for cell in extracted:
        guard = next((u for u in cell.view.facts.names.reads if u.name == MAIN_GUARD), None)
        if guard is not None:
            yield Message(
                cell.index,
                f"`{MAIN_GUARD}` is `'__main__'` in the notebook, not in the imported module: "
                "this code would stop running; leave the cell in the notebook",
                guard.span.line,
                guard.span.column,
            )


def _global_assignments(source: str) -> Iterator[tuple[str, str, ast.Global]]:
    """(top-level definition, name, `global` statement) for each name a function of the
    cell declares global and assigns."""
    tree = top_level(source).tree
    for definition in tree.body if tree else []:
        if not isinstance(definition, (*FUNCTIONS, ast.ClassDef)):
            continue
        for function in ast.walk(definition):
            if not isinstance(function, FUNCTIONS):
                continue
            stored = {
                node.id
                for node in ast.walk(function)
                if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load)
            }
            for statement in ast.walk(function):
                if isinstance(statement, ast.Global):
                    for name in statement.names:
                        if name in stored:
                            yield definition.name, name, statement
