"""`--format json`: one array of the stable diagnostic objects of DESIGN §3."""

from __future__ import annotations

import json
from typing import TextIO

from mlpizza_lint.api import Report


def write(report: Report, stream: TextIO) -> None:
    json.dump([d.to_json() for d in report.diagnostics], stream, indent=2, ensure_ascii=False)
    stream.write("\n")
