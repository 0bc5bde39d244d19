"""The MLP301 fix: a hardcoded path becomes a named constant at the top of the notebook.

Machine-specific paths scattered through cells are edited one by one by every new user;
gathered as constants in the first code cell they are edited once (or read from config).
When the path's tail exists in the project (`/home/a/churn/data/train.csv` and the project
has `data/train.csv`), the constant becomes that file relative to the notebook's folder.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property

from mlpizza_lint.analysis.context import CellView, LintContext
from mlpizza_lint.analysis.facts import StringLiteral
from mlpizza_lint.analysis.namespace import NotebookNames
from mlpizza_lint.diagnostics import Applicability, Fix
from mlpizza_lint.fixing.edits import split_lines
from mlpizza_lint.ipython.translation import MagicKind
from mlpizza_lint.spans import Edit, Span

WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Insertion:
    """Where constants go: after the leading imports of the first plain Python cell."""

    cell: int
    span: Span
    prefix: str  # a newline when the cell's last line has none
    suffix: str


class PathLifter:
    """The lifting fixes of one notebook: one constant name per distinct path."""

    def __init__(self, context: LintContext, paths: list[str]) -> None:
        self.context = context
        self.paths = paths
        self.literals: dict[str, str] = {}  # the path as first written: one definition each

    @cached_property
    def names(self) -> dict[str, str]:
        """One constant name per distinct path, clashing with no word of any cell (compared
        as Python compares identifiers, NFKC-normalised)."""
        cells = self.context.document.cells
        used = {_normal(word) for cell in cells for word in WORD.findall(cell.source)}
        names: dict[str, str] = {}
        for path in dict.fromkeys(self.paths):
            base = constant_name(path)
            name, number = base, 2
            while _normal(name) in used:
                name, number = f"{base}_{number}", number + 1
            used.add(_normal(name))
            names[path] = name
        return names

    @cached_property
    def insertion(self) -> Insertion | None:
        """None when a name may come from where no analysis sees (a star import, `%run`):
        the new constant could shadow it or be shadowed."""
        if self.context.shared(NotebookNames).star_cells():
            return None
        return constant_insertion(self.context)

    def fix(self, view: CellView, string: StringLiteral, path: str) -> Fix | None:
        """Replace `string` by the path's constant, defined in the first code cell."""
        if string.is_fstring or string.in_pattern or string.value != path:
            return None
        literal = self.literals.setdefault(path, span_text(view.cell.source, string.span))
        if "\n" in literal or "\r" in literal:  # implicit concatenation over lines
            literal = f"({literal})"
        relative = _project_relative(self.context, path)
        if relative is not None:
            literal = _quoted(relative, literal)
        if string.constant is not None:  # already `NAME = "..."` at the top level
            return _relative_in_place(view, string, literal) if relative else None
        insertion = self.insertion
        if insertion is None or insertion.cell > view.cell.index or path not in self.names:
            return None
        name = self.names[path]
        definition = f"{insertion.prefix}{name} = {literal}{insertion.suffix}"
        edits = (
            Edit(insertion.cell, insertion.span, definition),
            Edit(view.cell.index, string.span, name),
        )
        if relative is None:
            return Fix(f"Lift the path to the constant `{name}`", Applicability.SAFE, edits)
        return Fix(
            f"Lift the path to `{name}`, relative to the project: {relative}",
            Applicability.UNSAFE,
            edits,
        )


def _relative_in_place(view: CellView, string: StringLiteral, literal: str) -> Fix:
    return Fix(
        f"Use the project's copy: {literal}",
        Applicability.UNSAFE,
        (Edit(view.cell.index, string.span, literal),),
    )


def _project_relative(context: LintContext, path: str) -> str | None:
    """The project's file with the same tail, relative to the notebook's folder."""
    return context.project.copies.get(path) if context.project else None


def _quoted(text: str, original: str) -> str:
    quote = original[-1]
    if quote in "'\"" and not original.endswith(quote * 3) and quote not in text:
        return f"{quote}{text}{quote}"
    return repr(text)


def span_text(source: str, span: Span) -> str:
    lines = split_lines(source)
    if span.line == span.end_line:
        return lines[span.line - 1][span.column - 1 : span.end_column - 1]
    middle = "".join(lines[span.line : span.end_line - 1])
    return (
        lines[span.line - 1][span.column - 1 :]
        + middle
        + lines[span.end_line - 1][: span.end_column - 1]
    )


def constant_insertion(context: LintContext) -> Insertion | None:
    """After the imports of the first cell that imports (cell 1 often only installs), else
    at the top of the first cell with code; never into a cell magic or a broken cell."""
    usable = [
        view
        for view in context.python_cells()
        if view.facts.has_code
        and not view.facts.syntax_error
        and not any(magic.kind is MagicKind.CELL for magic in view.facts.magics)
    ]
    importing = [view for view in usable if view.facts.header_end]
    if not usable:
        return None
    chosen = (importing or usable)[0]
    source = chosen.cell.source
    lines = [line.rstrip("\r\n") for line in split_lines(source)]
    newline = "\r\n" if "\r\n" in source else "\n"  # the cell's own line ending
    after = chosen.facts.header_end
    if after < len(lines) or source.endswith(("\n", "\r")):
        return Insertion(chosen.cell.index, Span(after + 1, 1, after + 1, 1), "", newline)
    end = len(lines[-1]) + 1
    return Insertion(chosen.cell.index, Span(after, end, after, end), newline, "")


def constant_name(path: str) -> str:
    """`/home/a/data/train.csv` -> `TRAIN_CSV`; `/content/drive/MyDrive/models/` -> `MODELS_DIR`.

    Only ASCII letters and digits are kept, so the name is always a valid identifier."""
    parts = [part for part in re.split(r"[\\/]+", path) if part.strip(".~")]
    last = parts[-1] if parts else ""
    name = "_".join(re.findall(r"[A-Za-z0-9]+", last)).upper()
    if not name:
        return "DATA_PATH"
    if "." not in last.strip("."):
        name += "_DIR"
    return f"PATH_{name}" if name[0].isdigit() else name


def _normal(word: str) -> str:
    return unicodedata.normalize("NFKC", word)
