"""Every rule's embedded examples: `bad` ones report exactly their markers, `good` ones nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from mlpizza_lint.config import Settings
from mlpizza_lint.engine import check_context, context_for, lint_file
from mlpizza_lint.notebook.snippets import (
    expected_findings,
    snippet_document,
    without_expectations,
)
from mlpizza_lint.rules import Rule, all_rules

EXAMPLES = [
    pytest.param(rule, kind, index, text, id=f"{rule.code}-{kind}-{index}")
    for rule in all_rules()
    if not rule.found_by_running  # run by tests/test_verify.py
    for kind, texts in (("bad", rule.bad), ("good", rule.good))
    for index, text in enumerate(texts)
]


def findings(
    rule: type[Rule], text: str, folder: Path
) -> tuple[set[tuple[int, int, str]], set[tuple[int, int, str]]]:
    """Notebook examples are snippets; other examples are written as the file they show."""
    if rule.example_file.endswith(".ipynb"):  # in an empty project: `folder`
        document = snippet_document(text, str(folder / rule.example_file))
        codes = frozenset({rule.code})
        diagnostics = check_context(context_for(document, Settings(), codes), codes)[0]
        expected = expected_findings(document)
    else:  # written without the markers: a Dockerfile has no end-of-line comments
        for name, content in {**rule.example_neighbours, rule.example_file: text}.items():
            (folder / name).write_text(without_expectations(content) + "\n", encoding="utf-8")
        diagnostics = lint_file(
            str(folder / rule.example_file), Settings(select=(rule.code,))
        ).diagnostics
        expected = expected_findings(snippet_document(text))
    found = {(d.cell or 1, d.span.line, d.code) for d in diagnostics}
    return found, {marker for marker in expected if marker[2] == rule.code}


@pytest.mark.parametrize(("rule", "kind", "index", "text"), EXAMPLES)
def test_example(rule: type[Rule], kind: str, index: int, text: str, tmp_path: Path) -> None:
    found, expected = findings(rule, text, tmp_path)
    if kind == "bad":
        assert expected, "a bad example must mark what it expects"
    else:
        assert not expected
    assert found == expected


@pytest.mark.parametrize("rule", all_rules(), ids=lambda rule: rule.code)
def test_every_rule_has_examples_and_docs(rule: type[Rule]) -> None:
    assert rule.bad and rule.good
    for section in ("## What it does", "## Why is this bad?", "## Fix"):
        assert section in rule.documentation()
