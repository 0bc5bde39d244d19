"""Cells that only show or say something: skipping one leaves nothing later cells read
changed.

A cell of `print(df.shape)`, `df.head()`, `display(report)`, `!nvidia-smi` or `!pip freeze`
shows state and changes none: a run that skipped it differs from a run that did only in
the outputs it would have printed. MLP002 does not report such cells as never run.
"""

from __future__ import annotations

import ast
import re

from mlpizza_lint.analysis.expressions import dotted_name
from mlpizza_lint.ipython.translation import Magic, MagicKind

SHOW_FUNCTIONS = frozenset({"print", "display", "pprint", "repr", "type", "len", "help", "dir"})
# Methods that answer a question about their object and change nothing (pandas, numpy,
# dicts, models' `summary`); a call of one shown bare or printed only displays.
QUESTIONS = frozenset(
    {"head", "tail", "describe", "info", "sample", "summary", "value_counts", "nunique"}
    | {"unique", "keys", "values", "items", "isna", "isnull", "count", "show", "to_string"}
    | {"status", "list", "retrieve", "get"}
)
# Calls inside what is printed that only read (`client.get_job(job.id).status`).
READING_CALL = re.compile(r"^(get|list|describe|retrieve|read|fetch|status|len|str|round)")
# Shell commands that only print; `pip freeze`, `pip list`, `pip show`, `conda list`.
SHELL_READERS = frozenset(
    {"ls", "pwd", "cat", "head", "tail", "wc", "du", "df", "free", "nvidia-smi", "nproc"}
    | {"lscpu", "uname", "which", "whoami", "echo", "date", "tree", "file", "hostname"}
)
TOOL_READERS = re.compile(
    r"^(pip3?|python3? -m pip|conda|mamba|uv pip)\s+(freeze|list|show)\b|^python3? (-V|--version)\b"
)
LINE_MAGIC_READERS = frozenset({"who", "whos", "who_ls", "pwd", "ls", "lsmagic", "history"})


def shows_only(tree: ast.Module, magics: tuple[Magic, ...]) -> bool:
    """Whether every statement and magic of a cell only shows something (and it has one)."""
    statements = [s for s in tree.body if not isinstance(s, ast.Pass)]  # magics' places
    if not statements and not magics:
        return False
    return all(_shows(statement) for statement in statements) and all(map(_reads, magics))


def _shows(statement: ast.stmt) -> bool:
    if not isinstance(statement, ast.Expr):
        return False
    value = statement.value
    if isinstance(value, ast.Constant):
        return True  # a value shown, or a bare string: instructions, a comment
    if isinstance(value, ast.Call):
        callee = dotted_name(value.func) or ""
        if callee in SHOW_FUNCTIONS:
            return all(_only_reads(argument) for argument in value.args)
        return _asks(value) and _only_reads(value)
    return _only_reads(value)


def _asks(call: ast.Call) -> bool:
    return isinstance(call.func, ast.Attribute) and call.func.attr in QUESTIONS


def _only_reads(node: ast.expr) -> bool:
    """No call in `node` but those that answer a question."""
    return all(
        _asks(call) or READING_CALL.match((dotted_name(call.func) or "").rpartition(".")[2])
        for call in ast.walk(node)
        if isinstance(call, ast.Call)
    )


def _reads(magic: Magic) -> bool:
    if magic.targets:  # `files = !ls` binds a name
        return False
    command = magic.args.strip()
    if ">" in command or "tee " in command:  # the output goes to a file
        return False
    if magic.kind is MagicKind.SHELL:
        first = command.split(maxsplit=1)[0] if command else ""
        return first in SHELL_READERS or TOOL_READERS.match(command) is not None
    if magic.kind is MagicKind.LINE:
        return magic.name in LINE_MAGIC_READERS or (
            magic.name in ("pip", "conda") and TOOL_READERS.match(f"pip {command}") is not None
        )
    return False
