"""Turn an IPython cell into plain Python, keeping every location the user sees.

Magics, shell escapes and help requests are replaced in place by a neutral statement
(`pass`, or `...` after an assignment) on the same line, so every other line and column
is unchanged; what each replaced piece meant is kept as a `Magic` record in user
coordinates. Cell magics whose body is not Python (`%%bash`, `%%html`, ...) make the
whole cell non-Python. Like IPython, a cell whose first line is indented is dedented.
"""

from __future__ import annotations

import ast
import itertools
import re
from dataclasses import dataclass
from enum import Enum

from mlpizza_lint.ipython.magics import Body, names, spec
from mlpizza_lint.spans import Span


class MagicKind(str, Enum):
    LINE = "line"
    CELL = "cell"
    SHELL = "shell"
    HELP = "help"


@dataclass(frozen=True)
class Magic:
    kind: MagicKind
    name: str
    args: str
    span: Span
    targets: tuple[str, ...] = ()
    source: str = ""  # as the user wrote it, continuation lines joined


@dataclass(frozen=True)
class Translation:
    python: str | None
    magics: tuple[Magic, ...]
    dedent: int = 0
    dedented_lines: frozenset[int] = frozenset()

    def user_column(self, line: int, column: int) -> int:
        """Map a 1-based column of the translated source back to the user's cell."""
        return column + self.dedent if line in self.dedented_lines else column


PYTHON_CELL_MAGICS = names(cell_body=Body.PYTHON)
SHELL_CELL_MAGICS = names(cell_body=Body.SHELL)
CODE_LINE_MAGICS = names(runs_code=True)
AUTOMAGICS = names(automagic=True)
SHELL_OUTPUT_OPTIONS = frozenset({"--out", "--err", "--proc"})
# `%time x = f()` is translated to `if 1: x = f()`, padded so that columns stay put.
CODE_PADDING = "if 1:"
CELL_MAGIC = re.compile(r"^%%(?P<name>\w+)[ \t]*(?P<args>.*)$")
CAPTURE = re.compile(r"^%%capture\b")
ASSIGNED_ESCAPE = re.compile(
    r"^(?P<target>[A-Za-z_][\w.]*(?:\s*,\s*[A-Za-z_][\w.]*)*(?:\s*,)?)\s*(?::[^=]+)?=\s*(?=[!%])"
)
ESCAPE = re.compile(r"^(?P<bang>!!?)(?P<shell>.*)$|^%(?P<name>%?\w*)[ \t]*(?P<args>.*)$")
# IPython's autocall escapes; no Python statement starts with one of them.
AUTOCALL_ESCAPES = frozenset("/,;")
HELP = re.compile(
    r"^(?:(?P<target>[A-Za-z_]\w*)\s*=\s*)?(?:\?\??[\w.*\[\]()]+|[\w.*\[\]()]+\?\??)\s*$"
)
# IPython asks for help on the last name of any line ending in `?` or `??`, prose included
# (`Who can spot the bug?` prints "Object `bug` not found."): no Python line ends so.
HELP_END = re.compile(r"^(?!.*[#'\"])(?P<target>)(?:.*[\w.*)\]])\?\??\s*$")  # no string
AUTOMAGIC = re.compile(r"^(?P<name>[a-z_]+)(?:[ \t]+(?P<args>[\w\"'{$~/.-].*))?$")
COMPOUND_STATEMENTS = (
    ast.If,
    ast.For,
    ast.AsyncFor,
    ast.While,
    ast.With,
    ast.AsyncWith,
    ast.Try,
    ast.FunctionDef,
    ast.AsyncFunctionDef,
    ast.ClassDef,
    ast.Match,
)
MIN_IF_PREFIX = len(CODE_PADDING) + 1
# A cheap test for "this cell may hold IPython syntax"; false alarms only cost time.
MAGIC_CANDIDATE = re.compile(
    r"^[ \t]*[%!?/,;]|\?[ \t]*$|=[ \t]*[!%]|^(?:" + "|".join(sorted(AUTOMAGICS)) + r")[ \t]",
    re.MULTILINE,
)


def translate(source: str) -> Translation:
    lines = source.splitlines(keepends=True)
    dedent, dedented = _leading_indent(lines)
    body = [line[dedent:] if n in dedented else line for n, line in enumerate(lines, 1)]
    if not MAGIC_CANDIDATE.search(source):  # most cells: nothing to translate
        return Translation("".join(body), (), dedent, dedented)
    return _Translator(body, dedent, dedented).run()


def _leading_indent(lines: list[str]) -> tuple[int, frozenset[int]]:
    """IPython strips the first non-blank line's indentation from every line sharing it."""
    first = next((line for line in lines if line.strip()), "")
    indent = first[: len(first) - len(first.lstrip(" \t"))]
    if not indent:
        return 0, frozenset()
    return len(indent), frozenset(n for n, line in enumerate(lines, 1) if line.startswith(indent))


def _strip_newline(line: str) -> str:
    return line.rstrip("\r\n")


def _newline(line: str) -> str:
    return line[len(_strip_newline(line)) :]


class _Translator:
    """One pass over a cell's lines, tracking whether each line starts a statement."""

    def __init__(self, lines: list[str], dedent: int, dedented: frozenset[int]) -> None:
        self.lines = lines
        self.dedent = dedent
        self.dedented = dedented
        self.out: list[str] = []
        self.magics: list[Magic] = []
        self.scanner = _Scanner()
        # IPython applies automagic (`pip install x` without `%`) to one-line cells only,
        # and `%%capture` runs its body as a cell of its own.
        body = [line for line in lines if line.strip()]
        captured = bool(body) and CAPTURE.match(body[0].strip()) is not None
        self.single_line = len(body) - captured == 1

    def run(self) -> Translation:
        first = next((n for n, line in enumerate(self.lines) if line.strip()), None)
        match = CELL_MAGIC.match(_strip_newline(self.lines[first])) if first is not None else None
        start = 0
        if match and first is not None:
            name, args = match["name"], match["args"].strip()
            self._record(MagicKind.CELL, name, args, first, 0, first, _capture_target(name, args))
            if name not in PYTHON_CELL_MAGICS:
                if name in SHELL_CELL_MAGICS:
                    self._record_shell_body(first + 1)
                return self._result(python=False)
            self.out = [_newline(line) for line in self.lines[: first + 1]]
            start = first + 1
        n = start
        while n < len(self.lines):
            n = self._line(n)
        return self._result(python=True)

    def _result(self, python: bool) -> Translation:
        return Translation(
            python="".join(self.out) if python else None,
            magics=tuple(self.magics),
            dedent=self.dedent,
            dedented_lines=self.dedented,
        )

    def _line(self, n: int) -> int:
        """Translate the statement starting at line `n`; return the next line to read."""
        line = _strip_newline(self.lines[n])
        stripped = line.lstrip(" \t")
        indent = line[: len(line) - len(stripped)]
        if not self.scanner.at_statement_start or not stripped or stripped.startswith("#"):
            self.scanner.feed(line)
            self.out.append(self.lines[n])
            return n + 1
        help_request = HELP.match(stripped) or HELP_END.search(stripped)
        if help_request:
            target = help_request["target"]
            targets = (target,) if target else ()
            self._record(MagicKind.HELP, "", stripped, n, len(indent), n, targets)
            self._emit(n, indent, f"{target} = ..." if target else "pass")
            return n + 1
        if stripped[0] in AUTOCALL_ESCAPES:  # `/f x` is `f(x)`, `;f a b` is `f("a b")`
            self._emit(n, indent, "pass")
            return n + 1
        assigned = ASSIGNED_ESCAPE.match(stripped)
        prefix = assigned.group(0) if assigned else ""
        escape = ESCAPE.match(stripped[len(prefix) :])
        automagic = self.single_line and not prefix and _is_automagic(stripped)
        if automagic:
            escape = ESCAPE.match("%" + stripped)
        if escape is None:
            self.scanner.feed(line)
            self.out.append(self.lines[n])
            return n + 1
        return self._escape(n, indent, prefix, escape, automagic)

    def _escape(
        self, n: int, indent: str, prefix: str, escape: re.Match[str], automagic: bool
    ) -> int:
        last = n
        while _strip_newline(self.lines[last]).endswith("\\") and last + 1 < len(self.lines):
            last += 1
        column = len(indent) + len(prefix)
        targets = tuple(name.strip() for name in prefix.split("=")[0].split(":")[0].split(","))
        if escape["bang"]:
            kind, name, args = MagicKind.SHELL, "", escape["shell"]
        else:
            kind, name, args = MagicKind.LINE, escape["name"].lstrip("%"), escape["args"]
        args = _joined(args, self.lines[n + 1 : last + 1])
        self._record(kind, name, args.strip(), n, column, last, targets if prefix else ())
        code_start = _code_magic_start(name, args) if kind is MagicKind.LINE else None
        width = escape.start("args") + (code_start or 0)
        if code_start is not None and not prefix and not automagic and width >= MIN_IF_PREFIX:
            return self._code_magic(n, indent, width, last)
        self._emit(n, indent, prefix + "..." if prefix else "pass")
        self.out.extend(_newline(line) for line in self.lines[n + 1 : last + 1])
        return last + 1

    def _code_magic(self, n: int, indent: str, width: int, last: int) -> int:
        """`%time x = f()` becomes `if 1: x = f()`, padded so columns stay put."""
        line = _strip_newline(self.lines[n])
        code = line[len(indent) + width :]
        self.out.append(indent + CODE_PADDING.ljust(width) + code + _newline(self.lines[n]))
        for following in self.lines[n + 1 : last + 1]:
            self.scanner.feed(_strip_newline(following))
            self.out.append(following)
        self.scanner.reset()
        return last + 1

    def _emit(self, n: int, indent: str, statement: str) -> None:
        self.out.append(indent + statement + _newline(self.lines[n]))
        self.scanner.reset()

    def _record_shell_body(self, start: int) -> None:
        for n in range(start, len(self.lines)):
            text = _strip_newline(self.lines[n])
            if text.strip() and not text.lstrip().startswith("#"):
                column = len(text) - len(text.lstrip())
                self._record(MagicKind.SHELL, "", text.strip(), n, column, n)

    def _record(
        self,
        kind: MagicKind,
        name: str,
        args: str,
        first: int,
        column: int,
        last: int,
        targets: tuple[str, ...] = (),
    ) -> None:
        end_text = _strip_newline(self.lines[last])
        source = _joined(
            _strip_newline(self.lines[first])[column:], self.lines[first + 1 : last + 1]
        )
        line, end_line = first + 1, last + 1
        span = Span(
            line,
            self._user_column(line, column + 1),
            end_line,
            self._user_column(end_line, len(end_text) + 1),
        )
        self.magics.append(Magic(kind, name, args, span, targets, source))

    def _user_column(self, line: int, column: int) -> int:
        return column + self.dedent if line in self.dedented else column


def _is_automagic(statement: str) -> bool:
    """`pip install x`, `ls -l data`, `pwd`: a magic's name and its arguments (an alias's
    name alone too), which no Python statement is."""
    match = AUTOMAGIC.match(statement)
    if match is None or match["name"] not in AUTOMAGICS:
        return False
    return match["args"] is not None or spec(match["name"]).alias


def _joined(first: str, continuation: list[str]) -> str:
    parts = [first] + [_strip_newline(line) for line in continuation]
    return " ".join(part.removesuffix("\\").strip() for part in parts if part.strip())


def _capture_target(name: str, args: str) -> tuple[str, ...]:
    """`%%capture out` stores the cell's output in `out`, `%%bigquery df` its result, and
    `%%bash --out o --err e` the script's streams in `o` and `e`."""
    if spec(name).cell_body is Body.SHELL:
        pairs = itertools.pairwise(args.split())
        return tuple(value for option, value in pairs if option in SHELL_OUTPUT_OPTIONS)
    words = [word for word in args.split() if not word.startswith("-")]
    which = spec(name).binds_argument
    if not words or which is None:
        return ()
    return (words[0] if which == "first" else words[-1],)


def _code_magic_start(name: str, args: str) -> int | None:
    """Offset of the Python statement inside a code-running magic's arguments.

    Options come first (`%timeit -n 10 -r 3 f()`, `%prun -s cumulative f()`): the
    statement starts at the first word from which the rest is one simple statement.
    """
    if name not in CODE_LINE_MAGICS:
        return None
    offset, after_option = 0, False
    for word in args.split(" "):
        if _is_simple_statement(args[offset:]):
            return offset
        if word.startswith("-"):
            after_option = True
        elif after_option and word:
            after_option = False  # the option's value
        elif word:
            return None
        offset += len(word) + 1
    return None


def _is_simple_statement(code: str) -> bool:
    """One statement that may follow `if 1:` on the same line."""
    code = code.strip()
    if not code or code.startswith(("#", "-")):
        return False
    try:
        body = ast.parse(code).body
    except SyntaxError:
        return False
    return len(body) >= 1 and not isinstance(body[0], COMPOUND_STATEMENTS)


class _Scanner:
    """Tracks brackets, open strings and backslash continuations across physical lines."""

    def __init__(self) -> None:
        self.depth = 0
        self.quote: str | None = None
        self.continued = False

    @property
    def at_statement_start(self) -> bool:
        return self.depth == 0 and self.quote is None and not self.continued

    def reset(self) -> None:
        self.depth, self.quote, self.continued = 0, None, False

    def feed(self, line: str) -> None:
        index = 0
        while index < len(line):
            if self.quote:
                index = self._in_string(line, index)
                continue
            char = line[index]
            if char == "#":
                break
            if char in "'\"":
                self.quote = char * 3 if line.startswith(char * 3, index) else char
                index += len(self.quote)
                continue
            if char in "([{":
                self.depth += 1
            elif char in ")]}":
                self.depth = max(0, self.depth - 1)
            index += 1
        self.continued = line.endswith("\\")
        if self.quote and len(self.quote) == 1 and not self.continued:
            self.quote = None

    def _in_string(self, line: str, index: int) -> int:
        assert self.quote is not None
        if line[index] == "\\":
            return index + 2
        if line.startswith(self.quote, index):
            index += len(self.quote)
            self.quote = None
            return index
        return index + 1


def code_of_padded(line: str) -> str | None:
    """`if 1:     x = f()` (a translated `%time x = f()`) -> `x = f()`; None otherwise."""
    stripped = line.strip()
    if not stripped.startswith(CODE_PADDING):
        return None
    return stripped[len(CODE_PADDING) :].lstrip(" ")
