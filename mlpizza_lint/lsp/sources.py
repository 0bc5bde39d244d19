"""What an editor has open, as the linter reads it: one `Document`, and where each cell lives.

A notebook arrives as cells, each its own text document with its own URI; the linter wants
one document whose cell N is the notebook's N-th cell (markdown included), so cross-cell
rules see the whole notebook and their findings can be sent back to the right cell's URI.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlparse

from lsprotocol import types
from pygls.uris import to_fs_path

from mlpizza_lint.dependency_files import is_dependency_file
from mlpizza_lint.notebook.documents import (
    PYTHON_LANGUAGES,
    Cell,
    Document,
    parse_document,
    parse_python,
)

# Where editors keep a notebook's or a cell's Jupyter metadata in the metadata they send:
# nbformat's own layout, and VS Code's (`metadata.metadata`, formerly `metadata.custom.metadata`).
JUPYTER_METADATA = ((), ("metadata",), ("custom", "metadata"))
# Where the Jupyter metadata names the kernel's language, first found wins (as in nbformat).
KERNEL_LANGUAGE = (("kernelspec", "language"), ("language_info", "name"))


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
        path=file_path(notebook.uri, root),
        cells=tuple(built),
        raw="",
        is_notebook=True,
        language=_kernel_language(notebook.metadata),
    )
    return Source(notebook.uri, document, uris, texts)


def _tags(metadata: object) -> tuple[str, ...]:
    for tags in _found(metadata, ("tags",)):
        if isinstance(tags, list):
            return tuple(tag for tag in tags if isinstance(tag, str))
    return ()


def _kernel_language(metadata: object) -> str:
    """An R or Julia notebook is not checked, as `mlpizza-lint check` skips it."""
    for path in KERNEL_LANGUAGE:
        for language in _found(metadata, path):
            if isinstance(language, str) and language:
                return language.lower()
    return "python"


def _found(metadata: object, path: tuple[str, ...]) -> Iterator[object]:
    """The values at `path` in each place editors keep Jupyter metadata."""
    for location in JUPYTER_METADATA:
        value = metadata
        for key in (*location, *path):
            value = value.get(key) if isinstance(value, dict) else None
        if value is not None:
            yield value
