"""Which cells go into the module.

Cells marked for export (the cell tag `export`, or nbdev's first line `#| export`) when any
is marked; otherwise every Python cell whose top-level statements are only imports, `def`,
`class` and assignments of constants. A constant is a value fixed by the text of the cell:
a literal (number, string, bytes, `True`, `None`, `...`), a sign or arithmetic on constants,
a tuple, list, set or dict of constants, a constant named above, an attribute of an imported
module (`np.pi`), or one of a few side-effect-free constructors called with constants
(`Path("data")`, `re.compile(...)`). f-strings are not constants: they format values that
may come from anywhere. Magic lines do not count either way: they are left out of the module.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

from mlpizza_lint.analysis.context import CellView, LintContext
from mlpizza_lint.analysis.expressions import dotted_name
from mlpizza_lint.extract.cells import is_marked, top_level
from mlpizza_lint.extract.model import Message

# Calls whose result depends only on their (constant) arguments, and that do nothing else.
PURE_CONSTRUCTORS = frozenset(
    {
        "pathlib.Path",
        "pathlib.PurePath",
        "pathlib.PurePosixPath",
        "pathlib.PureWindowsPath",
        "re.compile",
        "datetime.date",
        "datetime.datetime",
        "datetime.time",
        "datetime.timedelta",
        "decimal.Decimal",
        "fractions.Fraction",
        "dict",
        "frozenset",
        "list",
        "range",
        "set",
        "tuple",
        "float",
        "int",
        "str",
    }
)
DEFINITIONS = (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


@dataclass(frozen=True)
class Choice:
    cells: tuple[int, ...]
    marked: bool
    notes: tuple[Message, ...] = ()


def choose_cells(context: LintContext, module: str) -> Choice:
    """`module` is the module being written: a cell importing it is never taken."""
    views = [view for view in context.code_cells if view.cell.is_python]
    marked = [view for view in views if is_marked(view.cell)]
    if marked:
        notes = [_not_taken(view, module) for view in marked]
        cells = [view.cell.index for view, note in zip(marked, notes, strict=True) if not note]
        return Choice(tuple(cells), True, tuple(note for note in notes if note))
    constants: set[str] = set()
    chosen = [view for view in views if _definitions_only(context, view, constants)]
    notes = [_not_taken(view, module) for view in chosen]
    cells = [view.cell.index for view, note in zip(chosen, notes, strict=True) if not note]
    return Choice(tuple(cells), False, tuple(note for note in notes if note))


def _not_taken(view: CellView, module: str) -> Message | None:
    """Why a cell that qualifies is still not extracted, if it is not."""
    if not view.facts.is_python:
        return Message(view.cell.index, "marked for export but not Python: not extracted")
    if _imports_module(view, module):
        return Message(view.cell.index, f"imports `{module}` itself: not extracted")
    return None


def _imports_module(view: CellView, module: str) -> bool:
    return any(name.top_module == module for name, _ in top_level(view.cell.source).imports)


def _definitions_only(context: LintContext, view: CellView, constants: set[str]) -> bool:
    """Whether every top-level statement is an import, a definition or a constant; the
    constants it assigns are added to `constants` when it is."""
    statements = top_level(view.cell.source).statements()
    assigned: set[str] = set()
    for statement in statements:
        if isinstance(statement, DEFINITIONS):
            continue
        targets = _constant_targets(context, statement, constants | assigned)
        if targets is None:
            return False
        assigned.update(targets)
    constants.update(assigned)
    return bool(statements)


def _constant_targets(
    context: LintContext, statement: ast.stmt, constants: set[str]
) -> list[str] | None:
    """The names a constant assignment binds; None when it is not one."""
    if isinstance(statement, ast.Assign):
        targets, value = statement.targets, statement.value
    elif isinstance(statement, ast.AnnAssign) and statement.value is not None:
        targets, value = [statement.target], statement.value
    else:
        return None
    names = [_names(target) for target in targets]
    if any(found is None for found in names) or not _is_constant(context, value, constants):
        return None
    return [name for found in names for name in found or ()]


def _names(target: ast.expr) -> list[str] | None:
    """`A`, `A, B`, `[A, B]`; None for targets that are not plain names (`d["k"]`, `o.x`)."""
    if isinstance(target, ast.Name):
        return [target.id]
    if isinstance(target, (ast.Tuple, ast.List)):
        found = [_names(element) for element in target.elts]
        if all(names is not None for names in found):
            return [name for names in found for name in names or ()]
    return None


def _is_constant(context: LintContext, node: ast.expr, constants: set[str]) -> bool:
    def constant(child: ast.expr | None) -> bool:
        return child is not None and _is_constant(context, child, constants)

    if isinstance(node, ast.Constant):
        return True
    if isinstance(node, ast.Name):
        return node.id in constants
    if isinstance(node, ast.UnaryOp):
        return constant(node.operand)
    if isinstance(node, ast.BinOp):
        return constant(node.left) and constant(node.right)
    if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
        return all(constant(element) for element in node.elts)
    if isinstance(node, ast.Dict):
        return all(map(constant, node.keys)) and all(map(constant, node.values))
    if isinstance(node, ast.Attribute):
        return _is_module_attribute(context, node)
    if isinstance(node, ast.Call):
        name = dotted_name(node.func)
        return (
            name is not None
            and context.qualified(name) in PURE_CONSTRUCTORS
            and all(constant(argument) for argument in node.args)
            and all(constant(keyword.value) for keyword in node.keywords)
        )
    return False


def _is_module_attribute(context: LintContext, node: ast.Attribute) -> bool:
    """`np.pi`, `string.ascii_letters`: an attribute of a name bound by an import."""
    name = dotted_name(node)
    return name is not None and name.split(".")[0] in context.import_targets
