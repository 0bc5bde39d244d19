"""Paths as code builds them, kept symbolic until the notebook's constants are known.

`DATA_DIR / "train.csv"`, `f"{DATA_DIR}/train.csv"`, `os.path.join(DATA_DIR, "train.csv")`
and `Path("data", "train.csv")` are all text and names joined together; a cell's facts keep
that shape, and the notebook resolves it once it knows that `DATA_DIR = Path("data")` is
bound exactly once. Anything else (a call result, an attribute, a loop variable) is not a
path that can be read statically, and nothing is reported about it.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping
from dataclasses import dataclass

from mlpizza_lint.analysis.expressions import dotted_name

# Calls that build a path from their arguments, joined with `/`.
PATH_BUILDERS = frozenset(
    {"Path", "PurePath", "PosixPath", "pathlib.Path", "pathlib.PurePath", "os.fspath", "str"}
    | {"os.path.join", "osp.join", "path.join", "join", "os.path.normpath", "os.path.abspath"}
)
MAX_DEPTH = 8  # constants defined through constants, as deep as anyone writes them


@dataclass(frozen=True, slots=True)
class Ref:
    """A name whose value the notebook's constants may give."""

    name: str


PathExpression = tuple[str | Ref, ...]


def path_expression(node: ast.expr) -> PathExpression | None:
    """The text-and-names shape of `node`, or None when it is not built from those."""
    if isinstance(node, ast.Constant):
        return (node.value,) if isinstance(node.value, str) else None
    if isinstance(node, ast.Name):
        return (Ref(node.id),)
    if isinstance(node, ast.JoinedStr):
        return _fstring(node)
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Div, ast.Add)):
        left, right = path_expression(node.left), path_expression(node.right)
        if left is None or right is None:
            return None
        return (*left, "/", *right) if isinstance(node.op, ast.Div) else (*left, *right)
    if isinstance(node, ast.Call):
        return _built(node)
    return None


def resolve(
    expression: PathExpression, constants: Mapping[str, PathExpression], depth: int = 0
) -> str | None:
    """The text of `expression` with its names replaced by their constant values."""
    if depth > MAX_DEPTH:
        return None
    parts: list[str] = []
    for part in expression:
        if isinstance(part, str):
            parts.append(part)
            continue
        value = constants.get(part.name)
        text = None if value is None else resolve(value, constants, depth + 1)
        if text is None:
            return None
        parts.append(text)
    return "".join(parts)


def _fstring(node: ast.JoinedStr) -> PathExpression | None:
    parts: list[str | Ref] = []
    for value in node.values:
        if isinstance(value, ast.Constant) and isinstance(value.value, str):
            parts.append(value.value)
        elif (
            isinstance(value, ast.FormattedValue)
            and value.conversion == -1
            and value.format_spec is None
            and isinstance(value.value, ast.Name)
        ):
            parts.append(Ref(value.value.id))
        else:
            return None
    return tuple(parts)


def _built(node: ast.Call) -> PathExpression | None:
    """`Path(a, b)`, `os.path.join(a, b)`, `base.joinpath(a)`: the parts joined by `/`."""
    func = node.func
    if isinstance(func, ast.Attribute) and func.attr == "joinpath":
        pieces = [func.value, *node.args]
    elif dotted_name(func) in PATH_BUILDERS and node.args and not node.keywords:
        pieces = list(node.args)
    else:
        return None
    joined: list[str | Ref] = []
    for position, piece in enumerate(pieces):
        expression = path_expression(piece)
        if expression is None:
            return None
        joined.extend((*(("/",) if position else ()), *expression))
    return tuple(joined)
