"""MLP205 on projects written as files: one finding per project, what counts, the fix."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest


def notebook(path: Path, *sources: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(
        nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(s) for s in sources]), path
    )
    return path


def lint(folder: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mlpizza_lint", "check", *arguments],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=120,
    )


def findings(folder: Path, *arguments: str) -> list[dict[str, object]]:
    done = lint(folder, "--select", "MLP205", "--format", "json", *arguments)
    assert "Traceback" not in done.stderr, done.stderr
    return [item for item in json.loads(done.stdout)]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A git project of two notebooks and a helper module, declaring nothing."""
    (tmp_path / ".git").mkdir()
    notebook(
        tmp_path / "notebooks" / "train.ipynb",
        "!pip install transformers==4.41.0\nimport numpy as np\nimport transformers",
        "try:\n    import ujson as json\nexcept ImportError:\n    import json",
        "import helpers\nfrom sklearn.svm import SVC\nimport missing_helper_module",
    )
    notebook(
        tmp_path / "notebooks" / "eval.ipynb",
        "import numpy\nimport os, sys\nimport torch\nimport transformers",
    )
    (tmp_path / "notebooks" / "helpers.py").write_text("import scipy.stats\n", encoding="utf-8")
    return tmp_path


def test_one_finding_for_the_project_naming_packages_and_files(project: Path) -> None:
    (found,) = findings(project, ".")
    assert (found["path"], found["cell"], found["line"]) == (".", None, 1)
    assert str(found["message"]).startswith(
        "`numpy` (notebooks/eval.ipynb and 1 more), `scipy` (notebooks/helpers.py), "
        "`sklearn` (notebooks/train.ipynb), `torch` (notebooks/eval.ipynb), "
        "`transformers` (notebooks/eval.ipynb) imported, but the project declares no dependency"
    )
    text = lint(project, ".", "--select", "MLP205").stdout
    assert text.count("MLP205") == 1
    assert "Found 1 problem (1 error, 0 warnings) in 3 of 3 files." in text


def test_linting_one_notebook_reports_the_whole_project(project: Path) -> None:
    (found,) = findings(project / "notebooks", "eval.ipynb")
    assert found["path"] == ".." and "`sklearn` (notebooks/train.ipynb)" in str(found["message"])


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("requirements.txt", "numpy==1.26.4\n"),
        ("pyproject.toml", "[project]\nname = 'x'\nversion = '1'\n"),
        ("environment.yml", "dependencies:\n  - numpy=1.26\n"),
        ("Dockerfile", "FROM python:3.11-slim\nRUN pip install numpy==1.26.4\n"),
    ],
)
def test_any_dependency_file_is_a_declaration(project: Path, name: str, text: str) -> None:
    (project / name).write_text(text, encoding="utf-8")
    assert findings(project, ".") == []


def test_a_script_block_is_a_declaration(project: Path) -> None:
    notebook(
        project / "notebooks" / "train.ipynb",
        "# /// script\n# dependencies = ['numpy']\n# ///\nimport numpy",
    )
    notebook(project / "notebooks" / "eval.ipynb", "import numpy")
    (project / "notebooks" / "helpers.py").unlink()
    assert findings(project, ".") == []


def test_standard_library_own_and_optional_modules_are_no_dependency(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "utils.py").write_text("import os\n", encoding="utf-8")
    notebook(
        tmp_path / "a.ipynb",
        "import os, json\nimport utils",
        "try:\n    import ujson\nexcept ImportError:\n    ujson = None",
    )
    assert findings(tmp_path, ".") == []


def test_without_git_each_folder_is_a_project_of_its_own_files(tmp_path: Path) -> None:
    notebook(tmp_path / "a" / "one.ipynb", "import pandas")
    notebook(tmp_path / "a" / "b" / "two.ipynb", "import torch")
    found = findings(tmp_path, ".")
    assert sorted((f["path"], str(f["message"]).split(" imported")[0]) for f in found) == [
        ("a", "`pandas` (one.ipynb)"),
        ("a/b", "`torch` (two.ipynb)"),
    ]


def test_the_fix_writes_requirements_and_the_finding_goes(project: Path) -> None:
    done = lint(project, ".", "--select", "MLP205", "--fix", "--unsafe-fixes")
    assert done.returncode == 0, done.stdout + done.stderr
    lines = (project / "requirements.txt").read_text(encoding="utf-8").splitlines()
    from importlib.metadata import version

    assert lines == [
        f"numpy=={version('numpy')}",
        "scipy  # not installed where this was fixed: pin the version you tested",
        "scikit-learn  # not installed where this was fixed: pin the version you tested",
        "torch  # not installed where this was fixed: pin the version you tested",
        "transformers==4.41.0",
    ]
    assert findings(project, ".") == []


def test_a_subfolder_that_declares_is_a_project_of_its_own(project: Path) -> None:
    notebook(project / "service" / "api.ipynb", "import fastapi")
    (project / "service" / "requirements.txt").write_text("fastapi==0.110.0\n", encoding="utf-8")
    (found,) = findings(project, ".")
    assert found["path"] == "." and "fastapi" not in str(found["message"])
    assert findings(project / "service", "api.ipynb") == []


def test_a_setup_script_declares_its_folder(project: Path) -> None:
    """Seen on a fresh repository: a package folder with a `setup.py` is a project of its
    own, and a root with one declares there (the script is never run)."""
    (project / "pkg").mkdir()
    (project / "pkg" / "setup.py").write_text(
        "from setuptools import setup\nsetup(name='pkg', install_requires=['requests'])\n",
        encoding="utf-8",
    )
    (project / "pkg" / "client.py").write_text("import requests\n", encoding="utf-8")
    (found,) = findings(project, ".")
    assert "setuptools" not in str(found["message"]) and "requests" not in str(found["message"])
    (project / "setup.py").write_text("from setuptools import setup\nsetup()\n", encoding="utf-8")
    assert findings(project, ".") == []


def test_what_a_notebook_installs_itself_is_not_counted(tmp_path: Path) -> None:
    """Seen on fresh set 14: a collection of tutorials, each installing what it uses
    (MLP201 reports each install); the project declares nothing, yet each one runs."""
    (tmp_path / ".git").mkdir()
    notebook(tmp_path / "a.ipynb", "!pip install -q supervision==0.23.0\nimport supervision")
    notebook(tmp_path / "b.ipynb", "%pip install faker qdrant-client\nimport faker, qdrant_client")
    assert findings(tmp_path, ".") == []
    notebook(tmp_path / "c.ipynb", "import supervision\nimport pandas")
    (found,) = findings(tmp_path, ".")
    assert str(found["message"]).startswith(
        "`pandas` (c.ipynb), `supervision` (c.ipynb) imported, but the project declares"
    )


def test_what_a_sub_project_declares_is_not_counted(project: Path) -> None:
    """Seen on fresh set 14: a repository of sub-projects, whose shared examples import
    what a sub-project's requirements declare."""
    (project / "server").mkdir()
    (project / "server" / "requirements.txt").write_text(
        "numpy==1.26.4\ntorch==2.3.0\nscipy==1.13.0\n", encoding="utf-8"
    )
    notebook(project / "server" / "app.ipynb", "import numpy")
    (found,) = findings(project, ".")
    assert str(found["message"]).startswith(
        "`sklearn` (notebooks/train.ipynb), `transformers` (notebooks/eval.ipynb) imported by "
        "files in no folder that declares dependencies"
    )


def test_colab_notebooks_and_bash_installs_are_not_counted(tmp_path: Path) -> None:
    """Seen on fresh set 15: a collection of Colab notebooks that install what Colab lacks
    (the rest is Colab's), and an install in a `%%bash` cell (MLP201 reports it)."""
    (tmp_path / ".git").mkdir()
    badge = "[![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](x)"
    notebook(tmp_path / "colab.ipynb", "!pip install -q torch_geometric", "import numpy, torch")
    data = json.loads((tmp_path / "colab.ipynb").read_text())
    data["cells"].insert(0, {"cell_type": "markdown", "metadata": {}, "source": badge})
    (tmp_path / "colab.ipynb").write_text(json.dumps(data))
    notebook(
        tmp_path / "obs.ipynb", '%%bash\npip install -q "arize-phoenix>=4.29.0"', "import phoenix"
    )
    assert findings(tmp_path, ".") == []


def test_a_badge_alone_does_not_make_a_notebook_colab_s(tmp_path: Path) -> None:
    """A book whose notebooks also open in Colab is still run from a clone."""
    (tmp_path / ".git").mkdir()
    badge = "[![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](x)"
    notebook(tmp_path / "ch1.ipynb", "import numpy as np")
    data = json.loads((tmp_path / "ch1.ipynb").read_text())
    data["cells"].insert(0, {"cell_type": "markdown", "metadata": {}, "source": badge})
    (tmp_path / "ch1.ipynb").write_text(json.dumps(data))
    (found,) = findings(tmp_path, ".")
    assert str(found["message"]).startswith("`numpy` (ch1.ipynb) imported")
