"""Import statements as data: read from a cell's top level, merged and written back as a block.

Each name an import binds is one `ImportedName`, so merging two cells' imports is a set union
and writing them is one sorted block in isort's sections (future, standard library, third
party, relative), as ruff's `I` rules expect.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from dataclasses import dataclass

from mlpizza_lint.analysis.distributions import import_names

LINE_LENGTH = 88
SECTIONS = ("future", "stdlib", "third-party", "relative")


@dataclass(frozen=True, order=True)
class ImportedName:
    """`import a.b as c` is (None, "a.b", "c"); `from ..m import n` is ("..m", "n", None)."""

    module: str | None
    name: str
    asname: str | None = None

    @property
    def local(self) -> str:
        """The name the statement binds."""
        if self.asname:
            return self.asname
        return self.name.split(".")[0] if self.module is None else self.name

    @property
    def top_module(self) -> str:
        """The top-level package it imports from ("" for a relative import)."""
        dotted = self.name if self.module is None else self.module
        return "" if dotted.startswith(".") else dotted.split(".")[0]

    @property
    def section(self) -> str:
        if self.top_module == "__future__":
            return "future"
        if not self.top_module:
            return "relative"
        return "stdlib" if import_names().is_standard_library(self.top_module) else "third-party"

    def render(self) -> str:
        alias = f"{self.name} as {self.asname}" if self.asname else self.name
        return f"import {alias}" if self.module is None else f"from {self.module} import {alias}"


def statement_names(node: ast.Import | ast.ImportFrom) -> list[ImportedName]:
    if isinstance(node, ast.Import):
        return [ImportedName(None, alias.name, alias.asname) for alias in node.names]
    module = "." * node.level + (node.module or "")
    return [ImportedName(module, alias.name, alias.asname) for alias in node.names]


def import_block(names: Iterable[ImportedName]) -> str:
    """One statement per plain import, one per module for `from` imports, sections apart."""
    unique = sorted(set(names), key=_sort_key)
    sections = []
    for section in SECTIONS:
        members = [name for name in unique if name.section == section]
        plain = [name.render() for name in members if name.module is None]
        modules = dict.fromkeys(name.module for name in members if name.module is not None)
        grouped = [
            _from_statement(module, [n for n in members if n.module == module])
            for module in modules
            if module is not None
        ]
        if plain or grouped:
            sections.append("\n".join(plain + grouped) + "\n")
    return "\n".join(sections)


def _sort_key(name: ImportedName) -> tuple[object, ...]:
    """Plain imports first, then `from` imports by module; names as ruff orders them
    (CONSTANTS, then Classes, then the rest)."""
    module = name.module or ""
    kind = 0 if name.name.isupper() and len(name.name) > 1 else 1 if name.name[:1].isupper() else 2
    return (name.module is not None, module.lower(), name.name == "*", kind, name.name, name)


def _from_statement(module: str, names: list[ImportedName]) -> str:
    aliases = [f"{n.name} as {n.asname}" if n.asname else n.name for n in names]
    star = [alias for alias in aliases if alias == "*"]
    others = [alias for alias in aliases if alias != "*"]
    lines = [f"from {module} import *"] if star else []
    if others:
        one_line = f"from {module} import {', '.join(others)}"
        if len(one_line) > LINE_LENGTH:
            one_line = f"from {module} import (\n" + "".join(f"    {a},\n" for a in others) + ")"
        lines.append(one_line)
    return "\n".join(lines)
