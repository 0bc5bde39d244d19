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
    path.write_text("sklearn[alldeps]  # tested\nyaml>=6\ncv2\n", "utf-8")
    CliRunner().invoke(main, [str(path), "--select", "MLP206", "--fix"])
    # a version written for `yaml` and the several builds of cv2 make those fixes unsafe
    assert path.read_text("utf-8") == "scikit-learn[alldeps]  # tested\nyaml>=6\ncv2\n"
    CliRunner().invoke(main, [str(path), "--select", "MLP206", "--fix", "--unsafe-fixes"])
    assert path.read_text("utf-8").splitlines()[1:] == ["PyYAML>=6", "opencv-python"]


def test_the_old_sklearn_shim_still_installs_scikit_learn(tmp_path: Path) -> None:
    """Seen on a fresh repository: `sklearn==0.0` is the release that depends on
    scikit-learn, and renaming it would ask for scikit-learn 0.0."""
    path = tmp_path / "requirements.txt"
    path.write_text("scikit-learn==0.24.1\nsklearn==0.0\n", "utf-8")
    assert findings(path) == []
