"""Which names a cell binds and reads at notebook scope, and what its functions read later.

A notebook is one module run cell by cell, so what matters is the notebook scope: names
bound there (assignments of every form, imports, `def`, `class`, loop and `with` targets,
`except ... as`, `match` captures, walrus targets even inside comprehensions, `global`
names assigned inside functions) and names read by code that runs when the cell runs
(module level, class bodies, comprehensions, decorators, defaults). Function and lambda
bodies run when called: their free names are kept apart, per function, so a call can be
checked against what exists at that moment.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from mlpizza_lint.analysis.expressions import dotted_name
from mlpizza_lint.analysis.syntax_tree import children
from mlpizza_lint.spans import Span

SpanOf = Callable[[ast.expr], Span]
FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)
COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)
# Statements whose parts may run repeatedly or in any order: a binding anywhere inside one
# counts for every read inside it (`for x in xs: total = total + x` after `total = 0`...).
COMPOUND = (ast.If, ast.For, ast.AsyncFor, ast.While, ast.Try, ast.With, ast.AsyncWith, ast.Match)


CONSTRUCTORS = frozenset({"__init__", "__new__", "__post_init__"})
# `'x' in globals()`: a test that the name exists, so the branch reads it only if it does.
NAMESPACE_CALLS = frozenset({"globals", "locals", "dir", "vars"})
# Handlers that catch the NameError of a missing name: their try body may read anything.
CATCHES_NAME_ERROR = frozenset({"NameError", "Exception", "BaseException"})
TRIES = (ast.Try, getattr(ast, "TryStar", ast.Try))


@dataclass(frozen=True)
class NameUse:
    name: str
    span: Span
    annotation: bool = False  # only read in annotations, which an earlier cell's
    # `from __future__ import annotations` defers (IPython keeps future flags across cells)


@dataclass(frozen=True)
class FunctionFacts:
    """A function defined at notebook scope: globals its body reads, functions it calls."""

    name: str
    reads: tuple[NameUse, ...]
    calls: tuple[str, ...]


@dataclass(frozen=True)
class NameFacts:
    """`reads` are the reads this cell needs from cells above it: reads of a name the cell
    binds itself only count when they come before that binding."""

    bound: tuple[str, ...] = ()
    deleted: tuple[str, ...] = ()
    reads: tuple[NameUse, ...] = ()
    calls: tuple[NameUse, ...] = ()
    functions: tuple[FunctionFacts, ...] = ()
    deferred_reads: tuple[NameUse, ...] = ()
    star_import: str | None = None
    future_annotations: bool = False


def name_facts(tree: ast.Module, span_of: SpanOf) -> NameFacts:
    walker = _NotebookScope(span_of)
    for position, statement in enumerate(tree.body):
        walker.position = position
        walker.compound = isinstance(statement, COMPOUND)
        walker.statement(statement, top_level=True)
    return walker.facts()


def _is_globals(node: ast.expr) -> bool:
    """`globals()`: a function given the namespace may bind any name in it (protobuf's
    generated `_builder.BuildTopDescriptorsAndMessages(..., globals())`)."""
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "globals"
        and not node.args
    )


def _in_evaluation_order(node: ast.AST) -> list[ast.AST]:
    """Children in the order Python evaluates them where that is not the order they are
    written in: a comprehension's `for` and `if` clauses run before its element."""
    if isinstance(node, COMPREHENSIONS):
        element = [node.key, node.value] if isinstance(node, ast.DictComp) else [node.elt]
        return [*node.generators, *element]
    return children(node)


def _targets(node: ast.AST) -> Iterator[str]:
    """Names bound by an assignment target (`a`, `a, *b`, `(a, b)`; not `a.x` or `a[0]`)."""
    if isinstance(node, ast.Name):
        yield node.id
    elif isinstance(node, (ast.Tuple, ast.List)):
        for element in node.elts:
            yield from _targets(element)
    elif isinstance(node, ast.Starred):
        yield from _targets(node.value)


def _pattern_names(pattern: ast.pattern) -> Iterator[str]:
    for node in ast.walk(pattern):
        if isinstance(node, (ast.MatchAs, ast.MatchStar)) and node.name:
            yield node.name
        elif isinstance(node, ast.MatchMapping) and node.rest:
            yield node.rest


def _bound_in(body: Iterable[ast.AST], keep_declared: bool = False) -> set[str]:
    """Every name a function or class body binds locally (Python's compile-time rule);
    with `keep_declared`, also those it binds through `global`/`nonlocal`."""
    names: set[str] = set()
    declared: set[str] = set()
    stack = list(body)
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.Global, ast.Nonlocal)):
            declared.update(node.names)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
            names.add(node.id)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names.update((a.asname or a.name).split(".")[0] for a in node.names if a.name != "*")
        elif isinstance(node, ast.ExceptHandler) and node.name:
            names.add(node.name)
        elif isinstance(node, ast.pattern):
            names.update(_pattern_names(node))
        if isinstance(node, (*SCOPES, *COMPREHENSIONS)):
            if isinstance(node, (*FUNCTIONS, ast.ClassDef)):
                names.add(node.name)
                stack.extend(node.decorator_list)
            if isinstance(node, COMPREHENSIONS):
                stack.extend(  # walrus targets inside a comprehension bind out here
                    n.target for n in ast.walk(node) if isinstance(n, ast.NamedExpr)
                )
            continue
        stack.extend(children(node))
    return names if keep_declared else names - declared


@dataclass
class _Reads:
    """Reads of one code region, first use per name, in source order."""

    span_of: SpanOf
    uses: dict[str, NameUse] = field(default_factory=dict)
    calls: dict[str, NameUse] = field(default_factory=dict)
    positions: dict[str, int] = field(default_factory=dict)

    def read(self, node: ast.Name, position: int = 0, annotation: bool = False) -> None:
        """The first read of each name; a read in code replaces one in an annotation."""
        known = self.uses.get(node.id)
        if known is None or (known.annotation and not annotation):
            self.uses[node.id] = NameUse(node.id, self.span_of(node), annotation)
            self.positions[node.id] = position

    def call(self, node: ast.Name, call: ast.Call) -> None:
        if node.id not in self.calls:
            self.calls[node.id] = NameUse(node.id, self.span_of(call))


class _NotebookScope:
    """Walks one cell's top-level statements, keeping notebook scope apart from the rest."""

    def __init__(self, span_of: SpanOf) -> None:
        self.span_of = span_of
        self.bound: dict[str, None] = {}
        self.deleted: dict[str, None] = {}
        self.now = _Reads(span_of)
        self.later = _Reads(span_of)
        self.functions: list[FunctionFacts] = []
        self.star_import: str | None = None
        self.future_annotations = False
        self.position = 0
        self.compound = False
        self.first_bound: dict[str, tuple[int, bool]] = {}
        # Names a walrus bound, by statement: read after it in evaluation order, as
        # `f(t) if (t := g()) else None` does, they are bound (`first_bound` is by statement).
        self.walrus: dict[str, int] = {}
        self.annotating = False  # reading an annotation (`def f(x: Frame) -> Node:`)
        self.guarded: set[str] = set()  # names tested to exist around the current code
        self.guards_all = 0  # inside a try whose handler catches a NameError

    def facts(self) -> NameFacts:
        return NameFacts(
            bound=tuple(self.bound),
            deleted=tuple(name for name in self.deleted if name not in self.bound),
            reads=tuple(use for use in self.now.uses.values() if not self._bound_before(use)),
            calls=tuple(self.now.calls.values()),
            functions=tuple(self.functions),
            deferred_reads=tuple(self.later.uses.values()),
            star_import=self.star_import,
            future_annotations=self.future_annotations,
        )

    def _bound_before(self, use: NameUse) -> bool:
        """Bound by an earlier statement of the cell, or inside the same compound one."""
        position, compound = self.first_bound.get(use.name, (sys.maxsize, False))
        read_at = self.now.positions[use.name]
        return position < read_at or (position == read_at and compound)

    def bind(self, names: Iterable[str]) -> None:
        for name in names:
            self.deleted.pop(name, None)
            self.bound[name] = None
            self.first_bound.setdefault(name, (self.position, self.compound))

    def statement(self, node: ast.stmt, top_level: bool = False) -> None:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            self._import(node)
        elif isinstance(node, FUNCTIONS):
            self._function(node, node.name)
        elif isinstance(node, ast.ClassDef):
            self._class(node)
        elif isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Name):
            self.now.read(node.target, self.position)  # `x += 1` reads x first
            self._generic(node)
        elif isinstance(node, ast.AnnAssign):
            self._annotated(node)
        elif isinstance(node, ast.If) and _tested_names(node.test):
            self._guarded(node, _tested_names(node.test))
        elif isinstance(node, TRIES) and _catches_name_error(node):
            self.guards_all += 1
            for child in node.body:
                self.statement(child)
            self.guards_all -= 1
            for handler in node.handlers:
                self._handler(handler)
            for child in (*node.orelse, *node.finalbody):
                self.statement(child)
        elif isinstance(node, ast.Delete):
            for target in node.targets:
                self.expression(target, frozenset())
                for name in _targets(target) if top_level else ():  # a `del` under `if` may not run
                    self.bound.pop(name, None)
                    self.deleted[name] = None
        else:
            self._generic(node)

    def _generic(self, node: ast.AST) -> None:
        """Statements and expressions run now, at notebook scope."""
        for child in children(node):
            if isinstance(child, ast.stmt):
                self.statement(child)
            elif isinstance(child, ast.ExceptHandler):
                self._handler(child)
            elif isinstance(child, ast.match_case):
                self.bind(_pattern_names(child.pattern))
                self._generic(child)
            elif isinstance(child, ast.expr):
                self.expression(child, frozenset())
            elif isinstance(child, (ast.keyword, ast.withitem, ast.pattern, ast.comprehension)):
                self._generic(child)

    def _is_guarded(self, name: str) -> bool:
        return bool(self.guards_all) or name in self.guarded

    def _guarded(self, node: ast.If, names: set[str]) -> None:
        """`if 'model' in globals(): model.fit()` reads `model` only where it exists."""
        added = names - self.guarded
        self.guarded |= added
        self.expression(node.test, frozenset())
        for child in node.body:
            self.statement(child)
        self.guarded -= added
        for child in node.orelse:
            self.statement(child)

    def _annotated(self, node: ast.AnnAssign) -> None:
        """`x: int = 1` binds x; a bare `x: int` only declares it; the annotation is read
        now unless `from __future__ import annotations` defers it."""
        if not self.future_annotations:
            self._annotation(node.annotation, frozenset())
        if node.value is not None:
            self.expression(node.value, frozenset())
        if node.value is not None or not isinstance(node.target, ast.Name):
            self.expression(node.target, frozenset())

    def _handler(self, handler: ast.ExceptHandler) -> None:
        """`except E as err` binds err for the handler only: Python deletes it at the end."""
        fresh = handler.name is not None and handler.name not in self.bound
        if handler.name:
            self.bind([handler.name])
        self._generic(handler)
        if fresh and handler.name:
            self.bound.pop(handler.name, None)

    def expression(self, node: ast.expr, local: frozenset[str]) -> None:
        """Reads of an expression evaluated now; `local` are comprehension variables."""
        stack: list[tuple[ast.AST, frozenset[str]]] = [(node, local)]
        while stack:
            current, names = stack.pop()
            if isinstance(current, ast.Name):
                if isinstance(current.ctx, ast.Store):
                    if current.id not in names:
                        self.bind([current.id])
                elif (
                    current.id not in names
                    and not self._is_guarded(current.id)
                    and self.walrus.get(current.id) != self.position
                ):
                    self.now.read(current, self.position, self.annotating)
                continue
            if isinstance(current, ast.NamedExpr):
                self.bind(_targets(current.target))
                self.walrus.update(dict.fromkeys(_targets(current.target), self.position))
            elif isinstance(current, ast.Lambda):
                for default in (*current.args.defaults, *current.args.kw_defaults):
                    if default is not None:
                        stack.append((default, names))
                self._deferred("<lambda>", current.args, [current.body], names)
                continue
            elif isinstance(current, COMPREHENSIONS):
                names = names | {
                    name for generator in current.generators for name in _targets(generator.target)
                }
            elif isinstance(current, ast.Call) and isinstance(current.func, ast.Name):
                self.now.call(current.func, current)
            if isinstance(current, ast.Call) and any(map(_is_globals, current.args)):
                called = dotted_name(current.func) or "a call"
                self.star_import = self.star_import or f"{called}(..., globals())"
            elif isinstance(current, ast.Call) and _runs_code_here(current):
                self.star_import = self.star_import or "exec(...)"
            stack.extend((child, names) for child in reversed(_in_evaluation_order(current)))

    def _import(self, node: ast.Import | ast.ImportFrom) -> None:
        if isinstance(node, ast.ImportFrom) and node.module == "__future__":
            self.future_annotations |= any(a.name == "annotations" for a in node.names)
            return
        for alias in node.names:
            if alias.name == "*":
                module = node.module if isinstance(node, ast.ImportFrom) else None
                self.star_import = self.star_import or f"from {module} import *"
            else:
                self.bind([(alias.asname or alias.name).split(".")[0]])

    def _signature_reads(
        self, node: ast.FunctionDef | ast.AsyncFunctionDef, local: frozenset[str] = frozenset()
    ) -> None:
        """Decorators, defaults and (unless deferred) annotations run at definition time, in
        the scope around the `def` (`local` holds a class body's names for a method)."""
        arguments = node.args
        evaluated: list[ast.expr] = [*arguments.defaults, *node.decorator_list]
        evaluated += [default for default in arguments.kw_defaults if default is not None]
        for expression in evaluated:
            self.expression(expression, local)
        if not self.future_annotations:
            every = arguments.posonlyargs + arguments.args + arguments.kwonlyargs
            every += [a for a in (arguments.vararg, arguments.kwarg) if a is not None]
            annotations = [a.annotation for a in every if a.annotation is not None]
            for annotation in [*annotations, *([node.returns] if node.returns else [])]:
                self._annotation(annotation, local)

    def _annotation(self, annotation: ast.expr, local: frozenset[str]) -> None:
        self.annotating = True
        try:
            self.expression(annotation, local)
        finally:
            self.annotating = False

    def _function(self, node: ast.FunctionDef | ast.AsyncFunctionDef, name: str) -> None:
        self._signature_reads(node)
        self.bind([name])
        self.functions.append(self._deferred(name, node.args, node.body))

    def _deferred(
        self,
        name: str,
        arguments: ast.arguments,
        body: list[ast.stmt] | list[ast.expr],
        outer: frozenset[str] = frozenset(),
    ) -> FunctionFacts:
        """Free names of a function body, read when it is called, not when defined.

        Reads inside nested functions and lambdas happen when *those* are called: they
        count as undefined-name candidates but not as reads of a call to this function.
        """
        reads, nested = _Reads(self.span_of), _Reads(self.span_of)
        local = _parameters(arguments) | _bound_in(body) | outer | {"__class__"}
        for node in body:
            self._free_reads(node, local, reads, nested)
        for use in (*reads.uses.values(), *nested.uses.values()):
            self.later.uses.setdefault(use.name, use)
        self.bind(_globals_assigned(body))
        return FunctionFacts(name, tuple(reads.uses.values()), tuple(reads.calls))

    def _free_reads(
        self, node: ast.AST, local: set[str] | frozenset[str], reads: _Reads, nested: _Reads
    ) -> None:
        stack: list[tuple[ast.AST, set[str] | frozenset[str], _Reads]] = [(node, local, reads)]
        while stack:
            current, names, target = stack.pop()
            if isinstance(current, ast.Name):
                if isinstance(current.ctx, ast.Load) and current.id not in names:
                    target.read(current)
                continue
            if isinstance(current, ast.AnnAssign) and current.simple:
                # a local variable's annotation is never evaluated
                stack.extend(
                    (child, names, target) for child in (current.target, current.value) if child
                )
                continue
            if isinstance(current, (*FUNCTIONS, ast.Lambda)):
                inner = _parameters(current.args) | _bound_in(
                    current.body if isinstance(current.body, list) else [current.body]
                )
                stack.extend((child, names | inner, nested) for child in children(current))
                continue
            if isinstance(current, ast.ClassDef):
                inner = _bound_in(current.body) | {"__class__"}
                stack.extend((child, names | inner, nested) for child in children(current))
                continue
            if isinstance(current, ast.If) and (tested := _tested_names(current.test)):
                # `if 'x' in globals(): use(x)` reads x only where it exists
                stack.extend((child, names, target) for child in (current.test, *current.orelse))
                stack.extend((child, names | tested, target) for child in current.body)
                continue
            if isinstance(current, TRIES) and _catches_name_error(current):
                # what the try body reads may be missing: the handler takes over
                guarded = _Reads(self.span_of)
                stack.extend((child, names, guarded) for child in current.body)
                rest = (*current.handlers, *current.orelse, *current.finalbody)
                stack.extend((child, names, target) for child in rest)
                continue
            if isinstance(current, COMPREHENSIONS):
                names = names | {n for g in current.generators for n in _targets(g.target)}
            elif (
                isinstance(current, ast.Call)
                and isinstance(current.func, ast.Name)
                and current.func.id not in names
            ):
                target.call(current.func, current)
            stack.extend((child, names, target) for child in reversed(children(current)))

    def _class(self, node: ast.ClassDef, outer: frozenset[str] = frozenset()) -> None:
        """A class body runs now, in its own namespace: its names are not notebook names."""
        for expression in [*node.decorator_list, *node.bases, *(k.value for k in node.keywords)]:
            self.expression(expression, outer)
        constructors = self._class_body(node.body, outer | _bound_in(node.body))
        if not outer:
            self.bind([node.name])
            if constructors:  # calling the class runs them: it reads what they read
                reads = {use.name: use for facts in constructors for use in facts.reads}
                calls = {call: None for facts in constructors for call in facts.calls}
                self.functions.append(FunctionFacts(node.name, tuple(reads.values()), tuple(calls)))

    def _class_body(self, nodes: Iterable[ast.AST], local: frozenset[str]) -> list[FunctionFacts]:
        """Walk a class body; return the facts of the methods that run when it is called."""
        constructors = []
        for node in nodes:
            if isinstance(node, FUNCTIONS):
                self._signature_reads(node, local)
                facts = self._deferred(node.name, node.args, node.body)
                if node.name in CONSTRUCTORS:
                    constructors.append(facts)
            elif isinstance(node, ast.ClassDef):
                self._class(node, local)
            elif isinstance(node, ast.AnnAssign):  # a field: `parent: Node | None = None`
                if not self.future_annotations:
                    self._annotation(node.annotation, local)
                if node.value is not None:
                    self.expression(node.value, local)
            elif isinstance(node, ast.expr):
                self.expression(node, local)
            else:
                constructors += self._class_body(children(node), local)
        return constructors


def _runs_code_here(call: ast.Call) -> bool:
    """`exec(compile(open(f).read(), f, "exec"))`: code whose names land in the notebook's
    namespace (no namespace of its own given), which may bind any name."""
    return (
        isinstance(call.func, ast.Name)
        and call.func.id in ("exec", "execfile")
        and len(call.args) == 1
        and not call.keywords
    )


def _tested_names(test: ast.expr) -> set[str]:
    """The names an `if` test checks for: `'x' in globals()`, `"x" in dir()`, with `and`."""
    names = set()
    for node in ast.walk(test):
        if (
            isinstance(node, ast.Compare)
            and isinstance(node.left, ast.Constant)
            and isinstance(node.left.value, str)
            and len(node.ops) == 1
            and isinstance(node.ops[0], ast.In)
            and isinstance(node.comparators[0], ast.Call)
            and isinstance(node.comparators[0].func, ast.Name)
            and node.comparators[0].func.id in NAMESPACE_CALLS
        ):
            names.add(node.left.value)
    return names


def _catches_name_error(node: ast.Try) -> bool:
    return any(
        handler.type is None
        or any(
            isinstance(caught, ast.Name) and caught.id in CATCHES_NAME_ERROR
            for caught in (
                handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
            )
        )
        for handler in node.handlers
    )


def _parameters(arguments: ast.arguments) -> set[str]:
    every = arguments.posonlyargs + arguments.args + arguments.kwonlyargs
    every += [a for a in (arguments.vararg, arguments.kwarg) if a is not None]
    return {argument.arg for argument in every}


def _globals_assigned(body: Iterable[ast.AST]) -> set[str]:
    """`global x` then `x = ...` (or `import x`, `def x`) inside a function binds `x` in the
    notebook when the function is called."""
    declared = {
        name
        for statement in body
        for node in ast.walk(statement)
        if isinstance(node, ast.Global)
        for name in node.names
    }
    return declared & _bound_in(body, keep_declared=True) if declared else set()
