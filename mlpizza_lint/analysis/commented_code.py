"""Blocks of comments that are Python code someone switched off, told apart from prose by
parsing them: `# df = df.dropna()` is code, `# import libraries` and `# Note: slow` are not.

A run of full-line comments is one block when it parses as a whole (a call spread over
several lines); otherwise each line is judged alone and consecutive code lines are merged.
A block counts only when some statement in it does something: a bare name, constant or
attribute (`# model`, `# sklearn.metrics`), an annotation without a value (`# Note: x`)
and `pass`/`break`/`continue` read as words.
"""

from __future__ import annotations

import ast
import re
import textwrap
import warnings

from mlpizza_lint.spans import Span

COMMENT = re.compile(r"^(\s*)#(.*)$")
# Comments that are directives or cell markers, not switched-off code.
DIRECTIVE = re.compile(
    r"^\s*(?:!|%|\||@|\+|-\s*$|-\*-|noqa|type:|pylint:|fmt:|isort:|mypy:|pragma|ruff:|"
    r"In\s*\[|Out\s*\[|MAGIC\b|COMMAND\b|Databricks|nbdev|export\b|hide\b)",
    re.IGNORECASE,
)
# `# import libraries`: an English sentence that happens to parse as an import.
PROSE_IMPORTS = frozenset(
    {"libraries", "library", "libs", "packages", "package", "modules", "module", "data"}
    | {"dependencies", "everything", "stuff", "all", "necessary", "required", "the", "them"}
    | {"these", "here", "statements", "dataset", "datasets", "tools", "functions"}
)
PLACEHOLDER_CALLS = frozenset({"TODO", "FIXME", "NOTE", "XXX", "HACK"})
WORDS = (ast.Name, ast.Constant, ast.Attribute, ast.Tuple, ast.BinOp, ast.Compare)
WORDS_TOO = (ast.UnaryOp, ast.BoolOp, ast.Starred, ast.List, ast.Set)
QUIET = (ast.Pass, ast.Break, ast.Continue)
MAX_BLOCK = 30  # lines tried together when a run of comments is not code as a whole


def commented_code(source: str) -> tuple[Span, ...]:
    """The line ranges of the blocks of commented-out code in a cell's source."""
    lines = source.splitlines()
    blocks: list[Span] = []
    for start, texts in _comment_runs(lines):
        if _is_code("\n".join(texts)):
            blocks.append(_lines_span(start, start + len(texts) - 1, lines))
            continue
        blocks.extend(_line_by_line(start, texts, lines))
    return tuple(blocks)


def _comment_runs(lines: list[str]) -> list[tuple[int, list[str]]]:
    """Runs of consecutive full-line comments (1-based first line, texts without `#`);
    directives end a run."""
    runs: list[tuple[int, list[str]]] = []
    current: list[str] = []
    start = 0
    for number, line in enumerate(lines, start=1):
        match = COMMENT.match(line)
        body = match.group(2) if match else None
        if body is None or DIRECTIVE.match(body):
            if current:
                runs.append((start, current))
            current = []
            continue
        if not current:
            start = number
        current.append(body[1:] if body.startswith(" ") else body)
    if current:
        runs.append((start, current))
    return runs


def _line_by_line(start: int, texts: list[str], lines: list[str]) -> list[Span]:
    """The code blocks of a run that is not code as a whole: from each line that may
    start a statement, the longest stretch (up to `MAX_BLOCK` lines) that parses."""
    blocks: list[Span] = []
    offset = 0
    while offset < len(texts):
        end = _block_end(texts, offset)
        if end is None:
            offset += 1
            continue
        blocks.append(_lines_span(start + offset, start + end - 1, lines))
        offset = end
    return blocks


def _block_end(texts: list[str], offset: int) -> int | None:
    """Where the code block starting at `offset` ends (exclusive), or None."""
    first = texts[offset]
    opens = first.count("(") + first.count("[") + first.count("{")
    closes = first.count(")") + first.count("]") + first.count("}")
    if not (opens > closes or _opens_block(first) or _is_code(first)):
        return None
    for end in range(min(len(texts), offset + MAX_BLOCK), offset, -1):
        if _is_code("\n".join(texts[offset:end])):
            return end
    return offset + 1 if _opens_block(first) else None


def _opens_block(text: str) -> bool:
    """`# for row in rows:`, `# def helper(x):`: a header whose body is on later lines."""
    stripped = text.strip()
    return stripped.endswith(":") and _is_code(f"{stripped}\n    pass")


def _is_code(text: str) -> bool:
    dedented = textwrap.dedent(text).strip("\n")
    if not dedented.strip():
        return False
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tree = ast.parse(dedented)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return any(_does_something(statement) for statement in tree.body)


def _does_something(statement: ast.stmt) -> bool:
    if isinstance(statement, QUIET):
        return False
    if isinstance(statement, ast.Return | ast.Raise):
        return _value_of(statement) is not None
    if isinstance(statement, ast.AnnAssign):
        return statement.value is not None
    if isinstance(statement, ast.Import):
        return not all(alias.name in PROSE_IMPORTS for alias in statement.names)
    if isinstance(statement, ast.Expr):
        value = statement.value
        if isinstance(value, ast.Call) and isinstance(value.func, ast.Name):
            return value.func.id not in PLACEHOLDER_CALLS
        return not isinstance(value, WORDS + WORDS_TOO)
    return True


def _value_of(statement: ast.Return | ast.Raise) -> ast.expr | None:
    return statement.value if isinstance(statement, ast.Return) else statement.exc


def _lines_span(first: int, last: int, lines: list[str]) -> Span:
    return Span(first, 1, last, len(lines[last - 1]) + 1)
