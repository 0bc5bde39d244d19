"""Our MLP101/MLP102 against ruff's F821 (undefined name) on the real notebooks.

ruff reads a notebook as one module in cell order, so on notebooks it can parse it is an
independent oracle for "this name is not defined when this cell runs". Every difference
must be explained: either mechanically (a star import or `%run` above the cell, which
may bind anything and which ruff does not know about) or by the reviewed table below.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from mlpizza_lint.analysis.context import LintContext
from mlpizza_lint.analysis.namespace import NotebookNames
from mlpizza_lint.api import Overrides, check_paths
from mlpizza_lint.notebook.documents import load_document
from mlpizza_lint.rules.names import EXERCISE_BLANK, is_exercise

Key = tuple[str, int, str]

STAR_REASON = "a `%run` or star import above this cell may bind it; we do not guess"
REVIEWED: dict[Key, str] = {
    ("shox13__Assignments/Assignment7/Assignment7.ipynb", 2, "Z"): (
        "read before assignment inside a function: an UnboundLocalError, not a notebook-scope "
        "name; we do not analyse flow inside function bodies"
    ),
    ("shox13__Assignments/Assignment7/Assignment7_ans.ipynb", 2, "Z"): (
        "read before assignment inside a function, as in Assignment7.ipynb"
    ),
    **{
        (
            "LEO22555__Data-Science-Projects/ARSET_ML_Fundamentals-main/session3/"
            "1-MODIS-Tuning-Session3.ipynb",
            24,
            name,
        ): (
            "a function body reads a global that cell 58 deletes with `del`; ruff treats it as "
            "undefined everywhere, but the function is called before the `del`"
        )
        for name in ("X_train", "X_test", "y_train", "y_test")
    },
    **{
        (
            "aws__amazon-sagemaker-examples/ archived/pytorch_smdataparallel_mnist_demo/"
            "infer_pytorch.ipynb",
            cell,
            "model_data",
        ): "bound by `%store -r model_data` in cell 4, which ruff does not understand"
        for cell in (4, 7)
    },
    (
        "AnkitNigam1985__Data-Science-Projects/Movie_and_Book_Recommendation_Systems.ipynb",
        135,
        "ratings_pivot",
    ): (
        "bound only as a local variable of `get_recom` (cell 138), so undefined at notebook "
        "scope; ruff does not report it"
    ),
    (
        "AnkitNigam1985__Data-Science-Projects/Movie_and_Book_Recommendation_Systems.ipynb",
        284,
        "accuracy",
    ): ("`surprise.accuracy` is never imported and bound nowhere; ruff does not report it"),
}


def ruff_undefined(notebooks: Path) -> tuple[set[Key], set[str]]:
    """F821 findings, and the notebooks ruff cannot parse (it reports nothing else there)."""
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "ruff",
            "check",
            "--isolated",
            "--no-cache",
            "--select",
            "F821",
            "--output-format",
            "json",
            "--exit-zero",
            str(notebooks),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    found, unparsable = set(), set()
    for item in json.loads(result.stdout):
        path = str(Path(item["filename"]).relative_to(notebooks))
        if item["code"] != "F821":
            unparsable.add(path)
        else:
            found.add((path, item["cell"], re.search(r"`(.+?)`", item["message"])[1]))
    return found, unparsable


def ours_undefined(notebooks: Path) -> set[Key]:
    report = check_paths([str(notebooks)], Overrides(select=("MLP101", "MLP102")))
    return {
        (str(Path(d.path).relative_to(notebooks)), d.cell, re.search(r"`(.+?)`", d.message)[1])
        for d in report.diagnostics
    }


def star_above(notebooks: Path, key: Key) -> bool:
    names = NotebookNames(LintContext(load_document(str(notebooks / key[0]))))
    return any(cell.index <= key[1] for cell in names.star_cells())


def in_exercise(notebooks: Path, key: Key) -> bool:
    """An exercise notebook (`# YOUR CODE HERE`), whose missing names we leave unreported."""
    return is_exercise(LintContext(load_document(str(notebooks / key[0]))))


def test_undefined_names_agree_with_ruff(corpus: Path) -> None:
    notebooks = corpus / "notebooks"
    theirs, unparsable = ruff_undefined(notebooks)
    ours = {key for key in ours_undefined(notebooks) if key[0] not in unparsable}
    unexplained = {
        key
        for key in theirs ^ ours
        if key not in REVIEWED
        and not star_above(notebooks, key)
        and not in_exercise(notebooks, key)
        and not EXERCISE_BLANK.fullmatch(key[2])  # `____`: a blank to fill, which ruff reports
    }
    assert not unexplained, sorted(unexplained)
    agreed = len(theirs & ours)
    print(f"ruff F821: {len(theirs)}, ours: {len(ours)}, both: {agreed}")
