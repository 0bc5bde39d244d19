"""MLP001-MLP004 read one execution record; each false-positive class seen on notebooks the
rules were not written against has a small notebook here."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import nbformat
import pytest

from mlpizza_lint.api import Overrides, Report, check_paths

EXECUTION_RULES = ("MLP001", "MLP002", "MLP003", "MLP004")


def code(
    source: str,
    count: int | None = None,
    outputs: list[dict[str, Any]] | None = None,
    tags: list[str] | None = None,
    **metadata: Any,
) -> Any:
    cell = nbformat.v4.new_code_cell(source, execution_count=count)
    cell.outputs = [nbformat.from_dict(output) for output in outputs or []]
    if tags:
        metadata["tags"] = tags
    cell.metadata.update(metadata)
    return cell


def markdown(text: str = "Some text") -> Any:
    return nbformat.v4.new_markdown_cell(text)


def stream(text: str = "done\n") -> dict[str, Any]:
    return {"output_type": "stream", "name": "stdout", "text": text}


def result(count: int | None) -> dict[str, Any]:
    return {
        "output_type": "execute_result",
        "execution_count": count,
        "data": {"text/plain": "42"},
        "metadata": {},
    }


def error(name: str, value: str, last_line: str) -> dict[str, Any]:
    return {
        "output_type": "error",
        "ename": name,
        "evalue": value,
        "traceback": [
            "\x1b[0;31m-----------\x1b[0m",
            "\x1b[0;32m<ipython-input-3-1>\x1b[0m in \x1b[0;36m<module>\x1b[0m\n----> 1 x\n",
            last_line,
        ],
    }


def lint(tmp_path: Path, *cells: Any, codes: tuple[str, ...] = EXECUTION_RULES) -> Report:
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {"name": "python3", "language": "python"}
    notebook.cells = list(cells)
    path = tmp_path / "nb.ipynb"
    path.write_text(json.dumps(notebook), encoding="utf-8")
    return check_paths([str(path)], Overrides(select=codes))


def found(report: Report) -> list[tuple[str, int | None, str]]:
    return [(d.code, d.cell, d.message) for d in report.diagnostics]


def notes(report: Report) -> list[str]:
    return [note.partition(": ")[2] for note in report.notes]


# MLP001


def test_counts_of_zero_are_said_once_and_never_per_cell(tmp_path: Path) -> None:
    report = lint(tmp_path, code("a = 1", 0), code("b = a", 0), code("print(b)", 0))
    assert found(report) == []
    assert notes(report) == [
        "cells 1, 2 and 3 show In [0] or below, which Jupyter never writes (it counts from "
        "1): a tool wrote them, so when those cells ran cannot be checked from the file"
    ]


def test_zero_counts_are_left_out_of_the_order_of_real_ones(tmp_path: Path) -> None:
    report = lint(tmp_path, code("a = 1", 1), code("b = a", 0), code("print(b)", 2))
    assert found(report) == []


def test_a_duplicated_count_is_one_finding_that_says_what_it_means(tmp_path: Path) -> None:
    report = lint(
        tmp_path,
        code("import pandas as pd", 1),
        code("df = pd.DataFrame()", 2),
        code("df = pd.DataFrame()", 2),
        code("df.describe()", 3),
        codes=("MLP001",),
    )
    assert found(report) == [
        (
            "MLP001",
            3,
            "cells 2 and 3 both show In [2]: outputs from two sessions or a copied cell; "
            "restart the kernel and run all cells top to bottom before saving",
        )
    ]


def test_duplicates_of_two_sessions_are_one_finding_not_one_per_cell(tmp_path: Path) -> None:
    report = lint(
        tmp_path,
        *(code(f"x{n} = {n}", n) for n in (1, 2, 3)),
        *(code(f"y{n} = {n}", n) for n in (1, 2, 3)),
        codes=("MLP001",),
    )
    assert [(cell, message.partition(":")[0]) for _, cell, message in found(report)] == [
        (
            4,
            "3 counts are shown by more than one cell (In [1] in cells 1 and 4; In [2] in "
            "cells 2 and 5; In [3] in cells 3 and 6)",
        ),
    ]


def test_stripped_counts_are_said_once_with_the_way_to_check(tmp_path: Path) -> None:
    report = lint(tmp_path, code("a = 1"), code("b = a"), code("print(b)"))
    assert found(report) == []
    assert notes(report) == [
        "no code cell has an execution count (never run, or stripped), so the order the cells "
        "ran in cannot be checked from the file; running the notebook top to bottom can "
        "(`mlpizza-lint verify` will)"
    ]


# MLP002


def test_outputs_without_a_count_prove_the_cell_ran(tmp_path: Path) -> None:
    report = lint(
        tmp_path,
        code("import numpy as np", 1),
        code("print('seeded')", None, [stream()]),
        code("x = np.ones(3)", 3),
        codes=("MLP002",),
    )
    assert found(report) == []


def test_a_result_keeps_the_count_its_cell_lost(tmp_path: Path) -> None:
    report = lint(
        tmp_path,
        code("a = 1", 1),
        code("a + 1", None, [result(5)]),
        code("b = 2", 2),
        codes=("MLP001",),
    )
    assert [message.partition(" (")[0] for _, _, message in found(report)] == [
        "cell 2 ran after cell 3 below it"
    ]


def test_where_counts_are_dropped_for_cells_that_ran_a_missing_count_proves_nothing(
    tmp_path: Path,
) -> None:
    report = lint(
        tmp_path,
        code("import numpy as np", 1),
        code("x = np.ones(3)"),  # no output: it may have run, its count was dropped
        code("x.sum()", None, [result(None)]),
        code("x.mean()", 4),
        codes=("MLP002",),
    )
    assert found(report) == []
    assert notes(report) == [
        "cell 3 has outputs but no execution count: counts were not saved for every cell "
        "that ran, so cells without one are not reported as never run"
    ]


@pytest.mark.parametrize(
    "cleared",
    [
        code("x = 2", outputId="ab12"),
        code("x = 2", executionInfo={"status": "ok", "elapsed": 3}),
        code("x = 2", execution={"iopub.execute_input": "2024-01-01T00:00:00Z"}),
        code("x = 2", tags=["skip-execution"]),
        code("x = 2", nbgrader={"solution": True, "grade": False}),
    ],
    ids=["colab-output-id", "colab-execution-info", "jupyterlab-timing", "skip-tag", "nbgrader"],
)
def test_cells_cleared_or_left_unrun_on_purpose_are_not_never_run(
    tmp_path: Path, cleared: Any
) -> None:
    report = lint(tmp_path, code("x = 1", 1), cleared, code("print(x)", 2), codes=("MLP002",))
    assert found(report) == []


def test_a_count_on_an_empty_cell_alone_is_a_cleared_notebook(tmp_path: Path) -> None:
    report = lint(tmp_path, code("", 0), code("a = 1"), code("print(a)"), codes=("MLP002",))
    assert found(report) == []
    assert notes(report) == []


def test_a_cleared_notebook_with_one_stray_count_is_not_reported_cell_by_cell(
    tmp_path: Path,
) -> None:
    report = lint(
        tmp_path,
        code("a = 1"),
        code("b = a"),
        code("c = b"),
        code("print(c)", 1),
        codes=("MLP002",),
    )
    assert found(report) == []
    assert notes(report) == [
        "only 1 of 4 code cells ran (cell 4): read as a notebook saved cleared, so cells that "
        "never ran are not reported"
    ]


def test_a_notebook_not_run_to_the_end_is_one_finding(tmp_path: Path) -> None:
    report = lint(
        tmp_path,
        code("a = 1", 1),
        code("b = a", 2),
        markdown(),
        code("c = b"),
        code("print(c)"),
        code("# scratch"),
        codes=("MLP002",),
    )
    assert found(report) == [
        (
            "MLP002",
            4,
            "the notebook was saved before it ran to the end: the last 2 code cells (cells 4 "
            "and 5) never ran; restart the kernel and run all cells top to bottom before saving",
        )
    ]


# MLP003


def test_counts_renumbered_to_cell_positions_are_not_gaps(tmp_path: Path) -> None:
    report = lint(
        tmp_path,
        code("import os", 1),
        markdown(),
        code("path = os.getcwd()", 3),
        markdown(),
        code("print(path)", 5),
    )
    assert found(report) == []
    assert notes(report) == [
        "every execution count equals its cell's position (In [1] in cell 1, In [3] in cell 3, "
        "...): a tool renumbered them, so the order the cells ran in cannot be checked from "
        "the file"
    ]


def test_gaps_are_one_finding_that_lists_the_cells(tmp_path: Path) -> None:
    report = lint(
        tmp_path,
        code("a = 1", 2),
        code("b = a", 3),
        code("c = b", 6),
        code("print(c)", 9),
        codes=("MLP003",),
    )
    assert found(report) == [
        (
            "MLP003",
            1,
            "execution counts start at 2, not 1 (cell 1); jump from 3 to 6 (cell 3); jump "
            "from 6 to 9 (cell 4): 5 runs are not in the notebook (cells deleted or re-run); "
            "restart the kernel and run all cells top to bottom before saving",
        )
    ]


# MLP004


@pytest.mark.parametrize(
    "demo",
    [
        code(
            "1 / 0",
            2,
            [error("ZeroDivisionError", "division by zero", "ZeroDivisionError: division by zero")],
            tags=["raises-exception"],
        ),
        code(
            "# This raises a ZeroDivisionError\n1 / 0",
            2,
            [error("ZeroDivisionError", "division by zero", "ZeroDivisionError: x")],
        ),
        code(
            "# expected to fail: no such column\ndf['x']",
            2,
            [error("KeyError", "'x'", "KeyError: 'x'")],
        ),
    ],
    ids=["raises-exception-tag", "comment-raises", "comment-expected-to-fail"],
)
def test_deliberate_error_demos_are_not_reported(tmp_path: Path, demo: Any) -> None:
    report = lint(tmp_path, code("import pandas as pd", 1), demo, codes=("MLP004",))
    assert found(report) == []


def test_a_colab_ignored_value_is_read_from_the_traceback(tmp_path: Path) -> None:
    saved = error("KeyError", "ignored", "\x1b[0;31mKeyError\x1b[0m: 'RecentDelays'")
    report = lint(tmp_path, code("df['RecentDelays']", 1, [saved]), codes=("MLP004",))
    assert found(report) == [
        (
            "MLP004",
            1,
            "`KeyError: 'RecentDelays'` was raised when this cell last ran; fix the cell and "
            "re-run it, or tag it `raises-exception` if the error is a demo",
        )
    ]
