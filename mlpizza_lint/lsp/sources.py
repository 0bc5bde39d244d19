"""What an editor has open, as the linter reads it: one `Document`, and where each cell lives.

A notebook arrives as cells, each its own text document with its own URI; the linter wants
one document whose cell N is the notebook's N-th cell (markdown included), so cross-cell
rules see the whole notebook and their findings can be sent back to the right cell's URI.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlparse

from lsprotocol import types
from pygls.uris import to_fs_path

from mlpizza_lint.dependency_files import is_dependency_file
from mlpizza_lint.documents import PYTHON_LANGUAGES, Cell, Document, parse_document, parse_python

# Where editors keep a Jupyter cell's tags in the cell metadata they send: nbformat's own
# layout, and VS Code's (`metadata.metadata`, formerly `metadata.custom.metadata`).
TAG_LOCATIONS = ((), ("metadata",), ("custom", "metadata"))


@dataclass(frozen=True)
class Source:
    """One document to lint, and for each place a finding can point at, the URI and text
    the editor knows it by (cell index for notebook cells, None for a plain file)."""

    uri: str
    document: Document
    uris: dict[int | None, str]
    texts: dict[str, str] = field(default_factory=dict)

    def uri_of(self, cell: int | None) -> str | None:
        return self.uris.get(cell)


def file_path(uri: str, root: str | None) -> str:
    """The file a URI names; an unsaved (`untitled:`) document is placed in the workspace
    root, so the settings and project found for it are the workspace's."""
    path = to_fs_path(uri)
    if path is not None:
        return path
    name = PurePosixPath(unquote(urlparse(uri).path)).name or "untitled"
    return str(Path(root or Path.cwd()) / name)


def text_source(uri: str, text: str, language_id: str | None, root: str | None) -> Source | None:
    """A Python file or a dependency file; None for anything else the editor sends."""
    path = file_path(uri, root)
    if (language_id or "").lower() in PYTHON_LANGUAGES or path.endswith(".py"):
        document = parse_python(path, text.encode("utf-8"))
    elif is_dependency_file(Path(path)):
        document = parse_document(path, text.encode("utf-8"))
    else:
        return None
    return Source(uri, document, {None: uri}, {uri: text})


def notebook_source(
    notebook: types.NotebookDocument, cells: Mapping[str, tuple[str, str]], root: str | None
) -> Source:
    """`cells` maps each cell's URI to its text and language."""
    built: list[Cell] = []
    uris: dict[int | None, str] = {}
    texts: dict[str, str] = {}
    for index, cell in enumerate(notebook.cells, 1):
        text, language = cells.get(cell.document, ("", "python"))
        summary = cell.execution_summary
        built.append(
            Cell(
                index=index,
                kind="code" if cell.kind == types.NotebookCellKind.Code else "markdown",
                source=text,
                execution_count=summary.execution_order if summary else None,
                tags=_tags(cell.metadata),
                language=language.lower(),
            )
        )
        uris[index] = cell.document
        texts[cell.document] = text
    document = Document(
        path=file_path(notebook.uri, root), cells=tuple(built), raw="", is_notebook=True
    )
    return Source(notebook.uri, document, uris, texts)


def _tags(metadata: object) -> tuple[str, ...]:
    for location in TAG_LOCATIONS:
        value = metadata
        for key in location:
            value = value.get(key) if isinstance(value, dict) else None
        tags = value.get("tags") if isinstance(value, dict) else None
        if isinstance(tags, list):
            return tuple(tag for tag in tags if isinstance(tag, str))
    return ()
