"""Everything the rules need to know about one cell, from one parse.

Facts are plain frozen dataclasses in user coordinates, computed once per cell source and
kept per cell slot (a document's cell): an edited notebook re-parses only the edited cells,
and an editor's keystrokes replace a cell's facts instead of piling up one entry per text.
Parsing uses the standard library's `ast`: on this workload it is about fifteen times
faster than a libcst parse and gives positions for free; libcst is reserved for rewriting
Python sources.
"""

from __future__ import annotations

import ast
import re
import sys
import warnings
from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass, field, replace

from mlpizza_lint.analysis.bindings import NameFacts, name_facts
from mlpizza_lint.analysis.commented_code import commented_code
from mlpizza_lint.analysis.data_calls import (
    DataCall,
    PathConstant,
    data_call,
    function_body_lines,
    path_constant,
)
from mlpizza_lint.analysis.definitions import (
    Definition,
    definitions_of,
    mentioned_in_text,
    mentioned_names,
)
from mlpizza_lint.analysis.expressions import dotted_name, string_value
from mlpizza_lint.analysis.guards import Guards, guards_of
from mlpizza_lint.analysis.library_apis import REMOVED_NAMES
from mlpizza_lint.analysis.showing import shows_only
from mlpizza_lint.analysis.syntax_tree import walk
from mlpizza_lint.ipython.magics import spec
from mlpizza_lint.ipython.translation import Magic, MagicKind, Translation, translate
from mlpizza_lint.spans import Span

# A positional argument as far as static reading can tell: a string literal, a list or
# tuple of them (non-literal elements None, the interpreter as `{sys.executable}`), or None.
ArgumentValue = str | tuple[str | None, ...] | None
TOO_DEEP = "nested too deeply for Python's parser"
# What Python before 3.12 says of `f"{d["key"]}"`, which 3.12 reads (PEP 701).
PEP_701_ERRORS = ("f-string: unmatched", "f-string: expecting '}'")
# Lines that Python 3.12 reads and an older Python refuses: PEP 695 type parameters and
# `type` aliases, and an f-string whose `{...}` goes on to the next line (PEP 701).
NEWER_SYNTAX = re.compile(
    r"^\s*(?:async\s+)?def\s+\w+\s*\[|^\s*class\s+\w+\s*\[|^\s*type\s+\w+\s*(?:\[.*\])?\s*="
)
OPEN_FSTRING_FIELD = re.compile(r"""\b[rR]?[fF][rR]?["'].*\{[^}]*$""")
INTERPRETER = "{sys.executable}"
ASSERT_MESSAGE = "assert"  # the `call` of the message string of `assert test, message`
# String methods whose arguments are text to find or cut, not paths to open (and `replace`,
# see `_replaces_text`); their strings' `call` is `str.<name>`.
TEXT_METHODS = frozenset(
    {"startswith", "endswith", "removeprefix", "removesuffix", "split", "rsplit", "strip"}
    | {"lstrip", "rstrip", "find", "rfind", "count", "partition", "rpartition", "contains"}
)
MAX_PREFIX_RETRIES = 20
STAR_IMPORT = re.compile(r"^\s*from\s+\S+\s+import\s+\*")
VISIBLE_BINDING = re.compile(
    r"^\s*(?:(?P<names>[A-Za-z_]\w*(?:\s*,\s*[A-Za-z_]\w*)*)\s*(?::[^=]*)?=(?!=)"
    r"|(?:async\s+)?def\s+(?P<function>\w+)|class\s+(?P<class>\w+))"
)


@dataclass(frozen=True)
class StringLiteral:
    """A string literal; f-strings have `{}` where their expressions are."""

    value: str
    span: Span
    call: str | None = None
    argument: int | str | None = None
    is_fstring: bool = False
    constant: str | None = None  # `NAME` when the literal is all of a top-level `NAME = ...`
    in_pattern: bool = False  # a `case '...':` value, which a name would turn into a capture
    fallback: bool = False  # read only where it exists: an existence or platform check
    # around it, or the default of an environment variable
    created: bool = False  # given to a call with `download=True`: the library creates it


@dataclass(frozen=True)
class Call:
    name: str
    arguments: tuple[ArgumentValue, ...]
    keywords: tuple[tuple[str, ArgumentValue], ...]
    span: Span
    conditional: bool = False  # under an `if`, or in a `try` whose handler carries on
    in_function: bool = False  # runs when the function is called, if ever


@dataclass(frozen=True)
class Attribute:
    """A dotted name read (`np.float`, `tf.train.AdamOptimizer`), kept only when its last
    part is one the removed-API table names: recording every chain of every cell costs a
    fifth of the lint."""

    name: str
    span: Span


@dataclass(frozen=True)
class Import:
    """`local` is the name bound in the notebook; `target` the dotted thing it refers to."""

    local: str
    target: str
    line: int
    optional: bool = False  # in a `try` whose handler carries on without the module


@dataclass(frozen=True)
class SyntaxProblem:
    message: str
    span: Span
    newer_python: bool = False  # valid from Python 3.12 on (PEP 701 f-strings), which a
    # kernel may run: the linter's own older Python cannot tell, so it reports nothing


@dataclass(frozen=True)
class CellFacts:
    is_python: bool
    has_code: bool
    magics: tuple[Magic, ...] = ()
    strings: tuple[StringLiteral, ...] = ()
    calls: tuple[Call, ...] = ()
    imports: tuple[Import, ...] = ()
    attributes: tuple[Attribute, ...] = ()
    syntax_error: SyntaxProblem | None = None
    names: NameFacts = field(default_factory=NameFacts)
    header_end: int = 0  # last line of the leading docstring and imports (0: none)
    conditional_lines: frozenset[int] = frozenset()  # lines of statements under an `if` or
    # in a `try` with a way out (where a magic's placeholder shows it is guarded)
    shows_only: bool = False  # prints or displays, and changes nothing (see `showing`)
    version_gated: frozenset[int] = frozenset()  # lines run on some library versions only
    definitions: tuple[Definition, ...] = ()  # top-level `def`, `class` and imports
    mentioned: frozenset[str] = frozenset()  # every name the cell loads or spells out
    commented_code: tuple[Span, ...] = ()  # blocks of commented-out Python
    data_calls: tuple[DataCall, ...] = ()  # calls given something that may be a path
    path_constants: tuple[PathConstant, ...] = ()  # top-level `NAME = <path expression>`


@dataclass(frozen=True)
class _Kept:
    source: str
    facts: CellFacts


_KEPT: OrderedDict[Hashable, _Kept] = OrderedDict()
MAX_KEPT = 4096  # cells; the least recently used go first


def cell_facts(source: str, slot: Hashable | None = None) -> CellFacts:
    """The facts of `source`, kept as the latest of `slot` (`(path, cell index)`; the
    source itself when None) while that slot is among the `MAX_KEPT` last used."""
    key = source if slot is None else slot
    kept = _KEPT.get(key)
    if kept is None or kept.source != source:
        kept = _Kept(source, _computed(source))
    _KEPT[key] = kept
    _KEPT.move_to_end(key)
    if len(_KEPT) > MAX_KEPT:
        _KEPT.popitem(last=False)
    return kept.facts


def forget_facts() -> None:
    """Drop every kept fact (benchmarks measure a cold start with it)."""
    _KEPT.clear()


def _computed(source: str) -> CellFacts:
    translation = translate(source)
    has_code = any(
        line.strip() and not line.lstrip().startswith("#") for line in source.splitlines()
    )
    if translation.python is None:
        return CellFacts(is_python=False, has_code=has_code, magics=translation.magics)
    try:
        return _python_facts(translation, has_code, source)
    except SyntaxError as error:
        problem = _syntax_problem(error, translation)
        names = _names_before(translation, error.lineno or 1)
    except (RecursionError, MemoryError):  # Python's own limits: 3,000 nested brackets...
        problem, names = SyntaxProblem(TOO_DEEP, Span(1, 1, 1, 2)), NameFacts()
    except UnicodeEncodeError as error:  # a lone surrogate, which no source file can hold
        problem, names = _surrogate(source, error), NameFacts()
    return CellFacts(
        is_python=True,
        has_code=has_code,
        magics=translation.magics,
        syntax_error=problem,
        names=names,
        mentioned=mentioned_in_text(source),  # a broken cell may still use any name it spells
        commented_code=commented_code(source),
    )


def _python_facts(translation: Translation, has_code: bool, source: str) -> CellFacts:
    tree = _parse(translation.python or "")
    collector = _Collector(translation)
    collector.collect(tree)
    magic_text = " ".join(magic.args for magic in translation.magics)
    return CellFacts(
        is_python=True,
        has_code=has_code,
        magics=translation.magics,
        strings=tuple(collector.strings),
        calls=tuple(collector.calls),
        imports=tuple(collector.imports),
        attributes=tuple(collector.attributes),
        names=_scoped(name_facts(tree, collector.span), translation.magics),
        header_end=_header_end(tree),
        conditional_lines=collector.conditional_lines(),
        shows_only=shows_only(tree, translation.magics),
        version_gated=frozenset(collector.guards.version_gated),
        definitions=definitions_of(tree, collector.lines),
        mentioned=mentioned_names(collector.nodes) | mentioned_in_text(magic_text),
        commented_code=commented_code(source) if "#" in source else (),
        data_calls=tuple(collector.data_calls),
        path_constants=tuple(collector.path_constants),
    )


def _surrogate(source: str, error: UnicodeEncodeError) -> SyntaxProblem:
    before = error.object[: error.start] if isinstance(error.object, str) else ""
    line = before.count("\n") + 1 if before and before in source else 1
    column = len(before) - before.rfind("\n") if before else 1
    character = f"\\u{ord(error.object[error.start]):04x}" if error.object else "?"
    return SyntaxProblem(
        f"a lone surrogate ({character}) that no Python file can hold",
        Span(line, column, line, column + 1),
    )


def _scoped(names: NameFacts, magics: tuple[Magic, ...]) -> NameFacts:
    """`%%timeit` runs its body inside a function: what it assigns is gone afterwards."""
    if any(m.kind is MagicKind.CELL and spec(m.name).local_scope for m in magics):
        return replace(names, bound=(), deleted=(), functions=())
    return names


def _is_true(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and node.value is True


def _replaces_text(node: ast.Call) -> bool:
    """`df["p"].str.replace(old, new)`, `text.strip().replace(old, new)`: two arguments on
    something that is not a plain name (`os.replace(src, dst)` moves a file)."""
    receiver = node.func.value if isinstance(node.func, ast.Attribute) else None
    return len(node.args) >= 2 and receiver is not None and not isinstance(receiver, ast.Name)


def _header_end(tree: ast.Module) -> int:
    """Where module-level constants can go: after the docstring and the first imports, and
    before any line a later statement shares with them (`import os; run()`)."""
    ends: list[int] = []
    following = None
    for position, statement in enumerate(tree.body):
        docstring = position == 0 and string_value_of(statement) is not None
        if not (docstring or isinstance(statement, (ast.Import, ast.ImportFrom))):
            following = statement.lineno
            break
        ends.append(statement.end_lineno or statement.lineno)
    return max((end for end in ends if following is None or end < following), default=0)


def string_value_of(statement: ast.stmt) -> str | None:
    """The text of a statement that is only a string literal (a docstring)."""
    if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant):
        value = statement.value.value
        return value if isinstance(value, str) else None
    return None


def _visible_bindings(line: str) -> list[str]:
    match = VISIBLE_BINDING.match(line)
    if match is None:
        return []
    return re.split(r"\s*,\s*", match["names"] or match["function"] or match["class"])


def _parse(python: str) -> ast.Module:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # invalid escapes warn; they are not our business
        return ast.parse(python)


def _names_before(translation: Translation, error_line: int) -> NameFacts:
    """What a broken cell visibly binds: the statements that parse before the error, plus
    plain `name = ...`, `def name` and `class name` lines after it, so that one syntax
    error does not cascade into undefined names in every later cell."""
    lines = (translation.python or "").splitlines(keepends=True)
    for end in range(error_line - 1, max(error_line - 1 - MAX_PREFIX_RETRIES, -1), -1):
        try:
            found = name_facts(_parse("".join(lines[:end])), _Collector(translation).span)
        except SyntaxError:
            continue
        rest = lines[end:]
        return NameFacts(
            bound=found.bound + tuple(name for line in rest for name in _visible_bindings(line)),
            functions=found.functions,
            star_import=found.star_import
            or next((line.strip() for line in rest if STAR_IMPORT.match(line)), None),
        )
    return NameFacts()


def _syntax_problem(error: SyntaxError, translation: Translation) -> SyntaxProblem:
    line = error.lineno or 1
    column = translation.user_column(line, error.offset or 1)
    end_line = error.end_lineno or line
    end_column = translation.user_column(end_line, error.end_offset or column + 1)
    if (end_line, end_column) <= (line, column):
        end_line, end_column = line, column + 1
    return SyntaxProblem(
        error.msg, Span(line, column, end_line, end_column), _newer_syntax(error, translation)
    )


def _newer_syntax(error: SyntaxError, translation: Translation) -> bool:
    """Valid from Python 3.12 on, which the kernel may run: the linter's older Python
    cannot tell, so the finding would depend on the machine that lints."""
    if sys.version_info >= (3, 12):
        return False
    lines = (translation.python or "").splitlines()
    text = lines[(error.lineno or 1) - 1] if 0 < (error.lineno or 1) <= len(lines) else ""
    return (
        error.msg.startswith(PEP_701_ERRORS)
        or NEWER_SYNTAX.match(text) is not None
        or (error.msg.startswith("unterminated string") and bool(OPEN_FSTRING_FIELD.search(text)))
    )


def argument_value(node: ast.expr) -> ArgumentValue:
    if isinstance(node, (ast.List, ast.Tuple)):
        return tuple(_element_value(element) for element in node.elts)
    return string_value(node)


def _element_value(node: ast.expr) -> str | None:
    text = string_value(node)
    if text is not None:
        return text
    return INTERPRETER if dotted_name(node) == "sys.executable" else None


class _Collector:
    """One walk that records strings (with the call they are an argument of),
    calls and imports. Parents come before children in the walk, so a call registers
    its arguments before they are reached; this is several times faster than a visitor.
    """

    def __init__(self, translation: Translation) -> None:
        self.translation = translation
        self.lines = (translation.python or "").splitlines()
        self.strings: list[StringLiteral] = []
        self.calls: list[Call] = []
        self.imports: list[Import] = []
        self.attributes: list[Attribute] = []
        self.argument_of: dict[int, tuple[str | None, int | str | None]] = {}
        self.not_literals: set[int] = set()
        self.constants: dict[int, str] = {}
        self.patterns: set[int] = set()
        self.guards = Guards()
        self.nodes: list[ast.AST] = []
        self.created: set[int] = set()
        self.data_calls: list[DataCall] = []
        self.path_constants: list[PathConstant] = []
        self.function_bodies: list[tuple[int, int]] = []

    def collect(self, tree: ast.Module) -> None:
        for statement in tree.body:
            if (
                isinstance(statement, ast.Assign)
                and len(statement.targets) == 1
                and isinstance(statement.targets[0], ast.Name)
            ):
                self.constants[id(statement.value)] = statement.targets[0].id
            constant = path_constant(statement)
            if constant is not None:
                self.path_constants.append(constant)
        self.nodes = list(walk(tree))  # one walk, shared by the guards and the lines below
        self.guards = guards_of(self.nodes)
        self.function_bodies = function_body_lines(self.nodes)
        for node in self.nodes:
            if isinstance(node, (ast.Constant, ast.JoinedStr)):
                self._string(node)
            elif isinstance(node, ast.Call):
                self._call(node)
            elif isinstance(node, ast.Attribute):
                self._attribute(node)
            elif isinstance(node, ast.Expr):
                self.not_literals.add(id(node.value))  # a bare string: docstring or comment
            elif isinstance(node, ast.MatchValue):
                self.patterns.add(id(node.value))
            elif isinstance(node, ast.Assert) and node.msg is not None:
                self.argument_of[id(node.msg)] = (ASSERT_MESSAGE, 1)
            elif isinstance(node, ast.Import):
                self._import(node)
            elif isinstance(node, ast.ImportFrom):
                self._import_from(node)
        self.strings.sort(key=lambda string: (string.span.line, string.span.column))

    def conditional_lines(self) -> frozenset[int]:
        return frozenset(
            node.lineno
            for node in self.nodes
            if isinstance(node, ast.stmt) and id(node) in self.guards.conditional
        )

    def span(self, node: ast.expr) -> Span:
        end_line = node.end_lineno or node.lineno
        end_offset = node.end_col_offset if node.end_col_offset is not None else node.col_offset
        return Span(
            node.lineno,
            self._column(node.lineno, node.col_offset),
            end_line,
            self._column(end_line, end_offset),
        )

    def _column(self, line: int, byte_offset: int) -> int:
        """ast counts UTF-8 bytes; users count characters."""
        text = self.lines[line - 1] if 0 < line <= len(self.lines) else ""
        characters = (
            byte_offset
            if text.isascii()
            else len(text.encode()[:byte_offset].decode(errors="ignore"))
        )
        return self.translation.user_column(line, characters + 1)

    def _string(self, node: ast.Constant | ast.JoinedStr) -> None:
        if isinstance(node, ast.JoinedStr):
            self.not_literals.update(id(part) for part in node.values)
        value = string_value(node)
        if value is None or id(node) in self.not_literals:
            return
        call, argument = self.argument_of.get(id(node), (None, None))
        self.strings.append(
            StringLiteral(
                value,
                self.span(node),
                call,
                argument,
                is_fstring=isinstance(node, ast.JoinedStr),
                constant=self.constants.get(id(node)),
                in_pattern=id(node) in self.patterns,
                fallback=self.guards.is_fallback(node, value),
                created=id(node) in self.created,
            )
        )

    def _call(self, node: ast.Call) -> None:
        name = dotted_name(node.func)
        method = node.func.attr if isinstance(node.func, ast.Attribute) else None
        text = method in TEXT_METHODS or (method == "replace" and _replaces_text(node))
        given = f"str.{method}" if text else name  # `s.str.replace('/home/u/', 's3://b/')`
        for position, arg in enumerate(node.args):
            self.argument_of[id(arg)] = (given, position)
        for keyword in node.keywords:
            self.argument_of[id(keyword.value)] = (given, keyword.arg)
        conditional = id(node) in self.guards.conditional
        in_function = any(start <= node.lineno <= end for start, end in self.function_bodies)
        recorded = data_call(node, self.span(node), conditional, in_function)
        if recorded is not None:
            self.data_calls.append(recorded)
        if any(k.arg == "download" and _is_true(k.value) for k in node.keywords):
            self.created.update(id(arg) for arg in node.args[:1])  # `MNIST('~/data', ...)`
            self.created.update(id(k.value) for k in node.keywords if k.arg == "root")
        if name is None:
            return
        self.calls.append(
            Call(
                name=name,
                arguments=tuple(argument_value(arg) for arg in node.args),
                keywords=tuple(
                    (keyword.arg, argument_value(keyword.value))
                    for keyword in node.keywords
                    if keyword.arg is not None
                ),
                span=self.span(node),
                conditional=conditional,
                in_function=in_function,
            )
        )

    def _attribute(self, node: ast.Attribute) -> None:
        if node.attr not in REMOVED_NAMES or not isinstance(node.ctx, ast.Load):
            return
        name = dotted_name(node)
        if name is not None:
            self.attributes.append(Attribute(name, self.span(node)))

    def _import(self, node: ast.Import) -> None:
        for alias in node.names:
            local = alias.asname or alias.name.split(".")[0]
            target = alias.name if alias.asname else local
            self.imports.append(
                Import(local, target, node.lineno, id(node) in self.guards.optional)
            )

    def _import_from(self, node: ast.ImportFrom) -> None:
        module = "." * node.level + (node.module or "")
        for alias in node.names:
            self.imports.append(
                Import(
                    alias.asname or alias.name,
                    f"{module}.{alias.name}",
                    node.lineno,
                    id(node) in self.guards.optional,
                )
            )
