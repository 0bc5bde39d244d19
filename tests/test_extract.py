"""`mlpizza-lint extract`: which cells, the module built from them, refusals, --script,
--rewrite and --requirements, on notebooks written as files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import nbformat
import pytest
from click.testing import CliRunner

from mlpizza_lint.analysis.context import LintContext
from mlpizza_lint.extract.choice import choose_cells
from mlpizza_lint.extract.command import extract as extract_command
from mlpizza_lint.extract.model import cell_ranges
from mlpizza_lint.extract.naming import default_module_path, identifier
from mlpizza_lint.notebook.documents import load_document
from mlpizza_lint.notebook.json_text import cell_spans

Cell = str | tuple[str, str] | tuple[str, tuple[str, ...]]


def notebook(path: Path, *cells: Cell) -> Path:
    """Code cells from strings; ("markdown", text); (source, ("tag", ...)) for tagged code."""
    content = nbformat.v4.new_notebook()
    content.metadata["kernelspec"] = {
        "name": "python3",
        "language": "python",
        "display_name": "Python 3",
    }
    for cell in cells:
        if isinstance(cell, str):
            content.cells.append(nbformat.v4.new_code_cell(cell))
        elif cell[0] == "markdown":
            content.cells.append(nbformat.v4.new_markdown_cell(cell[1]))
        else:
            source, tags = cell
            content.cells.append(nbformat.v4.new_code_cell(source, metadata={"tags": list(tags)}))
    path.write_text(json.dumps(content, indent=1) + "\n", encoding="utf-8")
    return path


def extract(*args: str | Path) -> tuple[int, str, str]:
    result = CliRunner().invoke(extract_command, list(map(str, args)))
    assert "Traceback" not in result.stdout + result.stderr, result.stderr
    return result.exit_code, result.stdout, result.stderr


def module_of(path: Path) -> str:
    return path.with_suffix(".py").read_text(encoding="utf-8")


# --- which cells ---------------------------------------------------------------------------


def test_without_marks_takes_cells_of_imports_definitions_and_constants(tmp_path: Path) -> None:
    path = notebook(
        tmp_path / "analysis.ipynb",
        ("markdown", "# Analysis"),
        "import math\nfrom pathlib import Path",
        "RATE = -0.5\nNAMES = ('a', 'b')\nLIMITS = {'low': 1, 'high': [2, 3]}\n"
        "DATA = Path('data')\nOUT = DATA / 'out.csv'\nTAU = 2 * math.pi\nDAY: int = 24 * 60",
        "def area(r):\n    return math.pi * r ** 2",
        "print(area(2))",
        "label = f'{RATE}'",
        "x = area(3)",
    )
    code, out, err = extract(path)
    assert code == 0, err
    assert out.startswith(f"Wrote {tmp_path / 'analysis.py'} from cells 2-4: 1 definition")
    module = module_of(path)
    assert "DAY: int = 24 * 60" in module and "def area(r):" in module
    assert "label" not in module and "print" not in module and "x = area(3)" not in module


@pytest.mark.parametrize(
    "source",
    [
        "import os\nos.environ['X'] = '1'",
        "SEED = 42\nrandom.seed(SEED)",
        "N = len(range(3))",
        "NAME = f'{1}'",
        "X = Y",
        "%matplotlib inline",
    ],
)
def test_cells_that_do_something_are_not_taken(tmp_path: Path, source: str) -> None:
    path = notebook(tmp_path / "nb.ipynb", "import random", source)
    context = LintContext(load_document(str(path)))
    assert choose_cells(context, "nb").cells == (1,)


def test_marked_cells_only_when_any_is_marked(tmp_path: Path) -> None:
    path = notebook(
        tmp_path / "nb.ipynb",
        "import math",
        "#| export\nimport math\n\n\ndef circle(r):\n    '''Area of a circle.'''\n"
        "    # pi r squared\n    return math.pi * r ** 2",
        ("SIDES = 4\nprint(SIDES)", ("export",)),
        "def unused():\n    return 1",
    )
    code, _, err = extract(path)
    assert code == 0, err
    module = module_of(path)
    assert "#| export" not in module
    assert "'''Area of a circle.'''\n    # pi r squared\n" in module
    assert "SIDES = 4\nprint(SIDES)" in module
    assert "unused" not in module


def test_nothing_to_extract_is_a_refusal(tmp_path: Path) -> None:
    path = notebook(tmp_path / "nb.ipynb", "print(1)")
    code, out, err = extract(path)
    assert (code, out) == (1, "")
    assert f"{path}: nothing to extract: no cell is marked `export`" in err
    assert not (tmp_path / "nb.py").exists()


# --- the module ------------------------------------------------------------------------------


def test_module_has_a_docstring_merged_imports_and_definitions_in_order(tmp_path: Path) -> None:
    path = notebook(
        tmp_path / "shapes.ipynb",
        "import numpy as np\nimport os, sys\nfrom math import pi",
        "# helpers for shapes\nfrom math import tau, pi\nimport numpy as np\n\n"
        "def square(x):\n    return x * x  # squared",
        "class Shape:\n    '''A shape.'''\n\n    sides = 0",
    )
    assert extract(path)[0] == 0
    assert module_of(path) == (
        '"""Code from the notebook `shapes.ipynb` (cells 1-3)."""\n\n'
        "import os\nimport sys\nfrom math import pi, tau\n\nimport numpy as np\n\n\n"
        "def square(x):\n    return x * x  # squared\n\n\n"
        "class Shape:\n    '''A shape.'''\n\n    sides = 0\n"
    )


def test_magics_never_reach_the_module_and_are_reported(tmp_path: Path) -> None:
    path = notebook(
        tmp_path / "nb.ipynb",
        "#| export\n%load_ext autoreload\n!pip install -q requests\nimport json\n%time WIDTH = 3\n",
    )
    code, _, err = extract(path)
    assert code == 0
    assert "%" not in module_of(path) and "!" not in module_of(path)
    assert "WIDTH = 3" in module_of(path)
    assert f"{path}:cell 1:2:1: note: `%load_ext autoreload` is IPython only" in err
    assert "`!pip install -q requests` installs requests: left out of the module" in err


def test_imports_of_cells_left_in_the_notebook_are_copied(tmp_path: Path) -> None:
    path = notebook(
        tmp_path / "nb.ipynb",
        "import json, os\nos.makedirs('out', exist_ok=True)",
        "def dump(x):\n    return json.dumps(x)",
    )
    assert extract(path)[0] == 0
    assert module_of(path).split("\n\n\n")[0].endswith("import json")


def test_names_only_ipython_has_are_reported(tmp_path: Path) -> None:
    path = notebook(tmp_path / "nb.ipynb", "def show(x):\n    display(x)")
    code, _, err = extract(path)
    assert code == 0
    assert "cell 1:2:5: note: `display` only exists inside IPython: calling `show` fails" in err


# --- refusals --------------------------------------------------------------------------------


def test_refuses_a_definition_reading_a_notebook_variable(tmp_path: Path) -> None:
    path = notebook(
        tmp_path / "nb.ipynb",
        "import pandas as pd",
        "df = pd.DataFrame({'a': [1]})\nprint(df)",
        "def predict(x):\n    return df.mean() + x",
    )
    code, out, err = extract(path)
    assert (code, out) == (1, "")
    assert err.splitlines() == [
        f"{path}:cell 3:2:12: `predict` reads `df`, which cell 2 defines and is not extracted; "
        "make it a parameter",
        "Nothing written: 1 problem(s) stop the extraction.",
    ]
    assert not (tmp_path / "nb.py").exists()


def test_refuses_reads_at_definition_time_and_names_defined_below(tmp_path: Path) -> None:
    path = notebook(
        tmp_path / "nb.ipynb",
        "scale = float(input())",
        ("def grow(x, by=scale):\n    return x * by", ("export",)),
        ("def shrink(x, by=HALF):\n    return x * by", ("export",)),
        ("HALF = 0.5", ("export",)),
        "def helper():\n    return 1\nhelper()",
        ("def use():\n    return helper()", ("export",)),
    )
    code, _, err = extract(path)
    assert code == 1
    assert err.splitlines()[:3] == [
        f"{path}:cell 2:1:16: `grow` reads `scale`, which cell 1 defines and is not extracted; "
        "extract cell 1 too, or leave this code in the notebook",
        f"{path}:cell 3:1:18: `shrink` reads `HALF` before cell 4 defines it; "
        "move that definition up",
        f"{path}:cell 6:2:12: `use` reads `helper`, which cell 5 defines and is not extracted; "
        "mark cell 5 for export too",
    ]


def test_refuses_when_the_notebook_rebinds_what_the_module_reads(tmp_path: Path) -> None:
    path = notebook(
        tmp_path / "nb.ipynb",
        "EPOCHS = 10",
        "def train():\n    return EPOCHS",
        "EPOCHS = 20\nprint(train())",
    )
    code, _, err = extract(path)
    assert code == 1
    assert (
        "cell 2:2:12: `train` reads `EPOCHS`, which cell 3 rebinds after cell 1 defines it; "
        "the module would keep the first value: make it a parameter"
    ) in err


def test_reimporting_the_same_name_is_no_conflict(tmp_path: Path) -> None:
    path = notebook(
        tmp_path / "nb.ipynb",
        "import math",
        "def f():\n    return math.pi",
        "import math\nprint(f())",
    )
    assert extract(path)[0] == 0


# --- bad input -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("missing.ipynb", None, "No such file or directory"),
        ("broken.ipynb", "{not json", "invalid JSON"),
        ("script.py", "x = 1\n", "not a notebook"),
        ("list.ipynb", "[]", "not a notebook"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(
    tmp_path: Path, name: str, content: str | None, message: str
) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_text(content, encoding="utf-8")
    code, out, err = extract(path)
    assert (code, out) == (2, "")
    assert len(err.splitlines()) == 1 and err.startswith("mlpizza-lint: error: ")
    assert str(path) in err and message in err
    assert sorted(tmp_path.iterdir()) == ([path] if content is not None else [])


def test_a_syntax_error_in_a_cell_to_extract_is_bad_input(tmp_path: Path) -> None:
    path = notebook(tmp_path / "nb.ipynb", ("def f(:\n    pass", ("export",)))
    code, _, err = extract(path)
    assert code == 2
    assert (
        err == f"mlpizza-lint: error: {path}: cell 1: invalid syntax (line 1); fix it "
        "before extracting the cell\n"
    )


def test_cells_that_cannot_be_extracted_are_reported(tmp_path: Path) -> None:
    path = notebook(
        tmp_path / "nb.ipynb",
        ("%%bash\necho hi", ("export",)),
        ("def f():\n    return 1", ("export",)),
    )
    code, out, err = extract(path, "--rewrite", "-o", tmp_path.parent / f"{tmp_path.name}_lib.py")
    assert code == 0, err
    assert f"{path}:cell 1: note: marked for export but not Python: not extracted" in err
    assert "is not below the notebook's folder: install it (pip install -e .)" in err
    assert "cell 2 imports from" in out


def test_rewrite_needs_a_version_4_notebook(tmp_path: Path) -> None:
    path = tmp_path / "old.ipynb"
    cell = {"cell_type": "code", "input": "A = 1", "language": "python", "outputs": []}
    path.write_text(
        json.dumps(
            {"nbformat": 3, "nbformat_minor": 0, "metadata": {}, "worksheets": [{"cells": [cell]}]}
        ),
        encoding="utf-8",
    )
    assert extract(path)[0] == 0
    code, _, err = extract(path, "--rewrite", "--force")
    assert code == 2 and err.endswith("--rewrite edits nbformat 4 notebooks only\n")


def test_an_existing_module_needs_force(tmp_path: Path) -> None:
    path = notebook(tmp_path / "nb.ipynb", "A = 1")
    target = tmp_path / "nb.py"
    target.write_text("# my work\n", encoding="utf-8")
    code, _, err = extract(path)
    assert code == 2 and "already exists; pass --force to overwrite it" in err
    assert target.read_text(encoding="utf-8") == "# my work\n"
    assert extract(path, "--force")[0] == 0
    assert "A = 1" in target.read_text(encoding="utf-8")


def test_output_path_and_default_names(tmp_path: Path) -> None:
    path = notebook(tmp_path / "01 - Train Model.ipynb", "A = 1")
    assert extract(path)[0] == 0
    assert (tmp_path / "train_model.py").exists()
    assert extract(path, "-o", tmp_path / "pkg" / "features.py")[0] == 0
    assert (tmp_path / "pkg" / "features.py").exists()
    assert default_module_path(Path("random.ipynb"), set()).name == "random_module.py"
    assert default_module_path(Path("eda.ipynb"), {"eda"}).name == "eda_module.py"
    assert identifier("class", "x") == "class_"
    assert cell_ranges([2, 3, 4, 7, 9, 10]) == "2-4, 7, 9, 10"


# --- --script --------------------------------------------------------------------------------


def script_notebook(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    data.mkdir()
    (data / "input.csv").write_text("1\n2\n3\n", encoding="utf-8")
    return notebook(
        tmp_path / "report.ipynb",
        "import csv\nfrom pathlib import Path",
        "def total(rows):\n    return sum(int(row[0]) for row in rows)",
        "%matplotlib inline\nwith open('data/input.csv') as f:\n    rows = list(csv.reader(f))",
        "!ls data\nresult = total(rows)\nPath('data/out.txt').write_text(str(result))\n"
        "print(result)",
        "def bump():\n    global result\n    result += 1\nbump()\nprint(result)",
    )


def test_script_turns_the_other_cells_into_main_with_path_options(tmp_path: Path) -> None:
    path = script_notebook(tmp_path)
    code, out, err = extract(path, "--script")
    assert code == 0, err
    assert "main() runs cells 3-5 with options --input-csv, --out-txt" in out
    assert "cell 3:1:1: note: `%matplotlib inline` is IPython only: a comment in main()" in err
    module = module_of(path)
    assert "def main(input_csv: str, out_txt: str) -> None:" in module
    assert "    # IPython only: %matplotlib inline\n    with open(input_csv) as f:" in module
    assert "    global result\n" in module.split("def bump")[0]  # bump() declares it global
    assert 'default="data/input.csv"' not in module and "default='data/input.csv'," in module
    compile(module, "report.py", "exec")

    script = tmp_path / "report.py"
    shown = subprocess.run(
        [sys.executable, script, "--help"], capture_output=True, text=True, check=True
    )
    assert "--input-csv PATH" in shown.stdout and "(default: data/input.csv)" in shown.stdout
    run = subprocess.run(
        [sys.executable, script, "--out-txt", tmp_path / "elsewhere.txt"],
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,
    )
    assert run.stdout == "6\n7\n"
    assert (tmp_path / "elsewhere.txt").read_text(encoding="utf-8") == "6"
    assert not (tmp_path / "data" / "out.txt").exists()


def test_script_keeps_one_namespace_with_the_module(tmp_path: Path) -> None:
    path = notebook(
        tmp_path / "nb.ipynb",
        "import math\nLIMIT = 3",
        "import math\nLIMIT = LIMIT + 1\ncounter = 0\n"
        "def count():\n    global counter\n    counter += 1\ncount()\nprint(LIMIT, counter)",
    )
    code, _, err = extract(path, "--script")
    assert code == 0, err
    module = module_of(path)
    assert "    global LIMIT, counter\n" in module
    assert "    import math" not in module
    run = subprocess.run(
        [sys.executable, tmp_path / "nb.py"], capture_output=True, text=True, check=True
    )
    assert run.stdout == "4 1\n"


def test_script_needs_every_cell_to_parse(tmp_path: Path) -> None:
    path = notebook(tmp_path / "nb.ipynb", "A = 1", "print 'old'")
    code, _, err = extract(path, "--script")
    assert code == 2 and "cell 2: " in err and "--script puts every code cell into main()" in err
    assert not (tmp_path / "nb.py").exists()


# --- --rewrite -------------------------------------------------------------------------------


def test_rewrite_replaces_the_extracted_cells_and_keeps_every_other_byte(
    tmp_path: Path,
) -> None:
    path = notebook(
        tmp_path / "nb.ipynb",
        ("markdown", "# Title"),
        "%matplotlib inline\nimport math\nimport json",
        "x = 2\nprint(x)",
        "def area(r):\n    return math.pi * r ** 2",
        "print(area(x), math.e)",
    )
    before = path.read_text(encoding="utf-8")
    code, out, err = extract(path, "--rewrite")
    assert code == 0, err
    assert f"Rewrote {path}: cell 2 imports from nb, cell 4 removed; run it again" in out
    after = path.read_text(encoding="utf-8")
    old, new = json.loads(before)["cells"], json.loads(after)["cells"]
    assert new[0] == old[0] and new[2:] == [old[2], old[4]]
    assert {k: v for k, v in new[1].items() if k != "source"} == {
        k: v for k, v in old[1].items() if k != "source"
    }
    assert "".join(new[1]["source"]) == "%matplotlib inline\n\nimport math\n\nfrom nb import area"
    spans_before, spans_after = cell_spans(before), cell_spans(after)
    assert before[: spans_before[1][0]] == after[: spans_after[1][0]]
    assert before[spans_before[2][0] : spans_before[2][1]] == after[slice(*spans_after[2])]
    assert before[spans_before[4][0] :] == after[spans_after[3][0] :]
    assert extract(path, "--rewrite", "--force")[0] == 1  # the import cell is not taken again


def test_rewrite_refuses_when_the_order_of_bindings_would_change(tmp_path: Path) -> None:
    path = notebook(
        tmp_path / "nb.ipynb", "import math", "pi = 3\nprint(pi)", "from math import pi", "pi"
    )
    code, _, err = extract(path, "--rewrite")
    assert code == 1
    assert f"{path}:cell 2: `pi` is bound here and again by cell 3" in err
    assert extract(path)[0] == 0


# --- --requirements --------------------------------------------------------------------------


def test_requirements_are_pinned_from_the_environment(tmp_path: Path) -> None:
    path = notebook(
        tmp_path / "nb.ipynb",
        "#| export\n!pip install -q click notinstalled-package==1.0\nimport os\nimport click\n"
        "import libcst as cst\nimport nowhere_to_be_found\nimport helpers",
    )
    (tmp_path / "helpers.py").write_text("", encoding="utf-8")
    requirements = tmp_path / "requirements.txt"
    code, out, err = extract(path, "--requirements", requirements)
    assert code == 0, err
    assert requirements.read_text(encoding="utf-8") == (
        f"click=={version('click')}\n"
        f"libcst=={version('libcst')}\n"
        "notinstalled-package==1.0\n"
        "nowhere_to_be_found  # not installed here: add the version you use\n"
    )
    assert "note: `nowhere_to_be_found` is not installed here: written without a version" in err
    assert f"installs click, notinstalled-package==1.0: written to {requirements}" in err
    assert f"Wrote {requirements}: click==" in out


def test_an_existing_requirements_file_only_gains_lines(tmp_path: Path) -> None:
    path = notebook(tmp_path / "nb.ipynb", "import click\nimport libcst")
    requirements = tmp_path / "requirements.txt"
    requirements.write_text("# pinned by hand\nClick==8.0  # old", encoding="utf-8")
    assert extract(path, "--requirements", requirements)[0] == 0
    assert requirements.read_text(encoding="utf-8") == (
        f"# pinned by hand\nClick==8.0  # old\nlibcst=={version('libcst')}\n"
    )
    assert extract(path, "--requirements", requirements, "--force")[1].endswith(
        f"{requirements} already declares every requirement\n"
    )
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text("[project]\nname = 'x'\n", encoding="utf-8")
    code, _, err = extract(path, "--requirements", pyproject, "--force")
    assert code == 2 and "--requirements writes a pip requirements file" in err


def test_the_module_imports_without_output_or_files(tmp_path: Path) -> None:
    path = script_notebook(tmp_path)
    assert extract(path, "--script")[0] == 0
    empty = tmp_path / "empty"
    empty.mkdir()
    result = subprocess.run(
        [sys.executable, "-B", "-c", "import report"],
        capture_output=True,
        text=True,
        cwd=empty,
        env={**os.environ, "PYTHONPATH": str(tmp_path)},
        check=True,
    )
    assert (result.stdout, result.stderr, list(empty.iterdir())) == ("", "", [])


# --- found in review -------------------------------------------------------------------------


def test_rewrite_refuses_what_would_change_what_the_notebook_sees(tmp_path: Path) -> None:
    path = notebook(
        tmp_path / "nb.ipynb",
        "import numpy as np\ndef area(r):\n    return r",
        "print(area(1), np.pi)",
        "import numpy as np\ndef area(r):\n    return 2 * r",
        "counter = 0\ndef bump():\n    global counter\n    counter += 1",
        ("if __name__ == '__main__':\n    print('run')", ("x",)),
        "bump()\nprint(counter)",
    )
    code, _, err = extract(path, "--rewrite")
    assert code == 1
    assert f"{path}:cell 2:1:7: reads `area` before cell 3 defines it again" in err
    assert "reads `np`" not in err  # the same import in both cells
    assert f"{path}:cell 4:3:5: `bump` rebinds the global `counter`, which cell 6 reads" in err
    assert extract(path)[0] == 0  # without --rewrite the notebook keeps its own values

    marked = notebook(
        tmp_path / "marked.ipynb", "#| export\nif __name__ == '__main__':\n    print('run')"
    )
    code, _, err = extract(marked, "--rewrite")
    assert code == 1 and f"{marked}:cell 1:2:4: `__name__` is `'__main__'` in the notebook" in err


def test_a_definition_redefined_later_is_kept_once(tmp_path: Path) -> None:
    path = notebook(
        tmp_path / "nb.ipynb",
        "def area(r):\n    return r\ndef deco(f):\n    return f",
        "def area(r):\n    '''Second.'''\n    return 2 * r",
        "@deco\ndef shape():\n    return area(1)",
        "def deco(f):\n    return None",
    )
    code, out, err = extract(path)
    assert code == 0, err
    assert "4 definitions" in out  # two `area` were three
    module = module_of(path)
    assert module.count("def area") == 1 and "'''Second.'''" in module
    assert module.count("def deco") == 2  # cell 3 uses the first one on import
    assert f"{path}:cell 1:1:1: note: `area` is defined again in cell 2: the module keeps" in err


def test_nbdev_directives_in_any_order_and_windows_line_endings(tmp_path: Path) -> None:
    path = notebook(
        tmp_path / "nb.ipynb",
        "#| hide\r\n#|export\r\nimport math\r\n# area\r\ndef area(r):\r\n    return math.pi * r",
        "print(area(1))",
    )
    code, out, err = extract(path)
    assert code == 0, err
    assert out.startswith(f"Wrote {tmp_path / 'nb.py'} from cell 1: 1 definition")
    module = module_of(path)
    assert "\r" not in module and "#|" not in module
    assert module.startswith('"""Code from the notebook `nb.ipynb` (cell 1)."""\n')
    assert "# area\ndef area(r):\n    return math.pi * r\n" in module


def test_folders_and_clashing_paths_are_one_line_errors(tmp_path: Path) -> None:
    path = notebook(tmp_path / "nb.ipynb", "import click")
    before = path.read_bytes()
    (tmp_path / "folder.py").mkdir()
    for args, message in [
        ((tmp_path,), f"{tmp_path}: Is a directory"),
        ((path, "-o", tmp_path / "folder.py"), "is a folder; -o takes the module's file name"),
        ((path, "--requirements", tmp_path), "is a folder; --requirements takes a file name"),
        ((path, "--requirements", path), f"{path}: is the notebook; --requirements takes"),
        ((path, "-o", tmp_path / "m.py", "--requirements", tmp_path / "m.py"), "is the module"),
    ]:
        code, out, err = extract(*args)
        assert (code, out, len(err.splitlines())) == (2, "", 1), err
        assert err.startswith("mlpizza-lint: error: ") and message in err
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["folder.py", "nb.ipynb"]


def test_a_file_that_cannot_be_written_leaves_every_file_as_it_was(tmp_path: Path) -> None:
    path = notebook(tmp_path / "nb.ipynb", "import click", "print(click)")
    before = path.read_bytes()
    (tmp_path / "afile").write_text("", encoding="utf-8")
    module = tmp_path / "new" / "lib.py"
    code, out, err = extract(
        path, "-o", module, "--rewrite", "--requirements", tmp_path / "afile" / "req.txt"
    )
    assert (code, out) == (2, "")
    assert err == f"mlpizza-lint: error: {tmp_path}/afile/req.txt: cannot write: Not a directory\n"
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["afile", "nb.ipynb"]


def test_script_leaves_out_empty_cells(tmp_path: Path) -> None:
    path = notebook(tmp_path / "nb.ipynb", "A = 1", "print(A)", "  \n")
    code, out, err = extract(path, "--script")
    assert code == 0, err
    assert "main() runs cell 2\n" in out
    assert '    """Runs cell 2 of `nb.ipynb`, top to bottom."""\n' in module_of(path)
    assert "# cell 3" not in module_of(path)


def test_script_keeps_paths_in_case_patterns(tmp_path: Path) -> None:
    path = notebook(
        tmp_path / "nb.ipynb",
        "def double(x):\n    return 2 * x",
        "import sys\nmatch sys.argv[-1]:\n    case '/home/alice/data/train.csv':\n"
        "        print('train')\n    case _:\n        print(open('/home/alice/out.txt'))",
    )
    result = CliRunner().invoke(extract_command, [str(path), "--script"])
    assert result.exit_code == 0, result.output
    script = path.with_suffix(".py").read_text(encoding="utf-8")
    assert "case '/home/alice/data/train.csv':" in script and "--out-txt" in script
