"""MLP202/MLP203 and MLP000 on dependency files, through the command line and the corpus."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from mlpizza_lint.api import Overrides, check_paths
from mlpizza_lint.cli.main import main
from mlpizza_lint.config import ConfigError, find_settings
from mlpizza_lint.engine import lint_file

from .conftest import ROOT, NotebookWriter
from .snapshots import assert_snapshot


def findings(*args: str) -> list[tuple[str, int, str]]:
    result = CliRunner().invoke(main, [*args, "--format", "json", "-j", "1"])
    return [(Path(d["path"]).name, d["line"], d["code"]) for d in json.loads(result.output)]


def test_folders_are_searched_for_dependency_files(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("pandas\nnumpy==1.26.4\n-r dev.txt\n")
    (tmp_path / "requirements.in").write_text("pandas\n")  # a lock-step input
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\nversion = "1"\ndependencies = ["requests", "rich>=13"]\n'
    )
    assert findings(str(tmp_path)) == [
        ("pyproject.toml", 4, "MLP202"),
        ("requirements.txt", 1, "MLP202"),
        ("requirements.txt", 3, "MLP000"),
    ]


def test_loose_pins_only_when_selected(tmp_path: Path) -> None:
    path = tmp_path / "requirements.txt"
    path.write_text("rich>=13\nnumpy==1.26.4\nscipy  # noqa: MLP202\nbad line here\nattrs\n")
    assert findings(str(path)) == [
        ("requirements.txt", 4, "MLP000"),
        ("requirements.txt", 5, "MLP202"),
    ]
    assert ("requirements.txt", 1, "MLP203") in findings(str(path), "--extend-select", "MLP203")


def test_dependency_findings_on_real_files(corpus: Path) -> None:
    folder = corpus / "requirements"
    report = check_paths(
        [str(folder)], Overrides(select=("MLP000", "MLP202", "MLP203", "MLP206", "MLP6"))
    )
    lines = [
        f"{Path(d.path).relative_to(folder)}:{d.span.line}:{d.span.column} {d.code} {d.message}"
        for d in report.diagnostics
    ]
    assert_snapshot("corpus_requirements.txt", lines)


def test_inline_installs_without_versions(tmp_path: Path) -> None:
    import nbformat

    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_code_cell("!pip install -q numpy 'pandas==2.2.2' git+https://x/y.git"),
        nbformat.v4.new_code_cell("%conda install scipy"),
    ]
    path = tmp_path / "nb.ipynb"
    nbformat.write(notebook, path)
    result = CliRunner().invoke(main, [str(path), "--select", "MLP202", "--format", "json"])
    assert [(d["cell"], d["message"].split("`")[1]) for d in json.loads(result.output)] == [
        (1, "numpy"),
        (1, "git+https://x/y.git"),
    ]


def test_exact_pinning_in_the_configuration(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.mlpizza-lint]\npinning = "exact"\n')
    (tmp_path / "requirements.txt").write_text("rich>=13\nnumpy==1.26.4\n")
    assert findings(str(tmp_path / "requirements.txt")) == [("requirements.txt", 1, "MLP203")]
    other = tmp_path / "other"  # settings are cached per folder for the life of a process
    other.mkdir()
    (other / "pyproject.toml").write_text('[tool.mlpizza-lint]\npinning = "strict"\n')
    (other / "requirements.txt").write_text("rich>=13\n")
    result = CliRunner().invoke(main, [str(other / "requirements.txt")])
    assert result.exit_code == 2 and "pinning must be one of 'any', 'exact'" in result.stderr


def test_missing_requirements_map_imports_to_distributions(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("-r base.txt\nscikit-learn==1.5.0\n")
    (tmp_path / "base.txt").write_text("opencv-python-headless==4.10.0.84\nPyYAML==6.0.1\n")
    (tmp_path / "helpers.py").write_text("X = 1\n")
    notebook = tmp_path / "analysis.py"
    notebook.write_text(
        "import os, json\nimport sklearn.linear_model\nimport cv2\nimport yaml\n"
        "import helpers\nfrom . import sibling\nimport polars as pl\nimport polars\n"
    )
    assert findings(str(notebook), "--select", "MLP204") == [("analysis.py", 7, "MLP204")]


def test_no_missing_requirement_without_any_dependency_file(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "analysis.py").write_text("import polars\n")
    assert findings(str(tmp_path / "analysis.py"), "--select", "MLP204") == []


def test_local_projects_are_not_asked_for_a_version(tmp_path: Path) -> None:
    path = tmp_path / "requirements.txt"
    path.write_text("-e .\n./libs/shared\nrequests\n")
    assert findings(str(path)) == [("requirements.txt", 3, "MLP202")]


def test_unsafe_fix_pins_the_installed_version(tmp_path: Path) -> None:
    from importlib.metadata import version

    path = tmp_path / "requirements.txt"
    path.write_text('click  # the CLI\nrich[jupyter] ; python_version > "3.8"\nnot-installed-x\n')
    path.chmod(0o640)
    preview = CliRunner().invoke(main, [str(path), "--diff", "--unsafe-fixes"])
    assert preview.exit_code == 1 and f"+click=={version('click')}  # the CLI" in preview.output
    CliRunner().invoke(main, [str(path), "--fix", "--unsafe-fixes"])
    assert path.read_text() == (
        f"click=={version('click')}  # the CLI\n"
        f'rich[jupyter]=={version("rich")} ; python_version > "3.8"\nnot-installed-x\n'
    )
    assert oct(path.stat().st_mode & 0o777) == "0o640"
    assert findings(str(path)) == [("requirements.txt", 3, "MLP202")]


@pytest.mark.parametrize(
    ("name", "content", "pinned"),
    [
        ("pyproject.toml", '[project]\ndependencies = ["click"]\n', '["click=={}"]'),
        ("pyproject.toml", '[tool.poetry.dependencies]\nclick = "*"\n', 'click = "{}"'),
        ("setup.cfg", "[options]\ninstall_requires =\n    click\n", "    click=={}"),
        ("Pipfile", "[packages]\nclick = '*'\n", "click = '=={}'"),
        ("environment.yml", "dependencies:\n  - pip:\n    - click\n", "    - click=={}"),
        (
            "Dockerfile",
            "FROM python:3.12\nRUN pip install --no-cache-dir click\nUSER app\n",
            "pip install --no-cache-dir click=={}",
        ),
    ],
)
def test_pin_fix_in_every_file_kind(tmp_path: Path, name: str, content: str, pinned: str) -> None:
    from importlib.metadata import version

    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    CliRunner().invoke(main, [str(path), "--fix", "--unsafe-fixes"])
    assert pinned.format(version("click")) in path.read_text(encoding="utf-8")
    assert findings(str(path)) == []


def test_conda_specs_get_no_pin_fix(tmp_path: Path) -> None:
    path = tmp_path / "environment.yml"
    path.write_text("dependencies:\n  - click\n", encoding="utf-8")
    result = CliRunner().invoke(main, [str(path), "--format", "json"])
    (finding,) = json.loads(result.output)
    assert finding["code"] == "MLP202" and finding["fix"] is None


def test_modules_near_the_notebook_are_not_requirements(
    tmp_path: Path, write_notebook: NotebookWriter
) -> None:
    (tmp_path / "requirements.txt").write_text("scikit-surprise==1.1.4\n")
    lessons = tmp_path / "lessons" / "week1"
    lessons.mkdir(parents=True)
    (tmp_path / "lessons" / "shared_plots.py").write_text("")
    (lessons / "data_prep").mkdir()
    (lessons / "data_prep" / "clean.py").write_text("")
    (lessons / "model_zoo.py").write_text("")
    path = write_notebook(
        "import shared_plots, model_zoo\nfrom data_prep.clean import run\nimport surprise",
        "%%writefile scoring.py\ndef score(): return 1",
        "import scoring\nimport utils\nimport cPickle\nimport polars",
        name="lessons/week1/nb.ipynb",
    )
    assert findings(str(path), "--select", "MLP204") == [("nb.ipynb", 4, "MLP204")]


def test_the_readme_configuration_is_valid_and_its_module_map_declares_imports(
    tmp_path: Path,
) -> None:
    """The table in the README, as written, read from a project's pyproject.toml."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("```toml\n[tool.mlpizza-lint]\n", 1)[1].split("```", 1)[0]
    (tmp_path / "pyproject.toml").write_text("[tool.mlpizza-lint]\n" + block, encoding="utf-8")
    declared = "earthengine-api==1.1.0\nmy-internal-utils==0.3\n"
    (tmp_path / "requirements.txt").write_text(declared, encoding="utf-8")
    script = tmp_path / "analysis.py"
    script.write_text("import ee\nimport mlplots\nimport unknownlib\n", encoding="utf-8")
    settings = find_settings(script)
    assert dict(settings.package_module_name_map)["my-internal-utils"] == ("mlutils", "mlplots")
    found = lint_file(str(script), settings.with_overrides(select=["MLP204"])).diagnostics
    assert [d.message.split("`")[1] for d in found] == ["unknownlib"]


def test_a_module_map_that_is_not_a_table_of_names_is_a_one_line_error(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        "[tool.mlpizza-lint]\npackage-module-name-map = [1]\n", encoding="utf-8"
    )
    with pytest.raises(ConfigError, match="package-module-name-map must be a table"):
        find_settings(tmp_path)


def test_a_notebooks_script_block_declares_for_mlp204(tmp_path: Path) -> None:
    import nbformat

    (tmp_path / "requirements.txt").write_text("numpy==1.26.4\n", encoding="utf-8")
    block = '# /// script\n# dependencies = ["pandas==2.2.2"]\n# ///\nimport numpy\nimport pandas'
    path = tmp_path / "nb.ipynb"
    cells = [nbformat.v4.new_code_cell(block), nbformat.v4.new_code_cell("import yaml")]
    nbformat.write(nbformat.v4.new_notebook(cells=cells), path)
    assert findings(str(path), "--select", "MLP204") == [("nb.ipynb", 1, "MLP204")]
