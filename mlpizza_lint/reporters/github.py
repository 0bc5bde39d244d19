"""`--format github`: one GitHub Actions workflow command per finding, shown as annotations.

`::error file=P,line=L,col=C,endLine=EL,endColumn=EC,title=CODE name::message`
(`::warning` for warnings); the path is relative to `GITHUB_WORKSPACE`, the checkout
(else the git checkout around the working folder).

Notebook cells: GitHub can only place an annotation on a line of the file, and a line of a
cell is not a line of the `.ipynb` JSON. So a notebook finding is placed where its text sits
in the notebook's JSON (`locations.file_region`), where the pull request's diff shows it,
and its message starts with `cell N, line L: ` so the reader learns where it is in Jupyter.

Values are escaped as the runner requires: `%`, CR and LF everywhere, and also `:` and `,`
inside properties, where they would otherwise end the value. Other control characters, and
what the stream cannot encode, are then escaped (`escaping.printable`): a log viewer must not
receive a notebook's terminal escape sequences.
"""

from __future__ import annotations

from typing import TextIO

from mlpizza_lint.api import Report
from mlpizza_lint.diagnostics import Diagnostic, Severity
from mlpizza_lint.reporters.escaping import encoding_of, printable
from mlpizza_lint.reporters.locations import (
    file_region,
    located_message,
    relative_path,
    repository_root,
)

COMMAND = {Severity.ERROR: "error", Severity.WARNING: "warning"}
MESSAGE_ESCAPES = str.maketrans({"%": "%25", "\r": "%0D", "\n": "%0A"})
PROPERTY_ESCAPES = str.maketrans({"%": "%25", "\r": "%0D", "\n": "%0A", ":": "%3A", ",": "%2C"})


def command(diagnostic: Diagnostic, encoding: str = "utf-8") -> str:
    region = file_region(diagnostic)
    position: dict[str, object] = (
        {"line": 1}
        if region is None
        else {
            "line": region.line,
            "col": region.column,
            "endLine": region.end_line,
            "endColumn": region.end_column,
        }
    )
    properties = {
        "file": relative_path(diagnostic.path, repository_root("GITHUB_WORKSPACE")),
        **position,
        "title": f"{diagnostic.code} {diagnostic.name}",
    }
    rendered = ",".join(
        f"{key}={printable(str(value).translate(PROPERTY_ESCAPES), encoding)}"
        for key, value in properties.items()
    )
    message = printable(located_message(diagnostic).translate(MESSAGE_ESCAPES), encoding)
    return f"::{COMMAND[diagnostic.severity]} {rendered}::{message}"


def write(report: Report, stream: TextIO) -> None:
    encoding = encoding_of(stream)
    for diagnostic in report.diagnostics:
        stream.write(command(diagnostic, encoding) + "\n")
