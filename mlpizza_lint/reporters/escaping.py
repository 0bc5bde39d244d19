"""Text from notebooks and file names, made safe to write to a terminal, a log or a JSON file.

What we print is partly the user's: messages quote their code and saved errors, paths are
their file names. A saved error can hold a terminal escape sequence (`\\x1b]0;...` retitles
the window, `\\x1b[2J` clears it) and a file name can be any bytes, some of them not valid
text (Python hands them over as lone surrogates, which no codec can encode). So:

- in human formats (text, GitHub annotations) a control character is shown as `\\x1b`, as
  ruff shows it, and a character the stream cannot encode as its Python escape (`\\ud800`);
- in JSON formats both become JSON escapes, so the document stays valid and says exactly
  what the notebook held.

Nothing is ever dropped and nothing makes a reporter raise.
"""

from __future__ import annotations

import codecs
import json
import re
from typing import TextIO

# C0 controls, DEL and C1 controls (`\x9b` is a one-character CSI to some terminals).
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
# What may need escaping in `json.dumps(..., ensure_ascii=False)` output: only strings hold
# anything but ASCII, and C0 controls are escaped by `json` already.
_JSON_SUSPECT = re.compile(r"[^\x00-\x7e]")


def encoding_of(stream: TextIO) -> str:
    """The stream's codec (UTF-8 for an in-memory stream, which has none)."""
    encoding = getattr(stream, "encoding", None) or "utf-8"
    try:
        return codecs.lookup(encoding).name
    except LookupError:
        return "utf-8"


def printable(text: str, encoding: str) -> str:
    """`text` with control characters as `\\xNN` and what `encoding` lacks as `\\uNNNN`."""
    escaped = _CONTROL.sub(lambda match: f"\\x{ord(match[0]):02x}", text)
    return escaped.encode(encoding, "backslashreplace").decode(encoding)


def json_text(value: object, encoding: str) -> str:
    """`value` as indented JSON that `encoding` can write, non-ASCII kept where it can be."""
    text = json.dumps(value, indent=2, ensure_ascii=False)
    return _JSON_SUSPECT.sub(lambda match: _json_character(match[0], encoding), text)


def _json_character(character: str, encoding: str) -> str:
    if _CONTROL.match(character) or not _encodable(character, encoding):
        return json.dumps(character)[1:-1]  # `\u00e9`, `\ud800`, `\ud83d\ude00`
    return character


def _encodable(character: str, encoding: str) -> bool:
    try:
        character.encode(encoding)
    except UnicodeEncodeError:
        return False
    return True
