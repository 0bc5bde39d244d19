"""The server's state: what the editor has open, what was last sent for it, and when to lint.

A notebook is linted as a whole (cross-cell rules need every cell) and its findings are
sent per cell URI. Only what changed is sent again: a URI whose diagnostics or text
changed, and an empty list for a cell that became clean or went away. Cell facts are
memoised on the cell's source, so after a one-cell edit only that cell is parsed again.
"""

from __future__ import annotations

from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from lsprotocol import types
from pygls.lsp.server import LanguageServer

from mlpizza_lint.diagnostics import Diagnostic
from mlpizza_lint.engine import check_context, context_for
from mlpizza_lint.lsp import actions, hover
from mlpizza_lint.lsp.actions import EditContext, Published
from mlpizza_lint.lsp.convert import lines_of, lsp_diagnostic, overlaps
from mlpizza_lint.lsp.debounce import Debouncer
from mlpizza_lint.lsp.settings import (
    WATCHED_PATTERNS,
    affects_settings,
    forget_files,
    settings_for,
)
from mlpizza_lint.lsp.sources import Source, file_path, notebook_source, text_source
from mlpizza_lint.notebook.documents import DocumentError
from mlpizza_lint.notebook.reading import read_regular_file

WATCHERS_ID = "mlpizza-lint/watched-files"


@dataclass(frozen=True)
class Linted:
    source: Source
    found: dict[str, list[Published]]  # URI of the document or cell -> its findings


class Session:
    def __init__(self, server: LanguageServer, debounce: float) -> None:
        self.server = server
        self.linted: dict[str, Linted] = {}  # by the URI of the text document or notebook
        self.owners: dict[str, str] = {}  # cell URI -> notebook URI
        self.sent: dict[str, tuple[list[types.Diagnostic], str]] = {}  # URI -> (sent, text)
        self.problems: set[str] = set()  # configuration errors already shown
        self.debouncer = Debouncer(debounce, self.lint)

    # Notifications ------------------------------------------------------------------

    def opened(self, uri: str) -> None:
        self.debouncer.cancel(uri)
        self.lint(uri)

    def changed(self, uri: str) -> None:
        self.debouncer.schedule(uri)

    def saved(self, uri: str) -> None:
        if affects_settings(file_path(uri, self.server.workspace.root_path)):
            self.reload()
        else:
            self.opened(uri)

    def closed(self, uri: str) -> None:
        self.debouncer.cancel(uri)
        linted = self.linted.pop(uri, None)
        for target in linted.found if linted else ():
            self.owners.pop(target, None)
            self._clear(target)

    def shutdown(self) -> None:
        """Nothing is published after `shutdown`: pending lints are dropped."""
        self.debouncer.cancel_all()

    def files_changed(self, params: types.DidChangeWatchedFilesParams) -> None:
        root = self.server.workspace.root_path
        if any(affects_settings(file_path(change.uri, root)) for change in params.changes):
            self.reload()

    def reload(self) -> None:
        """Settings or dependency files changed on disk: read them again, lint everything."""
        forget_files()
        self.problems.clear()
        for uri in list(self.linted):
            self.opened(uri)

    def watch_files(self) -> None:
        """Ask the client to report changes of the files settings come from, when it can."""
        workspace = self.server.client_capabilities.workspace
        watching = workspace.did_change_watched_files if workspace else None
        if watching is None or not watching.dynamic_registration:
            return
        options = types.DidChangeWatchedFilesRegistrationOptions(
            watchers=[types.FileSystemWatcher(glob_pattern=glob) for glob in WATCHED_PATTERNS]
        )
        registration = types.Registration(
            id=WATCHERS_ID,
            method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
            register_options=options,
        )
        future = self.server.client_register_capability(
            types.RegistrationParams(registrations=[registration])
        )
        future.add_done_callback(self._watching)

    # Requests -----------------------------------------------------------------------

    def code_actions(self, params: types.CodeActionParams) -> list[types.CodeAction]:
        only = params.context.only
        if only is not None and not any(
            types.CodeActionKind.QuickFix.value.startswith(kind) for kind in only
        ):
            return []
        linted, found = self._found(params.text_document.uri)
        if linted is None:
            return []
        selected = [item for item in found if overlaps(item.lsp.range, params.range)]
        context = EditContext(linted.source, self._encoding(), self._read, *self._edit_support())
        return actions.code_actions(selected, context)

    def hover(self, params: types.HoverParams) -> types.Hover | None:
        _, found = self._found(params.text_document.uri)
        return hover.hover(found, params.position)

    # Linting ------------------------------------------------------------------------

    def lint(self, uri: str) -> None:
        source = self._source(uri)
        if source is None:
            self.closed(uri)
            return
        file = settings_for(source.document.path)
        if file.problem is not None and file.problem not in self.problems:
            self.problems.add(file.problem)
            self.server.window_show_message(
                types.ShowMessageParams(
                    type=types.MessageType.Error,
                    message=f"mlpizza-lint: {file.problem} (using the default settings)",
                )
            )
        diagnostics: tuple[Diagnostic, ...] = ()
        if source.document.is_python:  # not a notebook of another kernel language
            context = context_for(source.document, file.settings, file.codes)
            found, _notes = check_context(context, file.codes)
            # a project-level finding (MLP205) has no place in the document's text
            diagnostics = tuple(d for d in found if d.path == source.document.path)
        self._publish(source, self._convert(source, diagnostics))

    def _source(self, uri: str) -> Source | None:
        workspace = self.server.workspace
        root = workspace.root_path
        notebook = workspace.get_notebook_document(notebook_uri=uri)
        if notebook is not None:
            cells = {}
            for cell in notebook.cells:
                text = workspace.get_text_document(cell.document)
                cells[cell.document] = (text.source, text.language_id or "python")
            return notebook_source(notebook, cells, root)
        document = workspace.text_documents.get(unquote(uri))
        if document is None:
            return None
        try:
            return text_source(uri, document.source, document.language_id, root)
        except DocumentError as error:  # an undecodable coding cookie: nothing to check
            self.server.window_log_message(
                types.LogMessageParams(type=types.MessageType.Warning, message=f"{uri}: {error}")
            )
            return None

    def _convert(
        self, source: Source, diagnostics: tuple[Diagnostic, ...]
    ) -> dict[str, list[Published]]:
        """LSP diagnostics per URI; a finding unchanged on an unchanged text is not converted
        again, so after a one-cell edit only that cell's findings are."""
        encoding = self._encoding()
        previous = self.linted.get(source.uri)
        known = {
            (item.diagnostic, uri): item.lsp
            for uri, items in (previous.found.items() if previous else ())
            if previous is not None and previous.source.texts[uri] == source.texts.get(uri)
            for item in items
        }
        found: dict[str, list[Published]] = {uri: [] for uri in source.uris.values()}
        lines: dict[str, list[str]] = {}
        for diagnostic in diagnostics:
            uri = source.uri_of(diagnostic.cell)
            if uri is None:
                continue
            converted = known.get((diagnostic, uri))
            if converted is None:
                if uri not in lines:
                    lines[uri] = lines_of(source.texts[uri])
                converted = lsp_diagnostic(diagnostic, lines[uri], encoding)
            found[uri].append(Published(diagnostic, converted, uri))
        return found

    def _publish(self, source: Source, found: dict[str, list[Published]]) -> None:
        previous = self.linted.get(source.uri)
        self.linted[source.uri] = Linted(source, found)
        for target, items in found.items():
            if target != source.uri:
                self.owners[target] = source.uri
            now = ([item.lsp for item in items], source.texts[target])
            if self.sent.get(target) != now:
                self.sent[target] = now
                self._send(target, now[0])
        for gone in set(previous.found if previous else ()) - set(found):
            self.owners.pop(gone, None)
            self._clear(gone)

    def _clear(self, uri: str) -> None:
        sent = self.sent.pop(uri, None)
        if sent is not None and sent[0]:
            self._send(uri, [])

    def _send(self, uri: str, diagnostics: list[types.Diagnostic]) -> None:
        self.server.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics)
        )

    # Helpers ------------------------------------------------------------------------

    def _found(self, uri: str) -> tuple[Linted | None, list[Published]]:
        """The findings shown on `uri` (a document or a cell), brought up to date first."""
        owner = self.owners.get(uri, uri)
        self.debouncer.flush(owner)
        linted = self.linted.get(owner)
        return linted, linted.found.get(uri, []) if linted else []

    def _read(self, path: Path) -> str | None:
        """A file's text as the editor has it (open and maybe unsaved) or as on disk."""
        document = self.server.workspace.text_documents.get(unquote(path.as_uri()))
        if document is not None:
            text: str = document.source
            return text
        try:
            return read_regular_file(path).decode("utf-8")
        except FileNotFoundError:
            return None

    def _encoding(self) -> str:
        return str(self.server.workspace.position_encoding or types.PositionEncodingKind.Utf16)

    def _edit_support(self) -> tuple[bool, bool]:
        """Whether the client takes `documentChanges` in a `WorkspaceEdit`, and file creations."""
        workspace = self.server.client_capabilities.workspace
        edits = workspace.workspace_edit if workspace else None
        if edits is None or not edits.document_changes:
            return False, False
        return True, types.ResourceOperationKind.Create in (edits.resource_operations or [])

    def _watching(self, future: Future[None]) -> None:
        if future.exception() is not None:
            self.server.window_log_message(
                types.LogMessageParams(
                    type=types.MessageType.Info,
                    message="mlpizza-lint: the client does not watch files; "
                    "changes to pyproject.toml apply when it is saved in the editor",
                )
            )
