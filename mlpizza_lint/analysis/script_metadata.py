"""PEP 723 inline script metadata: the `# /// script` block that declares what a script, or
a notebook in its first code cell, needs."""

from __future__ import annotations

import re
import sys

from mlpizza_lint.dependency_files import Declared
from mlpizza_lint.dependency_files.pep508 import requirement_spec
from mlpizza_lint.notebook.documents import Document

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

# PEP 723's reference expression for an inline metadata block.
SCRIPT_BLOCK = re.compile(
    r"(?m)^# /// (?P<type>[a-zA-Z0-9-]+)$\s(?P<content>(^#(| .*)$\s)+)^# ///$"
)


def script_dependencies(source: str) -> tuple[Declared, ...]:
    """The `dependencies` of the `script` block in `source`, each at its line."""
    block = next((m for m in SCRIPT_BLOCK.finditer(source + "\n") if m["type"] == "script"), None)
    if block is None:
        return ()
    content = "".join(
        line[2:] if line.startswith("# ") else line[1:]
        for line in block["content"].splitlines(keepends=True)
    )
    try:
        dependencies = tomllib.loads(content).get("dependencies", [])
    except tomllib.TOMLDecodeError:
        return ()
    first_line = source[: block.start()].count("\n") + 1
    lines = source.splitlines()
    found = []
    for text in dependencies if isinstance(dependencies, list) else []:
        line = next(
            (n for n, written in enumerate(lines, 1) if n > first_line and str(text) in written),
            first_line,
        )
        spec = requirement_spec(str(text))
        found.append(Declared(spec.name, str(text), line, 1, 1, spec.pin, "script"))
    return tuple(found)


def document_script(document: Document) -> tuple[int | None, tuple[Declared, ...]]:
    """The block of a document's first code cell (a script's only one), and that cell."""
    cell = next((cell for cell in document.cells if cell.kind == "code"), None)
    if cell is None:
        return None, ()
    found = script_dependencies(cell.source)
    return (cell.index, found) if found else (None, ())
