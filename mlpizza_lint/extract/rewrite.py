"""The notebook after extraction: one cell imports from the module, the other extracted cells
are gone, and every other byte of the file is as it was.

The import cell takes the place of the first extracted cell, so everything the module
defines exists from there on. It imports what the remaining cells read: the module's names,
and the imports of the extracted cells they relied on.
"""

from __future__ import annotations

from collections.abc import Collection

from mlpizza_lint.analysis.context import LintContext
from mlpizza_lint.extract.cells import top_level
from mlpizza_lint.extract.imports import ImportedName, import_block
from mlpizza_lint.notebook.json_text import delete_cells, replace_sources


def import_cell(
    context: LintContext, chosen: Collection[int], module: str, magics: Collection[str] = ()
) -> str:
    """The source of the cell that replaces the extracted ones; `magics` are lines of theirs
    that stay in the notebook."""
    remaining = [view for view in context.code_cells if view.cell.index not in chosen]
    read = {
        use.name
        for view in remaining
        for use in (*view.facts.names.reads, *view.facts.names.deferred_reads)
    }
    extracted = [view for view in context.code_cells if view.cell.index in chosen]
    imports = [
        name
        for view in extracted
        for name, _ in top_level(view.cell.source).imports
        if name.local in read or name.name == "*"
    ]
    imported = {name.local for name in imports}
    defined = {
        name
        for view in extracted
        for name in view.facts.names.bound
        if name in read and name not in imported
    }
    names = [ImportedName(module, name) for name in defined] or [ImportedName(None, module)]
    kept = "".join(f"{line}\n" for line in magics)
    return "\n".join(
        part for part in (kept, import_block(imports), import_block(names)) if part
    ).strip("\n")


def rewritten(raw: str, chosen: Collection[int], source: str) -> str:
    """The notebook's JSON text with the extracted cells replaced by one import cell."""
    first, *rest = sorted(chosen)
    return delete_cells(replace_sources(raw, {first: source}), rest)
