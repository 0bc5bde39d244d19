"""`mlpizza-lint graph`: edges from defining cell to using cell, in DOT and Mermaid."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from click.testing import CliRunner

from mlpizza_lint.analysis.context import LintContext
from mlpizza_lint.cli.main import main
from mlpizza_lint.notebook.documents import load_document
from mlpizza_lint.reporters.graph import Edge, dependency_graph

from .conftest import EXAMPLES, NotebookWriter


def edges_of(path: str) -> list[Edge]:
    return dependency_graph(LintContext(load_document(path)))[1]


def test_clean_notebook_graph_follows_the_cell_order() -> None:
    edges = edges_of(str(EXAMPLES / "clean_forecast.ipynb"))
    assert edges and all(edge.source < edge.target for edge in edges)


def test_edges_are_labelled_with_the_names_used(write_notebook: NotebookWriter) -> None:
    path = write_notebook("import numpy as np\nn = 3", "x = np.ones(n)", "print(x, n)")
    assert edges_of(str(path)) == [
        Edge(1, 2, ("n", "np")),
        Edge(1, 3, ("n",)),
        Edge(2, 3, ("x",)),
    ]


def test_use_before_define_is_a_backwards_edge() -> None:
    backwards = [
        edge for edge in edges_of(str(EXAMPLES / "churn_training.ipynb")) if edge.backwards
    ]
    assert backwards == [Edge(18, 17, ("evaluate",))]


def test_mermaid_output_marks_backwards_edges() -> None:
    result = CliRunner().invoke(
        main, ["graph", str(EXAMPLES / "churn_training.ipynb"), "--format", "mermaid"]
    )
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0] == "flowchart TD"
    assert '  c18 -.->|"evaluate"| c17' in lines
    assert any(line.startswith("  linkStyle ") and line.endswith("stroke:red") for line in lines)
    assert '  c8["cell 8: train_df[#quot;Churn#quot;].value_counts(normaliz…"]' in lines


@pytest.mark.skipif(shutil.which("dot") is None, reason="graphviz is not installed")
def test_dot_output_renders_with_graphviz() -> None:
    result = CliRunner().invoke(main, ["graph", str(EXAMPLES / "churn_training.ipynb")])
    assert result.exit_code == 0 and result.output.startswith('digraph "churn_training.ipynb"')
    rendered = subprocess.run(
        ["dot", "-Tsvg"], input=result.output, capture_output=True, text=True, check=True
    )
    assert "<svg" in rendered.stdout and "evaluate" in rendered.stdout


def test_graph_of_a_missing_file_is_a_one_line_error() -> None:
    result = CliRunner().invoke(main, ["graph", "missing.ipynb"])
    assert result.exit_code == 2
    assert result.stderr.strip() == "mlpizza-lint: error: missing.ipynb: No such file or directory"
