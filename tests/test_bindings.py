"""The per-cell binding model: what a cell binds, what it needs from above, what runs later."""

from __future__ import annotations

import pytest

from mlpizza_lint.analysis.facts import cell_facts


def needs(source: str) -> list[str]:
    return [use.name for use in cell_facts(source).names.reads]


def binds(source: str) -> set[str]:
    return set(cell_facts(source).names.bound)


@pytest.mark.parametrize(
    ("source", "bound"),
    [
        ("a = b = 1", {"a", "b"}),
        ("a, (b, *c) = x", {"a", "b", "c"}),
        ("a: int = 1", {"a"}),
        ("a += 1", {"a"}),
        ("import os.path, numpy as np", {"os", "np"}),
        ("from x import y as z, w", {"z", "w"}),
        ("def f(): pass\nclass C: pass", {"f", "C"}),
        ("for i, j in x: pass\nelse: k = 1", {"i", "j", "k"}),
        ("with a() as b, c() as (d, e): pass", {"b", "d", "e"}),
        (
            "try:\n    import ujson as json\nexcept ImportError as err:\n    import json",
            {"json"},  # Python deletes `err` when the handler ends
        ),
        ("if (n := 10) > 5: pass", {"n"}),
        ("x: int\ny: float = 1.0\nobj.attr: int = 2", {"y"}),
        ("total = [last := v for v in values]", {"total", "last"}),
        (
            "match p:\n    case Point(x=a, y=[b, *rest]): pass\n    case {'k': v, **kw}: pass",
            {"a", "b", "rest", "v", "kw"},
        ),
        ("def f():\n    global counter\n    counter = 1", {"f", "counter"}),
        ("x = 1\ndel x", set()),
        ("[i for i in range(3)]", set()),
        ("class C:\n    attribute = 1", {"C"}),
        ("lam = lambda q: q", {"lam"}),
    ],
)
def test_bindings(source: str, bound: set[str]) -> None:
    assert binds(source) == bound


@pytest.mark.parametrize(
    ("source", "needed"),
    [
        ("x = 1\nprint(x)", ["print"]),
        ("print(x)\nx = 1", ["print", "x"]),
        ("x = x + 1", ["x"]),
        ("x += 1", ["x"]),
        ("total = 0\nfor v in values:\n    total = total + v", ["values"]),
        ("for i in r:\n    if i:\n        print(prev)\n    prev = i", ["r", "print"]),
        ("[i * k for i in items]", ["k", "items"]),
        ("def f(a, b=default):\n    return a + g", ["default"]),
        ("@decorate\ndef f(): pass", ["decorate"]),
        ("def f(a: Model) -> Out: pass", ["Model", "Out"]),
        ("from __future__ import annotations\ndef f(a: Model) -> Out: pass", []),
        ("class C(Base):\n    size = 1\n    double = size * factor", ["Base", "factor"]),
        ("f'{name!r}: {value:>{width}}'", ["name", "value", "width"]),
        ("lambda: later", []),
        ("try:\n    import ujson as json\nexcept ImportError:\n    json = None", ["ImportError"]),
        ("with open(p) as f, f:\n    pass", ["open", "p"]),
    ],
)
def test_reads_a_cell_needs_from_cells_above(source: str, needed: list[str]) -> None:
    assert sorted(needs(source)) == sorted(needed)


def test_function_bodies_are_read_when_called() -> None:
    names = cell_facts(
        "def train(data):\n    model = Model(rate)\n    return fit(model, data)\n"
    ).names
    (function,) = names.functions
    assert function.name == "train"
    assert {use.name for use in function.reads} == {"Model", "rate", "fit"}
    assert set(function.calls) == {"Model", "fit"}
    assert {use.name for use in names.deferred_reads} == {"Model", "rate", "fit"}


def test_nested_scopes_see_their_own_names() -> None:
    names = cell_facts(
        "def outer(x):\n    def inner(y):\n        return x + y + z\n"
        "    class K:\n        a = 1\n        b = a\n    return inner\n"
    ).names
    assert {use.name for use in names.deferred_reads} == {"z"}


def test_star_import_and_future_are_recorded() -> None:
    names = cell_facts("from __future__ import annotations\nfrom pylab import *").names
    assert names.future_annotations and names.star_import == "from pylab import *"
    assert names.bound == ()


def test_broken_cell_binds_what_is_visible() -> None:
    names = cell_facts("import os\nx = \ny, z = 1\ndef f(:\nclass C\n").names
    assert set(names.bound) == {"os", "x", "y", "z", "f", "C"}
    assert names.reads == ()


NAME_RULES = frozenset({"MLP101", "MLP102", "MLP103"})


def name_findings(*cells: str) -> list[tuple[str, int, str]]:
    from mlpizza_lint.config import Settings
    from mlpizza_lint.engine import lint_document
    from mlpizza_lint.notebook.snippets import snippet_document

    text = "".join(f"# %% [{n}]\n{source}\n" for n, source in enumerate(cells, 1))
    return [
        (d.code, d.cell or 0, d.message.split("`")[1])
        for d in lint_document(snippet_document(text), Settings(), NAME_RULES)
    ]


@pytest.mark.parametrize(
    "cells",
    [
        (
            "class A:\n    @property\n    def x(self):\n        return 1\n    @x.setter\n"
            "    def x(self, value):\n        pass",
        ),
        ("class A:\n    DEFAULT = 3\n    def g(self, n=DEFAULT):\n        return n",),
        ("class A:\n    if True:\n        def f(self, a):\n            return a + self.k",),
        ("class A:\n    class B:\n        pass\n    class C(B):\n        pass",),
        ("funcs = [lambda: i for i in range(3)]",),
        ("def f():\n    x: SomeType = 1\n    return x",),
        ("def load():\n    global pd\n    import pandas as pd", "load()\npd.DataFrame()"),
        ("model = 1\nif False:\n    del model", "print(model)"),
        (
            "class A(Base):\n    def f(self):\n        return super().f(), __class__",
            "Base = object",
        ),
        ("%%cython\ndef fast(int n):\n    return n", "fast(3)"),
        ("!ls", "print(_exit_code)"),
        ("import os\ndef run_app(path):\n    # TODO\n", "run_app('x')"),
    ],
)
def test_reviewed_false_positives_stay_fixed(cells: tuple[str, ...]) -> None:
    assert [f for f in name_findings(*cells) if f[0] == "MLP102"] == []


def test_a_cell_reading_its_own_later_binding() -> None:
    assert name_findings("x = len(x)") == [("MLP101", 1, "x")]


def test_nested_function_reads_are_not_charged_to_the_outer_call() -> None:
    assert name_findings("def f():\n    return lambda: late\ng = f()", "late = 1") == []


def test_calling_a_class_runs_its_constructor() -> None:
    init = (
        "class Model:\n    def __init__(self):\n        self.lr = LR\n"
        "    def fit(self):\n        return X"
    )
    assert name_findings(init, "m = Model()\nm.fit()", "LR = 0.1\nX = 1") == [
        ("MLP103", 2, "Model")
    ]
    dataclass = "@dataclass\nclass P:\n    def __post_init__(self):\n        self.s = SCALE"
    assert name_findings("from dataclasses import dataclass", dataclass, "P()", "SCALE = 2") == [
        ("MLP103", 3, "P")
    ]


def test_timeit_cells_bind_nothing() -> None:
    assert name_findings("%%timeit\ntotal = sum(range(10))", "print(total)") == [
        ("MLP102", 2, "total")
    ]
