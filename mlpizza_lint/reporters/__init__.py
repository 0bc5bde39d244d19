"""Renderers of a report: each writes the same diagnostics to a text stream in one format.

Each format's module is imported when it is used: SARIF's reads the rule catalogue, which a
text report of cached results does not need.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TextIO, cast

from mlpizza_lint.api import Report

Reporter = Callable[[Report, TextIO], None]
FORMATS = {
    "text": "text",
    "json": "json_format",
    "sarif": "sarif",
    "github": "github",
    "gitlab": "gitlab",
}


def reporter(output_format: str) -> Reporter:
    """The `write(report, stream)` of a format named in FORMATS."""
    module = importlib.import_module(f"mlpizza_lint.reporters.{FORMATS[output_format]}")
    return cast(Reporter, module.write)
