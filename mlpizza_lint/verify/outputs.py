"""Comparing a cell's outputs across runs, after taking out what changes on every run.

What is compared is what a reader sees as text: printed stdout, results' and displays'
`text/plain`, and the exception's name and message. Images, HTML, widgets and stderr
(warnings name library lines that move between versions) are left out. nbval's
sanitizers are the reference for what is normalised: memory addresses, dates and times,
durations, progress bars; floats are compared to six significant digits.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from mlpizza_lint.notebook.tracebacks import ANSI_ESCAPE

SIGNIFICANT_DIGITS = 6
SANITIZERS = (
    (re.compile(r"0x[0-9a-fA-F]{4,}"), "0xADDRESS"),
    (re.compile(r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}:?\d{2}|Z)?"), "DATE"),
    (re.compile(r"\b\d{1,2}:\d{2}:\d{2}(\.\d+)?\b"), "TIME"),
    (re.compile(r"\b\d+(\.\d+)?\s?(ns|µs|us|ms|s|sec|seconds|min)\b(?!\w)"), "DURATION"),
    (re.compile(r"^.*\b\d{1,3}%\|.*$", re.MULTILINE), ""),  # tqdm bars
    (re.compile(r"^(CPU times|Wall time):.*$", re.MULTILINE), ""),  # %%time
    (re.compile(r"^.*\bit/s\b.*$", re.MULTILINE), ""),
)
FLOAT = re.compile(r"(?<![\w.])-?\d+\.\d+(?:[eE][-+]?\d+)?(?![\w.])")


@dataclass(frozen=True)
class Difference:
    """The first cell whose outputs differ, and the first line where they do."""

    cell: int
    expected: str
    found: str

    @classmethod
    def between(cls, cell: int, expected: str, found: str) -> Difference:
        pairs = zip([*expected.splitlines(), ""], [*found.splitlines(), ""], strict=False)
        return cls(cell, *next((pair for pair in pairs if pair[0] != pair[1]), ("", "")))


def shown_text(outputs: Iterable[Mapping[str, Any]]) -> str:
    """What the outputs show as text, normalised."""
    parts = []
    for output in outputs:
        kind = output.get("output_type")
        if kind == "stream" and output.get("name") == "stdout":
            parts.append(_text(output.get("text", "")))
        elif kind in ("execute_result", "display_data", "pyout"):
            data = output.get("data", {})
            if "text/plain" in data:
                parts.append(_text(data["text/plain"]) + "\n")
        elif kind in ("error", "pyerr"):
            parts.append(f"{output.get('ename', '')}: {output.get('evalue', '')}\n")
    return normalised("".join(parts))


def normalised(text: str) -> str:
    text = ANSI_ESCAPE.sub("", text)
    text = "\n".join(line.rpartition("\r")[2] for line in text.split("\n"))  # progress lines
    for pattern, replacement in SANITIZERS:
        text = pattern.sub(replacement, text)
    text = FLOAT.sub(lambda match: f"{float(match[0]):.{SIGNIFICANT_DIGITS}g}", text)
    return "\n".join(line.rstrip() for line in text.splitlines() if line.strip())


def first_difference(expected: Mapping[int, str], found: Mapping[int, str]) -> Difference | None:
    """The first cell, in `expected`'s order, whose text `found` shows otherwise."""
    for cell, text in expected.items():
        if cell in found and found[cell] != text:
            return Difference.between(cell, text, found[cell])
    return None


def _text(value: object) -> str:
    return "".join(map(str, value)) if isinstance(value, list) else str(value)
