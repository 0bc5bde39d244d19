"""MLP208 on notebooks written as files: removed APIs through imports, pins that keep old
versions, the fixes, and the table checked against the NumPy installed here."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import numpy
import pytest
from click.testing import CliRunner
from packaging.version import Version

from mlpizza_lint.analysis.library_apis import REMOVED_APIS
from mlpizza_lint.cli.main import main


def notebook(folder: Path, *sources: str) -> Path:
    path = folder / "nb.ipynb"
    nbformat.write(
        nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(s) for s in sources]), path
    )
    return path


def found(path: Path, *arguments: str) -> list[tuple[int, int, str]]:
    result = CliRunner().invoke(
        main, [str(path), "--select", "MLP208", "--format", "json", *arguments]
    )
    return [(f["cell"], f["line"], f["message"].split("`")[1]) for f in json.loads(result.stdout)]


def test_names_calls_keywords_and_imports_through_aliases(tmp_path: Path) -> None:
    path = notebook(
        tmp_path,
        "import numpy as np\nimport pandas as pd\nimport tensorflow as tf",
        "x = np.zeros(2, dtype=np.float)\ny = np.int64(3)\nz = np.nan",
        "df = pd.read_csv('a.csv', error_bad_lines=False)\nsession = tf.Session()",
        "from sklearn.cross_validation import train_test_split",
    )
    assert found(path) == [
        (2, 1, "np.float"),
        (3, 1, "pd.read_csv(error_bad_lines=...)"),
        (3, 2, "tf.Session"),
        (4, 1, "sklearn.cross_validation.train_test_split"),
    ]


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("requirements.txt", "numpy==1.23.5\n"),
        ("requirements.txt", "numpy<1.24\n"),
        ("pyproject.toml", '[tool.poetry.dependencies]\nnumpy = "~1.21"\n'),
        ("environment.yml", "dependencies:\n  - numpy=1.21\n"),
    ],
)
def test_a_project_that_keeps_the_old_version_is_not_told(
    tmp_path: Path, name: str, text: str
) -> None:
    (tmp_path / name).write_text(text, encoding="utf-8")
    path = notebook(tmp_path, "import numpy as np\nx = np.float(2)")
    assert found(path) == []


def test_a_project_that_allows_the_new_version_is_told(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("numpy>=1.21\n", encoding="utf-8")
    assert found(notebook(tmp_path, "import numpy as np\nx = np.float(2)")) == [(1, 2, "np.float")]


def test_what_the_notebook_installs_or_means_otherwise_is_left_alone(tmp_path: Path) -> None:
    pinned = notebook(tmp_path, "!pip install numpy==1.23.5\nimport numpy as np\nx = np.float(1)")
    assert found(pinned) == []
    ambiguous = notebook(
        tmp_path, "import datetime\ndatetime.datetime.now()", "from pandas import datetime"
    )
    assert found(ambiguous) == [(2, 1, "pandas.datetime")]  # the import itself, not cell 1
    compat = notebook(tmp_path, "import tensorflow.compat.v1 as tf\ns = tf.Session()")
    assert found(compat) == []


def test_the_fix_spells_the_replacement_with_the_notebooks_alias(tmp_path: Path) -> None:
    path = notebook(
        tmp_path,
        "import numpy as np\nimport tensorflow as tf",
        "a = np.NaN\nb = np.float(2)\ns = tf.Session()\nc = np.NINF",
    )
    CliRunner().invoke(main, [str(path), "--select", "MLP208", "--fix"])
    cells = nbformat.read(path, as_version=4).cells
    assert cells[1].source == "a = np.nan\nb = float(2)\ns = tf.compat.v1.Session()\nc = np.NINF"


NUMPY_ROWS = [row for row in REMOVED_APIS if row.distribution == "numpy"]


@pytest.mark.parametrize("row", NUMPY_ROWS, ids=lambda row: row.api)
def test_the_numpy_rows_are_gone_from_numpy_and_their_replacements_are_there(row) -> None:  # type: ignore[no-untyped-def]
    if Version(numpy.__version__) < Version(row.removed_in):
        pytest.skip(f"numpy {numpy.__version__} predates the removal")
    assert not hasattr(numpy, row.api.removeprefix("numpy."))
    if row.rename and row.rename.startswith("numpy."):
        assert hasattr(numpy, row.rename.removeprefix("numpy."))


def test_removed_style_names_and_keywords_of_plotting_calls(tmp_path: Path) -> None:
    path = notebook(
        tmp_path,
        "import matplotlib.pyplot as plt\nimport pandas as pd",
        "plt.style.use('seaborn-whitegrid')\nplt.style.use('seaborn-v0_8-whitegrid')\n"
        "plt.style.use('ggplot')\nplt.hist([1, 2], normed=True)",
        "index = pd.MultiIndex(levels=[[1]], labels=[[0]])",
    )
    assert found(path) == [
        (2, 1, "plt.style.use('seaborn-whitegrid')"),
        (2, 4, "plt.hist(normed=...)"),
        (3, 1, "pd.MultiIndex(labels=...)"),
    ]


def test_an_environment_file_in_a_conventional_folder_keeps_the_old_version(tmp_path: Path) -> None:
    """Seen on a fresh repository: a course pins TensorFlow 1 in `environments/` under
    another name than `environment.yml`; Binder's folder is read the same way."""
    (tmp_path / ".git").mkdir()
    (tmp_path / "environments").mkdir()
    (tmp_path / "environments" / "dl_env_linux.yml").write_text(
        "dependencies:\n  - python=3.6\n  - tensorflow==1.0.0\n", encoding="utf-8"
    )
    (tmp_path / "lesson").mkdir()
    path = notebook(tmp_path / "lesson", "import tensorflow as tf\nsession = tf.Session()")
    assert found(path) == []
    (tmp_path / "environments" / "dl_env_linux.yml").unlink()
    (tmp_path / "binder").mkdir()
    (tmp_path / "binder" / "requirements.txt").write_text("tensorflow==1.15.0\n", "utf-8")
    assert found(path) == []
