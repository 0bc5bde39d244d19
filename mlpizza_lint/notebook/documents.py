"""Load what a user points us at into one shape: a document made of cells.

A notebook keeps its cells (markdown included, so cell numbers match what Jupyter shows),
execution counts, tags and saved errors, plus the raw text it was read from so a later
write can change only the edited sources. A Python file is a notebook of one cell, or of
its `# %%` cells (jupytext percent format, VS Code cells).
"""

from __future__ import annotations

import io
import json
import re
import sys
import tokenize
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from mlpizza_lint.dependency_files import DependencyFile, is_dependency_file, read_dependency_file
from mlpizza_lint.dependency_files.text import decoded
from mlpizza_lint.fixing.edits import split_lines
from mlpizza_lint.notebook.reading import read_regular_file
from mlpizza_lint.notebook.tracebacks import SavedError, saved_errors

INDENTED = re.compile(r"^[ \t]+\S")
PYTHON_LANGUAGES = frozenset({"python", "python3", "python2", "ipython", "ipython3", "pyspark"})
DATABRICKS = "databricks"
DATABRICKS_METADATA = "application/vnd.databricks.v1+notebook"
DATABRICKS_EXPORT_ID = "notebookId"  # what older Databricks `.ipynb` exports carry instead
DATABRICKS_SOURCE = "# Databricks notebook source"  # the first line of its `.py` exports
DATABRICKS_CELL = re.compile(r"^# COMMAND -{3,}(?P<header>)\s*$")  # between their cells
DATABRICKS_LANGUAGE = re.compile(r"^%(?P<language>sql|scala|r|md|sh|fs|python)\b")
PERCENT_CELL = re.compile(r"^#\s*%%(?!%)(?P<header>.*)$")
MARKDOWN_HEADER = re.compile(r"\[(markdown|md)\]")


class DocumentError(Exception):
    """The file cannot be read as a notebook or a Python file; the message says why."""


@dataclass(frozen=True)
class Cell:
    index: int
    kind: str
    source: str
    execution_count: int | None = None
    tags: tuple[str, ...] = ()
    errors: tuple[SavedError, ...] = ()
    language: str = "python"
    line_offset: int = 0
    result_name: str | None = None  # the variable a run of the cell binds (Snowflake)

    @property
    def is_python(self) -> bool:
        return self.kind == "code" and self.language in PYTHON_LANGUAGES

    @property
    def is_excerpt(self) -> bool:
        """Never run, and its first line indented: a piece of a function body quoted for
        reading, whose names and indentation belong to code the notebook does not hold."""
        return self.execution_count is None and INDENTED.match(self.source) is not None


@dataclass(frozen=True)
class Document:
    path: str
    cells: tuple[Cell, ...]
    raw: str
    is_notebook: bool
    language: str = "python"
    kernel: str = ""
    dependencies: DependencyFile | None = None
    platform: str = ""  # the hosted service the notebook is made for (see `_platform`)
    # Each cell's JSON (nbformat 4), for what `Cell` does not keep: outputs without errors,
    # result counts, cell metadata. Empty for what is not a notebook file.
    cell_json: tuple[Mapping[str, Any], ...] = field(default=(), compare=False, repr=False)

    @property
    def is_python(self) -> bool:
        return self.language in PYTHON_LANGUAGES


def load_document(path: str) -> Document:
    """Read `path` as a notebook (`.ipynb`) or a Python source; raise DocumentError."""
    try:
        data = read_regular_file(path)
    except OSError as error:
        raise DocumentError(error.strerror or str(error)) from None
    return parse_document(path, data)


def parse_document(path: str, data: bytes) -> Document:
    """A document from its content (read, fixed or sent by an editor); `path` says its kind."""
    if path.endswith(".ipynb"):
        return parse_notebook(path, data)
    if not path.endswith(".py") and is_dependency_file(Path(path)):
        text = _decode_dependencies(data)
        return Document(
            path=path,
            cells=(Cell(index=1, kind="dependencies", source=text),),
            raw=text,
            is_notebook=False,
            dependencies=read_dependency_file(path, text),
        )
    return parse_python(path, data)


def parse_notebook(path: str, data: bytes) -> Document:
    """Whatever the JSON holds, the answer is a document or a DocumentError: nesting too deep
    for Python's recursion limit anywhere in the file is refused like invalid JSON."""
    text = _decode_utf8(data)
    if not text.strip():
        raise DocumentError("empty file, not a notebook")
    try:
        return _notebook(path, text)
    except RecursionError:
        raise DocumentError("the JSON is nested too deeply to be read") from None


def _notebook(path: str, text: str) -> Document:
    try:
        content = json.loads(text, parse_int=_json_integer)
    except json.JSONDecodeError as error:
        raise DocumentError(f"invalid JSON: {error}") from None
    if not isinstance(content, dict):
        raise DocumentError("not a notebook: the JSON document is not an object")
    content = _as_version_4(content)
    cells = content.get("cells")
    if not isinstance(cells, list):
        raise DocumentError("not a notebook: no `cells` list")
    kernel = _kernel_name(content.get("metadata"))
    read = tuple(_notebook_cell(position, cell) for position, cell in enumerate(cells, 1))
    return Document(
        path=path,
        cells=tuple(map(_databricks_language, read)) if kernel == DATABRICKS else read,
        raw=text,
        is_notebook=True,
        language=_kernel_language(content.get("metadata")),
        kernel=kernel,
        platform=_platform(content.get("metadata"), kernel, read),
        cell_json=tuple(cell if isinstance(cell, dict) else {} for cell in cells),
    )


def parse_python(path: str, data: bytes) -> Document:
    """A Python file; one Databricks exports (`# Databricks notebook source`) is made for
    Databricks, whose kernel predefines `spark` and `dbutils`."""
    text = _decode_python(data)
    databricks = text.lstrip("\ufeff").startswith(DATABRICKS_SOURCE)
    return Document(
        path=path,
        cells=split_percent_cells(text, DATABRICKS_CELL if databricks else None),
        raw=text,
        is_notebook=False,
        kernel=DATABRICKS if databricks else "",
        platform=DATABRICKS if databricks else "",
    )


def split_percent_cells(text: str, marker: re.Pattern[str] | None = None) -> tuple[Cell, ...]:
    """One cell per `# %%` marker (or `marker`'s, with a `header` group); the whole file is
    one cell when there is none."""
    marker = marker or PERCENT_CELL
    lines = split_lines(text)  # as Python counts lines, so later cells' offsets are right
    starts = [n for n, line in enumerate(lines) if marker.match(line.rstrip("\r\n"))]
    comments = comments_by_line(text) if starts else None
    if comments is not None:  # a marker inside a string (a template for other files) is text
        starts = [n for n in starts if n + 1 in comments]
    if not starts:
        return (Cell(index=1, kind="code", source=text),)
    bounds = [(0, starts[0], "")] if "".join(lines[: starts[0]]).strip() else []
    for position, start in enumerate(starts):
        end = starts[position + 1] if position + 1 < len(starts) else len(lines)
        match = marker.match(lines[start].rstrip("\r\n"))
        bounds.append((start + 1, end, match.group("header") if match else ""))
    return tuple(
        Cell(
            index=index,
            kind="markdown" if MARKDOWN_HEADER.search(header) else "code",
            source="".join(lines[first:end]),
            line_offset=first,
        )
        for index, (first, end, header) in enumerate(bounds, 1)
    )


def comments_by_line(text: str) -> dict[int, str] | None:
    """Line -> its comment, as Python's tokenizer reads them (a `#` inside a string is
    text); None for a source it cannot read (IPython syntax), which callers take as written."""
    try:
        tokens = tokenize.generate_tokens(io.StringIO(text).readline)
        return {token.start[0]: token.string for token in tokens if token.type == tokenize.COMMENT}
    except (tokenize.TokenError, SyntaxError):
        return None


def _json_integer(digits: str) -> int:
    """Python refuses to read integers of more digits than `sys.get_int_max_str_digits()`
    (0: no limit, as before Python 3.11)."""
    limit: int = getattr(sys, "get_int_max_str_digits", lambda: 0)()
    if limit and len(digits.lstrip("-")) > limit:
        raise DocumentError(f"the JSON holds an integer of more than {limit} digits")
    return int(digits)


def _decode_dependencies(data: bytes) -> str:
    """As pip reads them: UTF-8, or what a byte order mark says (UTF-16 from Windows)."""
    return _decode_utf8(data, decoded)


def _utf8(data: bytes) -> str:
    return data.decode("utf-8-sig")


def _decode_utf8(data: bytes, decode: Callable[[bytes], str] = _utf8) -> str:
    try:
        return decode(data)
    except UnicodeDecodeError as error:
        raise DocumentError(f"not UTF-8 text ({error.reason} at byte {error.start})") from None


def _decode_python(data: bytes) -> str:
    """Honour a PEP 263 coding cookie, as the interpreter would."""
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        return data.decode(encoding)
    except (SyntaxError, LookupError) as error:
        raise DocumentError(f"not UTF-8 text ({error})") from None
    except UnicodeDecodeError as error:
        raise DocumentError(
            f"not valid {error.encoding} text ({error.reason} at byte {error.start})"
        ) from None


def _as_version_4(content: dict[str, Any]) -> dict[str, Any]:
    """nbformat 3 notebooks are upgraded in memory; version 4 is used as read."""
    import nbformat  # slow to load, and only old notebooks need it

    major = content.get("nbformat")
    if major == 3:
        try:
            # As `nbformat.reads` does: v3 files store sources as lists of lines.
            joined = nbformat.v3.rwbase.rejoin_lines(  # type: ignore[no-untyped-call]
                nbformat.from_dict(content)  # type: ignore[no-untyped-call]
            )
            upgraded: dict[str, Any] = nbformat.convert(joined, 4)  # type: ignore[no-untyped-call]
        except Exception as error:  # nbformat raises bare exceptions on malformed v3
            raise DocumentError(f"cannot upgrade nbformat 3 notebook: {error}") from None
        return upgraded
    if major is not None and major != 4:
        raise DocumentError(f"unsupported nbformat version {major!r}")
    return content


def _kernel_language(metadata: object) -> str:
    if not isinstance(metadata, dict):
        return "python"
    for section, key in (("kernelspec", "language"), ("language_info", "name")):
        value = metadata.get(section, {})
        if isinstance(value, dict) and isinstance(value.get(key), str) and value[key]:
            return str(value[key]).lower()
    return "python"


# What a notebook's metadata holds when it was saved by a hosted service. Kaggle's is not
# here: a notebook downloaded from Kaggle keeps it, and is then meant to run elsewhere;
# a kernel that runs on Kaggle has a `kernel-metadata.json` beside it (the project says).
PLATFORM_METADATA = (("colab", "colab"), (DATABRICKS_METADATA, DATABRICKS))
COLAB_BADGE = "colab.research.google.com/"
BADGE_CELLS = 6  # where a badge still opens the notebook: after a licence and a title
# Kernels that name the service running them (Snowflake's are "Streamlit Notebook"s).
PLATFORM_KERNELS = {DATABRICKS: DATABRICKS, "streamlit": "snowflake"}


def _platform(metadata: object, kernel: str, cells: tuple[Cell, ...]) -> str:
    """`colab`, `databricks` or `snowflake` for a notebook saved by that service, or
    `colab` for one that opens with an "Open in Colab" badge; "" for any other."""
    if kernel in PLATFORM_KERNELS:
        return PLATFORM_KERNELS[kernel]
    keys = metadata if isinstance(metadata, dict) else {}
    found = next((name for key, name in PLATFORM_METADATA if key in keys), "")
    return found or ("colab" if has_colab_badge(cells) else "")


def has_colab_badge(cells: tuple[Cell, ...]) -> bool:
    """An "Open in Colab" badge near the top: the notebook invites readers to run it there
    (metadata alone only says that someone once edited it there)."""
    return any(
        COLAB_BADGE in cell.source for cell in cells[:BADGE_CELLS] if cell.kind == "markdown"
    )


def _kernel_name(metadata: object) -> str:
    """The kernelspec's name; Databricks exports say where they come from in metadata."""
    if isinstance(metadata, dict) and (
        DATABRICKS_METADATA in metadata or DATABRICKS_EXPORT_ID in metadata
    ):
        return DATABRICKS
    kernelspec = metadata.get("kernelspec") if isinstance(metadata, dict) else None
    name = kernelspec.get("name") if isinstance(kernelspec, dict) else None
    return name if isinstance(name, str) else ""


def _notebook_cell(index: int, cell: object) -> Cell:
    if not isinstance(cell, dict):
        raise DocumentError(f"cell {index} is not a JSON object")
    source = cell.get("source", "")
    if isinstance(source, list) and all(isinstance(part, str) for part in source):
        source = "".join(source)
    if not isinstance(source, str):
        raise DocumentError(f"cell {index}: `source` is not a string or a list of strings")
    metadata = cell.get("metadata")
    if not isinstance(metadata, dict):
        metadata = {}
    count = cell.get("execution_count")
    return Cell(
        index=index,
        kind=str(cell.get("cell_type", "code")),
        source=source,
        execution_count=count if isinstance(count, int) else None,
        tags=_tags(metadata),
        errors=saved_errors(outputs) if isinstance(outputs := cell.get("outputs"), list) else (),
        language=_cell_language(metadata),
        result_name=_result_name(metadata),
    )


def _result_name(metadata: dict[str, Any]) -> str | None:
    """Snowflake notebooks name each cell; a SQL cell's result is then a Python variable
    of that name (`sql_reviews.to_pandas()` in a later cell)."""
    name = metadata.get("name")
    sql = str(metadata.get("language", "")).lower() == "sql"
    return name if sql and isinstance(name, str) and name.isidentifier() else None


def _tags(metadata: dict[str, Any]) -> tuple[str, ...]:
    tags = metadata.get("tags", [])
    return tuple(tag for tag in tags if isinstance(tag, str)) if isinstance(tags, list) else ()


def _databricks_language(cell: Cell) -> Cell:
    """On Databricks a language magic on a cell's first line (`%sql`, `%md`, `%sh`, ...)
    makes the whole cell that language."""
    first = cell.source.lstrip().partition("\n")[0].strip()
    magic = DATABRICKS_LANGUAGE.match(first)
    if cell.kind != "code" or magic is None or magic["language"] == "python":
        return cell
    return replace(cell, language=magic["language"])


def _cell_language(metadata: dict[str, Any]) -> str:
    """VS Code (`vscode.languageId`) and Snowflake notebooks (`language`) mark cells of
    another language (SQL, JavaScript) in the cell metadata."""
    vscode = metadata.get("vscode")
    language = metadata.get("language")  # Snowflake's, which runs the cell, first
    if not isinstance(language, str) and isinstance(vscode, dict):
        language = vscode.get("languageId")
    return language.lower() if isinstance(language, str) else "python"
