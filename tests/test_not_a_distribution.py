"""MLP206 on dependency files and inline installs: what is reported, what is left, the fix."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
from click.testing import CliRunner

from mlpizza_lint.cli.main import main


def findings(path: Path) -> list[tuple[int, str]]:
    result = CliRunner().invoke(main, [str(path), "--select", "MLP206", "--format", "json"])
    return [(item["line"], item["message"].split("`")[1]) for item in json.loads(result.stdout)]


def test_modules_placeholders_and_import_names_are_reported(tmp_path: Path) -> None:
    path = tmp_path / "requirements.txt"
    path.write_text(
        "datetime\nsklearn==1.4.2\nPIL>=10\nopencv-python\nnumpy==1.26.4\npytorch\n", "utf-8"
    )
    assert findings(path) == [(1, "datetime"), (2, "sklearn"), (3, "PIL"), (6, "pytorch")]


def test_what_is_right_or_cannot_be_judged_is_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "requirements.txt"
    path.write_text(
        "git+https://github.com/org/tool.git@v1.0#egg=tool\n"  # a URL scheme, not `git`
        "http://host/packages/pkg-1.0.tar.gz\n"
        'dataclasses; python_version < "3.7"\n'  # a backport with its marker
        "bs4==0.0.2\n"  # a working alias of beautifulsoup4
        "Cheetah==2.4.4\n"  # a real distribution outside the import table
        "PyYAML==6.0.1\n",
        "utf-8",
    )
    assert findings(path) == []
    conda = tmp_path / "environment.yml"
    conda.write_text("dependencies:\n  - pytorch=2.1\n  - pyyaml\n", "utf-8")
    assert findings(conda) == []  # conda's own names


def test_an_inline_install_of_an_import_name_is_reported(tmp_path: Path) -> None:
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("!pip install cv2")])
    path = tmp_path / "nb.ipynb"
    nbformat.write(notebook, path)
    assert findings(path) == [(1, "cv2")]


def test_the_fix_names_the_distribution_keeping_the_rest(tmp_path: Path) -> None:
    path = tmp_path / "requirements.txt"
    path.write_text("sklearn[alldeps]==1.4.2  # tested\nyaml>=6\ncv2\n", "utf-8")
    CliRunner().invoke(main, [str(path), "--select", "MLP206", "--fix"])
    # cv2 is provided by several builds: its fix is unsafe
    assert path.read_text("utf-8") == "scikit-learn[alldeps]==1.4.2  # tested\nPyYAML>=6\ncv2\n"
    CliRunner().invoke(main, [str(path), "--select", "MLP206", "--fix", "--unsafe-fixes"])
    assert path.read_text("utf-8").splitlines()[-1] == "opencv-python"
