"""Time one-cell edits of a large notebook in the language server (a benchmark, not a test).

python benchmarks/lsp_latency.py [CORPUS] [--cells 200] [--edits 100]

A notebook of corpus code cells (with their saved execution counts) is opened through a
real LSP client talking to `mlpizza-lint lsp` over stdio. Each edit appends a line to one
cell (`notebookDocument/didChange`) and is timed until the `publishDiagnostics` for that
cell arrives. The server runs with `--debounce 0` so the numbers are the linting and the
round trip; a second run with the default debounce shows the end-to-end wait an editor sees.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

from large_notebook import build
from lsprotocol import types
from pygls.lsp.client import LanguageClient

from mlpizza_lint.lsp.command import DEBOUNCE_MS


class Timer:
    """Remembers when each cell URI last received diagnostics."""

    def __init__(self) -> None:
        self.received: dict[str, float] = {}
        self.arrived = asyncio.Event()

    def publish(self, params: types.PublishDiagnosticsParams) -> None:
        self.received[params.uri] = time.perf_counter()
        self.arrived.set()

    async def wait(self, uris: list[str], since: float) -> float:
        """Seconds from `since` until every URI in `uris` has received diagnostics."""
        while not all(self.received.get(uri, 0.0) >= since for uri in uris):
            self.arrived.clear()
            await asyncio.wait_for(self.arrived.wait(), timeout=60)
        return max(self.received[uri] for uri in uris) - since


def cells_of(notebook: dict[str, object]) -> list[dict[str, object]]:
    cells = notebook["cells"]
    assert isinstance(cells, list)
    return cells


def source_of(cell: dict[str, object]) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else str(source)


async def measure(path: Path, notebook: dict[str, object], edits: int, debounce: float) -> None:
    timer = Timer()
    client = LanguageClient("lsp-latency", "1")

    @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def published(params: types.PublishDiagnosticsParams) -> None:
        timer.publish(params)

    await client.start_io(sys.executable, "-m", "mlpizza_lint", "lsp", "--debounce", str(debounce))
    capabilities = types.ClientCapabilities(
        notebook_document=types.NotebookDocumentClientCapabilities(
            synchronization=types.NotebookDocumentSyncClientCapabilities()
        )
    )
    await client.initialize_async(
        types.InitializeParams(capabilities=capabilities, root_uri=path.parent.as_uri())
    )
    client.initialized(types.InitializedParams())

    cells = cells_of(notebook)
    uris = [f"vscode-notebook-cell:{path}#cell{n}" for n in range(len(cells))]
    texts = [source_of(cell) for cell in cells]
    start = time.perf_counter()
    client.notebook_document_did_open(
        types.DidOpenNotebookDocumentParams(
            notebook_document=types.NotebookDocument(
                uri=path.as_uri(),
                notebook_type="jupyter-notebook",
                version=1,
                cells=[
                    types.NotebookCell(
                        kind=types.NotebookCellKind.Code,
                        document=uri,
                        execution_summary=_summary(cell),
                    )
                    for uri, cell in zip(uris, cells, strict=True)
                ],
            ),
            cell_text_documents=[
                types.TextDocumentItem(uri=uri, language_id="python", version=1, text=text)
                for uri, text in zip(uris, texts, strict=True)
            ],
        )
    )
    opened = await timer.wait(uris, start)
    print(f"  open: {opened * 1000:.0f} ms until all {len(uris)} cells had diagnostics")

    timings = []
    for edit in range(edits):
        position = (edit * 37) % len(uris)  # spread over the notebook
        texts[position] += f"\n# edit {edit}"
        start = time.perf_counter()
        client.notebook_document_did_change(_change(path, uris[position], edit, texts[position]))
        timings.append(await timer.wait([uris[position]], start))
    quantiles = statistics.quantiles(timings, n=10)
    print(
        f"  one-cell didChange -> publishDiagnostics over {edits} edits: "
        f"median {statistics.median(timings) * 1000:.1f} ms, p90 {quantiles[-1] * 1000:.1f} ms"
    )
    await client.shutdown_async(None)
    client.exit(None)
    await client.stop()


def _summary(cell: dict[str, object]) -> types.ExecutionSummary | None:
    count = cell.get("execution_count")
    return types.ExecutionSummary(execution_order=count) if isinstance(count, int) else None


def _change(path: Path, uri: str, edit: int, text: str) -> types.DidChangeNotebookDocumentParams:
    return types.DidChangeNotebookDocumentParams(
        notebook_document=types.VersionedNotebookDocumentIdentifier(
            uri=path.as_uri(), version=edit + 2
        ),
        change=types.NotebookDocumentChangeEvent(
            cells=types.NotebookDocumentCellChanges(
                text_content=[
                    types.NotebookDocumentCellContentChanges(
                        document=types.VersionedTextDocumentIdentifier(uri=uri, version=edit + 2),
                        changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
                    )
                ]
            )
        ),
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "corpus", nargs="?", default=str(Path(__file__).parents[2] / "shared/corpus")
    )
    parser.add_argument("--cells", type=int, default=200)
    parser.add_argument("--edits", type=int, default=100)
    args = parser.parse_args()
    notebook = build(Path(args.corpus), args.cells)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "large.ipynb"
        path.write_text(json.dumps(notebook), encoding="utf-8")
        for debounce in (0, DEBOUNCE_MS):
            print(f"{args.cells} cells, --debounce {debounce}:")
            asyncio.run(measure(path, notebook, args.edits, debounce))


if __name__ == "__main__":
    main()
