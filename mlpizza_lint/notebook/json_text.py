"""Edit a notebook's JSON text without re-serialising it.

Rewriting a notebook with `json.dumps` changes key order, indentation, escaping and the final
newline of the whole file. Instead we find where each cell's JSON object starts and ends in
the original text and move or replace only those byte ranges: everything else stays as the
user's tools wrote it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Iterator, Mapping

DECODER = json.JSONDecoder()
WHITESPACE = " \t\n\r"
SIMPLE_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f"}
HIGH_SURROGATE = re.compile(r"\\u[dD][89abAB][0-9a-fA-F]{2}\\u")
NON_ASCII_ESCAPE = re.compile(r"(?<!\\)(?:\\\\)*\\u(?!00[0-7])[0-9a-fA-F]{4}")


def _skip(text: str, index: int) -> int:
    while index < len(text) and text[index] in WHITESPACE:
        index += 1
    return index


def cell_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of every element of the top-level `cells` array."""
    index = _skip(text, 0)
    if text[index : index + 1] != "{":
        raise ValueError("not a JSON object")
    index = _skip(text, index + 1)
    while index < len(text) and text[index] != "}":
        key, index = DECODER.raw_decode(text, index)
        index = _skip(text, index)
        if text[index] != ":":
            raise ValueError("malformed object")
        index = _skip(text, index + 1)
        if key == "cells":
            return _array_elements(text, index)
        _, index = DECODER.raw_decode(text, index)
        index = _skip(text, index)
        if text[index] == ",":
            index = _skip(text, index + 1)
    raise ValueError("no `cells` array")


def _array_elements(text: str, index: int) -> list[tuple[int, int]]:
    if text[index] != "[":
        raise ValueError("`cells` is not an array")
    spans = []
    index = _skip(text, index + 1)
    while text[index] != "]":
        _, end = DECODER.raw_decode(text, index)
        spans.append((index, end))
        index = _skip(text, end)
        if text[index] == ",":
            index = _skip(text, index + 1)
    return spans


def move_cell(text: str, cell: int, before: int) -> str:
    """Move cell `cell` (1-based) to just before cell `before`; all other bytes are kept.

    The texts of the cells change places; the separators between them stay where they were,
    so indentation and newlines around every cell are unchanged.
    """
    spans = cell_spans(text)
    order = list(range(len(spans)))
    order.insert(before - 1, order.pop(cell - 1))
    parts = [text[: spans[0][0]]] if spans else [text]
    for position, (_, end) in enumerate(spans):
        source_start, source_end = spans[order[position]]
        parts.append(text[source_start:source_end])
        following = spans[position + 1][0] if position + 1 < len(spans) else len(text)
        parts.append(text[end:following])
    return "".join(parts)


def replace_sources(text: str, sources: Mapping[int, str]) -> str:
    """Give cells (1-based) new sources, written in the style the file already uses.

    Only the bytes of each edited `source` value change: a list of lines stays a list with
    the same indentation, a string stays a string, and non-ASCII text is escaped only when
    the file escapes it.
    """
    spans = cell_spans(text)
    escape = _escapes_non_ascii(text)
    parts, position = [], 0
    for cell in sorted(sources):
        start, end = _member_value(text, spans[cell - 1][0], "source")
        parts += [text[position:start], _render_source(text, start, end, sources[cell], escape)]
        position = end
    parts.append(text[position:])
    return "".join(parts)


def delete_cells(text: str, cells: Collection[int]) -> str:
    """Remove cells (1-based); the others keep the separators that came before them."""
    spans = cell_spans(text)
    kept = [n for n in range(len(spans)) if n + 1 not in set(cells)]
    if not spans or len(kept) == len(spans):
        return text
    if not kept:  # `[ ]` keeps no stray separator
        return text[: spans[0][0]].rstrip(WHITESPACE) + text[spans[-1][1] :].lstrip(WHITESPACE)
    parts = [text[: spans[0][0]]]
    for position, n in enumerate(kept):
        if position:
            parts.append(text[spans[n - 1][1] : spans[n][0]])
        parts.append(text[spans[n][0] : spans[n][1]])
    parts.append(text[spans[-1][1] :])
    return "".join(parts)


def _member_value(text: str, index: int, wanted: str) -> tuple[int, int]:
    """(start, end) of the value of key `wanted` in the JSON object starting at `index`."""
    index = _skip(text, index + 1)
    while text[index] != "}":
        key, index = DECODER.raw_decode(text, index)
        index = _skip(text, _skip(text, index) + 1)
        _, end = DECODER.raw_decode(text, index)
        if key == wanted:
            return index, end
        index = _skip(text, end)
        if text[index] == ",":
            index = _skip(text, index + 1)
    raise ValueError(f"cell has no `{wanted}`")


def _render_source(text: str, start: int, end: int, source: str, escape: bool) -> str:
    if text[start] != "[":
        return json.dumps(source, ensure_ascii=escape)
    lines = source.splitlines(keepends=True)
    if not lines:
        return "[]"
    opening, closing = _list_layout(text, start, end)
    items = [json.dumps(line, ensure_ascii=escape) for line in lines]
    return "[" + opening + ("," + opening).join(items) + closing + "]"


def _list_layout(text: str, start: int, end: int) -> tuple[str, str]:
    """The whitespace before the first item and before `]` of a list value."""
    inner = text[start + 1 : end - 1]
    if inner.strip():
        opening = inner[: len(inner) - len(inner.lstrip(WHITESPACE))]
        closing = inner[len(inner.rstrip(WHITESPACE)) :]
        return opening, closing
    line_start = text.rfind("\n", 0, start) + 1
    line = text[line_start:start]
    indent = line[: len(line) - len(line.lstrip(" \t"))]
    return "\n" + indent + " " * _indent_unit(text), "\n" + indent


def _indent_unit(text: str) -> int:
    """Spaces per level: the indentation of the file's second line (`json.dump(indent=N)`)."""
    lines = text.split("\n", 2)
    second = lines[1] if len(lines) > 1 else ""
    return max(1, len(second) - len(second.lstrip(" ")))


def _escapes_non_ascii(text: str) -> bool:
    """nbformat writes raw UTF-8; some tools write `\\u00e9`. Follow the file."""
    if any(ord(character) > 127 for character in text):
        return False
    return NON_ASCII_ESCAPE.search(text) is not None


def source_offsets(text: str, cell: int) -> list[list[int]]:
    """Where the source of cell `cell` (1-based) sits in the file's text: for each line of
    the source, the offset of each of its characters, then of the end of the line (its
    newline escape, or the closing quote of the last line). Sources saved as one string and
    as a list of lines, escapes and surrogate pairs included, map the same way."""
    start, end = _member_value(text, cell_spans(text)[cell - 1][0], "source")
    lines: list[list[int]] = [[]]
    for quote in _string_literals(text, start, end):
        for offset, character in _decoded(text, quote):
            lines[-1].append(offset)
            if character == "\n":
                lines.append([])
    lines[-1].append(end - 1 if text[start] == '"' else _closing_quote(text, start, end))
    return lines


def _string_literals(text: str, start: int, end: int) -> list[int]:
    """The offsets of the opening quotes of a string value, or of a list of strings."""
    if text[start] == '"':
        return [start]
    quotes, index = [], _skip(text, start + 1)
    while index < end and text[index] != "]":
        quotes.append(index)
        _, index = DECODER.raw_decode(text, index)
        index = _skip(text, index)
        if text[index] == ",":
            index = _skip(text, index + 1)
    return quotes


def _closing_quote(text: str, start: int, end: int) -> int:
    """The closing quote of a list's last string (its `]` when the list is empty)."""
    return text.rfind('"', start, end) if '"' in text[start:end] else end - 1


def _decoded(text: str, quote: int) -> Iterator[tuple[int, str]]:
    """(offset, character) of each character of the JSON string literal at `quote`."""
    index = quote + 1
    while text[index] != '"':
        if text[index] != "\\":
            yield index, text[index]
            index += 1
            continue
        escape = text[index + 1]
        if escape != "u":
            yield index, SIMPLE_ESCAPES.get(escape, escape)
            index += 2
            continue
        width = 12 if HIGH_SURROGATE.match(text, index) else 6
        yield index, json.loads(f'"{text[index : index + width]}"')
        index += width
