"""MLP403: results that change on every run because no seed fixes them."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from mlpizza_lint.analysis.context import CellView, LintContext
from mlpizza_lint.analysis.facts import Call
from mlpizza_lint.analysis.namespace import NotebookNames
from mlpizza_lint.analysis.seeds import EVERY_LIBRARY, seeded_library
from mlpizza_lint.diagnostics import Applicability, Fix
from mlpizza_lint.fixing.edits import split_lines
from mlpizza_lint.fixing.lifting import constant_insertion
from mlpizza_lint.rules.base import Finding, Rule
from mlpizza_lint.spans import Edit, Span

SHUFFLE_TRUE = re.compile(r"\bshuffle\s*=\s*True\b")
SEED_NAME = "SEED"
SEED_VALUE = 42

# scikit-learn classes and functions whose result depends on `random_state` (None: the
# global NumPy state); the splitters only when they shuffle.
SKLEARN_RANDOM = frozenset(
    {"train_test_split", "ShuffleSplit", "StratifiedShuffleSplit", "GroupShuffleSplit"}
    | {f"RandomForest{kind}" for kind in ("Classifier", "Regressor")}
    | {f"ExtraTrees{kind}" for kind in ("Classifier", "Regressor")}
    | {f"GradientBoosting{kind}" for kind in ("Classifier", "Regressor")}
    | {f"Bagging{kind}" for kind in ("Classifier", "Regressor")}
    | {f"MLP{kind}" for kind in ("Classifier", "Regressor")}
    | {f"SGD{kind}" for kind in ("Classifier", "Regressor")}
    | {"AdaBoostClassifier", "AdaBoostRegressor", "IsolationForest", "KMeans", "TSNE"}
    | {"MiniBatchKMeans", "RandomizedSearchCV", "RandomTreesEmbedding", "SMOTE"}
)
SHUFFLING_SPLITTERS = frozenset({"KFold", "StratifiedKFold", "RepeatedKFold"})
RANDOM_PACKAGES = ("sklearn.", "imblearn.")
# Shuffles of a dataset with a library's global state: (qualified name, library seeded by).
SHUFFLES = {
    "numpy.random.shuffle": "numpy",
    "numpy.random.permutation": "numpy",
    "random.shuffle": "random",
    "random.sample": "random",
    "torch.randperm": "torch",
}
SEED_CALL = {
    "numpy": "np.random.seed(SEED)",
    "random": "random.seed(SEED)",
    "torch": "torch.manual_seed(SEED)",
}


@dataclass(frozen=True)
class _Unseeded:
    view: CellView
    call: Call
    what: str
    keyword: bool  # fixed by `random_state=SEED`


class UnseededRandomness(Rule):
    """A stochastic step whose result changes on every run: no seed is in effect.

    ## What it does
    Reports scikit-learn (and imbalanced-learn) splits and estimators that draw random
    numbers, called without `random_state` (`train_test_split`, `RandomForestClassifier`,
    `KMeans`, `KFold(shuffle=True)`, ...), shuffles of a dataset with a library's global
    state (`np.random.permutation`, `random.shuffle`, `torch.randperm`) and a PyTorch
    `DataLoader(shuffle=True)`, when the notebook seeds nothing they depend on: not
    `np.random.seed` (which scikit-learn's default of `random_state=None` uses), not
    `random.seed` or `torch.manual_seed`, and no call of a function named like a seed
    (`seed_everything`, `set_seed`, the notebook's own `fix_seeds`). Calls inside a
    function body and those given `random_state` (even `None`, a choice) are not
    reported. These steps feed the metrics and models a notebook saves and shows; random
    numbers drawn for a picture are not reported.

    ## Why is this bad?
    Each run splits, shuffles or initialises differently: the accuracy in the saved
    output cannot be reproduced, and a change that seems to help may be noise.

    ## Fix
    Unsafe, for calls that take `random_state`: one `SEED = 42` constant after the
    imports of the first code cell, passed as `random_state=SEED`. Unsafe because the
    results change (once). Otherwise seed the library after the imports.
    """

    code = "MLP403"
    name = "unseeded-randomness"
    fix_title = "Pass `random_state=SEED`"
    fix_applicability = Applicability.UNSAFE
    bad = (
        "from sklearn.model_selection import train_test_split\n"
        "from sklearn.ensemble import RandomForestClassifier\n"
        "X_train, X_test, y_train, y_test = train_test_split(X, y)  # error: [MLP403]\n"
        "model = RandomForestClassifier(n_estimators=100)  # error: [MLP403]\n"
        "model.fit(X_train, y_train)\n",
    )
    good = (
        "from sklearn.model_selection import train_test_split\n"
        "from sklearn.ensemble import RandomForestClassifier\n"
        "SEED = 42\n"
        "X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=SEED)\n"
        "model = RandomForestClassifier(n_estimators=100, random_state=SEED)\n"
        "model.fit(X_train, y_train)\n",
    )

    def check(self, context: LintContext) -> Iterator[Finding]:
        seeded = _seeded(context)
        if EVERY_LIBRARY in seeded:
            return
        found = [item for item in _unseeded(context) if item.what not in seeded]
        seed = _seed_definition(context)
        for item in found:
            name = item.call.name.rsplit(".", 1)[-1]
            yield Finding(
                item.view.cell.index,
                item.call.span,
                f"`{name}` draws random numbers with no seed in effect: each run gives "
                "other results; "
                + (
                    "pass `random_state`"
                    if item.keyword
                    else f"seed it after the imports (`{SEED_CALL[item.what]}`)"
                ),
                _fix(context, item, seed) if item.keyword else None,
            )


def _seeded(context: LintContext) -> set[str]:
    """The libraries some call of the notebook seeds; `EVERY_LIBRARY` for all of them."""
    return {
        library
        for view in context.python_cells()
        for call in view.facts.calls
        if (library := seeded_library(context.qualified(call.name))) is not None
    }


def _unseeded(context: LintContext) -> Iterator[_Unseeded]:
    for view in context.python_cells():
        for call in view.facts.calls:
            if call.in_function:
                continue
            name = context.qualified(call.name)
            last = name.rsplit(".", 1)[-1]
            given = {key for key, _ in call.keywords}
            if name.startswith(RANDOM_PACKAGES) and "random_state" not in given:
                shuffles = last in SHUFFLING_SPLITTERS and _shuffles(view, call)
                if last in SKLEARN_RANDOM or shuffles:
                    yield _Unseeded(view, call, "numpy", keyword=True)
            elif name in SHUFFLES:
                yield _Unseeded(view, call, SHUFFLES[name], keyword=False)
            elif (
                name.startswith("torch.")
                and last == "DataLoader"
                and "generator" not in given
                and _shuffles(view, call)
            ):
                yield _Unseeded(view, call, "torch", keyword=False)


def _shuffles(view: CellView, call: Call) -> bool:
    """`shuffle=True` written in the call (facts keep string values only)."""
    lines = split_lines(view.cell.source)
    text = "".join(lines[call.span.line - 1 : call.span.end_line])
    return SHUFFLE_TRUE.search(text) is not None


def _seed_definition(context: LintContext) -> Edit | None:
    """The edit that defines `SEED` after the first imports; None when it exists."""
    names = context.shared(NotebookNames)
    if SEED_NAME in names.binders:
        return None
    insertion = constant_insertion(context)
    if insertion is None:
        return None
    text = f"{insertion.prefix}{SEED_NAME} = {SEED_VALUE}{insertion.suffix}"
    return Edit(insertion.cell, insertion.span, text)


def _fix(context: LintContext, item: _Unseeded, seed: Edit | None) -> Fix | None:
    """`random_state=SEED` added before the call's closing parenthesis, and `SEED`
    defined when the notebook has none; None where it cannot be defined above the call."""
    if seed is None and SEED_NAME not in context.shared(NotebookNames).binders:
        return None
    if seed is not None and (seed.cell or 0) > item.view.cell.index:
        return None
    span = item.call.span
    closing = Span(span.end_line, span.end_column - 1, span.end_line, span.end_column - 1)
    lines = split_lines(item.view.cell.source)
    before = "".join(lines[: span.end_line - 1]) + lines[span.end_line - 1][: span.end_column - 2]
    before = before.rstrip()  # the call's text up to its closing parenthesis
    separator = "" if before.endswith(("(", ",")) else ", "
    edits = (
        *((seed,) if seed is not None else ()),
        Edit(item.view.cell.index, closing, f"{separator}random_state={SEED_NAME}"),
    )
    return Fix("Pass `random_state=SEED`", Applicability.UNSAFE, edits)
