"""What becomes of the magics and shell escapes of the extracted cells: none reaches the module.

A pip install becomes requirements when `--requirements` writes them. Everything else stays
notebook business: with `--rewrite` the import cell keeps those lines (`%matplotlib inline`,
`%load_ext autoreload`, an install nobody declared), so the notebook behaves as before.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from mlpizza_lint.analysis.context import CellView, LintContext
from mlpizza_lint.analysis.inline_installs import inline_installs
from mlpizza_lint.extract.model import Message
from mlpizza_lint.ipython.translation import MagicKind


@dataclass(frozen=True)
class LeftOut:
    notes: tuple[Message, ...] = ()
    notebook_lines: tuple[str, ...] = ()  # for the import cell, as the user wrote them
    packages: tuple[str, ...] = ()  # pip requirements the cells installed


def left_out(
    context: LintContext, chosen: Iterable[CellView], requirements: Path | None, rewrite: bool
) -> LeftOut:
    notes: list[Message] = []
    lines: list[str] = []
    packages: list[str] = []
    for view in chosen:
        installs = {install.span: install for install in inline_installs(context, view)}
        user_lines = view.cell.source.splitlines()
        for magic in view.facts.magics:
            if magic.kind is MagicKind.CELL:
                notes.append(Message(view.cell.index, f"`%%{magic.name}` left out of the module"))
                continue
            install = installs.get(magic.span)
            moved = install is not None and install.command.is_python and requirements
            if install is not None and install.command.is_python:
                packages += install.command.packages
            text = user_lines[magic.span.line - 1 : magic.span.end_line]
            top_level = not text[0].startswith((" ", "\t"))
            if rewrite and not moved and top_level:
                lines += text
            what = (
                f"installs {', '.join(install.command.packages) or 'packages'}"
                if install is not None
                else "is IPython only"
            )
            where = (
                f"written to {requirements}"
                if moved
                else "kept in the notebook"
                if rewrite and top_level
                else "left out of the module"
            )
            notes.append(
                Message(view.cell.index, f"`{magic.source}` {what}: {where}", magic.span.line)
            )
    return LeftOut(tuple(notes), tuple(lines), tuple(packages))
