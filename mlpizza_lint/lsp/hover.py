"""Hover on a finding: its rule's page, the text `mlpizza-lint rule CODE` prints."""

from __future__ import annotations

from lsprotocol import types

from mlpizza_lint.lsp.actions import Published
from mlpizza_lint.lsp.convert import contains
from mlpizza_lint.rules import Rule
from mlpizza_lint.rules.catalogue import rule_page

SEPARATOR = "\n---\n\n"


def hover(found: list[Published], where: types.Position) -> types.Hover | None:
    under = [item for item in found if contains(item.lsp.range, where)]
    codes = dict.fromkeys(
        item.diagnostic.code for item in under if item.diagnostic.code in Rule.registry
    )
    if not codes:
        return None
    pages = SEPARATOR.join(rule_page(Rule.registry[code]) for code in codes)
    return types.Hover(
        contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=pages),
        range=under[0].lsp.range,
    )
