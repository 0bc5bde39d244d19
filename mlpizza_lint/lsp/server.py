"""The language server: LSP methods wired to the session, none of them able to stop it.

Every handler runs behind a guard that logs an exception to the client (`window/logMessage`)
and stderr and answers with an empty result, and a request whose parameters cannot be read,
or that comes after `shutdown`, is answered with an error instead of being dropped, so the
client never waits forever.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from importlib.metadata import version
from typing import Any, TypeVar

from lsprotocol import types
from pygls.exceptions import JsonRpcException, JsonRpcInvalidRequest
from pygls.lsp.server import LanguageServer
from pygls.protocol import LanguageServerProtocol
from pygls.protocol.json_rpc import RPCMessage, RPCRequest

from mlpizza_lint.lsp.session import Session

NAME = "mlpizza-lint"
# Every cell is synced, whatever its language (markdown, raw, SQL): a client leaves out the
# cells a `cells` filter does not name, and all of them count when cells are numbered.
NOTEBOOK_SYNC = types.NotebookDocumentSyncOptions(
    notebook_selector=[types.NotebookDocumentFilterWithNotebook(notebook="jupyter-notebook")],
    save=True,
)

OPTIONS: dict[str, Any] = {
    types.TEXT_DOCUMENT_CODE_ACTION: types.CodeActionOptions(
        code_action_kinds=[types.CodeActionKind.QuickFix]
    ),
}

logger = logging.getLogger(__name__)
P = TypeVar("P")
R = TypeVar("R")


class Protocol(LanguageServerProtocol):
    def structure_message(self, data: dict[str, Any]) -> Any:
        """A request whose parameters do not match the method's is answered with the error."""
        try:
            return super().structure_message(data)
        except JsonRpcException as error:
            if "id" in data and "method" in data:
                self._send_response(data["id"], error=error.to_response_error())
            raise

    def handle_message(self, message: RPCMessage) -> None:
        """After `shutdown` the LSP wants requests failed with InvalidRequest; pygls drops
        them, which leaves the client waiting."""
        if self.shut_down and isinstance(message, RPCRequest):  # `exit` is a notification
            error = JsonRpcInvalidRequest("the server is shutting down")
            self._send_response(message.id, error=error.to_response_error())
            return
        super().handle_message(message)

    @property
    def shut_down(self) -> bool:
        """Whether `shutdown` was received: `exit` then ends with 0, otherwise with 1."""
        return bool(self._shutdown)


class Server(LanguageServer):
    def report_server_error(self, error: Exception, source: Any) -> None:
        """Errors outside any handler (a message that cannot be read) go to the log, not to
        a pop-up: the server carries on."""
        log(self, f"{type(error).__name__}: {error}")

    @property
    def shut_down(self) -> bool:
        return isinstance(self.protocol, Protocol) and self.protocol.shut_down


def log(server: LanguageServer, message: str) -> None:
    logger.error("%s", message)
    server.window_log_message(types.LogMessageParams(type=types.MessageType.Error, message=message))


def guarded(
    server: LanguageServer, method: str, handler: Callable[[P], R], fallback: R
) -> Callable[[P], R]:
    def run(params: P) -> R:
        try:
            return handler(params)
        except Exception:
            log(server, f"{NAME}: {method} failed:\n{traceback.format_exc()}")
            return fallback

    return run


def build_server(debounce: float) -> Server:
    """A server that lints `debounce` seconds after the last edit of a document."""
    server = Server(
        NAME,
        version(NAME),
        text_document_sync_kind=types.TextDocumentSyncKind.Incremental,
        notebook_document_sync=NOTEBOOK_SYNC,
        protocol_cls=Protocol,
    )
    session = Session(server, debounce)

    def on(method: str, handler: Callable[[Any], Any], fallback: Any = None) -> None:
        server.feature(method, OPTIONS.get(method))(guarded(server, method, handler, fallback))

    on(types.INITIALIZED, lambda _: session.watch_files())
    on(types.SHUTDOWN, lambda _: session.shutdown())
    on(types.TEXT_DOCUMENT_DID_OPEN, lambda params: session.opened(params.text_document.uri))
    on(types.TEXT_DOCUMENT_DID_CHANGE, lambda params: session.changed(params.text_document.uri))
    on(types.TEXT_DOCUMENT_DID_SAVE, lambda params: session.saved(params.text_document.uri))
    on(types.TEXT_DOCUMENT_DID_CLOSE, lambda params: session.closed(params.text_document.uri))
    on(types.NOTEBOOK_DOCUMENT_DID_OPEN, lambda params: session.opened(notebook(params)))
    on(types.NOTEBOOK_DOCUMENT_DID_CHANGE, lambda params: session.changed(notebook(params)))
    on(types.NOTEBOOK_DOCUMENT_DID_SAVE, lambda params: session.saved(notebook(params)))
    on(types.NOTEBOOK_DOCUMENT_DID_CLOSE, lambda params: session.closed(notebook(params)))
    on(types.WORKSPACE_DID_CHANGE_WATCHED_FILES, session.files_changed)
    on(types.TEXT_DOCUMENT_CODE_ACTION, session.code_actions, [])
    on(types.TEXT_DOCUMENT_HOVER, session.hover)
    return server


def notebook(params: Any) -> str:
    uri: str = params.notebook_document.uri
    return uri
