"""False-positive classes found by judging findings on fresh public notebooks, each as a
small synthetic notebook: the false case stays silent, the true case beside it is still
reported."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest
from click.testing import CliRunner

from mlpizza_lint.cli.main import main

from .conftest import NotebookWriter


def found(path: Path, select: str) -> list[tuple[int, str]]:
    """(cell, the name or path in backticks) of each finding."""
    result = CliRunner().invoke(
        main, [str(path), "--select", select, "--format", "json", "--exit-zero"]
    )
    return [(d["cell"], [*d["message"].split("`"), ""][1]) for d in json.loads(result.stdout)]


@pytest.mark.parametrize(
    ("guarded", "unguarded"),
    [
        ("if 'job_id' in globals():\n    print(job_id)", "print(job_id)"),
        ('if "job_id" in dir() and job_id:\n    print(job_id)', "print(job_id)"),
        ("try:\n    print(job_id)\nexcept NameError:\n    pass", "print(job_id)"),
        ("try:\n    del job_id\nexcept Exception:\n    pass", "del job_id"),
    ],
)
def test_a_read_guarded_against_the_missing_name_is_not_reported(
    write_notebook: NotebookWriter, guarded: str, unguarded: str
) -> None:
    path = write_notebook(guarded, unguarded, "job_id = 1")
    assert found(path, "MLP101,MLP102") == [(2, "job_id")]


def test_a_try_whose_handler_is_another_error_still_reads(write_notebook: NotebookWriter) -> None:
    path = write_notebook("try:\n    print(job_id)\nexcept KeyError:\n    pass")
    assert found(path, "MLP102") == [(1, "job_id")]


COLAB_ONLY = "from google.colab import drive\ndrive.mount('/content/drive')"


@pytest.mark.parametrize(
    "guarded",
    [
        "import sys\nif 'google.colab' in sys.modules:\n"
        "    from google.colab import drive\n    drive.mount('/content/drive')",
        "try:\n    from google.colab import drive\n    drive.mount('/content/drive')\n"
        "    IN_COLAB = True\nexcept ImportError:\n    IN_COLAB = False",
    ],
)
def test_a_service_call_with_a_way_out_is_not_reported(
    write_notebook: NotebookWriter, guarded: str
) -> None:
    path = write_notebook(guarded, COLAB_ONLY)
    assert found(path, "MLP302") == [(2, "drive.mount")]


def test_a_try_that_reraises_keeps_the_call_required(write_notebook: NotebookWriter) -> None:
    path = write_notebook(
        "try:\n    from google.colab import drive\n    drive.mount('/content/drive')\n"
        "except ImportError:\n    raise"
    )
    assert found(path, "MLP302") == [(1, "drive.mount")]


@pytest.mark.parametrize(
    "fallback",
    [
        "WORK = Path('/kaggle/working') if Path('/kaggle/working').exists() else Path('.')",
        "DATA = Path(os.environ.get('DATA_DIR', '/kaggle/input/comp'))",
        "if os.path.isdir('/content/drive'):\n    base = '/content/drive/MyDrive'\n"
        "else:\n    base = 'data'",
        "ROOTS = [Path('/kaggle/input/comp'), Path('data/comp')]\n"
        "ROOT = next((p for p in ROOTS if p.exists()), ROOTS[-1])",
    ],
)
def test_a_path_with_a_fallback_is_not_reported(
    write_notebook: NotebookWriter, fallback: str
) -> None:
    path = write_notebook(
        f"import os\nfrom pathlib import Path\n{fallback}", "X = '/home/alice/x.csv'"
    )
    assert found(path, "MLP301") == [(2, "/home/alice/x.csv")]


def test_a_path_under_an_unrelated_existence_check_is_reported(
    write_notebook: NotebookWriter,
) -> None:
    path = write_notebook(
        "import os\nif os.path.exists(config):\n    model = '/home/ec2-user/models/' + name"
    )
    assert found(path, "MLP301") == [(1, "/home/ec2-user/models/")]


def test_paths_that_are_all_machine_specific_are_no_alternatives(
    write_notebook: NotebookWriter,
) -> None:
    path = write_notebook("FILES = ['/home/a/x.csv', '/home/a/y.csv']")
    assert found(path, "MLP301") == [(1, "/home/a/x.csv"), (1, "/home/a/y.csv")]


def _databricks(tmp_path: Path, *sources: str) -> Path:
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["application/vnd.databricks.v1+notebook"] = {"language": "python"}
    notebook.cells = [nbformat.v4.new_code_cell(source) for source in sources]
    path = tmp_path / "export.ipynb"
    path.write_text(json.dumps(notebook), encoding="utf-8")
    return path


def test_a_databricks_export_knows_its_predefined_names_and_cell_languages(
    tmp_path: Path,
) -> None:
    path = _databricks(
        tmp_path,
        "df = spark.table('t')\ndisplay(df)\nsc.parallelize([1])",
        "%sql\nSELECT * FROM t WHERE x = 'a'",
        "%md\n# A title: not Python",
        "print(undefined_here)",
    )
    assert found(path, "MLP000,MLP102") == [(4, "undefined_here")]


def test_cells_meant_to_fail_and_exercise_templates_are_not_unreadable(tmp_path: Path) -> None:
    notebook = nbformat.v4.new_notebook()
    tagged = nbformat.v4.new_code_cell("3 = 3")
    tagged.metadata["tags"] = ["raises-exception"]
    notebook.cells = [
        tagged,
        nbformat.v4.new_code_cell("fruits = ...\n        ..."),
        nbformat.v4.new_code_cell("w = [.., .., ..]"),
        nbformat.v4.new_code_cell("if ready\n    train()"),
    ]
    path = tmp_path / "homework.ipynb"
    path.write_text(json.dumps(notebook), encoding="utf-8")
    result = CliRunner().invoke(
        main, [str(path), "--select", "MLP000", "--format", "json", "--exit-zero"]
    )
    assert [d["cell"] for d in json.loads(result.output)] == [4]


@pytest.mark.parametrize(
    ("declaring", "text", "lock"),
    [
        ("Pipfile", '[packages]\nflask = "*"\n', "Pipfile.lock"),
        ("pyproject.toml", '[project]\nname = "x"\ndependencies = ["fastapi>=0.110"]\n', "uv.lock"),
        ("pyproject.toml", '[project]\nname = "x"\ndependencies = ["fastapi"]\n', "poetry.lock"),
    ],
)
def test_a_file_pinned_by_the_lock_file_beside_it_is_not_reported(
    tmp_path: Path, declaring: str, text: str, lock: str
) -> None:
    (tmp_path / declaring).write_text(text, encoding="utf-8")
    assert found(tmp_path / declaring, "MLP202,MLP203") != []
    (tmp_path / lock).write_text("{}\n", encoding="utf-8")
    assert found(tmp_path / declaring, "MLP202,MLP203") == []


def test_a_conda_version_of_three_components_is_exact(tmp_path: Path) -> None:
    environment = tmp_path / "environment.yml"
    environment.write_text("dependencies:\n  - pandas=2.2.2\n  - numpy=1.26\n", encoding="utf-8")
    assert found(environment, "MLP202,MLP203") == [(None, "numpy=1.26")]


def test_a_standard_library_requirement_is_not_told_to_pin(tmp_path: Path) -> None:
    requirements = tmp_path / "requirements.txt"
    requirements.write_text("datetime\npandas\n", encoding="utf-8")
    result = CliRunner().invoke(
        main, [str(requirements), "--select", "MLP202,MLP206", "--format", "json", "--exit-zero"]
    )
    found = [(d["code"], d["message"]) for d in json.loads(result.output)]
    assert [code for code, _ in found] == ["MLP206", "MLP202"]
    assert "standard library" in found[0][1] and "pin" not in found[0][1]
    assert found[1][1].startswith("`pandas` has no version")


def _project(tmp_path: Path, requirements: str) -> None:
    (tmp_path / "requirements.txt").write_text(requirements, encoding="utf-8")


def test_an_optional_import_is_not_a_missing_requirement(
    write_notebook: NotebookWriter, tmp_path: Path
) -> None:
    _project(tmp_path, "pandas==2.2.2\n")
    path = write_notebook(
        "try:\n    import ujson as json\nexcept ImportError:\n    import json",
        "import pandas\nimport orjson",
    )
    assert found(path, "MLP204") == [(2, "orjson")]


def test_what_the_notebook_installs_itself_is_reported_once_as_an_install(
    write_notebook: NotebookWriter, tmp_path: Path
) -> None:
    _project(tmp_path, "pandas==2.2.2\n")
    path = write_notebook("!pip install -q datasets==2.19.0", "from datasets import load_dataset")
    assert found(path, "MLP201,MLP204") == [(1, "datasets==2.19.0")]


def test_a_declared_build_of_the_same_project_provides_its_module(
    write_notebook: NotebookWriter, tmp_path: Path
) -> None:
    _project(tmp_path, "tensorflow-gpu==2.8.0\n")
    path = write_notebook("import tensorflow as tf\nimport keras_tuner")
    assert found(path, "MLP204") == [(1, "keras_tuner")]


def test_a_namespace_package_of_the_project_is_its_own_code(
    write_notebook: NotebookWriter, tmp_path: Path
) -> None:
    _project(tmp_path, "pandas==2.2.2\n")
    (tmp_path / "services" / "api").mkdir(parents=True)
    (tmp_path / "services" / "api" / "main.py").write_text("X = 1\n", encoding="utf-8")
    path = write_notebook("from services.api.main import X\nimport polars")
    assert found(path, "MLP204") == [(1, "polars")]


def test_an_empty_requirements_file_declares_nothing_to_check_against(
    write_notebook: NotebookWriter, tmp_path: Path
) -> None:
    _project(tmp_path, "")
    path = write_notebook("import polars\nimport duckdb")
    assert found(path, "MLP204") == []


def test_messages_quote_what_the_user_wrote(write_notebook: NotebookWriter) -> None:
    path = write_notebook(
        "!pip install {USER_FLAG} datasets ./dist/pkg-1.0-py3-none-any.whl",
        "import sys\nsys.path.insert(0, '/content/yolov5')",
    )
    assert found(path, "MLP201,MLP302") == [
        (1, "datasets"),
        (2, "sys.path.insert(0, '/content/yolov5')"),
    ]
    result = CliRunner().invoke(main, [str(path), "--select", "MLP201", "-q"])
    assert "the package file `./dist/pkg-1.0-py3-none-any.whl`" in result.output
    assert "`{USER_FLAG}`," not in result.output


def test_a_script_has_its_file_and_a_notebook_does_not(tmp_path: Path) -> None:
    script = tmp_path / "train.py"
    script.write_text("from pathlib import Path\nHERE = Path(__file__).parent\n", encoding="utf-8")
    cells = tmp_path / "explore.py"
    cells.write_text("# %%\nHERE = __file__\n# %%\nprint(HERE)\n", encoding="utf-8")
    assert found(script, "MLP102") == []
    assert [name for _, name in found(cells, "MLP102")] == ["__file__"]


def test_a_namespace_package_import_names_what_provides_it(
    write_notebook: NotebookWriter, tmp_path: Path
) -> None:
    _project(tmp_path, "pandas==2.2.2\n")
    path = write_notebook("from azure.ai.ml import MLClient\nimport sklearn.linear_model")
    assert found(path, "MLP204") == [(1, "azure.ai.ml"), (1, "sklearn")]


def test_upgrading_the_installer_itself_is_no_dependency(write_notebook: NotebookWriter) -> None:
    path = write_notebook("%pip install --upgrade pip setuptools", "!pip install -q rich")
    assert found(path, "MLP201") == [(2, "rich")]


def test_modules_on_a_folder_the_notebook_adds_to_its_path_are_its_own(
    write_notebook: NotebookWriter, tmp_path: Path
) -> None:
    _project(tmp_path, "pandas==2.2.2\n")
    (tmp_path / "code").mkdir()
    (tmp_path / "code" / "formats.py").write_text("X = 1\n", encoding="utf-8")
    path = write_notebook("import sys\nsys.path.insert(0, 'code')\nimport formats\nimport polars")
    assert found(path, "MLP204") == [(1, "polars")]


def test_an_unnamed_vcs_link_provides_the_module_of_its_repository_name(
    write_notebook: NotebookWriter, tmp_path: Path
) -> None:
    _project(tmp_path, "git+https://github.com/zhanghang1989/ResNeSt.git@master\n")
    path = write_notebook(
        "import subprocess\n"
        "subprocess.run(['pip', 'install', 'git+https://github.com/facebookresearch/detectron2.git'])",
        "import resnest\nimport detectron2\nimport polars",
    )
    assert found(path, "MLP204") == [(2, "polars")]


def test_a_stub_left_for_a_student_is_not_unreadable(write_notebook: NotebookWriter) -> None:
    path = write_notebook("def area(r):\n    # your code here\n", "if ready\n    train()")
    assert [cell for cell, _ in found(path, "MLP000")] == [2]


def test_a_bigquery_cell_binds_its_destination(write_notebook: NotebookWriter) -> None:
    path = write_notebook("%%bigquery df --project demo\nSELECT 1", "df.head()\nprint(other)")
    assert found(path, "MLP102") == [(2, "other")]


@pytest.mark.parametrize(
    "template", ["logits = # TODO", "model.add([TODO add layer])", "API_KEY = # set your own key"]
)
def test_a_line_left_to_write_is_not_unreadable(
    write_notebook: NotebookWriter, template: str
) -> None:
    path = write_notebook(template, "if ready\n    train()")
    assert [cell for cell, _ in found(path, "MLP000")] == [2]


def test_a_cleared_colab_notebook_is_not_reported_cell_by_cell(tmp_path: Path) -> None:
    """Colab keeps `outputId` on cells that printed, after their outputs are cleared."""
    notebook = nbformat.v4.new_notebook()
    cells = [nbformat.v4.new_code_cell(f"print({n})") for n in range(8)]
    cells += [nbformat.v4.new_code_cell(f"x{n} = {n}") for n in range(4)]
    for cell in cells[:8]:
        cell.metadata["outputId"] = "3f2a"
    cells[0].execution_count = 1
    notebook.cells = cells
    path = tmp_path / "colab.ipynb"
    path.write_text(json.dumps(notebook), encoding="utf-8")
    assert found(path, "MLP002") == []


@pytest.mark.parametrize(
    "setup",
    [
        "import sys\nIN_COLAB = 'google.colab' in sys.modules\nif IN_COLAB:\n"
        "    %pip install empiricaldist",
        "try:\n    import empiricaldist\nexcept ImportError:\n    !pip install empiricaldist",
    ],
)
def test_a_hosted_kernel_setup_of_a_declared_package_is_not_an_install(
    write_notebook: NotebookWriter, tmp_path: Path, setup: str
) -> None:
    _project(tmp_path, "empiricaldist==0.7.3\n")
    path = write_notebook(setup, "if IN_COLAB:\n    !pip install pymc3")
    assert found(path, "MLP201") == [(2, "pymc3")]


def test_a_requirements_lock_pins_the_file_beside_it_and_declares_its_imports(
    write_notebook: NotebookWriter, tmp_path: Path
) -> None:
    _project(tmp_path, "pandas\n")
    assert found(tmp_path / "requirements.txt", "MLP202") == [(None, "pandas")]
    (tmp_path / "requirements.lock").write_text("pandas==2.2.2\nnumpy==1.26.4\n", encoding="utf-8")
    assert found(tmp_path / "requirements.txt", "MLP202") == []
    path = write_notebook("import pandas\nimport numpy\nimport polars")
    assert found(path, "MLP204") == [(1, "polars")]


def test_an_f_string_of_python_3_12_is_not_unreadable_on_any_python(
    write_notebook: NotebookWriter,
) -> None:
    path = write_notebook('row = {"name": "a"}\nprint(f"{row["name"]}")', "if ready\n    train()")
    assert [cell for cell, _ in found(path, "MLP000")] == [2]


def test_a_utf16_requirements_file_is_read_as_pip_reads_it(tmp_path: Path) -> None:
    requirements = tmp_path / "requirements.txt"
    requirements.write_bytes("pandas\nnumpy==1.26.4\n".encode("utf-16"))
    assert found(requirements, "MLP000,MLP202") == [(None, "pandas")]


@pytest.mark.parametrize(
    "template",
    ["model = <YOUR CODE>", "# <YOUR CODE HERE>\nW =", "ENDPOINT = # Enter your ENDPOINT"],
)
def test_an_angle_bracket_slot_is_an_exercise(
    write_notebook: NotebookWriter, template: str
) -> None:
    path = write_notebook(template, "if ready\n    train()")
    assert [cell for cell, _ in found(path, "MLP000")] == [2]


def test_a_python_2_notebook_is_one_finding_that_names_its_cells(
    write_notebook: NotebookWriter,
) -> None:
    path = write_notebook('print "a"', "x = 1", 'print "b"', language="python")
    notebook = json.loads(path.read_text(encoding="utf-8"))
    notebook["metadata"]["kernelspec"]["name"] = "python2"
    path.write_text(json.dumps(notebook), encoding="utf-8")
    result = CliRunner().invoke(main, [str(path), "--select", "MLP000", "--format", "json"])
    (only,) = json.loads(result.stdout)
    assert only["cell"] == 1 and "cells 1 and 3 do not parse as Python 3" in only["message"]


def test_an_exercise_notebook_has_no_unrun_cells_to_report(tmp_path: Path) -> None:
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_code_cell("import numpy as np", execution_count=1),
        nbformat.v4.new_code_cell("W = <YOUR CODE>"),
        nbformat.v4.new_code_cell("assert W.shape == (3, 3)"),
        nbformat.v4.new_code_cell("print('done')", execution_count=2),
    ]
    path = tmp_path / "homework.ipynb"
    path.write_text(json.dumps(notebook), encoding="utf-8")
    assert found(path, "MLP002") == []


def test_a_notebook_saved_cleared_has_no_gaps(tmp_path: Path) -> None:
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(f"x{n} = {n}") for n in range(8)]
    notebook.cells[5].execution_count = 4
    path = tmp_path / "cleared.ipynb"
    path.write_text(json.dumps(notebook), encoding="utf-8")
    assert found(path, "MLP003") == []


def test_a_shell_cell_binds_the_names_of_its_output_options(
    write_notebook: NotebookWriter,
) -> None:
    path = write_notebook(
        "%%bash --out payload --err problems\ncurl -s example.org",
        "print(payload, problems, other)",
    )
    assert found(path, "MLP101,MLP102") == [(2, "other")]


def test_python_2_builtins_are_defined_in_a_python_2_notebook(
    write_notebook: NotebookWriter,
) -> None:
    path = write_notebook("for i in xrange(3):\n    print(i)")
    assert found(path, "MLP102") == [(1, "xrange")]
    notebook = json.loads(path.read_text(encoding="utf-8"))
    notebook["metadata"]["kernelspec"]["name"] = "python2"
    path.write_text(json.dumps(notebook), encoding="utf-8")
    assert found(path, "MLP102") == []


def test_prose_named_like_a_requirements_file_is_not_reported(tmp_path: Path) -> None:
    """Seen on a fresh repository: a product's `spec_requirements.txt`, read by a notebook
    as data."""
    spec = tmp_path / "spec_requirements.txt"
    spec.write_text("Capacity:\n- Normal Capacity: >= 2400 mAh\n- Weight: 45 g\n", "utf-8")
    result = CliRunner().invoke(main, [str(spec), "--select", "MLP000", "--format", "json"])
    assert json.loads(result.output) == []
    real = tmp_path / "requirements.txt"
    real.write_text("Capacity:\n", "utf-8")
    result = CliRunner().invoke(main, [str(real), "--select", "MLP000", "--format", "json"])
    assert len(json.loads(result.output)) == 1


def test_solution_snippets_loaded_into_notebooks_are_not_checked_for_names(
    tmp_path: Path,
) -> None:
    """Seen on a fresh repository (a course): `%load solutions/breakout_1_sol.py`."""
    snippet = "print(train.shape, pd)\ntrain = 1\n"
    for relative in ("solutions/breakout_1_sol.py", "exercises/lambda_opt.py", "sol_3.py"):
        path = tmp_path / relative
        path.parent.mkdir(exist_ok=True)
        path.write_text(snippet, encoding="utf-8")
        result = CliRunner().invoke(main, [str(path), "--select", "MLP1", "--format", "json"])
        assert json.loads(result.output) == [], relative
    module = tmp_path / "train.py"
    module.write_text(snippet, encoding="utf-8")
    result = CliRunner().invoke(main, [str(module), "--select", "MLP1", "--format", "json"])
    assert {item["code"] for item in json.loads(result.output)} == {"MLP101", "MLP102"}


def test_blanks_packages_of_the_project_itself_and_local_installs(tmp_path: Path) -> None:
    """Seen on fresh set 8: `np.sum(____)` in an exercise; a project folder that is a
    package (`official/` with its Dockerfile); `- ./visual-aids` in environment.yml."""
    blank = tmp_path / "exercise.ipynb"
    nbformat.write(
        nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = sum(____)")]), blank
    )
    result = CliRunner().invoke(main, [str(blank), "--select", "MLP102", "--format", "json"])
    assert json.loads(result.stdout) == []
    official = tmp_path / "official"
    official.mkdir()
    (official / "Dockerfile").write_text("FROM python:3.11\nRUN pip install numpy\n", "utf-8")
    (official / "__init__.py").write_text("", "utf-8")
    (official / "b.py").write_text("x = 1\n", "utf-8")
    (official / "a.py").write_text("import numpy\nfrom official.b import x\n", "utf-8")
    result = CliRunner().invoke(
        main, [str(official / "a.py"), "--select", "MLP204", "--format", "json"]
    )
    assert json.loads(result.output) == []
    book = tmp_path / "book"
    (book / "visual-aids").mkdir(parents=True)
    (book / "environment.yml").write_text(
        "dependencies:\n  - pandas=2.2\n  - pip:\n    - ./visual-aids\n", "utf-8"
    )
    (book / "ch1.py").write_text("import pandas\nimport visual_aids\n", "utf-8")
    result = CliRunner().invoke(
        main, [str(book / "ch1.py"), "--select", "MLP204", "--format", "json"]
    )
    assert json.loads(result.output) == []


def test_an_exercise_with_blanks_to_fill_has_no_unrun_cells_to_report(tmp_path: Path) -> None:
    """Seen on fresh set 8 (a course): `beta0 = ___` left unrun between run cells."""
    cells = [
        nbformat.v4.new_code_cell("import numpy as np", execution_count=1),
        nbformat.v4.new_code_cell("### edTest(t) ###\nbeta0 = ___", execution_count=None),
        nbformat.v4.new_code_cell("print(2)", execution_count=3),
    ]
    path = tmp_path / "homework.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=cells), path)
    result = CliRunner().invoke(main, [str(path), "--select", "MLP002", "--format", "json"])
    assert json.loads(result.output) == []


def test_an_error_announced_above_or_caused_by_a_blank_is_a_demo(tmp_path: Path) -> None:
    """Seen on fresh set 8: a book cell after "Immutable objects can't be modified:", and an
    exercise blank `x = df.___` saved with its AttributeError."""

    def failing(source: str, count: int) -> nbformat.NotebookNode:
        error = nbformat.v4.new_output("error", ename="TypeError", evalue="x", traceback=[])
        return nbformat.v4.new_code_cell(source, execution_count=count, outputs=[error])

    cells = [
        nbformat.v4.new_markdown_cell("Immutable objects can't be modified:"),
        failing("t = ('a',)\nt[0] = 'b'", 1),
        failing("x = df.___", 2),
        nbformat.v4.new_markdown_cell("Now we train the model."),
        failing("model.fit(x)", 3),
    ]
    path = tmp_path / "book.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=cells), path)
    result = CliRunner().invoke(main, [str(path), "--select", "MLP004", "--format", "json"])
    assert [item["cell"] for item in json.loads(result.output)] == [5]


def _version_3(path: Path, *cells: tuple[str, list[str]]) -> Path:
    """An nbformat 3 notebook as IPython 1-2 saved it: no kernel named, sources and
    outputs as lists of lines (each cell: source, its stdout lines)."""
    worksheet = [
        {
            "cell_type": "code",
            "language": "python",
            "input": source.splitlines(keepends=True),
            "metadata": {},
            "outputs": [{"output_type": "stream", "stream": "stdout", "text": stdout}]
            if stdout
            else [],
            "prompt_number": number,
        }
        for number, (source, stdout) in enumerate(cells, 1)
    ]
    notebook = {
        "metadata": {"name": ""},
        "nbformat": 3,
        "nbformat_minor": 0,
        "worksheets": [{"cells": worksheet, "metadata": {}}],
    }
    path.write_text(json.dumps(notebook), encoding="utf-8")
    return path


def test_a_version_3_notebook_of_python_2_gets_one_finding(tmp_path: Path) -> None:
    """Seen on fresh set 11 (courses and a book of 2013): each `print x` cell was reported,
    and 25 notebooks whose sources are lists of lines could not be read at all."""
    path = _version_3(
        tmp_path / "hw.ipynb",
        ("x = 3\ny = [x,\n     x]", []),
        ('print "x is", x', ["x is 3\n"]),
        ("print x * 2", ["6\n"]),
    )
    result = CliRunner().invoke(main, [str(path), "--select", "MLP000", "--format", "json"])
    (finding,) = json.loads(result.output)
    assert finding["cell"] == 2 and finding["message"].startswith("a Python 2 notebook")
    assert "cells 2 and 3" in finding["message"]


def test_a_version_3_notebook_run_with_pylab_reads_its_names(tmp_path: Path) -> None:
    """Seen on fresh set 11: `ipython notebook --pylab` gave `figsize` and `np` to every
    notebook of its time; a notebook naming a kernel must still import them."""
    path = _version_3(tmp_path / "plots.ipynb", ("xs = np.arange(3)\nfigsize(6, 6)\nhist(xs)", []))
    assert found(path, "MLP102") == []
    kernel = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("figsize(6, 6)")])
    kernel.metadata["kernelspec"] = {"name": "python3", "language": "python"}
    nbformat.write(kernel, tmp_path / "modern.ipynb")
    assert found(tmp_path / "modern.ipynb", "MLP102") == [(1, "figsize")]


def test_an_error_output_without_name_or_value_is_read(tmp_path: Path) -> None:
    """Seen on fresh set 11: an error output with `ename: ""` stopped the lint of the file.
    Seen on fresh set 14: such an output is a front end's notice (VS Code's "session has
    been disposed"), not an exception of the cell."""
    error = nbformat.v4.new_output("error", ename="", evalue="", traceback=[])
    cell = nbformat.v4.new_code_cell("run()", execution_count=1, outputs=[error])
    path = tmp_path / "nb.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[cell]), path)
    result = CliRunner().invoke(main, [str(path), "--select", "MLP000,MLP004", "--format", "json"])
    assert result.exit_code == 0 and json.loads(result.output) == []


@pytest.mark.parametrize(("series", "reported"), [("1.x", []), ("2.x", [(2, "tf.Session")])])
def test_colab_tensorflow_version_magic_selects_the_release(
    write_notebook: NotebookWriter, series: str, reported: list[tuple[int, str]]
) -> None:
    """Seen on fresh set 11: nine TF1 notebooks of a research repository select TF1 so."""
    path = write_notebook(
        (f"%tensorflow_version {series}\nimport tensorflow as tf", 1), ("s = tf.Session()", 2)
    )
    assert found(path, "MLP208") == reported


def test_a_walrus_in_the_test_of_a_conditional_binds_before_its_branches(
    write_notebook: NotebookWriter,
) -> None:
    """Seen on fresh set 11: `list(t) if isinstance((t := x.get('t')), dict) else []`."""
    path = write_notebook(
        ("d = {'a': {'t': {'x': 1}}}", 1),
        ("rows = [list(t) if isinstance((t := v.get('t')), dict) else [] for v in d.values()]", 2),
        ("firsts = [y for v in [1] if (y := v)]\nlate = [w for v in [1] if w]\nw = 1", 3),
    )
    assert found(path, "MLP101") == [(3, "w")]


def test_an_excerpt_that_never_ran_is_not_checked_for_names(tmp_path: Path) -> None:
    """Seen on fresh set 11: design notes quoting an indented function body between
    markdown cells; the same indented cell saved as run is still checked."""
    cells = [
        nbformat.v4.new_markdown_cell("The function first reads its parameters:"),
        nbformat.v4.new_code_cell("    splitting = sim_params['splitting']"),
        nbformat.v4.new_code_cell("sim_params = {'splitting': 1}", execution_count=1),
        nbformat.v4.new_code_cell("    rate = sim_params['rate'] * speed", execution_count=2),
    ]
    path = tmp_path / "notes.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=cells), path)
    assert found(path, "MLP101,MLP102") == [(4, "speed")]


def test_an_exercise_notebook_is_not_checked_for_names_its_blanks_bind(
    write_notebook: NotebookWriter,
) -> None:
    """Seen on fresh sets 11 and 12 (course homework): `# <your code>` above the print of a
    result the student is to compute, `# YOUR CODE HERE` where the split is to be written."""
    for blank in ("# <your code>", "# YOUR CODE HERE", "# your code here"):
        path = write_notebook(
            "import numpy as np",
            f"{blank}\nprint('Train set accuracy: %.2f%%' % (train_acc * 100))",
            "X_train = scaler.fit_transform(X_train)",
        )
        assert found(path, "MLP101,MLP102") == []
    path = write_notebook("import numpy as np", "print(test_acc)")
    assert found(path, "MLP102") == [(2, "test_acc")]


def test_a_path_in_an_error_message_is_not_a_path_the_notebook_opens(
    write_notebook: NotebookWriter,
) -> None:
    """Seen on fresh set 11 (Kaggle): `raise RuntimeError(f"Searched /kaggle/input/...")`."""
    path = write_notebook(
        "from pathlib import Path\nhits = list(Path('.').glob('*.pt'))\n"
        "assert hits, 'no checkpoint under /kaggle/input'\n"
        "if not hits:\n    raise FileNotFoundError(f'Searched /kaggle/input/*/{hits}')\n"
        "data = open('/kaggle/input/comp/train.csv')"
    )
    assert found(path, "MLP301") == [(1, "/kaggle/input/comp/train.csv")]


@pytest.mark.parametrize(
    "install",
    [
        "!pip install --upgrade pip",
        "!pip install -q --no-index --find-links /kaggle/input/fairscale-0413 fairscale",
    ],
)
def test_installs_whose_version_is_not_the_projects_to_pin(
    write_notebook: NotebookWriter, install: str
) -> None:
    """Seen on fresh set 11: upgrading the installer, and a Kaggle kernel without internet
    installing the wheel an attached dataset holds."""
    path = write_notebook(install, "!pip install fairscale")
    assert found(path, "MLP202") == [(2, "fairscale")]


def test_a_module_no_distribution_provides_is_the_repositorys_own(tmp_path: Path) -> None:
    """Seen on fresh set 11: `import nsfg`, the book's `code/nsfg.py`, from a notebook in
    `solutions/`, which Python finds once a cell has downloaded it."""
    (tmp_path / "requirements.txt").write_text("numpy==1.26.4\n")
    (tmp_path / "code").mkdir()
    (tmp_path / "code" / "nsfg.py").write_text("def read():\n    return 1\n")
    (tmp_path / "solutions").mkdir()
    cell = nbformat.v4.new_code_cell("import nsfg\nimport scipy", execution_count=1)
    path = tmp_path / "solutions" / "chap1.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[cell]), path)
    assert found(path, "MLP204") == [(1, "scipy")]


def test_a_uv_workspace_member_is_pinned_by_the_workspace_lock(tmp_path: Path) -> None:
    """Seen on fresh set 11: `backend/pyproject.toml` of a workspace whose root holds the
    `uv.lock`; a project that is no workspace is not pinned by a lock above it."""
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "root"\nversion = "0.1.0"\ndependencies = []\n\n'
        '[tool.uv.workspace]\nmembers = ["backend"]\n'
    )
    (tmp_path / "uv.lock").write_text("version = 1\n")
    member = tmp_path / "backend"
    member.mkdir()
    (member / "pyproject.toml").write_text(
        '[project]\nname = "backend"\nversion = "0.1.0"\ndependencies = ["uvicorn"]\n'
    )
    assert found(member / "pyproject.toml", "MLP202") == []
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "root"\nversion = "0.1.0"\n')
    assert found(member / "pyproject.toml", "MLP202") == [(None, "uvicorn")]


def test_one_real_count_among_tool_zeros_is_no_gap(tmp_path: Path) -> None:
    """Seen on fresh set 11 (Colab): every cell `In [0]` but one showing 8."""
    counts = [0, 0, 8, 0, 0]
    cells = [
        nbformat.v4.new_code_cell(
            f"print({n})",
            execution_count=count,
            outputs=[nbformat.v4.new_output("stream", text=f"{n}\n")],
        )
        for n, count in enumerate(counts)
    ]
    path = tmp_path / "colab.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=cells), path)
    assert found(path, "MLP003") == []


def test_an_excerpt_indented_deeper_is_not_a_syntax_error(tmp_path: Path) -> None:
    """Seen on fresh set 11: never-run cells quoting the middle of a function body."""
    cells = [
        nbformat.v4.new_code_cell("import numpy as np", execution_count=1),
        nbformat.v4.new_code_cell("    x = np.zeros(3)\n        return x"),
        nbformat.v4.new_code_cell("  y = 1\n    z = 2", execution_count=2),
    ]
    path = tmp_path / "notes.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=cells), path)
    assert [cell for cell, _ in found(path, "MLP000")] == [3]


def test_a_snowflake_sql_cell_is_not_python(tmp_path: Path) -> None:
    """Seen on fresh set 12: Snowflake notebooks mark their SQL cells in the cell metadata."""
    sql = nbformat.v4.new_code_cell("SELECT * FROM sales LIMIT 10;", execution_count=1)
    sql.metadata["language"] = "sql"
    python = nbformat.v4.new_code_cell("SELECT * FROM sales", execution_count=2)
    path = tmp_path / "snowflake.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[sql, python]), path)
    assert [cell for cell, _ in found(path, "MLP000")] == [2]


def test_a_project_built_on_a_full_stack_image_imports_what_the_image_ships(
    tmp_path: Path,
) -> None:
    """Seen on fresh set 12 (Kaggle solutions): `FROM gcr.io/kaggle-gpu-images/python`."""
    (tmp_path / "Dockerfile").write_text(
        "FROM gcr.io/kaggle-gpu-images/python:latest\nRUN pip install hydra-core==1.3.2\n"
    )
    cell = nbformat.v4.new_code_cell("import matplotlib.pyplot as plt\nimport hydra")
    path = tmp_path / "eda.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[cell]), path)
    assert found(path, "MLP204") == []
    (tmp_path / "Dockerfile").write_text("FROM python:3.11-slim\nRUN pip install hydra-core\n")
    assert found(path, "MLP204") == [(1, "matplotlib")]


def test_a_declared_distribution_named_after_an_unknown_module_provides_it(
    tmp_path: Path,
) -> None:
    """Seen on fresh sets 11 and 12: `dm-sonnet` gives `sonnet`, `owid-catalog` `owid`."""
    (tmp_path / "requirements.txt").write_text("dm-sonnet==2.0.0\nowid-catalog==0.3.0\n")
    cell = nbformat.v4.new_code_cell(
        "import sonnet as snt\nfrom owid.catalog import Dataset\nimport scipy"
    )
    path = tmp_path / "nb.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[cell]), path)
    assert found(path, "MLP204") == [(1, "scipy")]


def test_a_lock_file_pins_the_version_the_project_runs(tmp_path: Path) -> None:
    """Seen on fresh set 12: `matplotlib = "^3.2.1"` in pyproject.toml, 3.2.1 in
    poetry.lock, where the seaborn styles still exist."""
    (tmp_path / "pyproject.toml").write_text(
        '[tool.poetry]\nname = "m5"\nversion = "0.1.0"\n\n'
        '[tool.poetry.dependencies]\npython = "^3.8"\nmatplotlib = "^3.2.1"\n'
    )
    cell = nbformat.v4.new_code_cell(
        "import matplotlib.pyplot as plt\nplt.style.use('seaborn-darkgrid')"
    )
    path = tmp_path / "eda.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[cell]), path)
    assert found(path, "MLP208") == [(1, "plt.style.use('seaborn-darkgrid')")]
    (tmp_path / "poetry.lock").write_text(
        '[[package]]\nname = "matplotlib"\nversion = "3.2.1"\n\n[metadata]\nlock-version = "2.0"\n'
    )
    assert found(path, "MLP208") == []


def test_a_future_import_in_an_earlier_cell_defers_annotations(
    write_notebook: NotebookWriter,
) -> None:
    """Seen on fresh set 12: IPython keeps `from __future__ import annotations` for the
    cells after it, so a class may name itself in its annotations."""
    node = "@dataclass\nclass Node:\n    parent: Node | None = None\n    def up(self) -> Node:\n"
    node += "        return self.parent or self"
    path = write_notebook(
        "from __future__ import annotations\nfrom dataclasses import dataclass", node
    )
    assert found(path, "MLP101,MLP102") == []
    path = write_notebook("from dataclasses import dataclass", node)
    assert found(path, "MLP101,MLP102") == [(2, "Node")]


def test_a_cell_magic_of_an_extension_may_bind_any_name(write_notebook: NotebookWriter) -> None:
    """Seen on fresh set 12: `%%mysql` (an extension's magic) leaves `df` behind."""
    path = write_notebook("%load_ext mysql_magic", "%%mysql\nselect id from charts", "df.head()")
    assert found(path, "MLP102") == []
    path = write_notebook("%%html\n<b>hi</b>", "df.head()")
    assert found(path, "MLP102") == [(2, "df")]


def test_a_call_given_globals_may_bind_any_name(tmp_path: Path) -> None:
    """Seen on fresh set 12: protobuf's generated `_pb2.py` modules."""
    path = tmp_path / "api_pb2.py"
    path.write_text(
        "from google.protobuf.internal import builder as _builder\nDESCRIPTOR = None\n"
        "_builder.BuildTopDescriptorsAndMessages(DESCRIPTOR, 'api_pb2', globals())\n"
        "_REPORT._serialized_start = 425\n"
    )
    assert found(path, "MLP102") == []


def test_a_snowflake_sql_cell_binds_its_name(tmp_path: Path) -> None:
    """Seen on fresh set 12: `sql_reviews.to_df()` after the SQL cell named `sql_reviews`."""
    sql = nbformat.v4.new_code_cell("SELECT * FROM reviews", execution_count=1)
    sql.metadata.update({"language": "sql", "name": "sql_reviews"})
    use = nbformat.v4.new_code_cell("df = sql_reviews.to_pandas()\nprint(other)", execution_count=2)
    path = tmp_path / "snowflake.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[sql, use]), path)
    assert found(path, "MLP102") == [(2, "other")]


def _counted(*cells: tuple[str, int | None]) -> nbformat.NotebookNode:
    notebook = nbformat.v4.new_notebook()
    for source, count in cells:
        notebook.cells += [
            nbformat.v4.new_markdown_cell("Next:"),
            nbformat.v4.new_code_cell(source, execution_count=count),
        ]
    return notebook


def test_uncounted_cells_the_counts_leave_room_for_may_have_run(tmp_path: Path) -> None:
    """Seen on fresh set 12: cells whose count and output were cleared after they ran,
    exactly as many as the numbers missing around them."""
    path = tmp_path / "cleared.ipynb"
    nbformat.write(
        _counted(
            ("import json", None),
            ("data = json.loads('[1, 2, 3]')", None),
            ("total = sum(data)", 3),
            ("squares = [x * x for x in data]", None),
            ("big = max(squares)", None),
            ("print(big)", 6),
            ("!pip install -q rich", None),
            ("print(total)", 7),
            ("total = 0", None),
            ("print(total + big)", 8),
        ),
        path,
    )
    assert found(path, "MLP002,MLP003") == [(18, "total")]


def test_counts_only_results_kept_tell_no_order(tmp_path: Path) -> None:
    """Seen on fresh set 12 (Colab exports): every `execution_count` stripped, a few
    results keeping theirs, a restart of the runtime between them."""
    cells = []
    for source, result in (("x = 1", None), ("x", 18), ("y = 2", None), ("y", 9)):
        outputs = (
            [
                nbformat.v4.new_output(
                    "execute_result", data={"text/plain": "1"}, execution_count=result
                )
            ]
            if result
            else [nbformat.v4.new_output("stream", text="ok\n")]
        )
        cells.append(nbformat.v4.new_code_cell(source, outputs=outputs))
    path = tmp_path / "stripped.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=cells), path)
    assert found(path, "MLP001,MLP002,MLP003") == []


def test_syntax_of_python_3_12_is_not_an_error_of_the_notebook(tmp_path: Path) -> None:
    """Seen on fresh set 13: PEP 695 type parameters and an f-string field across lines,
    which the kernel's Python may read: a finding must not depend on the linter's."""
    path = tmp_path / "mod.py"
    path.write_text(
        "def first[T](xs: list[T]) -> T:\n    return xs[0]\n\n\n"
        "class Box[T]:\n    item: T\n\n\ntype Pair = tuple[int, int]\n"
        "message = f\"{'a'}::{\n    'b'}\"\n"
    )
    assert found(path, "MLP000") == []


def test_blank_slots_of_an_exercise_are_not_syntax_errors(write_notebook: NotebookWriter) -> None:
    """Seen on fresh set 13 (a course): `EPOCHS =`, `Dense( , , act)`, `size = ?`."""
    cells = ("# Insert code here\nEPOCHS =\nLR =", "layer = Dense( , , act)", "batch_size = ?")
    assert found(write_notebook(*cells), "MLP000") == []
    ran = write_notebook(("EPOCHS =", 1), ("x = 1", 2))
    assert [cell for cell, _ in found(ran, "MLP000")] == [1]


def test_an_empty_cell_shows_the_count_before_it(write_notebook: NotebookWriter) -> None:
    """Seen on fresh set 13: IPython does not count an empty cell, which shows In [14]
    again after the cell that ran as 14."""
    path = write_notebook(("x = 1", 1), ("print(x)", 2), ("", 2), ("print(x + 1)", 3))
    assert found(path, "MLP001,MLP003") == []


def test_cells_skipped_on_purpose_or_shown_to_have_run(tmp_path: Path) -> None:
    """Seen on fresh sets 12 and 13: imports whose names a later cell that ran uses,
    credentials set from the environment, a Colab-only cell, teardown at the end."""
    path = tmp_path / "tutorial.ipynb"
    nbformat.write(
        _counted(
            ("import numpy as np", None),
            ("import os\nos.environ['OPENAI_API_KEY'] = ''", None),
            ("if 'google.colab' in str(get_ipython()):\n    raise Exception('not on Colab')", None),
            ("print(np.zeros(3))", 1),
            ("np.random.seed(0)", None),
            ("print(np.random.rand(2))", 2),
            ("import shutil\nshutil.rmtree(root_dir)", None),
        ),
        path,
    )
    assert found(path, "MLP002") == [(10, "")]


def test_a_comment_quoting_the_exception_announces_it(write_notebook: NotebookWriter) -> None:
    """Seen on fresh set 13: `# ValueError: operands could not be broadcast ...`."""
    cell = nbformat.v4.new_code_cell(
        "a = np.ones((2, 4))\n# ValueError: operands could not be broadcast\nprint(a + a[:, :2])",
        execution_count=1,
        outputs=[nbformat.v4.new_output("error", ename="ValueError", evalue="x", traceback=[])],
    )
    path = write_notebook("import numpy as np")
    notebook = nbformat.read(path, as_version=4)
    notebook.cells.append(cell)
    nbformat.write(notebook, path)
    assert found(path, "MLP004") == []


def test_a_dataset_folder_the_library_creates_under_home(write_notebook: NotebookWriter) -> None:
    """Seen on fresh set 13 (a book): `MNIST('~/data', download=True)`."""
    path = write_notebook(
        "from torchvision.datasets import MNIST\ntrain = MNIST('~/data', download=True)\n"
        "other = MNIST('/home/alice/data', download=True)\nnotes = open('~/notes.txt')"
    )
    assert found(path, "MLP301") == [(1, "/home/alice/data"), (1, "~/notes.txt")]


def test_the_dotenv_shim_installs_python_dotenv(tmp_path: Path) -> None:
    """Seen on fresh sets 11 and 13: `dotenv` releases depend on python-dotenv."""
    (tmp_path / "requirements.txt").write_text("dotenv==0.9.9\nsklearn==1.4.2\n")
    assert found(tmp_path / "requirements.txt", "MLP206") == [(None, "sklearn")]


def test_what_the_repository_declares_above_a_folder_counts(tmp_path: Path) -> None:
    """Seen on fresh set 13: `tests/requirements.txt` lists the test extras; the root
    `pyproject.toml` of the same checkout declares the rest."""
    (tmp_path / ".git").mkdir()
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "mimic"\nversion = "1"\ndependencies = ["numpy>=1.26"]\n'
    )
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "requirements.txt").write_text("pandas==2.2.2\n")
    (tmp_path / "tests" / "check.py").write_text("import numpy\nimport pandas\nimport scipy\n")
    assert found(tmp_path / "tests" / "check.py", "MLP204") == [(None, "scipy")]


def test_the_extras_of_an_inline_install_provide_their_modules(tmp_path: Path) -> None:
    """Seen on fresh set 13 (MONAI): `pip install "monai-weekly[nibabel, tqdm]"`."""
    (tmp_path / "requirements.txt").write_text("numpy==1.26.4\n")
    install = '!python -c "import monai" || pip install -q "monai-weekly[nibabel, tqdm]"'
    cells = [
        nbformat.v4.new_code_cell(install),
        nbformat.v4.new_code_cell(
            "import monai\nimport nibabel\nfrom tqdm import trange\nimport scipy"
        ),
    ]
    path = tmp_path / "tutorial.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=cells), path)
    assert found(path, "MLP204") == [(2, "scipy")]


# Fresh set 14.


@pytest.mark.parametrize(
    "skipped",
    [
        "print(client.get_job(job_id).status)",  # a status poll
        "df.head()\ndf.describe()",
        "!pip freeze | grep torch\n!nvidia-smi",
        "# Record results for tests - ignore this cell\nsb.glue('map', score)",
        "# Stop the experiment\nstop_nni()",
        "# Example code if you want to use a self-hosted server\nclient = connect('http://host')",
    ],
)
def test_a_cell_whose_skipping_changes_nothing_is_not_reported_unrun(
    write_notebook: NotebookWriter, skipped: str
) -> None:
    """Seen on fresh set 14: cells left unrun that only show, record results for a test
    harness, tear down, or offer an alternative."""
    cells = ("import pandas as pd\njob_id, score = 1, 2\ndf = pd.DataFrame()", 1)
    path = write_notebook(cells, (skipped, None), ("client = 3\nprint(job_id)", 2))
    assert found(path, "MLP002") == []
    path = write_notebook(cells, ("df = df.dropna()", None), ("print(df)", 2))
    assert found(path, "MLP002") == [(2, "df")]


def test_a_shell_read_that_writes_a_file_is_not_only_showing(
    write_notebook: NotebookWriter,
) -> None:
    path = write_notebook(("x = 1", 1), ("x", 2), ("!pip freeze > requirements-lock.txt", None))
    assert found(path, "MLP002") == [(3, "")]


def test_an_assert_false_body_marks_an_exercise(write_notebook: NotebookWriter) -> None:
    """Seen on fresh set 14: `assert False, "<instruction>"` left for the student."""
    path = write_notebook(
        ("def estimate(seqs):\n    assert False, 'Collect counts and return estimates.'", 1),
        ("pi = estimate([[1, 2]])", None),
        ("x = 3", 2),
        ("print(undefined_answer)", 7),
    )
    assert found(path, "MLP002,MLP003,MLP102") == []


def test_an_error_the_markdown_after_it_explains_is_a_lesson(tmp_path: Path) -> None:
    """Seen on fresh set 14: `len(1234)` saved with its TypeError, and `x` read before its
    definition saved with its NameError, each explained by the markdown below."""
    notebook = nbformat.v4.new_notebook()
    type_error = nbformat.v4.new_output(
        "error", ename="TypeError", evalue="object of type 'int' has no len()", traceback=[]
    )
    name_error = nbformat.v4.new_output(
        "error", ename="NameError", evalue="name 'x' is not defined", traceback=[]
    )
    notebook.cells = [
        nbformat.v4.new_code_cell("import sympy", execution_count=1),
        nbformat.v4.new_code_cell("len(1234)", execution_count=2, outputs=[type_error]),
        nbformat.v4.new_markdown_cell("An int has no length, so this raises an error."),
        nbformat.v4.new_code_cell("x", execution_count=3, outputs=[name_error]),
        nbformat.v4.new_markdown_cell("`x` is not defined, so this should be no surprise."),
        nbformat.v4.new_code_cell("x = sympy.symbols('x')\nx", execution_count=4),
        nbformat.v4.new_code_cell("len(5678)", execution_count=5, outputs=[type_error]),
    ]
    path = tmp_path / "lesson.ipynb"
    nbformat.write(notebook, path)
    assert found(path, "MLP004,MLP101") == [(7, "TypeError: object of type 'int' has no len()")]


def test_a_placeholder_with_hyphens_marks_an_exercise(write_notebook: NotebookWriter) -> None:
    """Seen on fresh set 14: `os.environ["API_KEY"] = <your-api-key>`."""
    path = write_notebook(
        ("import os\nos.environ['API_KEY'] = <your-api-key>\nfrom pydantic import BaseModel", 1),
        ("class A(BaseModel):\n    x: int", 2),
        ("from pydantic import BaseModel", 3),
    )
    assert found(path, "MLP000,MLP101") == []


@pytest.mark.parametrize(
    "body",
    [
        "    try:\n        here = Path(__file__).parent\n    except NameError:\n"
        "        here = Path.cwd()\n    return here",
        "    if 'safe_envs' in globals():\n        return safe_envs['a']\n    return None",
    ],
)
def test_a_guarded_read_in_a_function_body_is_not_reported(
    write_notebook: NotebookWriter, body: str
) -> None:
    """Seen on fresh set 14: the guards of notebook scope hold inside functions too."""
    path = write_notebook(("from pathlib import Path", 1), (f"def where():\n{body}\nwhere()", 2))
    assert found(path, "MLP102,MLP103") == []
    path = write_notebook(("def where():\n    return safe_envs['a']\nwhere()", 1))
    assert found(path, "MLP102") == [(1, "safe_envs")]


@pytest.mark.parametrize("name", ["anaconda_env.yml", "env_gpu.yaml", "requirements.yaml"])
def test_conda_files_under_other_names_declare(tmp_path: Path, name: str) -> None:
    """Seen on fresh set 14: `anaconda_env.yml`, `nm_python_env.yaml`, and the
    `requirements.yaml` a Dockerfile hands to `mamba env update -f`."""
    (tmp_path / ".git").mkdir()
    (tmp_path / name).write_text(
        "name: ts\nchannels: [conda-forge]\ndependencies: [numpy=1.26.4]\n", encoding="utf-8"
    )
    (tmp_path / "nb.py").write_text("import numpy\nimport pandas\n", encoding="utf-8")
    assert found(tmp_path, "MLP204,MLP205") == [(None, "pandas")]


@pytest.mark.parametrize(
    ("metadata", "badge", "reported"),
    [
        ({"colab": {"provenance": []}}, "", []),
        ({}, "[![Open In Colab](https://colab.research.google.com/assets/badge.svg)](x)", []),
        ({"kaggle": {"accelerator": "none"}}, "", [(2, "drive.mount")]),
        ({}, "", [(2, "drive.mount")]),
    ],
)
def test_a_notebook_made_for_colab_may_mount_its_drive(
    tmp_path: Path, metadata: dict[str, object], badge: str, reported: list[tuple[int, str]]
) -> None:
    """Seen on fresh set 14: `drive.mount` in the set-up cell of a notebook made for Colab
    (saved by Colab, or opening with its badge): the entry point the rule asks for."""
    notebook = nbformat.v4.new_notebook(metadata=metadata)
    notebook.cells = [
        nbformat.v4.new_markdown_cell(badge or "# Training"),
        nbformat.v4.new_code_cell(
            "from google.colab import drive\ndrive.mount('/content/drive')", execution_count=1
        ),
    ]
    path = tmp_path / "colab.ipynb"
    nbformat.write(notebook, path)
    assert found(path, "MLP302") == reported


def test_a_top_folder_of_the_checkout_is_the_repositorys_own_code(tmp_path: Path) -> None:
    """Seen on fresh set 14: `from RAG.examples.x.b import f` in a nested project of the
    repository whose top folder `RAG` holds it."""
    (tmp_path / ".git").mkdir()
    project = tmp_path / "RAG" / "examples" / "x"
    project.mkdir(parents=True)
    (project / "requirements.txt").write_text("langchain==0.2.0\n", encoding="utf-8")
    (project / "b.py").write_text("def f():\n    return 1\n", encoding="utf-8")
    (project / "a.py").write_text(
        "import langchain\nimport pandas\nfrom RAG.examples.x.b import f\n", encoding="utf-8"
    )
    assert found(project / "a.py", "MLP204") == [(None, "pandas")]


def test_a_drive_mounted_and_read_from_is_reported_in_a_colab_notebook(tmp_path: Path) -> None:
    """The data then lives on one person's Drive (MLP301 names the path too)."""
    notebook = nbformat.v4.new_notebook(metadata={"colab": {"provenance": []}})
    notebook.cells = [
        nbformat.v4.new_code_cell(
            "from google.colab import drive\ndrive.mount('/content/drive')", execution_count=1
        ),
        nbformat.v4.new_code_cell("df = open('/content/drive/MyDrive/x.csv')", execution_count=2),
        nbformat.v4.new_code_cell(
            "from google.colab import files\nfiles.upload()", execution_count=3
        ),
    ]
    path = tmp_path / "colab.ipynb"
    nbformat.write(notebook, path)
    assert found(path, "MLP302") == [(1, "drive.mount"), (3, "files.upload")]


@pytest.mark.parametrize(
    "stub",
    [
        "def sample(env):\n    ob = TODO\n    return ob",
        "def forward(state):\n    raise NotImplementedError\n\nprint(mu)",
    ],
)
def test_a_starter_notebook_is_an_exercise(write_notebook: NotebookWriter, stub: str) -> None:
    """Seen on fresh set 14: skeletons whose blanks are `= TODO` or a function left to
    write; their missing names are the exercise's."""
    path = write_notebook(("import numpy as np", 1), (stub, 2), ("print(mu, todo)", 3))
    assert found(path, "MLP102") == []


def test_a_module_that_raises_not_implemented_is_still_checked(tmp_path: Path) -> None:
    """An abstract method in a module is no exercise."""
    module = tmp_path / "base.py"
    module.write_text(
        "class Base:\n    def run(self):\n        raise NotImplementedError\n\nprint(mu)\n",
        encoding="utf-8",
    )
    assert found(module, "MLP102") == [(None, "mu")]


def test_a_value_left_out_is_a_blank_in_any_notebook(write_notebook: NotebookWriter) -> None:
    """Seen on fresh set 15: a workshop's `n_comps= ,` and `thr = #add threshold`, in a
    notebook with no other exercise marker."""
    path = write_notebook(
        ("import scanpy as sc", 1),
        ("sc.pp.pca(adata, n_comps= ,)", None),
        ("thr = #add threshold\nprint(thr)", None),
        ("if ready\n    run()", None),
    )
    assert [cell for cell, _ in found(path, "MLP000")] == [4]


def _kaggle_kernel(tmp_path: Path, source: str) -> Path:
    """A repository whose requirements serve local tooling, and a kernel pushed to Kaggle."""
    (tmp_path / ".git").mkdir()
    (tmp_path / "requirements.txt").write_text("kaggle==1.6.17\npandas==2.2.2\n")
    kernel = tmp_path / "comp"
    kernel.mkdir()
    (kernel / "kernel-metadata.json").write_text(
        '{"id": "me/comp", "code_file": "train.py", "kernel_type": "script",'
        ' "enable_internet": false, "competition_sources": ["comp"]}'
    )
    (kernel / "train.py").write_text(source, encoding="utf-8")
    return kernel / "train.py"


def test_a_kaggle_kernel_runs_in_kaggles_image_and_folders(tmp_path: Path) -> None:
    """Seen on fresh set 15: kernels pushed with `kaggle kernels push` read `/kaggle/input`,
    write `/kaggle/working`, `%cd` there and import what Kaggle's image ships."""
    script = _kaggle_kernel(
        tmp_path,
        "import pandas as pd\nimport catboost\n"
        "train = pd.read_parquet('/kaggle/input/comp/train.parquet')\n"
        "OUT = '/kaggle/working'\nlocal = open('/home/alice/notes.txt')\n",
    )
    assert found(script, "MLP204,MLP209,MLP301,MLP302") == [(None, "/home/alice/notes.txt")]
    (script.parent / "kernel-metadata.json").unlink()
    reported = {text for _, text in found(script, "MLP204,MLP209,MLP301")}
    assert {"catboost", "/kaggle/input/comp/train.parquet", "/kaggle/working"} <= reported


def test_colab_s_local_disk_is_colab_s_but_the_drive_is_one_user_s(tmp_path: Path) -> None:
    notebook = nbformat.v4.new_notebook(metadata={"colab": {"provenance": []}})
    notebook.cells = [
        nbformat.v4.new_code_cell(
            "SYM = '/content/proj'\nDATA = '/content/drive/MyDrive/data.csv'", execution_count=1
        )
    ]
    path = tmp_path / "colab.ipynb"
    nbformat.write(notebook, path)
    assert found(path, "MLP301") == [(1, "/content/drive/MyDrive/data.csv")]


def test_a_kaggle_kernel_installs_its_attached_wheels(tmp_path: Path) -> None:
    """Seen on fresh set 15: offline kernels install wheels from an attached dataset."""
    script = _kaggle_kernel(
        tmp_path,
        "import subprocess\n"
        "subprocess.run(['pip', 'install', '--no-index', '/kaggle/input/w/bio-1.86.whl'])\n"
        "subprocess.run(['pip', 'install', 'optuna==4.0.0'])\n",
    )
    assert found(script, "MLP201") == [(None, "optuna==4.0.0")]


@pytest.mark.parametrize(
    "skipped",
    [
        "%%bash\n\npip install -q pypdf",
        "!wget https://example.com/data.json\n!mkdir datasets\n!mv data.json datasets/",
    ],
)
def test_set_up_cells_from_the_shell_are_skippable(
    write_notebook: NotebookWriter, skipped: str
) -> None:
    """Seen on fresh set 15: installs in a `%%bash` cell, data fetched once by the shell."""
    path = write_notebook((skipped, None), ("import json\nd = json.load(open('d.json'))", 1))
    assert found(path, "MLP002") == []


def test_an_error_a_comment_or_a_print_announces_is_a_demo(tmp_path: Path) -> None:
    """Seen on fresh set 15: `float([1, 2])  # so this will fail`, a print that says the
    next call fails, an interrupted chat loop, Haystack's pipeline breakpoint."""

    def erring(source: str, name: str, count: int) -> nbformat.NotebookNode:
        error = nbformat.v4.new_output("error", ename=name, evalue="x", traceback=[])
        return nbformat.v4.new_code_cell(source, execution_count=count, outputs=[error])

    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        erring("float([1, 2])  # only accepts a single value, so this will fail", "TypeError", 1),
        erring("print('Follow-up: this will fail because store=False')\nfollow()", "E", 2),
        erring("while True:\n    print(chat(input()))", "KeyboardInterrupt", 3),
        erring("pipeline.run(data={}, break_point=bp)", "BreakpointException", 4),
        erring("float([3])", "TypeError", 5),
    ]
    path = tmp_path / "demo.ipynb"
    nbformat.write(notebook, path)
    assert [cell for cell, _ in found(path, "MLP004")] == [5]


def test_a_binding_in_a_cell_that_cannot_run_is_no_definition(
    write_notebook: NotebookWriter,
) -> None:
    """Seen on fresh set 15: `M` "first defined in cell 3", a cell with a syntax error."""
    path = write_notebook(("print(M)", 1), ("M = 5\nx = max(1,", 2))
    assert found(path, "MLP000,MLP101") == [(2, "")]


@pytest.mark.parametrize(
    "skeleton",
    [
        "# dt = 1e-3\nraise NotImplementedError('Student exercise: compute v')\nv = dt",
        "def softmax(x):\n    ##### Your Implementations #####\n\n    return output",
    ],
)
def test_course_skeletons_are_exercises(write_notebook: NotebookWriter, skeleton: str) -> None:
    """Seen on fresh set 15: Neuromatch's top-level `raise NotImplementedError("Student
    exercise")` and a course's `Your Implementations` blocks."""
    path = write_notebook(("import numpy as np", 1), (skeleton, None))
    assert found(path, "MLP102") == []


def test_a_live_coding_slot_and_a_question_to_ipython_are_no_syntax_errors(
    write_notebook: NotebookWriter,
) -> None:
    """Seen on fresh set 15: a class demo's unrun `pipe_lr = `, and a slide's prose line
    ending in `?`, which IPython reads as a help request (it printed "Object `bug` not
    found.")."""
    path = write_notebook(
        ("import pandas as pd", 1), ("Who can spot the bug?", 2), ("pipe_lr = ", None)
    )
    assert found(path, "MLP000") == []
    path = write_notebook(("import pandas as pd", 1), ("pipe_lr = ", 2))
    assert [cell for cell, _ in found(path, "MLP000")] == [2]


def test_a_conda_environment_under_a_name_of_its_own_declares(tmp_path: Path) -> None:
    """Seen on fresh set 15: a book's `bap.yml`, the environment its README names; it keeps
    matplotlib 3.0, where the seaborn style names still exist (MLP208)."""
    (tmp_path / ".git").mkdir()
    (tmp_path / "bap.yml").write_text(
        "name: bap\nchannels:\n  - conda-forge\ndependencies:\n  - matplotlib=3.0.2\n"
    )
    (tmp_path / "nb.py").write_text(
        "import matplotlib.pyplot as plt\nimport pandas\nplt.style.use('seaborn-darkgrid')\n"
    )
    assert found(tmp_path / "nb.py", "MLP204,MLP205,MLP208") == [(None, "pandas")]
    (tmp_path / "bap.yml").write_text("title: a site\nnav: [index]\n")
    shown = {text for _, text in found(tmp_path / "nb.py", "MLP208")}
    assert shown == {"plt.style.use('seaborn-darkgrid')"}  # no environment keeps 3.0 now


def test_conda_s_matplotlib_base_and_deepset_s_haystack_provide_their_modules(
    tmp_path: Path,
) -> None:
    """Seen on fresh set 15: `matplotlib-base` in an environment.yml, `haystack-ai`."""
    (tmp_path / "environment.yml").write_text(
        "name: t\nchannels: [conda-forge]\ndependencies:\n  - matplotlib-base=3.10\n"
        "  - pip:\n    - haystack-ai==2.3.0\n"
    )
    (tmp_path / "nb.py").write_text(
        "import matplotlib.pyplot as plt\nfrom haystack import Pipeline\n"
    )
    assert found(tmp_path / "nb.py", "MLP204") == []


def test_hatch_environments_declare(tmp_path: Path) -> None:
    """Seen on fresh set 15: scanpy's tutorials declare their notebooks' packages in a
    Hatch environment."""
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "tutorials"\nversion = "0"\ndependencies = ["sphinx==7.3.7"]\n\n'
        '[tool.hatch.envs.notebook]\nextra-dependencies = ["pooch==1.8.2", "scanpy==1.10.2"]\n'
    )
    (tmp_path / "tut.py").write_text("import pooch\nimport scanpy as sc\nimport anndata\n")
    assert found(tmp_path / "tut.py", "MLP204") == [(None, "anndata")]


def test_a_cell_whose_names_a_called_function_reads_ran(write_notebook: NotebookWriter) -> None:
    """Seen on fresh set 15: `main()` ran and printed what it read from cells left
    without a count."""
    path = write_notebook(
        ("import os", 1),
        ("class Seat:\n    def __init__(self, r):\n        self.r = r\nagent = Seat", None),
        ("data = 'x'", 2),
        ("def main():\n    print(agent(12).r, data)", None),
        ("main()", 4),
    )
    assert found(path, "MLP002") == []
    path = write_notebook(("agent = 1", 1), ("agent = 2", None), ("print(agent)", 2))
    assert found(path, "MLP002") == [(2, "agent")]


def test_candidate_places_tried_in_turn_are_fallbacks(write_notebook: NotebookWriter) -> None:
    """Seen on fresh set 15: a loop over candidate folders that keeps the one that exists,
    and `'.'` as the relative alternative."""
    path = write_notebook(
        (
            "from pathlib import Path\n"
            "for c in ['/kaggle/input/competitions/comp', '/kaggle/input/comp']:\n"
            "    if Path(c).exists():\n        root = Path(c)\n"
            "candidates = [Path('/kaggle/input/comp'), Path('.')]\n"
            "for c in ['/home/alice/a', '/home/alice/b']:\n    print(c)",
            1,
        )
    )
    assert found(path, "MLP301") == [(1, "/home/alice/a"), (1, "/home/alice/b")]


def test_a_tool_s_in_0_leaves_room_for_the_run_it_hides(write_notebook: NotebookWriter) -> None:
    """Seen on fresh set 14: `In [0]` on the first cell, then 2, 3, 4: cell 1 ran as 1."""
    path = write_notebook(("import numpy as np", 0), ("x = np.zeros(3)", 2), ("y = x", 3))
    assert found(path, "MLP003") == []
    path = write_notebook(("import numpy as np", 1), ("x = np.zeros(3)", 3), ("y = x", 4))
    assert [cell for cell, _ in found(path, "MLP003")] == [2]


def test_an_old_api_on_an_old_version_s_path_is_no_removed_api(
    write_notebook: NotebookWriter,
) -> None:
    """Seen on fresh set 15: `tf.Session()` under `if tf.__version__ < ...`, and
    `sklearn.cross_validation` as the fallback of a newer import."""
    path = write_notebook(
        (
            "import tensorflow as tf\n"
            "if tf.__version__ >= '2.0.0':\n    s = tf.compat.v1.Session()\nelse:\n"
            "    s = tf.Session()\n"
            "try:\n    from sklearn.model_selection import train_test_split\n"
            "except Exception:\n    from sklearn.cross_validation import train_test_split\n"
            "t = tf.Session()",
            1,
        )
    )
    assert found(path, "MLP208") == [(1, "tf.Session")]


def test_a_script_is_told_about_as_a_file_not_a_cell(tmp_path: Path) -> None:
    """Seen on fresh set 17: "this cell cannot run" and "from cell 1 on" for plain scripts."""
    broken, starred = tmp_path / "broken.py", tmp_path / "starred.py"
    broken.write_text("x = (1,\n", encoding="utf-8")
    starred.write_text("from os import *\nprint(y)\n", encoding="utf-8")
    result = CliRunner().invoke(main, [str(broken), "--select", "MLP000", "-q"])
    assert "; this file cannot run" in result.stdout
    result = CliRunner().invoke(main, [str(starred), "--select", "MLP102"])
    assert "undefined names are not reported in this file: `from os import *`" in result.output


def test_a_databricks_source_export_is_made_for_databricks(tmp_path: Path) -> None:
    """Seen on fresh set 17: `.py` notebooks exported by Databricks (`# Databricks notebook
    source`), whose `# MAGIC %run ./Common` brings names, whose kernel has `dbutils` and
    `spark`, and whose DBFS paths are Databricks' own."""
    (tmp_path / "Common.py").write_text(
        "# Databricks notebook source\nimport mlflow\nclient = mlflow.MlflowClient()\n"
    )
    train = tmp_path / "Train.py"
    train.write_text(
        "# Databricks notebook source\n# MAGIC %run ./Common\n\n# COMMAND ----------\n\n"
        "dbutils.widgets.text('x', '')\nprint(client, spark)\n"
        "base = '/dbfs/tmp/mlflow_demo'\nnow = now()\n"
    )
    assert found(train, "MLP101,MLP102,MLP301,MLP302") == []
    train.write_text(train.read_text().replace("# Databricks notebook source\n", ""))
    shown = {text for _, text in found(train, "MLP301,MLP302")}
    assert shown == {"/dbfs/tmp/mlflow_demo", "dbutils.widgets.text"}


def test_set_17_execution_record_classes(write_notebook: NotebookWriter, tmp_path: Path) -> None:
    """Seen on fresh set 17: a string of instructions left unrun; a `'''...?` line inside
    a string; a Databricks export's indented cell after `# COMMAND ----------`."""
    instructions = write_notebook(
        ("import pandas as pd", 1),
        ("'''\nInstructions: compute the mean\n'''", None),
        ("m = 1", 2),
    )
    assert found(instructions, "MLP002") == []
    quoted = write_notebook(("t = '''John: thoughts on this?\nLucy: great.'''\nprint(t)", 1))
    assert found(quoted, "MLP000") == []
    export = tmp_path / "db.py"
    export.write_text("# Databricks notebook source\nx = 1\n\n# COMMAND ----------\n\n y = x + 1\n")
    assert found(export, "MLP000") == []


def test_a_package_s_published_requirements_are_left_open(tmp_path: Path) -> None:
    """Seen on fresh sets 15 and 17: a library's `[project]` dependencies, and setup.cfg's
    `install_requires`, are ranges for its users; its dependency groups are an environment."""
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text(
        '[build-system]\nrequires = ["setuptools>=69"]\nbuild-backend = "setuptools.build_meta"\n'
        '[project]\nname = "mylib"\nversion = "1.0"\ndependencies = ["numpy>=1.20", "requests"]\n'
        'classifiers = ["Programming Language :: Python :: 3"]\n'
        '[project.optional-dependencies]\nopenai = ["openai>=1.0"]\n'
        '[dependency-groups]\ndev = ["pytest"]\n'
    )
    assert found(pyproject, "MLP202,MLP203") == [(None, "pytest")]
    pyproject.write_text(pyproject.read_text().split("[project]")[1].join(["[project]", ""]))
    assert {text for _, text in found(pyproject, "MLP202,MLP203")} == {
        "numpy>=1.20",
        "requests",
        "openai>=1.0",
        "pytest",
    }


def test_a_published_setup_cfg_s_requirements_are_left_open(tmp_path: Path) -> None:
    setup = tmp_path / "setup.cfg"
    text = "[metadata]\nname = mypkg\n{}[options]\ninstall_requires =\n   cvxpy\n"
    setup.write_text(text.format("classifiers =\n    Programming Language :: Python :: 3\n"))
    assert found(setup, "MLP202") == []
    setup.write_text(text.format(""))  # an application's, installed with `pip install -e .`
    assert found(setup, "MLP202") == [(None, "cvxpy")]


def test_a_notebook_that_installs_its_own_project_installs_no_dependency(tmp_path: Path) -> None:
    """Seen on fresh sets 15 and 17: `!pip install shap` in shap's repository."""
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "My_Lib"\nversion = "1.0"\ndependencies = ["numpy==2.0.0"]\n'
    )
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    script = notebooks / "ex.py"
    script.write_text(
        "import subprocess\nsubprocess.run(['pip', 'install', '-U', 'my-lib'])\n"
        "subprocess.run(['pip', 'install', 'optuna==4.0.0'])\n"
    )
    assert found(script, "MLP201") == [(None, "optuna==4.0.0")]


def test_unity_catalog_volumes_are_databricks_own(tmp_path: Path) -> None:
    """Seen on fresh set 17: `/Volumes/main/alice/dir` in a Databricks export."""
    export = tmp_path / "job.py"
    export.write_text("# Databricks notebook source\npath = '/Volumes/main/alice/testing/dir'\n")
    assert found(export, "MLP301") == []
    export.write_text("path = '/Volumes/main/alice/testing/dir'\n")
    assert found(export, "MLP301") == [(None, "/Volumes/main/alice/testing/dir")]


def test_exec_of_a_file_may_bind_any_name(write_notebook: NotebookWriter) -> None:
    """Seen on fresh set 17: `exec(compile(open("pkg/version.py").read(), ...))`."""
    path = write_notebook(
        ("exec(compile(open('pkg/version.py').read(), 'pkg/version.py', 'exec'))", 1),
        ("print(__version__)", 2),
    )
    assert found(path, "MLP102") == []
    path = write_notebook(("exec('x = 1', {})", 1), ("print(__version__)", 2))
    assert found(path, "MLP102") == [(2, "__version__")]


# Fresh set 18.


@pytest.mark.parametrize(
    "skipped",
    [
        "clean = raw.dropna()\nclean.to_parquet('clean.parquet')",  # a cached stage
        "import pandas as pd\nscratch = pd.DataFrame({'a': [1]})\nprint(scratch)",
        "k = 10",  # read only by a cell that must have run too
    ],
)
def test_a_skipped_cell_nothing_below_depends_on_is_not_reported(
    write_notebook: NotebookWriter, skipped: str
) -> None:
    """Seen on fresh set 18 (MLP002 4/25): cached stages, scratch snippets, plots. Only a
    skipped cell that changed what ran below it is reported."""
    path = write_notebook(
        ("import pandas as pd\nraw = pd.read_csv('raw.csv')", 1),
        (skipped, None),
        ("clean = pd.read_parquet('clean.parquet')\nprint(clean.shape)", 2),
    )
    assert found(path, "MLP002") == []
    path = write_notebook(
        ("import pandas as pd\nraw = pd.read_csv('raw.csv')", 1),
        ("raw = raw.dropna()", None),
        ("print(raw.shape)", 2),
    )
    assert found(path, "MLP002") == [(2, "raw")]


def test_a_paused_endpoint_at_the_end_is_teardown(write_notebook: NotebookWriter) -> None:
    path = write_notebook(("endpoint = get_endpoint('e')", 1), ("endpoint.pause()", None))
    assert found(path, "MLP002") == []


def test_conda_any_version_is_no_version(tmp_path: Path) -> None:
    """Seen on fresh set 18: Snowsight writes `pandas=*` for "Latest"."""
    (tmp_path / "environment.yml").write_text("name: app\ndependencies:\n  - pandas=*\n")
    (tmp_path / "nb.py").write_text("import pandas\n")
    assert found(tmp_path / "environment.yml", "MLP202,MLP203") == [(None, "pandas=*")]


def test_a_tool_cache_in_roots_home_is_not_one_machines_folder(
    write_notebook: NotebookWriter,
) -> None:
    """Seen on fresh set 18: `/root/.cache/torch/...` is the tool's cache, like `~/.cache`."""
    path = write_notebook(
        "!mkdir -p /root/.cache/torch/hub/checkpoints/", "open('/root/projects/x.csv')"
    )
    assert found(path, "MLP301") == [(2, "/root/projects/x.csv")]


def test_an_older_databricks_export_is_a_databricks_notebook(tmp_path: Path) -> None:
    """Seen on fresh set 18: `notebookId` metadata, `%sh` cells and a predefined `spark`."""
    notebook = nbformat.v4.new_notebook(metadata={"name": "demo", "notebookId": 3941})
    notebook.cells = [
        nbformat.v4.new_code_cell("%sh\n\nwget https://example.com/d.tar.gz\nls"),
        nbformat.v4.new_code_cell("df = spark.read.format('avro').load('/x.avro')"),
    ]
    path = tmp_path / "demo.ipynb"
    nbformat.write(notebook, path)
    assert found(path, "MLP000,MLP102") == []


def test_a_snowflake_cell_language_wins_over_the_editors(tmp_path: Path) -> None:
    """Seen on fresh set 18: a SQL cell that VS Code marked as Python."""
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {"name": "streamlit", "display_name": "Streamlit Notebook"}
    cell = nbformat.v4.new_code_cell("alter task LOAD_RAW_DATA suspend;")
    cell.metadata.update({"language": "sql", "name": "t", "vscode": {"languageId": "python"}})
    notebook.cells = [cell]
    path = tmp_path / "sf.ipynb"
    nbformat.write(notebook, path)
    assert found(path, "MLP000") == []


def test_hosted_notebooks_use_their_services_stack(tmp_path: Path) -> None:
    """Seen on fresh set 18 (MLP205 6/25): Snowflake notebooks, and Colab notebooks whose
    badge follows a licence and a title, import what the service preinstalls."""
    snowflake = nbformat.v4.new_notebook()
    snowflake.metadata["kernelspec"] = {"name": "streamlit", "display_name": "Streamlit"}
    snowflake.cells = [nbformat.v4.new_code_cell("import streamlit as st\nimport pandas as pd")]
    nbformat.write(snowflake, tmp_path / "sf.ipynb")
    colab = nbformat.v4.new_notebook()
    colab.cells = [
        nbformat.v4.new_markdown_cell("##### Copyright 2026"),
        nbformat.v4.new_markdown_cell("Licensed under the Apache License"),
        nbformat.v4.new_markdown_cell("## Title"),
        nbformat.v4.new_markdown_cell(
            '<a href="https://colab.research.google.com/github/o/r/blob/main/nb.ipynb">'
            "<img src='https://colab.research.google.com/assets/colab-badge.svg'/></a>"
        ),
        nbformat.v4.new_code_cell("%pip install -q google-genai"),
        nbformat.v4.new_code_cell("import pandas as pd\nimport PIL"),
    ]
    nbformat.write(colab, tmp_path / "colab.ipynb")
    assert found(tmp_path / "sf.ipynb", "MLP205") == []
    assert found(tmp_path / "colab.ipynb", "MLP205") == []
    (tmp_path / "plain.py").write_text("import pandas\n")
    assert [cell for cell, _ in found(tmp_path / "plain.py", "MLP205")] == [None]


def test_stack_images_and_conda_installs_in_dockerfiles(tmp_path: Path) -> None:
    """Seen on fresh set 18: a RAPIDS base image brings cudf and numpy; `conda install`
    names conda packages, not pip distributions."""
    (tmp_path / "Dockerfile").write_text(
        "FROM rapidsai/rapidsai:cuda10.0-runtime-ubuntu18.04\n"
        "RUN conda install -y -c pytorch pytorch\n"
    )
    (tmp_path / "demo.py").write_text("import cudf\nimport numpy as np\nimport torch\n")
    assert found(tmp_path / "demo.py", "MLP204") == []
    assert found(tmp_path / "Dockerfile", "MLP206") == []


def test_an_archived_notebook_is_not_checked_for_removed_apis(tmp_path: Path) -> None:
    """Seen on fresh set 18: "This notebook is for Archive Only"."""
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_markdown_cell("This notebook is for Archive Only."),
        nbformat.v4.new_code_cell("import tensorflow as tf\nx = tf.placeholder(tf.float32)"),
    ]
    nbformat.write(notebook, tmp_path / "old.ipynb")
    assert found(tmp_path / "old.ipynb", "MLP208") == []
    notebook.cells[0] = nbformat.v4.new_markdown_cell("A tutorial.")
    nbformat.write(notebook, tmp_path / "old.ipynb")
    assert found(tmp_path / "old.ipynb", "MLP208") == [(2, "tf.placeholder")]


def test_errors_announced_as_intended(tmp_path: Path) -> None:
    """Seen on fresh set 18: "Errors are intended in the following example"."""
    notebook = nbformat.v4.new_notebook()
    failing = nbformat.v4.new_code_cell("raise AssertionError('n_splits=4')", execution_count=1)
    failing.outputs = [
        nbformat.v4.new_output("error", ename="AssertionError", evalue="n", traceback=[])
    ]
    notebook.cells = [
        nbformat.v4.new_markdown_cell("#### Errors are intended in the following example."),
        failing,
    ]
    nbformat.write(notebook, tmp_path / "e.ipynb")
    assert found(tmp_path / "e.ipynb", "MLP004") == []
