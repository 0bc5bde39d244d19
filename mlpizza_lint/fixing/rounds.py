"""Apply fixes the way ruff does: rounds of non-overlapping fixes, re-linting in between.

A round applies every compatible text edit, or else one cell move (a move renumbers the
cells after it, so the next round re-lints before trusting any other position). The loop
stops when nothing applies; when fixes undo each other or the rounds run out it stops too,
and says it did not converge, as ruff does. A result that no longer loads is refused.
Edits a fix makes to another file (a requirement added to `requirements.txt`) are
gathered over all the files being fixed and applied once per target file. Files are written
together by the staged writer, the requirements first: see `notebook.staging`.
"""

from __future__ import annotations

import difflib
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path

from packaging.utils import canonicalize_name

from mlpizza_lint.analysis.facts import cell_facts
from mlpizza_lint.analysis.project import forget_projects
from mlpizza_lint.config import Settings
from mlpizza_lint.diagnostics import Applicability, Diagnostic
from mlpizza_lint.engine import check_context, context_for, enabled_codes
from mlpizza_lint.fixing.edits import apply_edits, compatible
from mlpizza_lint.fixing.installed import with_installed_versions
from mlpizza_lint.fixing.pinning import DISTRIBUTION_NAME
from mlpizza_lint.notebook.documents import Document, DocumentError, parse_document
from mlpizza_lint.notebook.json_text import move_cell, replace_sources
from mlpizza_lint.notebook.reading import read_regular_file
from mlpizza_lint.notebook.staging import Change, write_changes
from mlpizza_lint.spans import Edit

MAX_ROUNDS = 100  # as ruff: enough for a notebook whose every cell must move
NO_NEWLINE = "\n\\ No newline at end of file\n"  # as `diff` and git mark a last line


@dataclass(frozen=True)
class FixOutcome:
    """What fixing one file changes: its text before and after, and the fixes applied."""

    path: str
    before: str
    after: str
    applied: tuple[str, ...] = ()  # rule codes, one per fix applied
    is_notebook: bool = False
    other_files: tuple[Edit, ...] = field(default=(), compare=False)
    converged: bool = True  # False: fixes undid each other, or rounds ran out
    appended: tuple[str, ...] = ()  # requirement lines other files' fixes add to this one

    @property
    def changed(self) -> bool:
        return self.after != self.before

    def diff(self) -> str:
        """A unified diff: of the code cells, each headed by its number, for a notebook."""
        listing = _cell_listing if self.is_notebook else _text_lines
        lines = difflib.unified_diff(
            listing(self.path, self.before),
            listing(self.path, self.after),
            fromfile=f"a/{self.path}",
            tofile=f"b/{self.path}",
        )
        return "".join(line if line.endswith("\n") else line + NO_NEWLINE for line in lines)


def fix_document(document: Document, settings: Settings, unsafe: bool) -> FixOutcome:
    """Rounds until nothing applies. A round that gives back a text already seen (fixes
    undoing each other) or `MAX_ROUNDS` rounds stop the loop as not converged. What counts
    as fixed is the findings that disappeared, and those fixed in other files only (a
    requirement added), whose findings go once that file is written."""
    codes = enabled_codes(settings, document.path)
    current, seen = document, {document.raw}
    other_files: dict[Edit, None] = {}
    first: tuple[Diagnostic, ...] | None = None
    elsewhere: list[str] = []
    converged = False
    for number in range(MAX_ROUNDS + 1):
        diagnostics, _notes = check_context(context_for(current, settings, codes), codes)
        first = diagnostics if first is None else first
        fixes = [d for d in _here(diagnostics, unsafe) if _is_new(d, other_files)]
        round_ = _round(current, fixes) if number < MAX_ROUNDS else None
        if round_ is None:
            converged = number < MAX_ROUNDS or not fixes
            break
        fixed, chosen = round_
        if fixed.raw != current.raw and fixed.raw in seen:
            break  # back to an earlier text: the fixes undo each other
        seen.add(fixed.raw)
        current = fixed
        for diagnostic in chosen:
            other_files.update(dict.fromkeys(_foreign(diagnostic)))
            if not _edits_itself(diagnostic):
                elsewhere.append(diagnostic.code)
    gone = Counter(d.code for d in first or ()) - Counter(d.code for d in diagnostics)
    return FixOutcome(
        document.path,
        document.raw,
        current.raw,
        tuple(sorted([*gone.elements(), *elsewhere])),
        document.is_notebook,
        tuple(other_files),
        converged,
    )


def _edits_itself(diagnostic: Diagnostic) -> bool:
    fix = diagnostic.fix
    return fix is not None and (fix.move is not None or any(e.path is None for e in fix.edits))


def _round(
    document: Document, diagnostics: list[Diagnostic]
) -> tuple[Document, list[Diagnostic]] | None:
    """The document after one round of fixes, and the diagnostics fixed; None: no progress."""
    with_edits = [d for d in diagnostics if d.fix and d.fix.edits]
    try:
        if with_edits:
            fixes = compatible(d.fix for d in with_edits if d.fix)
            chosen = [d for d in with_edits if d.fix in fixes]
            local = [edit for d in chosen if d.fix for edit in d.fix.edits if edit.path is None]
            text = edited_text(document, local) if local else document.raw
        else:
            moves = [d for d in diagnostics if d.fix and d.fix.move]
            if not moves or moves[0].fix is None or moves[0].fix.move is None:
                return None
            chosen, move = moves[:1], moves[0].fix.move
            text = move_cell(document.raw, move.cell, move.before)
        fixed = parse_document(document.path, text.encode("utf-8"))
    except (DocumentError, ValueError):  # never hand back a file that does not load
        return None  # (ValueError: JSON the cell writer cannot place, an nbformat 3 file)
    return (fixed, chosen) if _broken_cells(fixed) <= _broken_cells(document) else None


def _broken_cells(document: Document) -> int:
    """Cells with a syntax error: a round of fixes that adds one is refused as a whole."""
    return sum(
        cell_facts(cell.source).syntax_error is not None
        for cell in document.cells
        if cell.is_python
    )


def edited_text(document: Document, edits: list[Edit]) -> str:
    """The document's text with `edits` made: in its cells' sources, for a notebook."""
    if not document.is_notebook:
        return apply_edits(document.raw, edits)
    by_cell: dict[int, list[Edit]] = defaultdict(list)
    for edit in edits:
        if edit.cell is not None:
            by_cell[edit.cell].append(edit)
    sources = {
        cell: apply_edits(document.cells[cell - 1].source, cell_edits)
        for cell, cell_edits in by_cell.items()
    }
    return replace_sources(document.raw, sources)


def _foreign(diagnostic: Diagnostic) -> list[Edit]:
    return [edit for edit in diagnostic.fix.edits if edit.path] if diagnostic.fix else []


def _is_new(diagnostic: Diagnostic, done: dict[Edit, None]) -> bool:
    """False for a fix that only edits other files, with edits already gathered."""
    fix = diagnostic.fix
    return fix is not None and (
        any(edit.path is None for edit in fix.edits)
        or fix.move is not None
        or any(edit not in done for edit in fix.edits)
    )


def other_file_outcomes(outcomes: list[FixOutcome]) -> list[FixOutcome]:
    """`outcomes` with the requirements their fixes add to other files appended, one
    outcome per file. Those edits are all appends to a requirements file, so they go at the
    end of the file as it is after its own fixes, whatever it looked like when linted."""
    by_path = {str(Path(outcome.path).resolve()): outcome for outcome in outcomes}
    foreign: dict[str, list[Edit]] = defaultdict(list)
    for outcome in outcomes:
        for edit in outcome.other_files:
            foreign[str(Path(edit.path or "").resolve())].append(edit)
    result = dict(by_path)
    for target, edits in foreign.items():
        base = by_path.get(target)
        before = base.before if base else _read(edits[0].path or target)
        lines = _requirement_lines(edits)
        result[target] = FixOutcome(
            base.path if base else _shown(edits[0].path or target),
            before,
            _appended(base.after if base else before, lines),
            base.applied if base else (),
            base.is_notebook if base else False,
            converged=base.converged if base else True,
            appended=() if base else tuple(lines),
        )
    return list(result.values())


def _requirement_lines(edits: list[Edit]) -> list[str]:
    """The requirements the edits add, one per distribution (the first fix wins), so
    several fixes never add the same package twice or with two different pins."""
    lines: dict[str, str] = {}
    for edit in edits:
        for line in _lines(edit.replacement):
            lines.setdefault(_distribution(line), line)
    return list(lines.values())


def _lines(text: str) -> list[str]:
    return list(filter(None, map(str.strip, text.splitlines())))


def _distribution(line: str) -> str:
    """The canonical name a requirement line declares (the line itself for any other)."""
    name = DISTRIBUTION_NAME.match(line)
    return canonicalize_name(name[0]) if name else line


def _merge(lines: tuple[str, ...], current: str | None) -> str:
    """The requirements file as it is now, with those of `lines` it does not declare yet:
    another run may have appended its own lines since this one read the file."""
    text = current or ""
    declared = set(map(_distribution, _lines(text)))
    return _appended(text, [line for line in lines if _distribution(line) not in declared])


def _appended(text: str, lines: list[str]) -> str:
    newline = "\r\n" if "\r\n" in text else "\n"
    separator = "" if not text or text.endswith(("\n", "\r")) else newline
    return text + separator + "".join(line + newline for line in lines)


def _read(path: str) -> str:
    """The file's text, line endings as they are; "" when it cannot be read (the writer
    reads it again, and says why it cannot)."""
    try:
        return read_regular_file(path).decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return ""


def _shown(path: str) -> str:
    """A path relative to the working folder when it is below it, as users typed theirs."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd()))
    except ValueError:
        return path


def write_fixes(outcomes: list[FixOutcome]) -> tuple[int, dict[str, str]]:
    """Write every changed file, all through one staged write; return how many fixes were
    written, and per file left as it was, why. Raises StagingError when nothing was."""
    try:
        skipped = write_changes([_change(outcome) for outcome in outcomes if outcome.changed])
    finally:
        forget_projects()
    applied = sum(len(outcome.applied) for outcome in outcomes if outcome.path not in skipped)
    return applied, skipped


def _change(outcome: FixOutcome) -> Change:
    """Lines appended to a requirements file are merged into it as it is when written; a
    file that gave lines to another needs that one written first."""
    merge = partial(_merge, outcome.appended) if outcome.appended else None
    needs = tuple(dict.fromkeys(edit.path for edit in outcome.other_files if edit.path))
    return Change(outcome.path, outcome.after, outcome.before, merge, needs)


def fixed_counts(outcomes: Iterable[FixOutcome]) -> dict[str, Counter[str]]:
    """Per file, how many fixes of each rule were applied (for `--show-fixes`)."""
    return {outcome.path: Counter(outcome.applied) for outcome in outcomes if outcome.applied}


def _here(diagnostics: Iterable[Diagnostic], unsafe: bool) -> list[Diagnostic]:
    """The diagnostics whose fix applies, with the versions installed here filled in."""
    found = []
    for diagnostic in diagnostics:
        fix = diagnostic.fix
        if fix is not None and (unsafe or fix.applicability is Applicability.SAFE):
            fix = with_installed_versions(fix)
            if fix is not None:
                found.append(replace(diagnostic, fix=fix))
    return found


def _text_lines(_path: str, text: str) -> list[str]:
    return text.splitlines(keepends=True)


def _cell_listing(path: str, text: str) -> list[str]:
    lines = []
    for cell in parse_document(path, text.encode("utf-8")).cells:
        if cell.kind == "code":
            lines.append(f"# %% cell {cell.index}\n")
            lines += [line + "\n" for line in cell.source.splitlines()]
    return lines
