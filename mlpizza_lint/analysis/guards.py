"""Which code of a cell runs only under a condition, and which only where what it needs is
there: a `try` with a way out, a branch on `'google.colab' in sys.modules`, a path under an
existence check. Rules leave such code alone: the author already made it work elsewhere."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from mlpizza_lint.analysis.expressions import dotted_name, string_value
from mlpizza_lint.analysis.machine_paths import is_absolute

# Calls that test whether a path exists, and environment reads whose default is a fallback.
EXISTENCE_CHECKS = frozenset({"exists", "is_dir", "is_file", "isdir", "isfile", "glob"})
ENVIRONMENT_READS = frozenset({"os.environ.get", "os.getenv", "environ.get", "getenv"})
IMPORT_ERRORS = frozenset({"ImportError", "ModuleNotFoundError", "Exception", "BaseException"})
PLATFORM_WORDS = re.compile(r"colab|kaggle|databricks|sagemaker", re.IGNORECASE)


@dataclass
class Guards:
    """Node ids of one cell's tree, by how they are guarded."""

    conditional: set[int] = field(default_factory=set)  # under an `if`, or in a `try` body
    fallback: set[int] = field(default_factory=set)  # read only where it exists
    checked: dict[int, tuple[str, ...]] = field(default_factory=dict)  # -> the paths
    # an existence check around it tests
    optional: set[int] = field(default_factory=set)  # in a `try` that survives ImportError
    # Lines that run only on some versions of a library: the branches of an `if` on a
    # version (`if tf.__version__ >= "2"`), a `try`'s handlers (the fallback when the
    # body's newer API is missing)
    version_gated: set[int] = field(default_factory=set)

    def is_fallback(self, node: ast.AST, value: str) -> bool:
        checked = self.checked.get(id(node), ())
        return id(node) in self.fallback or any(value.startswith(path) for path in checked)


def guards_of(nodes: Iterable[ast.AST]) -> Guards:
    """Which nodes run only under a condition, and which only where a path exists or a
    platform is detected (`X if Path(X).exists() else Y`, `if 'google.colab' in
    sys.modules:`): code written to work elsewhere too."""
    found = Guards()
    for node in nodes:
        found.version_gated |= _version_gated(node)
        if isinstance(node, ast.If | ast.IfExp) and not isinstance(node.test, ast.Constant):
            branches = [node.body, node.orelse]
            inside = {
                id(child)
                for branch in branches
                for part in (branch if isinstance(branch, list) else [branch])
                for child in ast.walk(part)
            }
            found.conditional |= inside
            tested = {id(child) for child in ast.walk(node.test)}
            if _detects_platform(node.test):
                found.fallback |= inside | tested
            elif checked := _checked_paths(node.test):
                found.checked.update(dict.fromkeys(inside | tested, checked))
        elif isinstance(node, ast.List | ast.Tuple):
            found.fallback |= _alternatives(node.elts)
        elif isinstance(node, ast.For) and isinstance(node.iter, ast.List | ast.Tuple):
            found.fallback |= _candidates_tried(node)
        elif isinstance(node, ast.Try) and not all(map(_only_raises, node.handlers)):
            body = {id(child) for part in node.body for child in ast.walk(part)}
            handled = {
                id(child)
                for handler in node.handlers
                for part in handler.body
                for child in ast.walk(part)
            }
            found.conditional |= body | handled  # a handler runs only when the body failed
            if any(map(_catches_import_error, node.handlers)):
                found.optional |= body
        elif (
            isinstance(node, ast.Call)
            and dotted_name(node.func) in ENVIRONMENT_READS
            and len(node.args) >= 2
        ):
            found.fallback |= {id(child) for child in ast.walk(node.args[1])}
    return found


def _detects_platform(test: ast.expr) -> bool:
    """A module or variable test (`'google.colab' in sys.modules`, `'KAGGLE_URL_BASE' in
    os.environ`, `'google.colab' in str(get_ipython())`), or a flag named after a platform
    (`IN_COLAB`)."""
    for node in ast.walk(test):
        if isinstance(node, ast.Attribute) and dotted_name(node) in ("sys.modules", "os.environ"):
            return True
        if isinstance(node, ast.Name) and PLATFORM_WORDS.search(node.id):
            return True
        if isinstance(node, ast.Compare) and isinstance(node.ops[0], (ast.In, ast.NotIn)):
            named = string_value(node.left) if isinstance(node.left, ast.expr) else None
            if named and PLATFORM_WORDS.search(named):  # `"google.colab" in str(get_ipython())`
                return True
    return False


def _checked_paths(test: ast.expr) -> tuple[str, ...]:
    """The literal paths an existence check tests: `Path(p).exists()`, `os.path.isdir(p)`;
    a path under one of them is read only where it exists."""
    found = []
    for node in ast.walk(test):
        if isinstance(node, ast.Call) and _called(node.func) in EXISTENCE_CHECKS:
            argument = node.args[0] if node.args else getattr(node.func, "value", None)
            if isinstance(argument, ast.Call) and argument.args:  # Path('/x').exists()
                argument = argument.args[0]
            text = string_value(argument) if isinstance(argument, ast.expr) else None
            if text:
                found.append(text)
    return tuple(found)


def _alternatives(elements: list[ast.expr]) -> set[int]:
    """`[Path('/kaggle/input/comp'), Path('data/comp')]`: candidate places tried in turn,
    one of them inside the project; the absolute ones are alternatives, not requirements."""
    paths = {}
    for element in elements:
        if isinstance(element, ast.Call) and element.args:  # Path('...')
            element = element.args[0]
        text = string_value(element)
        if text is not None and ("/" in text or "\\" in text or text in (".", "..")):
            paths[id(element)] = text
    relative = [text for text in paths.values() if not is_absolute(text)]
    return {node for node, text in paths.items() if is_absolute(text)} if relative else set()


def _candidates_tried(loop: ast.For) -> set[int]:
    """`for c in ['/kaggle/input/comp', '/data/comp']: if Path(c).exists(): ...`: places
    tried in turn, each read only where it exists."""
    target = loop.target.id if isinstance(loop.target, ast.Name) else None
    places = loop.iter.elts if isinstance(loop.iter, ast.List | ast.Tuple) else []
    tests = (
        node
        for statement in loop.body
        for node in ast.walk(statement)
        if isinstance(node, ast.Call) and _called(node.func) in EXISTENCE_CHECKS
    )
    if target is None or not any(
        isinstance(name, ast.Name) and name.id == target
        for test in tests
        for name in ast.walk(test)
    ):
        return set()
    return {id(child) for element in places for child in ast.walk(element)}


def _called(function: ast.expr) -> str | None:
    """The name a call ends with: `exists` in `Path(p).exists()` and `os.path.exists(p)`."""
    if isinstance(function, ast.Attribute):
        return function.attr
    return function.id if isinstance(function, ast.Name) else None


def _catches_import_error(handler: ast.ExceptHandler) -> bool:
    caught = handler.type
    names = caught.elts if isinstance(caught, ast.Tuple) else [caught] if caught else []
    return caught is None or any(
        isinstance(name, ast.Name) and name.id in IMPORT_ERRORS and not _only_raises(handler)
        for name in names
    )


def _only_raises(handler: ast.ExceptHandler) -> bool:
    """A handler that re-raises: the `try` body is not optional then."""
    return all(isinstance(statement, ast.Raise) for statement in handler.body)


def _version_gated(node: ast.AST) -> set[int]:
    branches: list[list[ast.stmt]] = []
    if isinstance(node, ast.If) and _tests_a_version(node.test):
        branches = [node.body, node.orelse]
    elif isinstance(node, ast.Try):
        branches = [handler.body for handler in node.handlers]
    return {
        line
        for branch in branches
        for statement in branch
        for line in range(statement.lineno, (statement.end_lineno or statement.lineno) + 1)
    }


def _tests_a_version(test: ast.expr) -> bool:
    return any(
        (isinstance(node, ast.Attribute) and "version" in node.attr)
        or (isinstance(node, ast.Name) and "version" in node.id.lower())
        for node in ast.walk(test)
    )
