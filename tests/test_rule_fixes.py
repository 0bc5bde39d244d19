"""The fixes of MLP201, MLP204 and MLP301, applied through the command line on real files."""

from __future__ import annotations

import json
from importlib.metadata import version
from pathlib import Path

import nbformat
from click.testing import CliRunner, Result

from mlpizza_lint.cli import main
from mlpizza_lint.config import Settings
from mlpizza_lint.diagnostics import Applicability, Edit, Fix, Span
from mlpizza_lint.documents import DocumentError, load_document, parse_document
from mlpizza_lint.edits import apply_edits, compatible
from mlpizza_lint.fixes import fix_document

from .conftest import NotebookWriter


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def cells(path: Path) -> list[str]:
    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    return [cell.source for cell in notebook.cells]


def findings(path: Path, code: str) -> list[dict[str, object]]:
    result = run(str(path), "--select", code, "--format", "json", "--exit-zero")
    return list(json.loads(result.output))


def test_inline_install_moves_to_requirements(
    write_notebook: NotebookWriter, tmp_path: Path
) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "requirements.txt").write_text("pandas==2.2.2", encoding="utf-8")  # no newline
    path = write_notebook(
        "!pip install -q xgboost==2.0.3 click\nimport click",
        "import pandas as pd\n%pip install pandas\nprint(1)",
        "if True:\n    !pip install rich\n",
    )
    result = run(str(path), "--fix", "--unsafe-fixes", "--select", "MLP201", "--show-fixes")
    assert "2 x MLP201 (inline-install)" in result.output
    assert cells(path) == ["import click", "import pandas as pd\nprint(1)", *cells(path)[2:]]
    assert (tmp_path / "requirements.txt").read_text(encoding="utf-8") == (
        f"pandas==2.2.2\nxgboost==2.0.3\nclick=={version('click')}\n"
    )
    (indented,) = findings(path, "MLP201")  # inside a block: removing it would break the cell
    assert indented["fix"] is None
    assert run(str(path), "--diff", "--unsafe-fixes", "--select", "MLP201").output == ""


def test_a_project_declaring_in_pyproject_gets_no_install_fix(
    write_notebook: NotebookWriter, tmp_path: Path
) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\ndependencies = ["click==8.1.7"]\n', encoding="utf-8"
    )
    path = write_notebook("!pip install click")
    (finding,) = findings(path, "MLP201")
    assert finding["fix"] is None


def test_project_without_dependency_file_gets_a_new_requirements_file(
    write_notebook: NotebookWriter, tmp_path: Path
) -> None:
    (tmp_path / ".git").mkdir()
    path = write_notebook("%pip install 'rich>=13'\nimport rich")
    diff = run(str(path), "--diff", "--unsafe-fixes", "--select", "MLP201")
    assert "+rich>=13" in diff.output and not (tmp_path / "requirements.txt").exists()
    run(str(path), "--fix", "--unsafe-fixes", "--select", "MLP201")
    assert (tmp_path / "requirements.txt").read_text(encoding="utf-8") == "rich>=13\n"


def test_missing_requirement_is_appended_pinned(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("click==8.1.7\r\n", encoding="utf-8", newline="")
    script = tmp_path / "analysis.py"
    script.write_text("import click\nimport yaml\nimport rich.console\n", encoding="utf-8")
    assert [f["fix"] is not None for f in findings(script, "MLP204")] == [True, True]
    run(str(script), "--fix", "--unsafe-fixes", "--select", "MLP204")
    written = (tmp_path / "requirements.txt").read_bytes().decode()
    assert written == (
        f"click==8.1.7\r\nPyYAML=={version('PyYAML')}\r\nrich=={version('rich')}\r\n"
    )
    assert findings(script, "MLP204") == []
    assert script.read_text(encoding="utf-8").startswith("import click\n")


def test_hardcoded_path_is_lifted_to_a_constant(write_notebook: NotebookWriter) -> None:
    path = write_notebook(
        "import pandas as pd",
        'df = pd.read_csv("/home/alice/churn/train.csv")\n'
        "model = load(r'C:\\Users\\bob\\models\\model.pkl')\n"
        'again = pd.read_csv("/home/alice/churn/train.csv")\n',
        'OUT = "/content/drive/MyDrive/out/"\nprint(f"/home/alice/{OUT}")\n',
    )
    before = path.read_text(encoding="utf-8")
    result = run(str(path), "--fix", "--select", "MLP301", "--exit-zero")
    assert result.exit_code == 0
    assert cells(path) == [
        "import pandas as pd\n"
        'TRAIN_CSV = "/home/alice/churn/train.csv"\n'
        "MODEL_PKL = r'C:\\Users\\bob\\models\\model.pkl'",
        "df = pd.read_csv(TRAIN_CSV)\nmodel = load(MODEL_PKL)\nagain = pd.read_csv(TRAIN_CSV)\n",
        'OUT = "/content/drive/MyDrive/out/"\nprint(f"/home/alice/{OUT}")\n',
    ]
    lifted = path.read_text(encoding="utf-8")
    tail = before.rindex('"metadata"')  # the notebook's own metadata, after the cells
    assert lifted[lifted.rindex('"metadata"') :] == before[tail:]
    assert run(str(path), "--fix", "--select", "MLP301").exit_code == 1  # still reported
    assert path.read_text(encoding="utf-8") == lifted  # and nothing more to do


def test_path_found_in_the_project_becomes_relative(
    write_notebook: NotebookWriter, tmp_path: Path
) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "train.csv").write_text("a\n1\n", encoding="utf-8")
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    path = write_notebook(
        "import pandas as pd\n",
        "df = pd.read_csv('/home/alice/churn/data/train.csv')",
        name="notebooks/nb.ipynb",
    )
    (finding,) = findings(path, "MLP301")
    assert isinstance(finding["fix"], dict) and finding["fix"]["applicability"] == "unsafe"
    run(str(path), "--fix", "--unsafe-fixes", "--select", "MLP301")
    assert cells(path) == [
        "import pandas as pd\nTRAIN_CSV = '../data/train.csv'\n",
        "df = pd.read_csv(TRAIN_CSV)",
    ]
    assert findings(path, "MLP301") == []


def test_percent_script_edits_use_file_lines(tmp_path: Path) -> None:
    script = tmp_path / "train.py"
    script.write_text(
        "# %%\nimport os\n\n# %%\nprint(open('/home/alice/notes.txt').read())\n",
        encoding="utf-8",
    )
    run(str(script), "--fix", "--select", "MLP301", "--exit-zero")
    assert script.read_text(encoding="utf-8") == (
        "# %%\nimport os\nNOTES_TXT = '/home/alice/notes.txt'\n\n# %%\n"
        "print(open(NOTES_TXT).read())\n"
    )


def test_overlapping_fixes_are_resolved_in_order() -> None:
    def fix(line: int, start: int, end: int, text: str) -> Fix:
        return Fix(text, Applicability.SAFE, (Edit(1, Span(line, start, line, end), text),))

    first, overlapping, insertion, same = (
        fix(1, 1, 5, "a"),
        fix(1, 3, 8, "b"),
        fix(2, 1, 1, "c"),
        fix(2, 1, 1, "c"),
    )
    assert compatible([first, overlapping, insertion, same]) == [first, insertion, same]
    edits = [edit for taken in compatible([first, insertion, same]) for edit in taken.edits]
    assert apply_edits("0123456789\nxyz\n", edits) == "a456789\ncxyz\n"


def test_fixing_every_corpus_notebook_is_valid_and_idempotent(corpus: Path) -> None:
    """All fixes, unsafe ones included, on real notebooks: the result loads, keeps every
    cell, and a second run finds nothing more to change."""
    settings = Settings()
    fixed = 0
    for path in sorted((corpus / "notebooks").rglob("*.ipynb")):
        try:
            document = load_document(str(path))
        except DocumentError:
            continue
        outcome = fix_document(document, settings, unsafe=True)
        if not outcome.changed:
            continue
        fixed += 1
        after = parse_document(str(path), outcome.after.encode())
        assert len(after.cells) == len(document.cells), path
        assert fix_document(after, settings, unsafe=True).after == outcome.after, path
    assert fixed > 10


def test_nothing_to_fix_leaves_the_file_untouched(write_notebook: NotebookWriter) -> None:
    path = write_notebook("import os\nprint(os.getcwd())", ("x = 1", 1))
    before = path.stat()
    result = run(str(path), "--fix", "--unsafe-fixes", "--show-fixes")
    after = path.stat()
    assert "No fixes applied." in result.output
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
