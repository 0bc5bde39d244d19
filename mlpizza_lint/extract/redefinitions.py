"""Functions and classes that a later extracted cell defines again: the module keeps the last.

Notebooks grow by redefinition (a function rewritten three cells further down). In the
notebook the last definition wins for everything run after it, and so it does in the module,
where an earlier copy is dead code that pylint reports as an error (E0102). An earlier copy
stays when extracted code uses it before the redefinition runs (a decorator, a base class, a
default value), since that code would see another object without it.
"""

from __future__ import annotations

import ast
from collections.abc import Sequence

from mlpizza_lint.analysis.context import CellView
from mlpizza_lint.extract.cells import top_level
from mlpizza_lint.extract.model import Message

DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


def superseded(chosen: Sequence[CellView]) -> tuple[dict[int, set[str]], list[Message]]:
    """Cell -> names of its definitions to leave out, and a note for each."""
    dropped: dict[int, set[str]] = {}
    notes: list[Message] = []
    for position, view in enumerate(chosen):
        tree = top_level(view.cell.source).tree
        for definition in top_level(view.cell.source).definitions:
            name = definition.name
            later = next((v for v in chosen[position + 1 :] if _defines(v, name)), None)
            if later is None or tree is None or _used_between(tree, name, chosen, view, later):
                continue
            dropped.setdefault(view.cell.index, set()).add(name)
            notes.append(
                Message(
                    view.cell.index,
                    f"`{name}` is defined again in cell {later.cell.index}: the module keeps "
                    "that definition",
                    definition.first_line,
                )
            )
    return dropped, notes


def _defines(view: CellView, name: str) -> bool:
    return any(d.name == name for d in top_level(view.cell.source).definitions)


def _used_between(
    tree: ast.Module, name: str, chosen: Sequence[CellView], first: CellView, last: CellView
) -> bool:
    """Whether code that runs on import reads `name` after `first` defines it and before
    `last` does: elsewhere in `first` (anywhere but its definitions of `name`), in the cells
    between, and in `last` before its definition."""
    others = [s for s in tree.body if not (isinstance(s, DEFINITIONS) and s.name == name)]
    if any(name in _read_on_import(statement) for statement in others):
        return True
    between = [v for v in chosen if first.cell.index < v.cell.index <= last.cell.index]
    return any(use.name == name for v in between for use in v.facts.names.reads)


def _read_on_import(node: ast.AST) -> set[str]:
    """Every name `node` mentions outside function bodies, which run only when called."""
    if isinstance(node, ast.Name):
        return {node.id}
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
        parts: list[ast.AST] = [node.args]
        if not isinstance(node, ast.Lambda):
            parts += [*node.decorator_list, *([node.returns] if node.returns else [])]
    else:
        parts = list(ast.iter_child_nodes(node))
    return set().union(*(_read_on_import(part) for part in parts))
