"""The notebook-to-package checklist inside the cells (MLP105, MLP106, MLP303, MLP304,
MLP401, MLP402), on notebooks written as files and linted through the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from mlpizza_lint.cli.main import main

from .conftest import NotebookWriter


def lint(path: Path, select: str, *options: str) -> list[dict[str, object]]:
    result = CliRunner().invoke(
        main, [str(path), "--select", select, "--format", "json", "--exit-zero", *options]
    )
    assert result.exit_code == 0, result.output
    findings: list[dict[str, object]] = json.loads(result.stdout)
    return findings


def cells(path: Path, select: str) -> list[int]:
    return [int(str(finding["cell"])) for finding in lint(path, select)]


# MLP303 missing-data-input


def test_a_read_of_a_file_the_project_lacks_is_reported_once(
    write_notebook: NotebookWriter,
) -> None:
    path = write_notebook(
        "import pandas as pd\nDATA = 'datasets'\ntrain = pd.read_csv(f'{DATA}/train.csv')",
        "again = pd.read_csv('datasets/train.csv')",
    )
    [finding] = lint(path, "MLP303")
    assert finding["cell"] == 1
    assert "`datasets/train.csv` is read here" in str(finding["message"])


@pytest.mark.parametrize(
    "cells_before",
    [
        ("import pandas as pd\npd.DataFrame().to_csv('data/train.csv')",),
        ("!wget -q https://example.com/train.csv -O data/train.csv",),
        ("!mkdir -p data && curl -o data/train.csv https://example.com/train.csv",),
        ("import urllib.request\nurllib.request.urlretrieve('https://e.com/t', 'data/train.csv')",),
        ("def fetch(url, path):\n    ...\nfetch('https://example.com/t.csv', 'data/train.csv')",),
        ("import zipfile\nzipfile.ZipFile('data.zip').extractall('data')",),
        ("!python prepare_data.py",),
        ("!git clone https://github.com/someone/data-repo data",),
        ("%run prepare.py",),
        ("import os\nos.chdir(base_dir)",),
    ],
)
def test_a_file_written_or_fetched_above_is_not_reported(
    write_notebook: NotebookWriter, cells_before: tuple[str, ...]
) -> None:
    path = write_notebook(*cells_before, "import pandas as pd\ndf = pd.read_csv('data/train.csv')")
    assert cells(path, "MLP303") == []


@pytest.mark.parametrize(
    "read",
    [
        "import os\nif os.path.exists('train.csv'):\n    df = pd.read_csv('train.csv')",
        "try:\n    df = pd.read_csv('train.csv')\nexcept FileNotFoundError:\n    df = None",
        "def load():\n    return pd.read_csv('train.csv')",
        "df = pd.read_csv('../input/titanic/train.csv')",
        "df = pd.read_csv(path)",
        "df = pd.read_csv('https://example.com/train.csv')",
        "df = pd.read_csv('/home/alice/train.csv')",
        "import glob\nframes = [pd.read_csv(f) for f in glob.glob('data/*.csv')]",
    ],
)
def test_reads_that_may_not_run_or_cannot_be_read_are_not_reported(
    write_notebook: NotebookWriter, read: str
) -> None:
    assert cells(write_notebook("import pandas as pd\n" + read), "MLP303") == []


def test_a_file_the_project_holds_or_dvc_tracks_is_not_reported(
    write_notebook: NotebookWriter, tmp_path: Path
) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "train.csv").write_text("a\n1\n")
    (tmp_path / "data" / "test.csv.dvc").write_text("outs:\n- path: test.csv\n")
    path = write_notebook(
        "import pandas as pd\nfrom pathlib import Path\nDATA = Path('data')\n"
        "train = pd.read_csv(DATA / 'train.csv')\ntest = pd.read_csv(DATA / 'test.csv')\n"
        "other = pd.read_csv(DATA / 'other.csv')"
    )
    assert [str(f["message"]).split("`")[1] for f in lint(path, "MLP303")] == ["data/other.csv"]


def test_a_file_another_project_file_writes_is_not_reported(
    write_notebook: NotebookWriter, tmp_path: Path
) -> None:
    (tmp_path / "prepare.py").write_text("frame.to_parquet('features.parquet')\n")
    path = write_notebook("import pandas as pd\ndf = pd.read_parquet('features.parquet')")
    assert cells(path, "MLP303") == []
    (tmp_path / "prepare.py").write_text("print('features.parquet')\n")  # names it only
    assert cells(path, "MLP303") == [1]


def test_a_read_before_the_cell_that_writes_it_says_so(write_notebook: NotebookWriter) -> None:
    path = write_notebook(
        "import pandas as pd\ndf = pd.read_csv('clean.csv')",
        "df.to_csv('clean.csv')",
    )
    [finding] = lint(path, "MLP303")
    assert "cell 2 below writes it" in str(finding["message"])


def test_an_ignored_data_folder_is_named_in_the_message(
    write_notebook: NotebookWriter, tmp_path: Path
) -> None:
    (tmp_path / ".gitignore").write_text("# data is large\ndata/\n")
    path = write_notebook("import numpy as np\nx = np.load('data/features.npy')")
    [finding] = lint(path, "MLP303")
    assert "`.gitignore`: `data/`" in str(finding["message"])


def test_a_chdir_moves_where_relative_reads_start(
    write_notebook: NotebookWriter, tmp_path: Path
) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "train.csv").write_text("a\n1\n")
    path = write_notebook(
        "import os\nimport pandas as pd\nos.chdir('data')\ndf = pd.read_csv('train.csv')",
        "%cd ..\nmissing = pd.read_csv('train.csv')",
    )
    assert cells(path, "MLP303") == [2]


# MLP304 unpinned-download


@pytest.mark.parametrize(
    ("source", "reported"),
    [
        ("model = AutoModel.from_pretrained('bert-base-uncased')", True),
        ("model = AutoModel.from_pretrained('bert-base-uncased', revision='a' * 40)", False),
        ("model = AutoModel.from_pretrained('./checkpoints/best')", False),
        ("from datasets import load_dataset\nds = load_dataset('imdb')", True),
        ("from datasets import load_dataset\nds = load_dataset('csv', data_files='a.csv')", False),
        ("!wget https://example.com/data/train.zip", True),
        ("!wget https://github.com/o/r/releases/download/v1.0/train.zip", False),
        ("!curl -fsSL https://example.com/key.gpg | sudo apt-key add -", False),
        ("!kaggle datasets download -d owner/dataset", True),
        ("!kaggle competitions download -c titanic", False),
        ("import nltk\nnltk.download('punkt')", True),
        ("from torchvision import datasets\nds = datasets.MNIST('data', download=True)", False),
        ("import tensorflow as tf\ntf.keras.utils.get_file('a.zip', 'https://e.com/a.zip')", True),
        (
            "import tensorflow as tf\n"
            "tf.keras.utils.get_file('a.zip', 'https://e.com/a.zip', file_hash='ab12')",
            False,
        ),
        ("import torch\nm = torch.hub.load('pytorch/vision', 'resnet18')", True),
        ("import torch\nm = torch.hub.load('pytorch/vision:v0.10.0', 'resnet18')", False),
        ("def get():\n    return AutoModel.from_pretrained('bert-base-uncased')", False),
    ],
)
def test_unpinned_downloads(write_notebook: NotebookWriter, source: str, reported: bool) -> None:
    path = write_notebook("from transformers import AutoModel", source)
    assert cells(path, "MLP304") == ([2] if reported else [])


def test_a_checksum_anywhere_pins_the_url_downloads(write_notebook: NotebookWriter) -> None:
    path = write_notebook(
        "!wget https://example.com/data/train.zip",
        "!sha256sum -c train.zip.sha256",
    )
    assert cells(path, "MLP304") == []


# MLP401 commented-out-code


@pytest.mark.parametrize(
    "comment",
    [
        "# import libraries",
        "# Note: slow on CPU",
        "# model",
        "# sklearn.metrics",
        "# TODO(alice)",
        "# 1) load the data",
        "# %%time",
        "# !pip install pandas",
        "# noqa: E501",
        "#| export",
        "#@title Settings",
        "# In[3]:",
        "# https://example.com/page",
        "# -----------------",
    ],
)
def test_prose_and_directives_are_not_code(write_notebook: NotebookWriter, comment: str) -> None:
    assert cells(write_notebook(f"{comment}\nx = 1"), "MLP401") == []


def test_a_block_is_one_finding_and_its_fix_deletes_it(
    write_notebook: NotebookWriter, tmp_path: Path
) -> None:
    path = write_notebook(
        "x = 1\n# Keep the outliers\n# for v in values:\n#     print(v,\n#           x)\ny = 2"
    )
    [finding] = lint(path, "MLP401")
    assert "3 lines of commented-out code" in str(finding["message"])
    CliRunner().invoke(main, [str(path), "--select", "MLP401", "--fix", "--unsafe-fixes"])
    source = json.loads(path.read_text())["cells"][0]["source"]
    assert "".join(source) == "x = 1\n# Keep the outliers\ny = 2"


# MLP402 unused-definition


@pytest.mark.parametrize(
    "use",
    [
        "df.apply(helper)",
        "getattr(module, 'helper')",
        "%timeit helper(1)",
        "result = helper(2)",
        "callbacks = [helper]",
    ],
)
def test_a_definition_any_cell_mentions_is_used(write_notebook: NotebookWriter, use: str) -> None:
    path = write_notebook("def helper(x):\n    return x", use)
    assert cells(path, "MLP402") == []


@pytest.mark.parametrize(
    "definition",
    [
        "@app.route('/')\ndef helper():\n    return 1",
        "def test_helper():\n    assert True",
        "#| export\ndef helper():\n    return 1",
        "__all__ = ['other']\ndef helper():\n    return 1",
    ],
)
def test_framework_test_and_exported_definitions_are_not_reported(
    write_notebook: NotebookWriter, definition: str
) -> None:
    assert cells(write_notebook(definition), "MLP402") == []


def test_an_unused_function_is_reported_once(write_notebook: NotebookWriter) -> None:
    path = write_notebook("def old(x):\n    return x", "def old(x):\n    return 2 * x", "y = 1")
    assert cells(path, "MLP402") == [1]


def test_python_files_are_modules_and_not_checked(tmp_path: Path) -> None:
    script = tmp_path / "helpers.py"
    script.write_text("def helper():\n    return 1\n")
    assert lint(script, "MLP402") == []


# MLP105 redefinition


def test_a_redefinition_after_a_use_is_reported(write_notebook: NotebookWriter) -> None:
    path = write_notebook(
        "def score(y):\n    return y", "a = score(1)", "def score(y):\n    return -y"
    )
    [finding] = lint(path, "MLP105")
    assert finding["cell"] == 3
    assert "cell 2 between them uses the first" in str(finding["message"])


@pytest.mark.parametrize(
    "cells_",
    [
        ("import numpy as np", "a = np.zeros(1)", "import numpy as np"),
        ("def f():\n    return 1", "a = f()", "def f():\n    return 1"),
        ("def f():\n    return 1", "a = 1", "def f():\n    return 2"),
        ("def f():\n    return 1\ndef f():\n    return 2", "a = f()"),
    ],
)
def test_same_code_unused_or_same_cell_redefinitions_are_not_reported(
    write_notebook: NotebookWriter, cells_: tuple[str, ...]
) -> None:
    assert cells(write_notebook(*cells_), "MLP105") == []


def test_a_redefinition_the_saved_run_used_first_is_reported(
    write_notebook: NotebookWriter,
) -> None:
    path = write_notebook(
        ("def f():\n    return 1", 3), ("def f():\n    return 2", 1), ("a = f()", 4)
    )
    [finding] = lint(path, "MLP105")
    assert "the saved run of cell 3 used cell 1's" in str(finding["message"])


# MLP106 non-idempotent-cell


def test_a_cell_that_rebinds_what_it_reads_from_above(write_notebook: NotebookWriter) -> None:
    path = write_notebook(
        "features = ['a']\ntotal = 0",
        "features = features + ['b']",
        "total = 0\nfor f in features:\n    total += 1",
        "total += 1",
    )
    assert cells(path, "MLP106") == [2, 4]


# MLP403 unseeded-randomness


@pytest.mark.parametrize(
    ("source", "reported"),
    [
        ("from sklearn.model_selection import train_test_split\na, b = train_test_split(X)", True),
        (
            "from sklearn.model_selection import train_test_split\n"
            "a, b = train_test_split(X, random_state=None)",
            False,
        ),
        ("from sklearn.model_selection import KFold\nfolds = KFold(5)", False),
        ("from sklearn.model_selection import KFold\nfolds = KFold(5, shuffle=True)", True),
        ("from sklearn.linear_model import LinearRegression\nm = LinearRegression()", False),
        ("import numpy as np\norder = np.random.permutation(10)", True),
        ("import numpy as np\nnp.random.seed(0)\norder = np.random.permutation(10)", False),
        ("import numpy as np\nx = np.random.rand(100)", False),
        ("from torch.utils.data import DataLoader\nloader = DataLoader(ds, shuffle=True)", True),
        ("from torch.utils.data import DataLoader\nloader = DataLoader(ds)", False),
        (
            "def split(X):\n    from sklearn.model_selection import train_test_split\n"
            "    return train_test_split(X)",
            False,
        ),
    ],
)
def test_unseeded_randomness(write_notebook: NotebookWriter, source: str, reported: bool) -> None:
    assert cells(write_notebook(source), "MLP403") == ([1] if reported else [])


def test_a_seed_function_seeds_everything(write_notebook: NotebookWriter) -> None:
    path = write_notebook(
        "from sklearn.ensemble import RandomForestClassifier\nseed_everything(1)",
        "model = RandomForestClassifier()",
    )
    assert cells(path, "MLP403") == []


def test_the_fix_passes_one_seed_constant(write_notebook: NotebookWriter) -> None:
    path = write_notebook(
        "import pandas as pd\nfrom sklearn.model_selection import train_test_split",
        "a, b = train_test_split(X,\n    test_size=0.2)",
        "from sklearn.cluster import KMeans\nk = KMeans()",
    )
    CliRunner().invoke(main, [str(path), "--select", "MLP403", "--fix", "--unsafe-fixes"])
    sources = ["".join(c["source"]) for c in json.loads(path.read_text())["cells"]]
    assert sources == [
        "import pandas as pd\nfrom sklearn.model_selection import train_test_split\nSEED = 42",
        "a, b = train_test_split(X,\n    test_size=0.2, random_state=SEED)",
        "from sklearn.cluster import KMeans\nk = KMeans(random_state=SEED)",
    ]
    assert cells(path, "MLP403") == []
