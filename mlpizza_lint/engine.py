"""The pipeline for one file: load, gather facts, run the enabled rules, filter, sort."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

from mlpizza_lint.analysis.context import LintContext
from mlpizza_lint.analysis.data_io import data_reads
from mlpizza_lint.analysis.machine_paths import is_absolute
from mlpizza_lint.analysis.project import CodeReading, snapshot_of
from mlpizza_lint.analysis.suppression import CellSuppressions, Silenced, cell_suppressions
from mlpizza_lint.config import Settings
from mlpizza_lint.diagnostics import Diagnostic, FileResult
from mlpizza_lint.notebook.documents import Document, DocumentError, load_document, parse_document
from mlpizza_lint.rules import Rule, all_rules
from mlpizza_lint.rules.base import Finding
from mlpizza_lint.rules.unreadable import Unreadable
from mlpizza_lint.spans import Edit, Span

SEARCH_PATH_CALLS = frozenset({"sys.path.append", "sys.path.insert", "os.chdir", "site.addsitedir"})
ONE_LINE = str.maketrans({"\n": "\\n", "\r": "\\r", "\t": "\\t"})


def all_codes() -> frozenset[str]:
    return frozenset(rule.code for rule in all_rules())


def default_codes() -> frozenset[str]:
    return frozenset(rule.code for rule in all_rules() if rule.enabled_by_default)


def enabled_codes(settings: Settings, path: str) -> frozenset[str]:
    codes = settings.enabled_codes(all_codes(), default_codes())
    ignored = settings.ignored_for(Path(path))
    return frozenset(
        code for code in codes if not any(code.startswith(s) or s == "ALL" for s in ignored)
    )


@lru_cache(maxsize=64)
def _rules(settings: Settings, codes: frozenset[str]) -> tuple[Rule, ...]:
    """Rule instances are built once per configuration, not once per file."""
    return tuple(rule(settings) for rule in all_rules() if rule.code in codes)


def lint_file(
    path: str, settings: Settings, pylint: bool = False, trust_pylint_config: bool = False
) -> FileResult:
    """Lint one file; with `pylint`, pylint's messages on its cells are added (the
    repository's pylint options that run code only with `trust_pylint_config`)."""
    return _lint_read(path, lambda: load_document(path), settings, pylint, trust_pylint_config)


def lint_source(path: str, data: bytes, settings: Settings) -> FileResult:
    """Lint content that is not on disk (a pipe, an editor's buffer) as the file `path`
    would be: `path` gives its kind, its settings and its project."""
    return _lint_read(path, lambda: parse_document(path, data), settings)


def _lint_read(
    path: str,
    read: Callable[[], Document],
    settings: Settings,
    pylint: bool = False,
    trust_pylint_config: bool = False,
) -> FileResult:
    codes = enabled_codes(settings, path)
    try:
        document = read()
    except DocumentError as error:
        return FileResult(path, _unreadable(path, str(error), codes))
    if not document.is_python:
        note = f"{path}: skipped, the notebook's kernel language is {document.language}"
        return FileResult(path, (), (note,))
    try:
        diagnostics, notes = check_context(context_for(document, settings, codes), codes)
        if pylint:
            from mlpizza_lint.analysis.pylint_bridge import (
                pylint_diagnostics,  # pylint is slow to load
            )

            found = pylint_diagnostics(document, trust_config=trust_pylint_config)
            diagnostics = tuple(sorted((*diagnostics, *found), key=lambda d: d.sort_key))
    except Exception as error:  # one file's bug must not stop a run over thousands
        reason = (
            f"internal error while checking it ({type(error).__name__}: {error}); please report"
        )
        return FileResult(path, _unreadable(path, reason, codes | {Unreadable.code}))
    return FileResult(path, diagnostics, notes, _sources(document, diagnostics))


def _sources(document: Document, diagnostics: Iterable[Diagnostic]) -> dict[int | None, str]:
    diagnostics = [d for d in diagnostics if d.path == document.path]
    if not document.is_notebook:
        return {None: document.raw} if diagnostics else {}
    return {d.cell: document.cells[d.cell - 1].source for d in diagnostics if d.cell}


def context_for(document: Document, settings: Settings, codes: frozenset[str]) -> LintContext:
    """The context the enabled rules need: the project is read only when one asks for it,
    and all of it before any rule runs."""
    context = LintContext(document, settings)
    rules = _rules(settings, codes)
    if any(rule.needs_project for rule in rules):
        context.project = snapshot_of(
            document.path,
            _absolute_literals(context),
            _search_folders(context),
            code=max((rule.reads_project_code for rule in rules), default=CodeReading.NEVER),
            data_paths=(
                [read.path for read in context.shared(data_reads)]
                if any(rule.reads_data_files for rule in rules)
                else ()
            ),
        )
    _ = context.import_names  # the shipped tables are read before any rule runs
    return context


def _absolute_literals(context: LintContext) -> list[str]:
    """The absolute paths the document spells out, for the fix that finds their project copy."""
    return [
        string.value
        for view in context.python_cells()
        for string in view.facts.strings
        if is_absolute(string.value)
    ]


def _search_folders(context: LintContext) -> list[str]:
    """Relative folders the notebook adds to `sys.path` or moves into: Python finds its
    modules there (`sys.path.insert(0, '../src')`, `os.chdir('code')`)."""
    return [
        argument
        for view in context.python_cells()
        for call in view.facts.calls
        if context.qualified(call.name) in SEARCH_PATH_CALLS
        for argument in call.arguments
        if isinstance(argument, str) and not is_absolute(argument)
    ]


def lint_document(
    document: Document, settings: Settings, codes: frozenset[str]
) -> tuple[Diagnostic, ...]:
    return check_context(LintContext(document, settings), codes)[0]


def check_context(
    context: LintContext, codes: frozenset[str]
) -> tuple[tuple[Diagnostic, ...], tuple[str, ...]]:
    """Sorted, unsuppressed diagnostics of the enabled rules, and what they want said."""
    document = context.document
    rules = _rules(context.settings, codes)
    suppressions = {cell.index: cell_suppressions(cell) for cell in document.cells}
    kept, silenced = _suppressed(suppressions, rules, context, judges_directives=False)
    context.silenced = Silenced(suppressions, silenced, codes)
    kept += _suppressed(suppressions, rules, context, judges_directives=True)[0]
    diagnostics = [_diagnostic(document, rule, finding) for rule, finding in kept]
    notes = tuple(f"{document.path}: {note}" for rule in rules for note in rule.notes(context))
    return tuple(sorted(diagnostics, key=lambda diagnostic: diagnostic.sort_key)), notes


def _suppressed(
    suppressions: dict[int, CellSuppressions],
    rules: Iterable[Rule],
    context: LintContext,
    judges_directives: bool,
) -> tuple[list[tuple[Rule, Finding]], frozenset[tuple[int, int, str]]]:
    """The findings of the rules that judge the directives (or of the others) that no
    directive silences, and the (cell, line, code) of those it does."""
    kept, silenced = [], set()
    for rule in rules:
        if rule.judges_directives != judges_directives:
            continue
        for finding in rule.check(context):
            line = finding.span.line
            if finding.about is None and suppressions[finding.cell].silences(line, rule.code):
                silenced.add((finding.cell, line, rule.code))
            else:
                kept.append((rule, finding))
    return kept, frozenset(silenced)


def _diagnostic(document: Document, rule: Rule, finding: Finding) -> Diagnostic:
    """Notebooks report cell coordinates; plain files report lines of the file; a finding
    about the project names its folder, spelled as the document's path is (relative stays
    relative), so every file of the project reports the same one."""
    if finding.about is not None:
        shown = finding.about if Path(document.path).is_absolute() else _relative(finding.about)
        return Diagnostic(
            rule.code,
            rule.name,
            rule.severity,
            finding.message.translate(ONE_LINE),
            str(shown),
            None,
            finding.span,
            finding.fix,
        )
    span, fix = finding.span, finding.fix
    cell: int | None = finding.cell
    if not document.is_notebook:
        offset = document.cells[finding.cell - 1].line_offset
        span, cell = _shifted(span, offset), None
        if fix is not None:
            fix = replace(fix, edits=tuple(_in_file(edit, document) for edit in fix.edits))
    return Diagnostic(
        code=rule.code,
        name=rule.name,
        severity=rule.severity,
        message=finding.message.translate(ONE_LINE),
        path=document.path,
        cell=cell,
        span=span,
        fix=fix,
    )


def _relative(path: Path) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive, on Windows
        return str(path)


def _shifted(span: Span, offset: int) -> Span:
    return replace(span, line=span.line + offset, end_line=span.end_line + offset)


def _in_file(edit: Edit, document: Document) -> Edit:
    """A cell edit of a plain file, in lines of the file (edits of other files stay)."""
    if edit.cell is None or edit.path is not None:
        return edit
    offset = document.cells[edit.cell - 1].line_offset
    return replace(edit, cell=None, span=_shifted(edit.span, offset))


def _unreadable(path: str, reason: str, codes: frozenset[str]) -> tuple[Diagnostic, ...]:
    if Unreadable.code not in codes:
        return ()
    return (
        Diagnostic(
            code=Unreadable.code,
            name=Unreadable.name,
            severity=Unreadable.severity,
            message=f"cannot check {Path(path).name}: {reason}",
            path=path,
            cell=None,
            span=Span(1, 1, 1, 1),
        ),
    )
