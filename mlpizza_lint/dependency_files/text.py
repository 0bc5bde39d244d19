"""File text with every character's place in the file, so findings point at the user's own line.

Installers join continuation lines, drop comments and strip whitespace before they read a
requirement; `Located` keeps, for each run of characters that survives, the line and column it
came from, so a requirement that starts on line 7 after a continuation is still reported there.
"""

from __future__ import annotations

import codecs
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from mlpizza_lint.notebook.reading import read_regular_file

# Byte-order marks and the codec that reads past them; UTF-32 first, as its little-endian mark
# starts with UTF-16's. A `pip freeze >` in Windows PowerShell writes UTF-16.
_BYTE_ORDER_MARKS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def read_text(path: str) -> str:
    """The file's text with `\\n` line ends; raises OSError (a FIFO, a device or a huge file
    included) or UnicodeDecodeError."""
    return decoded(read_regular_file(path)).replace("\r\n", "\n").replace("\r", "\n")


def decoded(raw: bytes) -> str:
    """The text as pip reads a requirements file: UTF-8, or what its byte order mark says
    (Windows editors save UTF-16); raises UnicodeDecodeError."""
    encoding = next((enc for mark, enc in _BYTE_ORDER_MARKS if raw.startswith(mark)), "utf-8")
    return raw.decode(encoding)


@dataclass(frozen=True)
class Segment:
    """A run of `length` characters at `offset` that starts at (`line`, `column`) in the file.

    Characters between segments (the newlines of a whole file) belong to the segment before.
    """

    offset: int
    line: int
    column: int
    length: int


@dataclass(frozen=True)
class Located:
    """Text assembled from pieces of a file, each piece remembering where it came from."""

    text: str
    segments: tuple[Segment, ...]

    @classmethod
    def of_file(cls, text: str) -> Located:
        """The whole file: one segment per line, newlines between them."""
        segments = []
        offset = 0
        for number, line in enumerate(text.split("\n"), 1):
            segments.append(Segment(offset, number, 1, len(line)))
            offset += len(line) + 1
        return cls(text, tuple(segments))

    @classmethod
    def joined(cls, pieces: Sequence[tuple[int, int, str]]) -> Located:
        """(line, column, text) pieces concatenated; the file's lines when joined with `\\n`."""
        segments: list[Segment] = []
        offset = 0
        for line, column, piece in pieces:
            segments.append(Segment(offset, line, column, len(piece)))
            offset += len(piece)
        return cls("".join(piece for _, _, piece in pieces), tuple(segments))

    @classmethod
    def placed(cls, place: tuple[int, int], text: str) -> Located:
        """`text` as if written at `place`: for a value written in a form not found verbatim."""
        return cls.joined([(*place, text)])

    def _segment(self, offset: int) -> Segment:
        index = bisect_right([segment.offset for segment in self.segments], offset) - 1
        return self.segments[max(index, 0)]

    def place(self, offset: int) -> tuple[int, int]:
        """The (line, column) of the character at `offset`, 1-based."""
        if not self.segments:
            return 1, 1
        segment = self._segment(offset)
        return segment.line, segment.column + offset - segment.offset

    def span(self, start: int, end: int) -> tuple[int, int, int]:
        """(line, column, end column) of text[start:end], cut at the end of its first line."""
        line, column = self.place(start)
        if not self.segments:
            return line, column, column
        segment = self._segment(start)
        return line, column, column + min(end, segment.offset + segment.length) - start

    def sub(self, start: int, end: int) -> Located:
        """text[start:end], its characters keeping their places."""
        segments = []
        for segment in self.segments:
            low = max(segment.offset, start)
            high = min(segment.offset + segment.length, end)
            if low < high:
                column = segment.column + low - segment.offset
                segments.append(Segment(low - start, segment.line, column, high - low))
        if not segments:  # empty text still has a place: where it was cut
            line, column = self.place(start)
            segments.append(Segment(0, line, column, 0))
        return Located(self.text[start:end], tuple(segments))

    def strip(self) -> Located:
        """Without surrounding whitespace."""
        start = len(self.text) - len(self.text.lstrip())
        return self.sub(start, start + len(self.text.strip()))
