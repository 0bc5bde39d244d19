"""Renderers of a report; each writes to a text stream and knows nothing of the rules."""

from __future__ import annotations

from collections.abc import Callable
from typing import TextIO

from mlpizza_lint.api import Report
from mlpizza_lint.reporters import json_format, text

Reporter = Callable[[Report, TextIO], None]
REPORTERS: dict[str, Reporter] = {"text": text.write, "json": json_format.write}
