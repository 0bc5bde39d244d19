"""What `verify` compares and how it reads failures, on outputs as kernels write them."""

from __future__ import annotations

import pytest

from mlpizza_lint.diagnostics import Diagnostic, Severity
from mlpizza_lint.notebook.tracebacks import SavedError
from mlpizza_lint.spans import Span
from mlpizza_lint.verify.failures import kind_of, subject_of
from mlpizza_lint.verify.outputs import first_difference, shown_text
from mlpizza_lint.verify.predictions import predicting


def stdout(text: str) -> dict[str, object]:
    return {"output_type": "stream", "name": "stdout", "text": text}


def result(text: str) -> dict[str, object]:
    return {"output_type": "execute_result", "data": {"text/plain": text}, "metadata": {}}


@pytest.mark.parametrize(
    ("saved", "rerun"),
    [
        ("<object object at 0x7f3a2c1b9e40>", "<object object at 0x7f0012345678>"),
        ("2024-03-01 10:22:31.512345", "2026-12-01 23:00:00.000001"),
        ("Wall time: 2.31 s\n42", "Wall time: 1.02 s\n42"),
        ("epoch done in 3.2s", "epoch done in 4.7s"),
        ("0.30000000000000004", "0.3"),
        ("loss 0.6931471805599453", "loss 0.6931471805599"),
        (" 10%|█         | 1/10\r100%|██████████| 10/10 [00:01<00:00,  9.1it/s]\ndone", "done"),
        ("\x1b[31mred\x1b[0m", "red"),
    ],
)
def test_what_changes_on_every_run_is_not_a_difference(saved: str, rerun: str) -> None:
    assert shown_text([stdout(saved)]) == shown_text([result(rerun)]), (saved, rerun)


@pytest.mark.parametrize(
    ("saved", "rerun"),
    [("0.844422", "0.5"), ("[1, 2]", "[1, 2, 3]"), ("accuracy 0.91", "accuracy 0.93")],
)
def test_a_real_change_is_a_difference(saved: str, rerun: str) -> None:
    difference = first_difference(
        {3: shown_text([result(saved)])}, {3: shown_text([result(rerun)])}
    )
    assert difference is not None and difference.cell == 3


def test_images_html_and_stderr_are_not_compared() -> None:
    saved = [
        {"output_type": "display_data", "data": {"image/png": "AAAA", "text/html": "<b>1</b>"}},
        {"output_type": "stream", "name": "stderr", "text": "DeprecationWarning: line 12\n"},
        stdout("ok\n"),
    ]
    rerun = [
        {"output_type": "display_data", "data": {"image/png": "BBBB", "text/html": "<i>2</i>"}},
        stdout("ok\n"),
    ]
    assert shown_text(saved) == shown_text(rerun) == "ok"


def test_the_first_differing_line_is_quoted() -> None:
    difference = first_difference({2: "a\nb\nc"}, {2: "a\nB\nc"})
    assert difference is not None and (difference.expected, difference.found) == ("b", "B")


@pytest.mark.parametrize(
    ("name", "value", "kind", "subject"),
    [
        ("NameError", "name 'model' is not defined", "name error", "model"),
        (
            "UnboundLocalError",
            "cannot access local variable 'n' where it is not associated with a value",
            "name error",
            "n",
        ),
        ("ModuleNotFoundError", "No module named 'sklearn.svm'", "missing module", "sklearn"),
        (
            "FileNotFoundError",
            "[Errno 2] No such file or directory: 'data/train.csv'",
            "missing file",
            "data/train.csv",
        ),
        ("OSError", "data/train.csv not found.", "other", None),
        (
            "URLError",
            "<urlopen error [Errno -3] Temporary failure in name resolution>",
            "network",
            None,
        ),
        ("ConnectionError", "HTTPSConnectionPool(host='x'): Max retries exceeded", "network", None),
        ("gaierror", "[Errno -2] Name or service not known", "network", None),
        ("RuntimeError", "Failed: Temporary failure in name resolution", "network", None),
        ("AttributeError", "'DataFrame' object has no attribute 'append'", "removed API", "append"),
        ("SyntaxError", "invalid syntax", "syntax error", None),
        ("ValueError", "could not convert string to float: 'a'", "other", None),
    ],
)
def test_failures_are_classified_by_a_table(
    name: str, value: str, kind: str, subject: str | None
) -> None:
    found = kind_of(SavedError(name, value, None))
    assert found.name == kind
    assert subject_of(SavedError(name, value, None), found) == subject


def finding(code: str, cell: int, line: int, message: str) -> Diagnostic:
    return Diagnostic(
        code, code.lower(), Severity.ERROR, message, "nb.ipynb", cell, Span(line, 1, line, 2)
    )


def test_a_finding_about_another_name_predicts_nothing() -> None:
    failure = SavedError("NameError", "name 'model' is not defined", 2)
    other = finding("MLP102", 4, 1, "`scaler` is not defined anywhere")
    assert predicting(failure, 4, [other]) is None
    about = finding("MLP101", 4, 2, "`model` is used here but first defined in cell 9")
    assert predicting(failure, 4, [other, about]) == about


def test_a_finding_in_the_failing_cell_beats_one_elsewhere() -> None:
    failure = SavedError("ModuleNotFoundError", "No module named 'torch'", 1)
    elsewhere = finding("MLP204", 2, 1, "`torch` is imported but is neither declared")
    here = finding("MLP204", 5, 1, "`torch` is imported but is neither declared")
    assert predicting(failure, 5, [elsewhere, here]) == here
    assert predicting(failure, 7, [elsewhere]) == elsewhere


def test_a_removed_submodule_is_foretold_by_mlp208_not_by_a_missing_declaration() -> None:
    failure = SavedError("ModuleNotFoundError", "No module named 'sklearn.cross_validation'", 1)
    undeclared = finding("MLP204", 3, 1, "`sklearn` is imported but is neither declared")
    removed = finding("MLP208", 3, 1, "`sklearn.cross_validation.KFold` was removed in ...")
    assert predicting(failure, 3, [undeclared, removed]) == removed


def test_a_cell_saved_with_the_same_exception_foretold_it() -> None:
    failure = SavedError("ZeroDivisionError", "division by zero", 2)
    saved = finding("MLP004", 6, 1, "`ZeroDivisionError: division by zero` was raised when ...")
    other = finding("MLP004", 6, 1, "`KeyError: 'x'` was raised when this cell last ran")
    assert predicting(failure, 6, [other]) is None
    assert predicting(failure, 6, [other, saved]) == saved
