"""MLP209 on projects written as files: pandas calls that need an undeclared distribution."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
from click.testing import CliRunner

from mlpizza_lint.cli.main import main


def project(folder: Path, requirements: str | None, *sources: str) -> Path:
    if requirements is not None:
        (folder / "requirements.txt").write_text(requirements, encoding="utf-8")
    path = folder / "nb.ipynb"
    cells = [nbformat.v4.new_code_cell(source) for source in sources]
    nbformat.write(nbformat.v4.new_notebook(cells=cells), path)
    return path


def found(path: Path, *arguments: str) -> list[tuple[int, str]]:
    result = CliRunner().invoke(
        main, [str(path), "--select", "MLP209", "--format", "json", *arguments]
    )
    return [(item["cell"], item["message"].split("`")[3]) for item in json.loads(result.stdout)]


def test_each_missing_distribution_once_at_its_first_call(tmp_path: Path) -> None:
    path = project(
        tmp_path,
        "pandas==2.2.2\n",
        "import pandas as pd\nframe = pd.read_excel('in.xlsx')",
        "frame.to_excel('out.xlsx')\nframe.to_parquet('out.parquet')\nprint(frame.to_markdown())",
    )
    assert found(path) == [(1, "openpyxl"), (2, "pyarrow"), (2, "tabulate")]


def test_an_alternative_declared_or_installed_is_enough(tmp_path: Path) -> None:
    path = project(
        tmp_path,
        "pandas==2.2.2\nfastparquet==2024.2.0\nxlsxwriter==3.2.0\n",
        "!pip install tabulate==0.9.0\nimport pandas as pd\ndf = pd.DataFrame()",
        "df.to_parquet('a.parquet')\ndf.to_excel('a.xlsx')\ndf.to_markdown()",
    )
    assert found(path) == []


def test_without_pandas_or_without_declarations_it_is_not_this_rules_business(
    tmp_path: Path,
) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    no_pandas = project(
        tmp_path / "a", "polars==1.0\n", "import polars as pl\nreport.to_excel('x')"
    )
    undeclared = project(tmp_path / "b", None, "import pandas as pd\nframe.to_excel('x')")
    assert found(no_pandas) == [] and found(undeclared) == []


def test_the_fix_declares_the_first_alternative(tmp_path: Path) -> None:
    path = project(
        tmp_path,
        "pandas==2.2.2\n",
        "import pandas as pd\nframe = pd.DataFrame()\nframe.to_excel('x')",
    )
    CliRunner().invoke(main, [str(path), "--select", "MLP209", "--fix", "--unsafe-fixes"])
    assert (tmp_path / "requirements.txt").read_text(encoding="utf-8").splitlines()[0:2] == [
        "pandas==2.2.2",
        "openpyxl",
    ]
