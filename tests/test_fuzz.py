"""Whatever a notebook holds, linting and fixing it ends in findings, never a crash.

Hypothesis draws notebooks with random JSON mutations, random IPython syntax and random
unicode. The default profile is seeded and small enough for every CI run; set
`MLPIZZA_FUZZ=long` for a longer, unseeded search (`pytest tests/test_fuzz.py`).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mlpizza_lint.config import Settings
from mlpizza_lint.engine import lint_file
from mlpizza_lint.fixing.rounds import fix_document
from mlpizza_lint.notebook.documents import DocumentError, parse_document

LONG = os.environ.get("MLPIZZA_FUZZ") == "long"
settings.register_profile(
    "ci",
    max_examples=150,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
settings.register_profile(
    "long",
    max_examples=5000,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
settings.load_profile("long" if LONG else "ci")

EVERY_RULE = Settings(select=("ALL",))
IPYTHON_PIECES = [
    "%pip install pandas==2.2.2",
    "!pip install -q xgboost",
    "x = !ls",
    "%%bash\necho hi",
    "%%time\ny = 1",
    "%timeit -n 3 f()",
    "obj?",
    "??obj",
    "%cd /content/drive",
    "%run x.py",
    "%%capture out",
    "%load_ext autoreload",
    "def f():\n    %time g()\n    return 1",
    "import os\nos.system('pip install rich')",
    "from x import *",
    "print('/home/a/b.csv')",
    "del model",
    "global z",
    "if 'a' in globals():\n    a",
    "try:\n    import ujson\nexcept ImportError:\n    pass",
    "\t",
    "\\",
    "'''",
    "\x0c",
    "\u2028",
    "\ud800",
    "lambda: (yield)",
    "match x:\n    case 1: pass",
]
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)
sources = st.one_of(
    st.lists(st.sampled_from(IPYTHON_PIECES), max_size=6).map("\n".join),
    st.text(max_size=200),
)


def _notebook(cells: list[str]) -> dict[str, Any]:
    return {
        "nbformat": 4,
        "nbformat_minor": 5,
        "metadata": {"kernelspec": {"name": "python3", "language": "python"}},
        "cells": [
            {
                "cell_type": "code",
                "source": source,
                "metadata": {},
                "outputs": [],
                "execution_count": number,
            }
            for number, source in enumerate(cells, 1)
        ],
    }


def _lints(path: Path) -> None:
    result = lint_file(str(path), EVERY_RULE)
    internal = [d for d in result.diagnostics if "internal error" in d.message]
    assert internal == [], internal[0].message


@given(cells=st.lists(sources, min_size=1, max_size=5))
def test_random_ipython_and_unicode_cells_are_linted_and_fixed(
    tmp_path_factory: Any, cells: list[str]
) -> None:
    path = tmp_path_factory.mktemp("fuzz") / "nb.ipynb"
    text = json.dumps(_notebook(cells))
    path.write_text(text, encoding="utf-8")
    _lints(path)
    try:
        document = parse_document(str(path), text.encode("utf-8"))
    except DocumentError:
        return
    fix_document(document, EVERY_RULE, unsafe=True)


@given(
    cells=st.lists(sources, min_size=1, max_size=3),
    where=st.lists(
        st.sampled_from(["", "metadata", "cells", "0", "source", "outputs"]), max_size=3
    ),
    value=json_values,
)
def test_random_json_mutations_are_unreadable_files_not_crashes(
    tmp_path_factory: Any, cells: list[str], where: list[str], value: object
) -> None:
    notebook: Any = _notebook(cells)
    target = notebook
    for key in where[:-1]:
        target = target[int(key)] if isinstance(target, list) and key.isdigit() else target
        target = target.get(key, target) if isinstance(target, dict) else target
    if isinstance(target, dict):
        target[where[-1] if where else "metadata"] = value
    path = tmp_path_factory.mktemp("fuzz") / "nb.ipynb"
    path.write_text(json.dumps(notebook), encoding="utf-8")
    _lints(path)
