"""Quick fixes: each finding's text edits as a `WorkspaceEdit`, and a `# noqa` for its line.

A fix that moves a cell has no faithful `WorkspaceEdit` (a notebook's cells are separate
documents; moving one is a notebook edit clients apply in their own ways), so it is not
offered here; `mlpizza-lint check --fix --unsafe-fixes` applies it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from lsprotocol import types

from mlpizza_lint.diagnostics import Applicability, Diagnostic, Fix
from mlpizza_lint.fixing.installed import with_installed_versions
from mlpizza_lint.fixing.noqa import noqa_edit as line_noqa
from mlpizza_lint.lsp.convert import lines_of, lsp_range
from mlpizza_lint.lsp.sources import Source
from mlpizza_lint.spans import Edit

# The text of another file by path, None when it does not exist.
FileReader = Callable[[Path], "str | None"]


@dataclass(frozen=True)
class Published:
    """A finding as the editor received it, on the document (or cell) `uri`."""

    diagnostic: Diagnostic
    lsp: types.Diagnostic
    uri: str


@dataclass(frozen=True)
class EditContext:
    source: Source
    encoding: str  # the position encoding agreed with the client
    read: FileReader
    document_changes: bool  # the client takes `WorkspaceEdit.documentChanges`
    create_files: bool  # ... and `CreateFile` among them


def code_actions(found: list[Published], context: EditContext) -> list[types.CodeAction]:
    actions = []
    silenced: set[tuple[str, int, str]] = set()  # one noqa action per line and code
    for item in found:
        fix = item.diagnostic.fix
        edit = fix_edit(fix, context) if fix is not None else None
        if fix is not None and edit is not None:
            unsafe = fix.applicability is Applicability.UNSAFE
            actions.append(
                types.CodeAction(
                    title=f"{fix.title} (unsafe fix)" if unsafe else fix.title,
                    kind=types.CodeActionKind.QuickFix,
                    diagnostics=[item.lsp],
                    edit=edit,
                    is_preferred=not unsafe,
                )
            )
        line = (item.uri, item.diagnostic.span.line, item.diagnostic.code)
        noqa = noqa_edit(item, context) if line not in silenced else None
        if noqa is not None:
            silenced.add(line)
            actions.append(
                types.CodeAction(
                    title=f"Disable {item.diagnostic.code} for this line",
                    kind=types.CodeActionKind.QuickFix,
                    diagnostics=[item.lsp],
                    edit=noqa,
                )
            )
    return actions


def fix_edit(fix: Fix, context: EditContext) -> types.WorkspaceEdit | None:
    """The fix's edits, grouped by document; None when one of them cannot be expressed or
    pins a distribution not installed here."""
    if fix.move is not None or not fix.edits:
        return None
    here = with_installed_versions(fix)
    if here is None:
        return None
    by_uri: dict[str, list[types.TextEdit]] = {}
    created: list[str] = []
    for edit in here.edits:
        target = _target(edit, context)
        if target is None:
            return None
        uri, text = target
        if text is None:
            if not context.create_files:
                return None
            created.append(uri)
        lines = lines_of(text or "")
        by_uri.setdefault(uri, []).append(
            types.TextEdit(
                range=lsp_range(edit.span, lines, context.encoding), new_text=edit.replacement
            )
        )
    # Edits of one document need nothing more than `changes`, which every client takes;
    # `documentChanges` only where the client says it takes them, or a file must be created.
    if not created and (len(by_uri) == 1 or not context.document_changes):
        return types.WorkspaceEdit(changes=by_uri)
    changes: list[types.CreateFile | types.TextDocumentEdit] = [
        types.CreateFile(uri=uri, options=types.CreateFileOptions(ignore_if_exists=True))
        for uri in dict.fromkeys(created)
    ]
    changes += [
        types.TextDocumentEdit(
            text_document=types.OptionalVersionedTextDocumentIdentifier(uri=uri, version=None),
            edits=list(edits),
        )
        for uri, edits in by_uri.items()
    ]
    return types.WorkspaceEdit(document_changes=changes)


def _target(edit: Edit, context: EditContext) -> tuple[str, str | None] | None:
    """The URI an edit applies to and that document's text (None: a file to create)."""
    source = context.source
    if edit.path is None:
        uri = source.uri_of(edit.cell)
        return (uri, source.texts[uri]) if uri is not None else None
    if edit.cell is not None:  # a cell of another notebook: not a text document
        return None
    path = Path(edit.path)
    if not path.is_absolute():
        path = Path(source.document.path).parent / path
    return path.as_uri(), context.read(path)


def noqa_edit(item: Published, context: EditContext) -> types.WorkspaceEdit | None:
    """`  # noqa: CODE` at the end of the finding's first line, or CODE added to the
    line's `# noqa:` list; None where a comment cannot go."""
    dependencies = context.source.document.dependencies
    text = context.source.texts.get(item.uri, "")
    diagnostic = item.diagnostic
    kind = dependencies.kind if dependencies is not None else None
    edit = line_noqa(None, text, diagnostic.span.line, (diagnostic.code,), kind)
    if edit is None:
        return None
    change = types.TextEdit(
        range=lsp_range(edit.span, lines_of(text), context.encoding), new_text=edit.replacement
    )
    return types.WorkspaceEdit(changes={item.uri: [change]})
