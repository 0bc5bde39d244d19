"""Build module source with libcst: a docstring, one import block, then the cells' code.

Each cell is parsed on its own, so its comments stay with the statements they sit above (a
cell's leading comments with its first statement, trailing ones with the next cell's) and its
indentation stays as written. Cells are separated the way ruff formats a module: two blank
lines around a function or class, one otherwise.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TypeVar, cast

import libcst as cst

from mlpizza_lint.extract.cells import CellCode
from mlpizza_lint.extract.imports import ImportedName, import_block
from mlpizza_lint.extract.model import NotebookProblem

DEFINITION_NODES = (cst.FunctionDef, cst.ClassDef)
DEFAULT_INDENT = "    "
Statement = cst.SimpleStatementLine | cst.BaseCompoundStatement
Node = TypeVar("Node", bound=cst.CSTNode)
ImportNode = cst.Import | cst.ImportFrom
# What stays of a top-level import in the cell (None: all of it goes to the import block).
ImportFilter = Callable[[ImportNode], ImportNode | None]


@dataclass
class Body:
    """Statements gathered from cells, with comments waiting for the next statement."""

    max_blank: int = 2  # ruff's format: two at module level, one inside a function
    statements: list[Statement] = field(default_factory=list)
    pending: list[cst.EmptyLine] = field(default_factory=list)

    def add_cell(self, module: cst.Module, imports: ImportFilter, label: str | None = None) -> None:
        """The cell's statements, its imports reduced by `imports`; `label` becomes a comment
        above them. The cell's leading comments go with its first statement, and leave with
        it when it is an import that goes to the import block."""
        trimmed = [_without_imports(statement, imports) for statement in module.body]
        header = _lstrip(module.header) if trimmed and trimmed[0] is not None else []
        gap = [cst.EmptyLine(indent=False)] if self.pending and label else []
        comments = [*_comments(self.pending), *gap, *_label(label), *header]
        footer = _comments(module.footer)
        kept = [statement for statement in trimmed if statement is not None]
        if not kept:
            self.pending = comments + (_comments(module.header) if not trimmed else []) + footer
            return
        previous = self.statements[-1] if self.statements else None
        blank = 2 if _is_definition(kept[0]) or (previous and _is_definition(previous)) else 1
        kept[0] = _spaced(kept[0], min(blank, self.max_blank), comments)
        self.statements += kept
        self.pending = footer

    @property
    def definitions(self) -> int:
        """How many functions and classes."""
        return sum(map(_is_definition, self.statements))


def parse_cell(code: CellCode) -> cst.Module:
    try:
        module = cst.parse_module(code.python)
    except cst.ParserSyntaxError as error:
        message = str(error).splitlines()[0]
        raise NotebookProblem(f"cell {code.cell}: cannot parse: {message}") from None
    if module.default_indent != DEFAULT_INDENT:
        module = module.visit(_KeepIndent(module.default_indent))
    return module


def without_definitions(module: cst.Module, names: set[str] | None) -> cst.Module:
    """The cell without its top-level functions and classes named `names`."""
    if not names:
        return module
    return module.with_changes(
        body=[
            statement
            for statement in module.body
            if not (isinstance(statement, DEFINITION_NODES) and statement.name.value in names)
        ]
    )


def build_module(
    docstring: str,
    imports: Iterable[ImportedName],
    body: Body,
    tail: Sequence[Statement] = (),
) -> str:
    statements: list[Statement] = [docstring_statement(docstring)]
    block = import_block(imports)
    if block:
        parsed = list(cst.parse_module(block).body)
        statements += [_spaced(parsed[0], 1), *parsed[1:]]
    statements += body.statements
    statements += [_spaced(statement, 2) for statement in tail]
    return cst.Module(body=statements, footer=body.pending).code


def docstring_statement(text: str, indent: str = "") -> cst.SimpleStatementLine:
    escaped = text.replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
    if "\n" in escaped:
        escaped += "\n" + indent
    return cst.SimpleStatementLine([cst.Expr(cst.SimpleString(f'"""{escaped}"""'))])


def _label(label: str | None) -> list[cst.EmptyLine]:
    return [cst.EmptyLine(comment=cst.Comment(f"# {label}"))] if label else []


def _is_definition(statement: Statement) -> bool:
    return isinstance(statement, DEFINITION_NODES)


def _comments(lines: Iterable[cst.EmptyLine]) -> list[cst.EmptyLine]:
    return [line for line in lines if line.comment is not None]


def _lstrip(lines: Sequence[cst.EmptyLine]) -> list[cst.EmptyLine]:
    """The lines from the first comment on."""
    start = next((n for n, line in enumerate(lines) if line.comment is not None), len(lines))
    return list(lines[start:])


def _spaced(statement: Statement, blank: int, before: Sequence[cst.EmptyLine] = ()) -> Statement:
    """`blank` empty lines, then the comments `before`, then the statement's own lines."""
    own = _lstrip(statement.leading_lines) if before else list(statement.leading_lines)
    lines = _lstrip([*before, *own])
    return statement.with_changes(leading_lines=[cst.EmptyLine(indent=False)] * blank + lines)


def _without_imports(statement: Statement, kept: ImportFilter) -> Statement | None:
    """The statement with its imports reduced to what `kept` leaves of them."""
    if not isinstance(statement, cst.SimpleStatementLine):
        return statement
    parts: list[cst.BaseSmallStatement] = []
    for part in statement.body:
        left = kept(part) if isinstance(part, (cst.Import, cst.ImportFrom)) else part
        if left is not None:
            parts.append(left)
    if parts == list(statement.body):
        return statement
    if not parts:
        return None
    last = len(parts) - 1
    return statement.with_changes(
        body=[
            part.with_changes(semicolon=cst.MaybeSentinel.DEFAULT) if n == last else part
            for n, part in enumerate(parts)
        ]
    )


def without_indented_blank_lines(node: Node) -> Node:
    """Top-level code moved into a function: its empty lines stay empty, not indented."""
    return cast(Node, node.visit(_BlankLines()))


class _BlankLines(cst.CSTTransformer):
    def leave_EmptyLine(
        self, original_node: cst.EmptyLine, updated_node: cst.EmptyLine
    ) -> cst.EmptyLine:
        if updated_node.comment is None and not updated_node.whitespace.value:
            return updated_node.with_changes(indent=False)
        return updated_node


class _KeepIndent(cst.CSTTransformer):
    """Blocks keep the cell's own indentation once moved into a module with another one."""

    def __init__(self, indent: str) -> None:
        super().__init__()
        self.indent = indent

    def leave_IndentedBlock(
        self, original_node: cst.IndentedBlock, updated_node: cst.IndentedBlock
    ) -> cst.IndentedBlock:
        if updated_node.indent is None:
            return updated_node.with_changes(indent=self.indent)
        return updated_node
