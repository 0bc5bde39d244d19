"""TOML files parsed by `tomllib`, and the places of their keys and strings in the raw text.

`tomllib` returns values without positions, so each value is looked up again in the text: the
table's header, then the key inside that table's lines, then each string after the key, in
order, so that the same string in two lists gets two different lines. What cannot be found
(escapes written another way, a multi-line string) falls back to the key or the header.
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass

from mlpizza_lint.dependency_files.model import Findings
from mlpizza_lint.dependency_files.text import Located

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

_HEADER = re.compile(r"^[ \t]*\[\[?([^\[\]\n]*)\]\]?[ \t]*(?:#.*)?$", re.MULTILINE)
_KEY_PART = re.compile(r"\"((?:\\.|[^\"\\])*)\"|'([^']*)'|([A-Za-z0-9_-]+)")
# The first `#` outside strings on a line starts its comment.
_STRING_OR_COMMENT = re.compile(r"\"(?:\\.|[^\"\\\n])*\"|'[^'\n]*'|#")
_ERROR_PLACE = re.compile(r"\s*\(at line (\d+), column (\d+)\)|\s*\(at end of document\)")


def load_toml(text: str, findings: Findings) -> dict[str, object] | None:
    """The document, or None with a problem where `tomllib` stopped reading."""
    try:
        return tomllib.loads(text)
    except RecursionError:  # tomllib recurses once per level of nested arrays and tables
        findings.problem(1, 1, "invalid TOML: nested too deeply to be read")
        return None
    except tomllib.TOMLDecodeError as error:
        place = _ERROR_PLACE.search(str(error))
        if place and place[1]:
            line, column = int(place[1]), int(place[2])
        else:  # at the end of the document, or no place given
            line, column = Located.of_file(text).place(len(text.rstrip()))
        reason = _ERROR_PLACE.sub("", str(error)) or type(error).__name__
        findings.problem(line, column, f"invalid TOML: {reason}")
        return None


def table(document: object, key: str) -> dict[str, object]:
    """The sub-table at `key`; empty when absent or not a table."""
    value = document.get(key) if isinstance(document, dict) else None
    return value if isinstance(value, dict) else {}


def _header_keys(header: str) -> tuple[str, ...]:
    """`tool."poetry".dependencies` as ("tool", "poetry", "dependencies")."""
    matches = _KEY_PART.finditer(header)
    return tuple(next(part for part in match.groups() if part is not None) for match in matches)


@dataclass(frozen=True)
class Place:
    """Where a key path was found: `offset` of its last key found, `end` of its table's lines."""

    offset: int
    end: int
    complete: bool


class TomlText:
    """The raw text of a TOML file, to find where its values are written."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.file = Located.of_file(text)
        self._headers = [(_header_keys(m[1]), m.start(), m.end()) for m in _HEADER.finditer(text)]

    def find(self, keys: tuple[str, ...]) -> Place:
        """The header of the longest prefix of `keys`, then each further key below it."""
        offset, end, rest = 0, self._next_header(0), keys
        for length in range(len(keys), 0, -1):
            header = next((h for h in self._headers if h[0] == keys[:length]), None)
            if header is not None:
                offset, end, rest = header[1], self._next_header(header[2]), keys[length:]
                break
        for key in rest:
            match = _key_pattern(key).search(self.text, offset, end)
            if match is None:
                return Place(offset, end, complete=False)
            offset = match.start("key")
        return Place(offset, end, complete=True)

    def _next_header(self, offset: int) -> int:
        return next((start for _, start, _ in self._headers if start >= offset), len(self.text))

    def string(self, value: str, start: int, end: int) -> tuple[Located, int]:
        """Where the string `value` is first written in text[start:end], and the offset after it.

        Falls back to `value` placed at `start` when it is not written plainly.
        """
        written = ('"' + json.dumps(value, ensure_ascii=False)[1:-1] + '"', f"'{value}'")
        hits = [
            (found, form) for form in written if (found := self.text.find(form, start, end)) >= 0
        ]
        if not hits:
            return Located.placed(self.file.place(start), value), start
        found, form = min(hits)
        return self.file.sub(found + 1, found + len(form) - 1), found + len(form)

    def entry(self, keys: tuple[str, ...]) -> Located:
        """The `key = value` line of the last of `keys`, comment cut; the key alone if unseen."""
        place = self.find(keys)
        if not place.complete:
            return Located.placed(self.file.place(place.offset), keys[-1])
        line_end = self.text.find("\n", place.offset)
        line_end = len(self.text) if line_end < 0 else line_end
        tokens = _STRING_OR_COMMENT.finditer(self.text, place.offset, line_end)
        cut = next((token.start() for token in tokens if token[0] == "#"), line_end)
        return self.file.sub(place.offset, cut).strip()


def _key_pattern(key: str) -> re.Pattern[str]:
    """`key =` (or `key.` of a dotted key) at a line start or inside an inline table."""
    forms = "|".join(
        re.escape(form) for form in (key, json.dumps(key, ensure_ascii=False), f"'{key}'")
    )
    return re.compile(rf"(?:^|[{{,.])[ \t]*(?P<key>{forms})[ \t]*[=.]", re.MULTILINE)
