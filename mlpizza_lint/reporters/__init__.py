"""Renderers of a report: each writes the same diagnostics to a text stream in one format."""

from __future__ import annotations

from collections.abc import Callable
from typing import TextIO

from mlpizza_lint.api import Report
from mlpizza_lint.reporters import github, gitlab, json_format, sarif, text

Reporter = Callable[[Report, TextIO], None]
REPORTERS: dict[str, Reporter] = {
    "text": text.write,
    "json": json_format.write,
    "sarif": sarif.write,
    "github": github.write,
    "gitlab": gitlab.write,
}
