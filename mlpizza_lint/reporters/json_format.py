"""`--format json`: one array of the stable diagnostic objects of DESIGN §3."""

from __future__ import annotations

from typing import TextIO

from mlpizza_lint.api import Report
from mlpizza_lint.reporters.escaping import encoding_of, json_text


def write(report: Report, stream: TextIO) -> None:
    stream.write(json_text([d.to_json() for d in report.diagnostics], encoding_of(stream)) + "\n")
