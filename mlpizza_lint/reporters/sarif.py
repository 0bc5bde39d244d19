"""`--format sarif`: one SARIF 2.1.0 run, for GitHub code scanning and other SARIF viewers.

Every rule is listed in `tool.driver.rules`, not only the ones that fired, so a viewer can
show the documentation of a rule whose findings were all fixed. Pylint messages (`PL:...`)
carry a `ruleId` but no `ruleIndex`, because they are not rules of ours.

Paths inside the repository (`GITHUB_WORKSPACE`, else the git checkout around the working
folder) become relative URIs with `uriBaseId` `%SRCROOT%`, which `originalUriBaseIds`
defines (what code scanning expects); paths outside it become absolute `file://` URIs.

Notebook cells: SARIF has no notion of a cell, and ruff's SARIF reports lines of the cells
concatenated, which match nothing in the `.ipynb` file. Here a notebook result's region is
where the offending text sits in the notebook's JSON, in lines and columns of that file,
so code scanning shows it on the right line of the diff; the cell and the position inside
it are in `properties` (`cell`, `cellLine`, `cellColumn`) and lead the message. Each result
carries a `partialFingerprints` entry that survives cells inserted above it
(`reporters.fingerprints`).
"""

from __future__ import annotations

from importlib.metadata import version
from pathlib import Path
from typing import TextIO
from urllib.parse import quote

from mlpizza_lint.api import Report
from mlpizza_lint.diagnostics import Diagnostic, Severity
from mlpizza_lint.discovery.changes import git_value
from mlpizza_lint.reporters.escaping import encoding_of, json_text
from mlpizza_lint.reporters.fingerprints import fingerprinted
from mlpizza_lint.reporters.locations import (
    file_region,
    located_message,
    relative_path,
    repository_root,
)
from mlpizza_lint.rules import Rule, all_rules
from mlpizza_lint.rules.catalogue import DOCS_URL, rule_page
from mlpizza_lint.spans import Span

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/mlpizza/mlpizza-lint"
SRCROOT = "%SRCROOT%"
FINGERPRINT = "mlpizzaLint/v1"
LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning"}

Json = dict[str, object]


def write(report: Report, stream: TextIO) -> None:
    rules = all_rules()
    index = {rule.code: position for position, rule in enumerate(rules)}
    root = repository_root("GITHUB_WORKSPACE")
    shown = {d.path: relative_path(d.path, root) for d in report.diagnostics}
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
                "originalUriBaseIds": {SRCROOT: {"uri": root.resolve().as_uri().rstrip("/") + "/"}},
                **_provenance(root),
                "columnKind": "unicodeCodePoints",
                "results": [
                    _result(diagnostic, index, shown[diagnostic.path], fingerprint)
                    for diagnostic, fingerprint in fingerprinted(report, shown)
                ],
            }
        ],
    }
    stream.write(json_text(log, encoding_of(stream)) + "\n")


def _provenance(root: Path) -> Json:
    """`versionControlProvenance` of a git checkout with a remote: the commit linted."""
    details = {
        key: git_value(root, *arguments)
        for key, arguments in (
            ("repositoryUri", ("remote", "get-url", "origin")),
            ("revisionId", ("rev-parse", "HEAD")),
            ("branch", ("rev-parse", "--abbrev-ref", "HEAD")),
        )
    }
    if not details["repositoryUri"] or not details["revisionId"]:
        return {}
    known = {key: value for key, value in details.items() if value}
    return {"versionControlProvenance": [{**known, "mappedTo": {"uriBaseId": SRCROOT}}]}


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


def _result(diagnostic: Diagnostic, index: dict[str, int], path: str, fingerprint: str) -> Json:
    region = file_region(diagnostic) or Span(1, 1, 1, 1)
    rule_index = {"ruleIndex": index[diagnostic.code]} if diagnostic.code in index else {}
    span = diagnostic.span
    cell = (
        {"properties": {"cell": diagnostic.cell, "cellLine": span.line, "cellColumn": span.column}}
        if diagnostic.cell is not None
        else {}
    )
    return {
        "ruleId": diagnostic.code,
        **rule_index,
        "level": LEVEL[diagnostic.severity],
        "message": {"text": located_message(diagnostic)},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": _artifact(path),
                    "region": {
                        "startLine": region.line,
                        "startColumn": region.column,
                        "endLine": region.end_line,
                        "endColumn": region.end_column,
                    },
                }
            }
        ],
        "partialFingerprints": {FINGERPRINT: fingerprint},
        **cell,
    }


def _artifact(relative: str) -> Json:
    if Path(relative).is_absolute():
        return {"uri": Path(relative).as_uri()}
    # A file name that is not valid text keeps its bytes, percent-encoded.
    return {"uri": quote(relative, errors="surrogateescape"), "uriBaseId": SRCROOT}
