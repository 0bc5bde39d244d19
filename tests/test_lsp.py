"""`mlpizza-lint lsp` driven end to end by a real LSP client (pytest-lsp) over stdio.

One server serves the whole module, as one editor session would; each test works in its
own temporary folder, and settings and projects are found per file, so tests do not see
each other's files. Waits poll for the state the client has received, with a generous
deadline, so nothing depends on the debounce delay.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

import attrs
import pytest
import pytest_lsp
from lsprotocol import types
from pygls.exceptions import JsonRpcException
from pygls.protocol import default_converter
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities
from pytest_lsp.client import register_lsp_features

from mlpizza_lint.rules import Rule
from mlpizza_lint.rules.catalogue import DOCS_URL, rule_page

pytestmark = pytest.mark.asyncio(loop_scope="module")

SERVER = [sys.executable, "-m", "mlpizza_lint", "lsp"]
DEADLINE = 20.0  # seconds; a wait normally ends within a few hundred milliseconds
PYPROJECT = '[project]\nname = "demo"\ndependencies = []\n\n[tool.mlpizza-lint]\n'
HOME_PATH = "/home/alice/data/train.csv"
SCRIPT = f'import os\n\nrows = open("{HOME_PATH}").readlines()\n'


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    (tmp_path / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    return tmp_path


@dataclass
class Received:
    """What the server told the shared client besides diagnostics."""

    result: types.InitializeResult | None = None
    registrations: list[types.Registration] = field(default_factory=list)  # file watchers


@pytest.fixture(scope="module")
def received() -> Received:
    return Received()


@pytest_lsp.fixture(scope="module", config=ClientServerConfig(server_command=SERVER))
async def client(
    lsp_client: LanguageClient, received: Received, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[None]:
    @lsp_client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def register(params: types.RegistrationParams) -> None:
        received.registrations.extend(params.registrations)

    capabilities = client_capabilities("visual-studio-code")
    capabilities.notebook_document = types.NotebookDocumentClientCapabilities(
        synchronization=types.NotebookDocumentSyncClientCapabilities()
    )
    root = tmp_path_factory.mktemp("workspace")
    received.result = await lsp_client.initialize_session(
        types.InitializeParams(
            capabilities=capabilities,
            root_uri=root.as_uri(),
            workspace_folders=[types.WorkspaceFolder(uri=root.as_uri(), name="demo")],
        )
    )
    yield
    await lsp_client.shutdown_session()


async def wait_for(condition: Callable[[], bool], what: str) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + DEADLINE
    while not condition():
        if loop.time() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.02)


def codes(client: LanguageClient, uri: str) -> list[str]:
    return [str(d.code) for d in client.diagnostics.get(uri, ())]


def open_text(client: LanguageClient, path: Path, text: str, language: str = "python") -> str:
    path.write_text(text, encoding="utf-8")
    uri = path.as_uri()
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=uri, language_id=language, version=1, text=text
            )
        )
    )
    return uri


def change_text(client: LanguageClient, uri: str, version: int, text: str) -> None:
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
        )
    )


def apply(text: str, edits: Sequence[types.TextEdit]) -> str:
    """Apply LSP edits (characters in UTF-16 code units, the default encoding), last first."""
    lines = [*text.splitlines(keepends=True), ""]
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))

    def offset(where: types.Position) -> int:
        column = units = 0
        while units < where.character:
            units += 2 if ord(lines[where.line][column]) > 0xFFFF else 1
            column += 1
        return starts[where.line] + column

    for edit in sorted(edits, key=lambda e: offset(e.range.start), reverse=True):
        text = text[: offset(edit.range.start)] + edit.new_text + text[offset(edit.range.end) :]
    return text


async def code_actions(
    client: LanguageClient, uri: str, area: types.Range | None = None
) -> list[types.CodeAction]:
    """The quick fixes offered for `area`, by default from the start of `uri` to the end of
    its last diagnostic."""
    if area is None:
        ends = [diagnostic.range.end for diagnostic in client.diagnostics.get(uri, ())]
        start = types.Position(line=0, character=0)
        area = types.Range(start=start, end=max(ends, key=lambda p: (p.line, p.character)))
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=area,
            context=types.CodeActionContext(diagnostics=list(client.diagnostics.get(uri, ()))),
        )
    )
    return [action for action in actions or () if isinstance(action, types.CodeAction)]


async def test_text_document_diagnostic_goes_away_after_a_change(
    client: LanguageClient, workspace: Path
) -> None:
    uri = open_text(client, workspace / "train.py", SCRIPT)
    await wait_for(lambda: codes(client, uri) == ["MLP301"], "MLP301 on the script")

    (diagnostic,) = client.diagnostics[uri]
    assert diagnostic.source == "mlpizza-lint"
    assert diagnostic.severity == types.DiagnosticSeverity.Error
    assert diagnostic.code_description is not None
    assert diagnostic.code_description.href == DOCS_URL.format(code="MLP301")
    start = SCRIPT.splitlines()[2].index(HOME_PATH) - 1  # the literal, quotes included
    assert diagnostic.range == types.Range(
        start=types.Position(line=2, character=start),
        end=types.Position(line=2, character=start + len(HOME_PATH) + 2),
    )

    (workspace / "data").mkdir(exist_ok=True)
    (workspace / "data" / "train.csv").write_text("a\n1\n")  # the project holds it (MLP303)
    change_text(client, uri, 2, SCRIPT.replace(HOME_PATH, "data/train.csv"))
    await wait_for(lambda: codes(client, uri) == [], "the diagnostic to go away")


CODE = types.NotebookCellKind.Code
CELL_KINDS = {"markdown": types.NotebookCellKind.Markup}  # raw cells are code cells in VS Code


def notebook_cell(uri: str, kind: types.NotebookCellKind, order: int | None) -> types.NotebookCell:
    summary = types.ExecutionSummary(execution_order=order) if order is not None else None
    return types.NotebookCell(kind=kind, document=uri, execution_summary=summary)


def open_notebook(
    client: LanguageClient,
    path: Path,
    cells: Sequence[tuple[str, str, int | None]],
    metadata: dict[str, object] | None = None,
) -> list[str]:
    """Open a notebook of (language, source, execution order) cells; return the cell URIs."""
    uris = [f"vscode-notebook-cell:{path}#cell{n}" for n in range(len(cells))]
    client.notebook_document_did_open(
        types.DidOpenNotebookDocumentParams(
            notebook_document=types.NotebookDocument(
                uri=path.as_uri(),
                notebook_type="jupyter-notebook",
                version=1,
                metadata=metadata,
                cells=[
                    notebook_cell(uri, CELL_KINDS.get(language, CODE), order)
                    for uri, (language, _, order) in zip(uris, cells, strict=True)
                ],
            ),
            cell_text_documents=[
                types.TextDocumentItem(uri=uri, language_id=language, version=1, text=source)
                for uri, (language, source, _) in zip(uris, cells, strict=True)
            ],
        )
    )
    return uris


def change_cell(client: LanguageClient, path: Path, cell: str, version: int, text: str) -> None:
    client.notebook_document_did_change(
        types.DidChangeNotebookDocumentParams(
            notebook_document=types.VersionedNotebookDocumentIdentifier(
                uri=path.as_uri(), version=version
            ),
            change=types.NotebookDocumentChangeEvent(
                cells=types.NotebookDocumentCellChanges(
                    text_content=[
                        types.NotebookDocumentCellContentChanges(
                            document=types.VersionedTextDocumentIdentifier(
                                uri=cell, version=version
                            ),
                            changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
                        )
                    ]
                )
            ),
        )
    )


async def test_notebook_cross_cell_finding_on_the_cell_that_uses_the_name(
    client: LanguageClient, workspace: Path
) -> None:
    path = workspace / "analysis.ipynb"
    cells = [
        ("markdown", "# Totals", None),
        ("python", "print(total)", None),
        ("python", "total = 4", None),
    ]
    notes, user, definer = open_notebook(client, path, cells)
    await wait_for(
        lambda: all(uri in client.diagnostics for uri in (notes, user, definer)), "all cells"
    )

    assert codes(client, user) == ["MLP101"]
    assert "first defined in cell 3" in client.diagnostics[user][0].message  # markdown counts
    assert codes(client, notes) == codes(client, definer) == []

    client.notebook_document_did_change(  # the defining cell is deleted
        types.DidChangeNotebookDocumentParams(
            notebook_document=types.VersionedNotebookDocumentIdentifier(
                uri=path.as_uri(), version=2
            ),
            change=types.NotebookDocumentChangeEvent(
                cells=types.NotebookDocumentCellChanges(
                    structure=types.NotebookDocumentCellChangeStructure(
                        array=types.NotebookCellArrayChange(start=2, delete_count=1),
                        did_close=[types.TextDocumentIdentifier(uri=definer)],
                    )
                )
            ),
        )
    )
    await wait_for(lambda: codes(client, user) == ["MLP102"], "MLP102 once nothing defines it")

    change_cell(client, path, user, 3, "total = 1\nprint(total)")
    await wait_for(lambda: codes(client, user) == [], "the cell to become clean")


async def test_execution_summaries_feed_the_execution_order_rules(
    client: LanguageClient, workspace: Path
) -> None:
    cells = [("python", "x = 1", 2), ("python", "y = x + 1", 1)]
    path = workspace / "ran.ipynb"
    first, second = open_notebook(client, path, cells)
    await wait_for(lambda: first in client.diagnostics and second in client.diagnostics, "cells")
    assert "MLP001" in codes(client, first) + codes(client, second)

    client.notebook_document_did_close(
        types.DidCloseNotebookDocumentParams(
            notebook_document=types.NotebookDocumentIdentifier(uri=path.as_uri()),
            cell_text_documents=[
                types.TextDocumentIdentifier(uri=first),
                types.TextDocumentIdentifier(uri=second),
            ],
        )
    )
    await wait_for(lambda: codes(client, first) == codes(client, second) == [], "closed: cleared")


async def test_quick_fix_pins_a_requirement(client: LanguageClient, workspace: Path) -> None:
    text = "click\n"
    uri = open_text(client, workspace / "requirements.txt", text, language="pip-requirements")
    await wait_for(lambda: codes(client, uri) == ["MLP202"], "MLP202 on the requirement")

    actions = await code_actions(client, uri, client.diagnostics[uri][0].range)
    (pin,) = [a for a in actions if "Pin" in a.title]
    assert pin.kind == types.CodeActionKind.QuickFix
    assert pin.edit is not None and pin.edit.changes is not None
    fixed = apply(text, pin.edit.changes[uri])
    assert fixed.startswith("click==")

    change_text(client, uri, 2, fixed)
    await wait_for(lambda: codes(client, uri) == [], "the pinned requirement to be clean")


@pytest.mark.parametrize("existing", [None, "pandas==2.2.2\n"], ids=["new", "existing"])
async def test_quick_fix_moves_an_install_to_the_requirements_file(
    client: LanguageClient, workspace: Path, existing: str | None
) -> None:
    """A fix that also edits another file: created when missing (CreateFile), appended to
    otherwise; once the client reports the file changed and the install is gone, MLP204
    reads the new declaration."""
    (workspace / "pyproject.toml").unlink()
    (workspace / ".git").mkdir()  # the project's root
    requirements = workspace / "requirements.txt"
    if existing is not None:
        requirements.write_text(existing, encoding="utf-8")
    path = workspace / "setup.ipynb"
    cells = [("python", "!pip install click==8.1.7", None), ("python", "import click", None)]
    install, use = open_notebook(client, path, cells)
    await wait_for(lambda: use in client.diagnostics, "both cells")
    assert codes(client, install) == ["MLP201"]
    # what the notebook installs itself is reported once, as an install (MLP201)
    assert codes(client, use) == []

    actions = await code_actions(client, install, client.diagnostics[install][0].range)
    (move,) = [a for a in actions if "Remove" in a.title]
    assert move.edit is not None and move.edit.document_changes is not None
    texts = {install: cells[0][1], requirements.as_uri(): existing or ""}
    created = []
    for change in move.edit.document_changes:
        if isinstance(change, types.CreateFile):
            created.append(change.uri)
        else:
            assert isinstance(change, types.TextDocumentEdit)
            uri = change.text_document.uri
            texts[uri] = apply(
                texts[uri], [e for e in change.edits if isinstance(e, types.TextEdit)]
            )
    assert created == ([] if existing else [requirements.as_uri()])
    assert texts[requirements.as_uri()] == (existing or "") + "click==8.1.7\n"
    assert texts[install] == ""

    requirements.write_text(texts[requirements.as_uri()], encoding="utf-8")
    client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(
            changes=[types.FileEvent(uri=requirements.as_uri(), type=types.FileChangeType.Changed)]
        )
    )
    change_cell(client, path, install, 2, texts[install])
    await wait_for(
        lambda: codes(client, install) == codes(client, use) == [],
        "no install, and no MLP204 now that requirements.txt declares click",
    )


async def test_noqa_action_silences_the_line(client: LanguageClient, workspace: Path) -> None:
    uri = open_text(client, workspace / "train.py", SCRIPT)
    await wait_for(lambda: codes(client, uri) == ["MLP301"], "MLP301 on the script")

    actions = await code_actions(client, uri, client.diagnostics[uri][0].range)
    (noqa,) = [a for a in actions if a.title == "Disable MLP301 for this line"]
    assert noqa.edit is not None and noqa.edit.changes is not None
    fixed = apply(SCRIPT, noqa.edit.changes[uri])
    assert fixed.splitlines()[2].endswith(").readlines()  # noqa: MLP301")

    change_text(client, uri, 2, fixed)
    await wait_for(lambda: codes(client, uri) == [], "the silenced line to be clean")


async def test_hover_shows_the_rule_page(client: LanguageClient, workspace: Path) -> None:
    uri = open_text(client, workspace / "train.py", SCRIPT)
    await wait_for(lambda: codes(client, uri) == ["MLP301"], "MLP301 on the script")

    found = await client.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            position=client.diagnostics[uri][0].range.start,
        )
    )
    assert found is not None and isinstance(found.contents, types.MarkupContent)
    assert found.contents.kind == types.MarkupKind.Markdown
    assert found.contents.value == rule_page(Rule.registry["MLP301"])

    elsewhere = await client.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            position=types.Position(line=0, character=0),
        )
    )
    assert elsewhere is None


async def test_malformed_request_is_answered_and_the_server_keeps_serving(
    client: LanguageClient, workspace: Path
) -> None:
    uri = open_text(client, workspace / "train.py", SCRIPT)
    await wait_for(lambda: codes(client, uri) == ["MLP301"], "MLP301 on the script")
    with attrs.validators.disabled():
        bad = types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            position=types.Position(line=-1, character="nowhere"),  # type: ignore[arg-type]
        )
    with pytest.raises(JsonRpcException, match="Invalid Params"):
        await client.text_document_hover_async(bad)
    # a change to a notebook that was never opened, and a cell the parser cannot read
    client.notebook_document_did_change(
        types.DidChangeNotebookDocumentParams(
            notebook_document=types.VersionedNotebookDocumentIdentifier(
                uri=(workspace / "never.ipynb").as_uri(), version=2
            ),
            change=types.NotebookDocumentChangeEvent(),
        )
    )
    (broken,) = open_notebook(client, workspace / "broken.ipynb", [("python", "if x\n", None)])
    await wait_for(lambda: codes(client, broken) == ["MLP000"], "MLP000 on the broken cell")

    found = await client.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            position=client.diagnostics[uri][0].range.start,
        )
    )
    assert found is not None


async def test_configuration_is_reloaded_when_pyproject_changes(
    client: LanguageClient, workspace: Path, received: Received
) -> None:
    uri = open_text(client, workspace / "train.py", SCRIPT)
    await wait_for(lambda: codes(client, uri) == ["MLP301"], "MLP301 on the script")
    assert [r.method for r in received.registrations] == [types.WORKSPACE_DID_CHANGE_WATCHED_FILES]

    pyproject = workspace / "pyproject.toml"
    pyproject.write_text(PYPROJECT + 'ignore = ["MLP301"]\n', encoding="utf-8")
    client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(
            changes=[types.FileEvent(uri=pyproject.as_uri(), type=types.FileChangeType.Changed)]
        )
    )
    await wait_for(lambda: codes(client, uri) == [], "MLP301 to be ignored")

    pyproject.write_text(PYPROJECT + 'ignore = "MLP301"\n', encoding="utf-8")  # not a list
    client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(
            changes=[types.FileEvent(uri=pyproject.as_uri(), type=types.FileChangeType.Changed)]
        )
    )
    await wait_for(lambda: codes(client, uri) == ["MLP301"], "the defaults while it is broken")
    (shown,) = [m for m in client.messages if str(pyproject) in m.message]
    assert shown.type == types.MessageType.Error and "must be a list of strings" in shown.message


async def test_positions_count_utf16_code_units_in_a_crlf_document(
    client: LanguageClient, workspace: Path
) -> None:
    """An emoji is two UTF-16 code units; a quick fix edits exactly the path's characters,
    also after an incremental change given in those units."""
    text = SCRIPT.replace("rows =", "# 😀 café\r\nrows = ('😀é',").replace(".readlines()", ")")
    text = text.replace("\n", "\r\n").replace("\r\r\n", "\r\n")
    uri = open_text(client, workspace / "train.py", text)
    await wait_for(lambda: codes(client, uri) == ["MLP301"], "MLP301 on the script")
    (diagnostic,) = client.diagnostics[uri]
    assert apply(text, [types.TextEdit(range=diagnostic.range, new_text="P")]) == text.replace(
        f'"{HOME_PATH}"', "P"
    )
    noqa = next(a for a in await code_actions(client, uri) if a.title.startswith("Disable"))
    assert noqa.edit is not None and noqa.edit.changes is not None
    assert f'"{HOME_PATH}"))  # noqa: MLP301\r\n' in apply(text, noqa.edit.changes[uri])

    line = diagnostic.range.start.line
    client.text_document_did_change(  # 😀 -> x, in the line of the finding
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
            content_changes=[
                types.TextDocumentContentChangePartial(
                    range=types.Range(
                        start=types.Position(line=line, character=9),
                        end=types.Position(line=line, character=11),
                    ),
                    text="x",
                )
            ],
        )
    )
    await wait_for(lambda: client.diagnostics[uri][0].range != diagnostic.range, "a new range")
    moved = client.diagnostics[uri][0].range
    assert (moved.start.character, moved.end.character) == (
        diagnostic.range.start.character - 1,
        diagnostic.range.end.character - 1,
    )


async def test_notebooks_of_every_cell_language_and_other_kernels(
    client: LanguageClient, workspace: Path, received: Received
) -> None:
    """Every cell is synced (a raw cell counts when cells are numbered); a notebook whose
    kernel is another language is not checked, as `mlpizza-lint check` skips it."""
    assert received.result is not None
    sync = received.result.capabilities.notebook_document_sync
    assert isinstance(sync, types.NotebookDocumentSyncOptions)
    assert all(
        isinstance(selector, types.NotebookDocumentFilterWithNotebook) and selector.cells is None
        for selector in sync.notebook_selector
    )

    cells = [("raw", "print(total)", None), ("python", "print(total)", None)]
    _, user, _ = open_notebook(
        client, workspace / "raw.ipynb", [*cells, ("python", "total = 4", None)]
    )
    await wait_for(lambda: codes(client, user) == ["MLP101"], "MLP101 on the python cell")
    assert "first defined in cell 3" in client.diagnostics[user][0].message

    kernel = {"metadata": {"kernelspec": {"name": "ir", "language": "R"}}}  # VS Code's layout
    r_cells = [("r", "x <- read.csv('/home/alice/a.csv')", 2), ("r", "y <- x", 1)]
    uris = open_notebook(client, workspace / "analysis.ipynb", r_cells, kernel)
    await wait_for(lambda: all(uri in client.diagnostics for uri in uris), "every R cell")
    assert [codes(client, uri) for uri in uris] == [[], []]


async def test_noqa_is_offered_only_where_a_comment_changes_nothing(
    client: LanguageClient, workspace: Path
) -> None:
    """A comment after a line magic becomes part of its argument, and the end of a line
    inside a string is text: no `# noqa` there. Shell lines take one."""
    sources = [
        f"%env DATA={HOME_PATH}",
        f'doc = """\n{HOME_PATH}\n"""',
        f"!cat {HOME_PATH}",
    ]
    cells = open_notebook(client, workspace / "magic.ipynb", [("python", s, None) for s in sources])
    await wait_for(lambda: all(codes(client, uri) == ["MLP301"] for uri in cells), "MLP301s")
    offered = [
        [a.title for a in await code_actions(client, uri) if a.title.startswith("Disable")]
        for uri in cells
    ]
    assert offered == [[], [], ["Disable MLP301 for this line"]]


@asynccontextmanager
async def own_server(
    capabilities: types.ClientCapabilities, root: Path
) -> AsyncIterator[tuple[Ending, types.InitializeResult]]:
    """A server of its own, for other client capabilities or the end of a session."""
    client = Ending(converter_factory=default_converter)
    register_lsp_features(client)  # record diagnostics and messages, as pytest-lsp's own
    await client.start_io(*SERVER)
    result = await client.initialize_session(
        types.InitializeParams(capabilities=capabilities, root_uri=root.as_uri())
    )
    try:
        yield client, result
    finally:
        if client.exit_code is None:
            with suppress(TimeoutError):  # a server that does not answer is still told to exit
                await asyncio.wait_for(client.shutdown_async(None), DEADLINE)
            client.exit(None)
        await client.stop()


class Ending(LanguageClient):
    """Remembers the server's exit code."""

    exit_code: int | None = None

    async def server_exit(self, server: asyncio.subprocess.Process) -> None:
        self.exit_code = server.returncode
        await super().server_exit(server)


def hover(client: LanguageClient, uri: str) -> Awaitable[types.Hover | None]:
    return client.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            position=types.Position(line=0, character=0),
        )
    )


NOTEBOOKS_ONLY = types.ClientCapabilities(
    notebook_document=types.NotebookDocumentClientCapabilities(
        synchronization=types.NotebookDocumentSyncClientCapabilities()
    )
)


async def test_fix_for_another_file_without_document_changes(workspace: Path) -> None:
    """A client that does not take `documentChanges` gets the edits of both files as
    `changes`; a file it would have to create is beyond it, so that fix is not offered."""
    (workspace / "pyproject.toml").unlink()
    (workspace / ".git").mkdir()
    path = workspace / "setup.ipynb"
    async with own_server(NOTEBOOKS_ONLY, workspace) as (client, _):
        (install,) = open_notebook(client, path, [("python", "!pip install click==8.1.7", None)])
        await wait_for(lambda: codes(client, install) == ["MLP201"], "MLP201")
        assert [a.title for a in await code_actions(client, install)] == [
            "Disable MLP201 for this line"
        ]

        requirements = workspace / "requirements.txt"
        requirements.write_text("pandas==2.2.2\n", encoding="utf-8")
        change_cell(client, path, install, 2, "!pip install click==8.1.7\n")
        await wait_for(lambda: len(client.diagnostics[install]) == 1, "MLP201 again")
        (move,) = [a for a in await code_actions(client, install) if "Remove" in a.title]
        assert move.edit is not None and move.edit.document_changes is None
        assert move.edit.changes is not None
        assert set(move.edit.changes) == {install, requirements.as_uri()}


async def test_requests_after_shutdown_fail_and_the_exit_code_says_whether_it_came(
    workspace: Path,
) -> None:
    async with own_server(NOTEBOOKS_ONLY, workspace) as (client, _):
        await client.shutdown_async(None)
        with pytest.raises(JsonRpcException, match="shutting down"):
            await asyncio.wait_for(hover(client, (workspace / "a.py").as_uri()), DEADLINE)
        client.exit(None)
        await wait_for(lambda: client.exit_code is not None, "the server to exit")
        assert client.exit_code == 0

    async with own_server(NOTEBOOKS_ONLY, workspace) as (client, _):
        client.exit(None)  # without shutdown
        await wait_for(lambda: client.exit_code is not None, "the server to exit")
        assert client.exit_code == 1
