"""`extract` proven end to end: real notebooks run with an IPython kernel before and after
`--rewrite` print the same, the module imports cleanly and passes `pylint --errors-only`, the
script runs; and `extract` goes through every corpus notebook without a traceback."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import warnings
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import nbformat
import pytest
from click.testing import CliRunner
from nbclient import NotebookClient

from mlpizza_lint.analysis.context import LintContext
from mlpizza_lint.analysis.distributions import import_names
from mlpizza_lint.cli.main import main
from mlpizza_lint.extract import ExtractError, ExtractOptions, plan_extraction, write_extraction
from mlpizza_lint.notebook.documents import load_document

from .conftest import EXAMPLES

RUNNABLE = {"numpy"}  # besides the standard library
MARKED = [
    ("markdown", "# Dice\nRolls simulated with numpy; helpers marked for export."),
    ("code", "#| export\n%load_ext autoreload\n%autoreload 2\nimport numpy as np\nSIDES = 6"),
    ("code", "rng = np.random.default_rng(7)\n!echo rolling"),
    (
        "code",
        '#| export\nclass Dice:\n    """A fair die."""\n\n    def __init__(self, sides=SIDES):\n'
        "        self.sides = sides  # faces\n\n"
        "    def roll(self, rng, n):\n        return rng.integers(1, self.sides + 1, size=n)",
    ),
    ("code", "rolls = Dice().roll(rng, 1000)\nprint(rolls[:10])\nrolls.mean().round(2)"),
    ("code", "#| export\ndef share(rolls, face):\n    return float((rolls == face).mean())"),
    ("code", "print({face: round(share(rolls, face), 3) for face in range(1, SIDES + 1)})"),
]


def runnable_examples() -> list[Path]:
    """Example notebooks whose imports need nothing but the standard library and numpy."""
    found = []
    for path in sorted(EXAMPLES.glob("*.ipynb")):
        views = LintContext(load_document(str(path))).code_cells
        modules = {i.target.split(".")[0] for view in views for i in view.facts.imports}
        if all(import_names().is_standard_library(m) or m in RUNNABLE for m in modules):
            found.append(path)
    return found


def marked_notebook(folder: Path) -> Path:
    content = nbformat.v4.new_notebook()
    content.metadata["kernelspec"] = {
        "name": "python3",
        "language": "python",
        "display_name": "Python 3",
    }
    for kind, source in MARKED:
        new = nbformat.v4.new_markdown_cell if kind == "markdown" else nbformat.v4.new_code_cell
        content.cells.append(new(source))
    path = folder / "dice.ipynb"
    path.write_text(json.dumps(content, indent=1), encoding="utf-8")
    return path


def run(path: Path) -> list[dict[str, object]]:
    """Execute the notebook top to bottom in its folder; return its cells."""
    content = nbformat.read(path, as_version=4)
    client = NotebookClient(
        content, timeout=120, kernel_name="python3", resources={"metadata": {"path": path.parent}}
    )
    client.execute()
    return [dict(cell) for cell in content.cells]


def text_outputs(cell: dict[str, object]) -> list[tuple[str, str]]:
    shown = []
    for output in cell.get("outputs", []):  # type: ignore[attr-defined]
        if output["output_type"] == "stream":
            shown.append((output["name"], output["text"]))
        elif output["output_type"] == "error":
            shown.append(("error", f"{output['ename']}: {output['evalue']}"))
        else:
            shown.append(("data", output["data"].get("text/plain", "")))
    return shown


def stdout_of(cells: list[dict[str, object]]) -> str:
    return "".join(text for cell in cells for kind, text in text_outputs(cell) if kind == "stdout")


@pytest.mark.parametrize("name", ["example", "marked"])
def test_rewritten_notebook_runs_the_same_and_the_module_stands_alone(
    tmp_path: Path, name: str
) -> None:
    if name == "example":
        (source,) = runnable_examples()  # clean_forecast.ipynb
        path = tmp_path / source.name
        shutil.copy(source, path)
    else:
        path = marked_notebook(tmp_path)
    before = run(path)

    result = CliRunner().invoke(main, ["extract", str(path), "--rewrite", "--script"])
    assert result.exit_code == 0, result.stderr
    module = path.with_suffix(".py")
    after = run(path)

    unchanged = {cell["source"] for cell in after} & {cell["source"] for cell in before}
    assert len(after) == len(unchanged) + 1  # and the import cell
    assert [text_outputs(c) for c in before if c["source"] in unchanged] == [
        text_outputs(c) for c in after if c["source"] in unchanged
    ]
    assert [text_outputs(c) for c in after if c["source"] not in unchanged] == [[]]
    assert stdout_of(before) == stdout_of(after) != ""
    assert not any(kind == "error" for cell in after for kind, _ in text_outputs(cell))

    # The module imports in a fresh interpreter: no output, no file created.
    empty = tmp_path / "empty"
    empty.mkdir()
    listing = sorted(tmp_path.iterdir())
    imported = subprocess.run(
        [sys.executable, "-B", "-c", f"import {module.stem}"],
        capture_output=True,
        text=True,
        cwd=empty,
        env={**os.environ, "PYTHONPATH": str(tmp_path)},
        check=True,
    )
    assert (imported.stdout, imported.stderr) == ("", "")
    assert list(empty.iterdir()) == [] and sorted(tmp_path.iterdir()) == listing

    # The script prints what the notebook's cells printed.
    script = subprocess.run(
        [sys.executable, "-B", module], capture_output=True, text=True, cwd=tmp_path, check=True
    )
    assert script.stdout == stdout_of(before).replace("rolling\r\n", "")  # `!echo` is IPython

    errors = subprocess.run(
        [sys.executable, "-m", "pylint", "--errors-only", "--persistent=n", module.name],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=False,
    )
    assert (errors.returncode, errors.stdout.strip()) == (0, ""), errors.stdout


def test_extract_goes_through_the_whole_corpus(corpus: Path, tmp_path: Path) -> None:
    """Every notebook is copied, extracted with --rewrite (one in 25 also with --script):
    a refusal or a one-line error at most, and every module written compiles."""
    sources = sorted((corpus / "notebooks").rglob("*.ipynb"))
    folders = [tmp_path / str(number) for number in range(len(sources))]
    with ProcessPoolExecutor(max_workers=os.cpu_count()) as pool:
        outcomes = Counter(pool.map(extract_copy, sources, folders, chunksize=8))
    assert outcomes["written"] > 250 and outcomes["refused"] > 250, outcomes


def extract_copy(source: Path, folder: Path) -> str:
    folder.mkdir()
    path = folder / "notebook.ipynb"
    shutil.copy(source, path)
    path.chmod(0o644)  # the corpus is read-only, and a read-only notebook is not rewritten
    options = ExtractOptions(
        path, folder / "module.py", script=int(folder.name) % 25 == 0, rewrite=True
    )
    try:
        extraction = plan_extraction(options)
    except ExtractError as error:
        assert "\n" not in str(error), source
        return "error"
    if extraction.problems:
        return "refused"
    write_extraction(extraction)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the notebooks' invalid escapes
        compile((folder / "module.py").read_text(encoding="utf-8"), str(source), "exec")
    original = json.loads(source.read_bytes())["cells"]
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    assert len([cell for cell in cells if cell not in original]) == 1, source
    return "written"
