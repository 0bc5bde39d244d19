"""The calls of a cell that may read or write a file, with their path arguments kept as
path expressions (see `path_expressions`), and the cell's top-level path constants.

Which calls read and which write is the notebook's business (`data_io`): it knows what
each name was imported as. A cell records every call given something that may be a path,
so that a function of the notebook's own (`download(URL, "data/train.csv")`) counts as
possibly writing it.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

from mlpizza_lint.analysis.expressions import dotted_name
from mlpizza_lint.analysis.path_expressions import PathExpression, path_expression
from mlpizza_lint.spans import Span

# Methods of a path object that read, write or test it (`Path("x.csv").read_text()`).
PATH_METHODS = frozenset(
    {"read_text", "read_bytes", "open", "write_text", "write_bytes", "exists", "mkdir"}
    | {"unlink", "iterdir", "glob", "rglob", "is_file", "is_dir", "touch"}
)
# Calls recorded even with no path given: they extract, move or run other programs.
ALWAYS_RECORDED = frozenset(
    {"extractall", "unpack_archive", "chdir", "system", "run", "call", "check_call", "Popen"}
    | {"check_output", "exec", "run_path"}
)
FUNCTION_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef)


@dataclass(frozen=True, slots=True)
class DataCall:
    """A call as written: `name` is its dotted name (None for `Path(...).open()`),
    `method` the name of what is called (`read_csv`, `open`)."""

    name: str | None
    method: str
    receiver: PathExpression | None
    arguments: tuple[PathExpression | None, ...]
    keywords: tuple[tuple[str, PathExpression | None], ...]
    span: Span
    conditional: bool = False  # under an `if`, or in a `try` that carries on
    in_function: bool = False  # runs when the function is called, if ever

    def argument(self, position: int | None, *keywords: str) -> PathExpression | None:
        """The argument at `position`, or the first of `keywords` given."""
        if position is not None and position < len(self.arguments):
            return self.arguments[position]
        return next((value for key, value in self.keywords if key in keywords), None)


@dataclass(frozen=True, slots=True)
class PathConstant:
    """`NAME = <path expression>` at the top level of a cell."""

    name: str
    value: PathExpression


def data_call(node: ast.Call, span: Span, conditional: bool, in_function: bool) -> DataCall | None:
    """The call's record, or None when it is given nothing that may be a path."""
    func = node.func
    method = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
    if method is None:
        return None
    receiver = None
    if isinstance(func, ast.Attribute) and (
        method in PATH_METHODS or not isinstance(func.value, ast.Name)
    ):
        receiver = path_expression(func.value)
    arguments = tuple(path_expression(argument) for argument in node.args)
    keywords = tuple(
        (keyword.arg, path_expression(keyword.value))
        for keyword in node.keywords
        if keyword.arg is not None
    )
    given = receiver is not None or any(arguments) or any(value for _, value in keywords)
    if not given and method not in ALWAYS_RECORDED:
        return None
    return DataCall(
        dotted_name(func), method, receiver, arguments, keywords, span, conditional, in_function
    )


def path_constant(statement: ast.stmt) -> PathConstant | None:
    if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
        target, value = statement.targets[0], statement.value
    elif isinstance(statement, ast.AnnAssign) and statement.value is not None:
        target, value = statement.target, statement.value
    else:
        return None
    if not isinstance(target, ast.Name):
        return None
    expression = path_expression(value)
    return None if expression is None else PathConstant(target.id, expression)


def function_body_lines(nodes: list[ast.AST]) -> list[tuple[int, int]]:
    """The line ranges of function bodies (decorators and defaults run with the cell)."""
    return [
        (node.body[0].lineno, node.end_lineno or node.body[0].lineno)
        for node in nodes
        if isinstance(node, FUNCTION_SCOPES) and node.body
    ]
