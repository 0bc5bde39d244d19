"""Read the exceptions a notebook was saved with out of its cell outputs."""

from __future__ import annotations

import re
from dataclasses import dataclass

ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
# The first frame of an IPython traceback is the cell itself: IPython 8 names it
# `Cell In[7], line 3`, IPython 7 points at the line with an arrow `----> 3`, and
# a SyntaxError shows the kernel's temporary file.
CELL_FRAME_LINE = re.compile(
    r"Cell In ?\[\s*\d*\s*\], line (\d{1,9})\b|^-+> ?(\d{1,9})\b"
    r"|File \"[^\"]*ipykernel[^\"]*\", line (\d{1,9})\b",
    re.MULTILINE,
)


@dataclass(frozen=True)
class SavedError:
    name: str
    value: str
    line: int | None


def saved_errors(outputs: list[object]) -> tuple[SavedError, ...]:
    return tuple(
        SavedError(
            name=str(output.get("ename", "Error")),
            value=str(output.get("evalue", "")),
            line=_cell_line(output.get("traceback")),
        )
        for output in outputs
        if isinstance(output, dict) and output.get("output_type") in ("error", "pyerr")
    )


def _cell_line(traceback: object) -> int | None:
    if not isinstance(traceback, list):
        return None
    text = ANSI_ESCAPE.sub("", "\n".join(str(part) for part in traceback))
    match = CELL_FRAME_LINE.search(text)
    if match is None:
        return None
    return int(next(group for group in match.groups() if group is not None))
