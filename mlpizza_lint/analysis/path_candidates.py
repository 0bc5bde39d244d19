"""Where a cell may hold a path: string literals outside patterns and messages, and the
arguments of shell commands and magics. Shared by the path rules and `extract`."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import NamedTuple

from mlpizza_lint.analysis.context import CellView
from mlpizza_lint.analysis.environment_calls import ENVIRONMENT_CALLS
from mlpizza_lint.analysis.facts import ASSERT_MESSAGE, StringLiteral
from mlpizza_lint.analysis.machine_paths import looks_like_regex
from mlpizza_lint.ipython.magics import spec
from mlpizza_lint.ipython.translation import MagicKind
from mlpizza_lint.spans import Span

# Calls whose string arguments are patterns or messages, not paths a program opens.
NOT_PATH_CALLS = (
    *("re.", "regex.", "fnmatch.translate", "print", "logging.", "warnings.warn"),
    "str.",  # text to find or replace (`facts.TEXT_METHODS`)
)
MESSAGE_METHODS = (".debug", ".info", ".warning", ".error", ".exception", ".critical")
# `raise FileNotFoundError(f"searched /kaggle/input/{name}")`: a message about a path.
EXCEPTION_CLASS = re.compile(r"(Error|Exception|Warning|Exit)$")


def takes_no_path(call: str) -> bool:
    """Arguments of calls (qualified: `re.compile`) that take patterns or messages, or
    that are reported as environment-specific calls on their own."""
    return (
        call.startswith(NOT_PATH_CALLS)
        or call.endswith(MESSAGE_METHODS)
        or call == ASSERT_MESSAGE
        or EXCEPTION_CLASS.search(call) is not None
        or call in ENVIRONMENT_CALLS
    )


class Candidate(NamedTuple):
    """Text that may hold a path: a string literal (`literal`) or a shell command."""

    text: str
    span: Span
    literal: StringLiteral | None


def path_candidates(view: CellView, qualified: Callable[[str], str]) -> Iterator[Candidate]:
    """Every place in a cell a path may be."""
    for string in view.facts.strings:
        if takes_no_path(qualified(string.call) if string.call else ""):
            continue
        if looks_like_regex(string.value):
            continue
        yield Candidate(string.value, string.span, string)
    for magic in view.facts.magics:
        if magic.kind is MagicKind.SHELL or (
            magic.kind is not MagicKind.HELP and spec(magic.name).takes_paths
        ):
            yield Candidate(magic.args, magic.span, None)
