"""Edit a notebook's JSON text without re-serialising it.

Rewriting a notebook with `json.dumps` changes key order, indentation, escaping and the final
newline of the whole file. Instead we find where each cell's JSON object starts and ends in
the original text and move or replace only those byte ranges: everything else stays as the
user's tools wrote it.
"""

from __future__ import annotations

import json

DECODER = json.JSONDecoder()
WHITESPACE = " \t\n\r"


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
