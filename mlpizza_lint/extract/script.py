"""`--script`: the cells left in the notebook become `main()`, run by `python module.py`.

Their code runs inside the function in notebook order, each cell under a `# cell N` comment.
Magics and shell escapes cannot run in Python: each becomes a comment where it was (and a
note), and a cell that is not Python (`%%bash`) becomes comments. Imports the module already
has are dropped from `main()`; star and `__future__` imports, which a function cannot hold,
join the module's. Names `main()` binds that the module binds too, or that its inner
functions declare `global`, are declared `global`, so the code sees one namespace as it did
in the notebook.
"""

from __future__ import annotations

import symtable
import textwrap
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import libcst as cst
from libcst.helpers import get_full_name_for_node

from mlpizza_lint.analysis.context import CellView, LintContext
from mlpizza_lint.analysis.namespace import NotebookNames
from mlpizza_lint.extract.analysis import IPYTHON_ONLY
from mlpizza_lint.extract.cells import CellCode, script_code, top_level
from mlpizza_lint.extract.imports import ImportedName
from mlpizza_lint.extract.model import Message, NotebookProblem, cells_text
from mlpizza_lint.extract.module import (
    Body,
    ImportNode,
    Statement,
    docstring_statement,
    parse_cell,
    without_indented_blank_lines,
)
from mlpizza_lint.extract.naming import free_name
from mlpizza_lint.extract.options import PathOption, PathOptions
from mlpizza_lint.ipython.translation import MagicKind

ARGPARSE = ImportedName(None, "argparse")
INDENT = "    "
DOCSTRING_WIDTH = 88 - len(INDENT + '"""')


@dataclass(frozen=True)
class Script:
    statements: tuple[Statement, ...]
    imports: tuple[ImportedName, ...]
    options: tuple[PathOption, ...]
    notes: tuple[Message, ...]
    cells: tuple[int, ...]


def build_script(
    context: LintContext,
    names: NotebookNames,
    chosen: frozenset[int],
    defined: set[str],
    imports: frozenset[ImportedName],
) -> Script:
    """`main()` and the `if __name__ == "__main__":` block for the cells not in `chosen`;
    `defined` and `imports` are what the module binds at its top level."""
    views = [
        view
        for view in context.code_cells
        if view.cell.index not in chosen and view.cell.source.strip()  # empty: nothing to run
    ]
    module_names = defined | {name.local for name in imports}
    taken = set(names.binders) | module_names
    taken |= {name for cell in names.cells for name in _reads(cell.view)}
    options = PathOptions(taken, context.qualified, context.settings.allowed_path_prefixes)
    body = Body(max_blank=1)
    hoisted: list[ImportedName] = []
    notes: list[Message] = []
    for view in views:
        hoisted += [
            name
            for name, _ in top_level(view.cell.source).imports
            if name.name == "*" or name.top_module == "__future__"
        ]
        notes += _notes(view)
        module = options.lift(parse_cell(_script_code(view)), view.cell.index)
        body.add_cell(module, partial(_trimmed, imports), label=f"cell {view.cell.index}")
    main = free_name("main", taken)
    lifted = tuple(options.by_value.values())
    cells = tuple(view.cell.index for view in views)
    notebook = Path(context.document.path).name
    ran = f"Runs {cells_text(cells)} of `{notebook}`" if cells else f"Runs no cell of `{notebook}`"
    function = _main(main, lifted, body, ran, module_names)
    block = _entry_point(main, free_name("parser", taken | {main}), lifted)
    return Script(
        (function, block),
        (*dict.fromkeys(hoisted), ARGPARSE),
        lifted,
        (*notes, *dict.fromkeys(options.notes)),
        cells,
    )


def _reads(view: CellView) -> Iterator[str]:
    names = view.facts.names
    return (use.name for use in (*names.reads, *names.deferred_reads))


def _script_code(view: CellView) -> CellCode:
    problem = view.facts.syntax_error
    if problem is not None:
        raise NotebookProblem(
            f"cell {view.cell.index}: {problem.message} (line {problem.span.line}); "
            "--script puts every code cell into main()"
        )
    return script_code(view.cell)


def _is_hoisted(node: ImportNode) -> bool:
    """Star and `__future__` imports, which only a module's top level may hold."""
    if not isinstance(node, cst.ImportFrom):
        return False
    module = node.module
    return isinstance(node.names, cst.ImportStar) or (
        isinstance(module, cst.Name) and module.value == "__future__"
    )


def _trimmed(module_imports: frozenset[ImportedName], node: ImportNode) -> ImportNode | None:
    """The import without what the module already imports the same way (or hoists)."""
    if _is_hoisted(node) or isinstance(node.names, cst.ImportStar):
        return None
    aliases = [alias for alias in node.names if _imported(node, alias) not in module_imports]
    if len(aliases) == len(node.names):
        return node
    if not aliases:
        return None
    aliases[-1] = aliases[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
    return node.with_changes(names=aliases)


def _imported(node: ImportNode, alias: cst.ImportAlias) -> ImportedName:
    name = get_full_name_for_node(alias.name) or ""
    asname = alias.asname.name if alias.asname else None
    local = asname.value if isinstance(asname, cst.Name) else None
    if isinstance(node, cst.Import):
        return ImportedName(None, name, local)
    module = get_full_name_for_node(node.module) if node.module else ""
    return ImportedName("." * len(node.relative) + (module or ""), name, local)


def _notes(view: CellView) -> list[Message]:
    cell = view.cell.index
    magics = view.facts.magics
    if not view.facts.is_python or not view.cell.is_python:
        shown = f"`%%{magics[0].name}` cell" if magics else "cell in another language"
        return [Message(cell, f"{shown}: commented out in main()")]
    notes = [
        Message(cell, f"`{magic.source}` is IPython only: a comment in main()", magic.span.line)
        for magic in magics
        if magic.kind is not MagicKind.CELL
    ]
    notes += [
        Message(cell, f"`%%{magic.name}` left out of main()")
        for magic in magics
        if magic.kind is MagicKind.CELL
    ]
    notes += [
        Message(cell, f"`{name}` only exists inside IPython: main() fails on it")
        for name in dict.fromkeys(_reads(view))
        if name in IPYTHON_ONLY
    ]
    return notes


def _main(
    name: str,
    options: tuple[PathOption, ...],
    body: Body,
    what: str,
    module_names: set[str],
) -> Statement:
    parameters = ", ".join(f"{option.parameter}: str" for option in options)
    skeleton = cst.parse_statement(f"def {name}({parameters}) -> None:\n{INDENT}pass\n")
    assert isinstance(skeleton, cst.FunctionDef)
    summary = textwrap.fill(f"{what}, top to bottom.", DOCSTRING_WIDTH, subsequent_indent=INDENT)
    docstring = docstring_statement(summary, INDENT)
    function = skeleton.with_changes(
        body=cst.IndentedBlock(body=[docstring, *body.statements], footer=body.pending)
    )
    function = without_indented_blank_lines(function)
    shared = _module_globals(function, module_names)
    if not shared:
        return function
    declaration = cst.parse_statement(f"global {', '.join(shared)}\n")
    return function.with_changes(
        body=function.body.with_changes(body=[docstring, declaration, *function.body.body[1:]])
    )


def _module_globals(function: cst.FunctionDef, module_names: set[str]) -> list[str]:
    """Names the function binds that must stay the module's: those the module binds too,
    and those its inner functions declare `global` (Python's own scope analysis)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            table = symtable.symtable(cst.Module(body=[function]).code, "main", "exec")
    except SyntaxError as error:
        raise NotebookProblem(
            f"main() would not compile: {error.msg} (line {error.lineno})"
        ) from None
    (main,) = table.get_children()
    local = {s.get_name() for s in main.get_symbols() if s.is_local() and not s.is_parameter()}
    declared: set[str] = set()
    inner = list(main.get_children())
    while inner:
        scope = inner.pop()
        declared |= {s.get_name() for s in scope.get_symbols() if s.is_declared_global()}
        inner += scope.get_children()
    return sorted((local & module_names) | (local & declared))


def _entry_point(main: str, parser: str, options: tuple[PathOption, ...]) -> Statement:
    lines = [
        'if __name__ == "__main__":',
        f"{INDENT}{parser} = argparse.ArgumentParser(",
        f"{INDENT * 2}description=__doc__, formatter_class=argparse.ArgumentDefaultsHelpFormatter",
        f"{INDENT})",
    ]
    for option in options:
        lines += [
            f"{INDENT}{parser}.add_argument(",
            f'{INDENT * 2}"{option.flag}",',
            f"{INDENT * 2}default={option.literal},",
            f'{INDENT * 2}metavar="PATH",',
            f'{INDENT * 2}help="a path used in cell {option.cell}",',
            f"{INDENT})",
        ]
    lines.append(f"{INDENT}{main}(**vars({parser}.parse_args()))")
    return cst.parse_statement("\n".join(lines) + "\n")
