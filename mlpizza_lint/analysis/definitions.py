"""What a cell defines at notebook scope, and every name it mentions.

MLP105 compares definitions of one name across cells by a fingerprint of their code, so a
re-run import or a copied function is not a redefinition; MLP402 asks whether any cell
mentions a function at all, in code, in a string (`getattr(obj, "name")`, `__all__`) or
in a magic's arguments (`%timeit f()`).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable
from dataclasses import dataclass

from mlpizza_lint.spans import Span

IDENTIFIER = re.compile(r"[A-Za-z_]\w*")
DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


@dataclass(frozen=True, slots=True)
class Definition:
    """A top-level `def`, `class` or import binding `name`."""

    name: str
    kind: str  # "function", "class" or "import"
    span: Span  # the name where it is defined (the statement's first line for imports)
    fingerprint: int  # equal for the same code: a hash of the statement's text
    decorated: bool = False  # called by a framework (`@app.route`, `@interact`), not a cell


def definitions_of(tree: ast.Module, line_text: list[str]) -> tuple[Definition, ...]:
    found: list[Definition] = []
    for statement in tree.body:
        if isinstance(statement, DEFINITIONS):
            kind = "class" if isinstance(statement, ast.ClassDef) else "function"
            found.append(
                Definition(
                    statement.name,
                    kind,
                    _name_span(statement, line_text),
                    _fingerprint(statement, line_text),
                    bool(statement.decorator_list),
                )
            )
        elif isinstance(statement, (ast.Import, ast.ImportFrom)):
            found.extend(_imports(statement, line_text))
    return tuple(found)


def _fingerprint(statement: ast.stmt, lines: list[str]) -> int:
    """The statement's lines, decorators included, without their trailing blanks: a copy
    of a function is the same text (several times cheaper than comparing trees)."""
    first = min([statement.lineno, *(d.lineno for d in getattr(statement, "decorator_list", []))])
    last = statement.end_lineno or statement.lineno
    return hash("\n".join(line.rstrip() for line in lines[first - 1 : last]))


def mentioned_names(nodes: Iterable[ast.AST]) -> frozenset[str]:
    """Every name loaded anywhere (function bodies too) and every identifier-like string."""
    names: set[str] = set()
    for node in nodes:
        if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and IDENTIFIER.fullmatch(node.value)
        ):
            names.add(node.value)
    return frozenset(names)


def mentioned_in_text(text: str) -> frozenset[str]:
    """The identifiers of a magic's arguments (`%timeit f(x)`, `%prun -s time main()`)."""
    return frozenset(IDENTIFIER.findall(text))


def _name_span(
    statement: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef, lines: list[str]
) -> Span:
    line = statement.lineno
    text = lines[line - 1] if 0 < line <= len(lines) else ""
    match = re.search(rf"\b(?:def|class)\s+({re.escape(statement.name)})\b", text)
    if match is None:
        return Span(line, 1, line, len(text) + 1)
    return Span(line, match.start(1) + 1, line, match.end(1) + 1)


def _imports(statement: ast.Import | ast.ImportFrom, lines: list[str]) -> list[Definition]:
    line = statement.lineno
    span = Span.whole_line(line, lines[line - 1] if 0 < line <= len(lines) else "")
    module = "." * getattr(statement, "level", 0) + (getattr(statement, "module", None) or "")
    found = []
    for alias in statement.names:
        if alias.name == "*":
            continue
        if isinstance(statement, ast.Import):
            local = alias.asname or alias.name.split(".")[0]
            target = alias.name if alias.asname else local
        else:
            local, target = alias.asname or alias.name, f"{module}.{alias.name}"
        found.append(Definition(local, "import", span, hash(target)))
    return found
