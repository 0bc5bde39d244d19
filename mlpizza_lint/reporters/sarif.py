"""`--format sarif`: one SARIF 2.1.0 run, for GitHub code scanning and other SARIF viewers.

Every rule is listed in `tool.driver.rules`, not only the ones that fired, so a viewer can
show the documentation of a rule whose findings were all fixed. Pylint messages (`PL:...`)
carry a `ruleId` but no `ruleIndex`, because they are not rules of ours.

Paths inside the working directory become relative URIs with `uriBaseId` `%SRCROOT%`
(what code scanning expects); paths outside it become absolute `file://` URIs.

Notebook cells: SARIF has no notion of a cell, and ruff offers no convention to follow (its
SARIF reports lines of the cells concatenated, which match nothing in the `.ipynb` file).
So a notebook result keeps the cell-relative region, exactly as the JSON format reports it,
and names the cell in `properties.cell` (1-based among all cells); a viewer that ignores the
property still opens the right file, and a tool that reads it can find the exact spot.
"""

from __future__ import annotations

from importlib.metadata import version
from pathlib import Path
from typing import TextIO
from urllib.parse import quote

from mlpizza_lint.api import Report
from mlpizza_lint.diagnostics import Diagnostic, Severity
from mlpizza_lint.reporters.escaping import encoding_of, json_text
from mlpizza_lint.reporters.locations import relative_path
from mlpizza_lint.rules import Rule, all_rules
from mlpizza_lint.rules.catalogue import DOCS_URL, rule_page

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/mlpizza/mlpizza-lint"
SRCROOT = "%SRCROOT%"
LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning"}

Json = dict[str, object]


def write(report: Report, stream: TextIO) -> None:
    rules = all_rules()
    index = {rule.code: position for position, rule in enumerate(rules)}
    log = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "mlpizza-lint",
                        "version": version("mlpizza-lint"),
                        "informationUri": INFORMATION_URI,
                        "rules": [_descriptor(rule) for rule in rules],
                    }
                },
                "originalUriBaseIds": {SRCROOT: {"uri": Path.cwd().as_uri().rstrip("/") + "/"}},
                "columnKind": "unicodeCodePoints",
                "results": [_result(d, index) for d in report.diagnostics],
            }
        ],
    }
    stream.write(json_text(log, encoding_of(stream)) + "\n")


def _descriptor(rule: type[Rule]) -> Json:
    page = rule_page(rule)
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary()},
        "fullDescription": {"text": rule.documentation() or rule.summary()},
        "help": {"text": page, "markdown": page},
        "helpUri": DOCS_URL.format(code=rule.code),
        "defaultConfiguration": {
            "level": LEVEL[rule.severity],
            "enabled": rule.enabled_by_default,
        },
    }


def _result(diagnostic: Diagnostic, index: dict[str, int]) -> Json:
    span = diagnostic.span
    rule_index = {"ruleIndex": index[diagnostic.code]} if diagnostic.code in index else {}
    cell = {"properties": {"cell": diagnostic.cell}} if diagnostic.cell is not None else {}
    return {
        "ruleId": diagnostic.code,
        **rule_index,
        "level": LEVEL[diagnostic.severity],
        "message": {"text": diagnostic.message},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": _artifact(diagnostic.path),
                    "region": {
                        "startLine": span.line,
                        "startColumn": span.column,
                        "endLine": span.end_line,
                        "endColumn": span.end_column,
                    },
                }
            }
        ],
        **cell,
    }


def _artifact(path: str) -> Json:
    relative = relative_path(path)
    if Path(relative).is_absolute():
        return {"uri": Path(relative).as_uri()}
    # A file name that is not valid text keeps its bytes, percent-encoded.
    return {"uri": quote(relative, errors="surrogateescape"), "uriBaseId": SRCROOT}
