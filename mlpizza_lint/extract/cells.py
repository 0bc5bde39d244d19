"""A code cell as extraction sees it: its top-level statements, and its code without IPython.

The shape comes from one `ast` parse of the IPython translation (cached per source, like the
cell facts). The code is the translation with every magic line handled the way its
destination needs: left out of a module, turned into a comment in a script's `main()`, and
for code-running magics (`%time x = f()`) the statement itself kept.
"""

from __future__ import annotations

import ast
import re
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from mlpizza_lint.extract.imports import ImportedName, statement_names
from mlpizza_lint.ipython.translation import MagicKind, code_of_padded, translate
from mlpizza_lint.notebook.documents import Cell

# nbdev's cell directives: `#| export`, `#|export`, `#| exports`, `#| exporti`.
EXPORT_MARKER = re.compile(r"^#\s*\|\s*export[si]?\s*$")
DIRECTIVE = re.compile(r"^#\s*\|")
EXPORT_TAG = "export"
# (translated line, its indentation, the user's line) -> the line to write instead.
LineRenderer = Callable[[str, str, str], str]


@dataclass(frozen=True)
class Definition:
    name: str
    first_line: int  # decorators included
    last_line: int


@dataclass(frozen=True)
class TopLevel:
    """A cell's top-level statements (None when it is not Python or does not parse)."""

    tree: ast.Module | None
    imports: tuple[tuple[ImportedName, int], ...] = ()  # each with its line
    definitions: tuple[Definition, ...] = ()
    magic_lines: frozenset[int] = frozenset()

    def owner(self, line: int) -> str | None:
        """The function or class whose code holds `line`."""
        return next((d.name for d in self.definitions if d.first_line <= line <= d.last_line), None)

    def statements(self) -> list[ast.stmt]:
        """Top-level statements, without the placeholders that stand for magics."""
        body = self.tree.body if self.tree else []
        return [s for s in body if not (isinstance(s, ast.Pass) and s.lineno in self.magic_lines)]


def is_marked(cell: Cell) -> bool:
    return EXPORT_TAG in cell.tags or any(map(EXPORT_MARKER.match, _directives(cell.source)))


def _directives(source: str) -> list[str]:
    """The cell's leading `#|` lines, where nbdev and Quarto read their options in any order
    (`#| hide` then `#| export`)."""
    lines = [line.strip() for line in source.splitlines()]
    count = next((n for n, line in enumerate(lines) if not DIRECTIVE.match(line)), len(lines))
    return lines[:count]


@lru_cache(maxsize=8192)
def top_level(source: str) -> TopLevel:
    translation = translate(source)
    if translation.python is None:
        return TopLevel(None)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tree = ast.parse(translation.python)
    except SyntaxError:
        return TopLevel(None)
    imports = tuple(
        (name, node.lineno)
        for node in tree.body
        if isinstance(node, (ast.Import, ast.ImportFrom))
        for name in statement_names(node)
    )
    definitions = tuple(
        Definition(
            node.name,
            min([node.lineno, *(d.lineno for d in node.decorator_list)]),
            node.end_lineno or node.lineno,
        )
        for node in tree.body
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
    )
    magic_lines = frozenset(magic.span.line for magic in translation.magics)
    return TopLevel(tree, imports, definitions, magic_lines)


@dataclass(frozen=True)
class CellCode:
    """A cell's code, ready for libcst."""

    cell: int
    python: str


def module_code(cell: Cell) -> CellCode:
    """The cell's Python for a module: magics and the leading `#|` directives are gone."""
    return _code(cell, _module_line)


def script_code(cell: Cell) -> CellCode:
    """The cell's Python for `main()`: magics stay visible as comments; a cell that is not
    Python (`%%bash`) becomes comments."""
    if translate(cell.source).python is None or not cell.is_python:
        commented = "".join(f"# {line}" if line.strip() else line for line in _lines(cell.source))
        return CellCode(cell.index, commented)
    return _code(cell, _script_line)


def _lines(text: str) -> list[str]:
    """The lines of `text`, each ending with a plain newline (Windows saves `\r\n`)."""
    lines = [
        line[:-2] + "\n" if line.endswith("\r\n") else line
        for line in text.splitlines(keepends=True)
    ]
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    return lines


def _code(cell: Cell, render: LineRenderer) -> CellCode:
    translation = translate(cell.source)
    if translation.python is None:
        raise ValueError(f"cell {cell.index} is not Python")
    lines = _lines(translation.python)
    user_lines = _lines(cell.source)
    for number in range(len(_directives(cell.source))):  # notebook options, not code
        lines[number] = "\n"
    magics = tuple(m for m in translation.magics if m.kind is not MagicKind.CELL)
    for magic in magics:
        index = magic.span.line - 1
        line = lines[index]
        indent = line[: len(line) - len(line.lstrip(" \t"))]
        lines[index] = render(line, indent, user_lines[index].strip())
    return CellCode(cell.index, "".join(lines))


def _kept_statement(line: str, indent: str) -> str | None:
    """The statement of a code-running magic (`%time x = f()`), indented as the line."""
    code = code_of_padded(line)
    return None if code is None else indent + code + "\n"


def _module_line(line: str, indent: str, original: str) -> str:
    kept = _kept_statement(line, indent)
    if kept is not None:
        return kept
    return "\n" if not indent else f"{indent}pass\n"


def _script_line(line: str, indent: str, original: str) -> str:
    kept = _kept_statement(line, indent)
    if kept is not None:
        return kept
    return f"# IPython only: {original}\n" if not indent else f"{indent}pass  # {original}\n"
