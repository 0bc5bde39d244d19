"""The fixes of MLP201, MLP204 and MLP301, applied through the command line on real files."""

from __future__ import annotations

import ast
import json
import shutil
from collections.abc import Iterator
from importlib.metadata import version
from pathlib import Path

import nbformat
import pytest
from click.testing import CliRunner, Result

from mlpizza_lint.analysis.context import LintContext
from mlpizza_lint.cli.main import main
from mlpizza_lint.config import Settings
from mlpizza_lint.diagnostics import Applicability, Fix
from mlpizza_lint.engine import _rules
from mlpizza_lint.fixing.edits import apply_edits, compatible
from mlpizza_lint.fixing.rounds import fix_document
from mlpizza_lint.notebook.documents import DocumentError, load_document, parse_document
from mlpizza_lint.rules import Rule
from mlpizza_lint.rules.base import Finding
from mlpizza_lint.spans import Edit, Span

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


def compiles(path: Path) -> bool:
    for source in cells(path):
        try:
            ast.parse(source)
        except SyntaxError:
            return False
    return True


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [
        (  # a `case` value: a name there would capture anything
            "import os\n",
            "match p:\n    case '/home/alice/data/train.csv':\n        pass\n",
            None,
        ),
        (  # names a star import may bring in are unknown: no safe constant
            "from settings import *\n",
            "f = open('/home/alice/data/train.csv')\n",
            None,
        ),
        (  # the first statement is not an import: the constant goes above it
            "open('/home/alice/data/train.csv').close()\nimport os\n",
            "x = 1",
            "TRAIN_CSV = '/home/alice/data/train.csv'\nopen(TRAIN_CSV).close()\nimport os\n",
        ),
        (  # a statement shares the import's line
            "import os; df = open('/home/alice/data/train.csv')\n",
            "x = 1",
            "TRAIN_CSV = '/home/alice/data/train.csv'\nimport os; df = open(TRAIN_CSV)\n",
        ),
        (  # implicit concatenation over two lines keeps its parts, in parentheses
            "import os\n",
            "df = open('/home/alice/data/'\n          'train.csv')\n",
            "import os\nTRAIN_CSV = ('/home/alice/data/'\n          'train.csv')\n",
        ),
        (  # no letters to name it after, a non-ASCII file name
            "import os\n",
            "os.listdir('/home/alice/...')\nopen('/home/alice/été².csv')\n",
            "import os\nALICE_DIR = '/home/alice/...'\nT_CSV = '/home/alice/été².csv'\n",
        ),
        (  # a form feed is not a line break for Python
            "import os\n",
            "s = 'a\x0cb'; t = 1\np = open('/home/alice/data/train.csv')\n",
            "import os\nTRAIN_CSV = '/home/alice/data/train.csv'\n",
        ),
    ],
)
def test_safe_path_fix_never_changes_behaviour(
    write_notebook: NotebookWriter, first: str, second: str, expected: str | None
) -> None:
    path = write_notebook(first, second)
    before = path.read_bytes()
    run(str(path), "--fix", "--select", "MLP301")
    if expected is None:
        assert path.read_bytes() == before
    else:
        assert cells(path)[0] == expected
        assert compiles(path)


def test_files_fixes_cannot_write_back_exactly_are_left_alone(tmp_path: Path) -> None:
    latin = tmp_path / "latin.py"
    latin.write_bytes(b"# -*- coding: latin-1 -*-\nname = 'caf\xe9'\nf = open('/home/a/t.csv')\n")
    bom = tmp_path / "bom.py"
    bom.write_bytes(b"\xef\xbb\xbfimport os\nf = open('/home/a/t.csv')\n")
    originals = {path: path.read_bytes() for path in (latin, bom)}
    run(str(tmp_path), "--fix", "--select", "MLP301")
    assert {path: path.read_bytes() for path in originals} == originals


def test_a_symlinked_file_is_fixed_through_the_link(tmp_path: Path) -> None:
    real = tmp_path / "real.py"
    real.write_text("import os\nf = open('/home/a/t.csv')\n", encoding="utf-8")
    link = tmp_path / "link.py"
    link.symlink_to(real)
    run(str(link), "--fix", "--select", "MLP301")
    assert link.is_symlink() and "T_CSV = '/home/a/t.csv'" in real.read_text(encoding="utf-8")


def test_unfixable_notebooks_do_not_stop_the_others(tmp_path: Path, corpus: Path) -> None:
    version3 = next(
        p for p in (corpus / "notebooks").rglob("*.ipynb") if '"worksheets"' in p.read_text()
    )
    shutil.copy(version3, tmp_path / "old.ipynb")
    long_path = "/home/alice/data/" + "x" * 300 + ".csv"
    (tmp_path / "long.py").write_text(f"import os\nf = open('{long_path}')\n", encoding="utf-8")
    (tmp_path / "later.py").write_text("import os\nf = open('/home/a/t.csv')\n", encoding="utf-8")
    result = run(str(tmp_path), "--fix", "--unsafe-fixes", "--exit-zero")
    assert result.exit_code == 0, result.output
    assert "T_CSV =" in (tmp_path / "later.py").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "install",
    [
        "!pip install attrs && echo done",
        "!pip install idna > /dev/null 2>&1",
        "!pip install torch --index-url https://download.pytorch.org/whl/cu118",
        "%pip install -c constraints.txt attrs",
        "!pip install dill-0.3.0-py3-none-any.whl",
    ],
)
def test_install_lines_that_do_more_are_not_deleted(
    write_notebook: NotebookWriter, tmp_path: Path, install: str
) -> None:
    (tmp_path / ".git").mkdir()
    path = write_notebook(install)
    (finding,) = findings(path, "MLP201")
    assert finding["fix"] is None


def test_one_line_per_distribution_and_none_into_hash_locked_files(
    write_notebook: NotebookWriter, tmp_path: Path
) -> None:
    (tmp_path / "requirements.txt").write_text("pandas==2.2.2\r\nclick", encoding="utf-8")
    write_notebook("!pip install rich\n", "!pip install rich==13.0.0\nimport rich")
    result = run(str(tmp_path), "--fix", "--unsafe-fixes", "--show-fixes", "--select", "MLP2")
    assert (tmp_path / "requirements.txt").read_bytes().decode() == (
        f"pandas==2.2.2\r\nclick=={version('click')}\r\nrich=={version('rich')}\r\n"
    )
    assert "2 x MLP201" in result.output
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "requirements.txt").write_text("attrs==26.1.0 --hash=sha256:abcd\n")
    script = locked / "job.py"
    script.write_text("import attrs\nimport rich\n", encoding="utf-8")
    assert [f["fix"] for f in findings(script, "MLP204")] == [None]


def test_show_fixes_counts_fixes_that_only_edit_another_file(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("attrs==26.1.0\n", encoding="utf-8")
    (tmp_path / "job.py").write_text("import click\n", encoding="utf-8")
    result = run(str(tmp_path), "--fix", "--unsafe-fixes", "--show-fixes", "--exit-zero")
    assert "1 x MLP204 (missing-requirement)" in result.output


def test_lifted_constant_keeps_the_file_line_endings(tmp_path: Path) -> None:
    script = tmp_path / "crlf.py"
    script.write_bytes(b'import os\r\nrows = open("/home/alice/data/train.csv")\r\n')
    run(str(script), "--fix", "--select", "MLP301")
    assert script.read_bytes() == (
        b'import os\r\nTRAIN_CSV = "/home/alice/data/train.csv"\r\nrows = open(TRAIN_CSV)\r\n'
    )


def test_a_long_chain_of_cell_moves_is_fixed_in_one_run(write_notebook: NotebookWriter) -> None:
    """Each round moves one cell; fourteen moves once needed two runs (ten rounds a run)."""
    chain = [f"v{n} = v{n - 1} + 1" for n in range(14, 0, -1)]
    path = write_notebook(*chain, "v0 = 0", "print(v14)")
    run(str(path), "--fix", "--unsafe-fixes", "--select", "MLP101")
    assert findings(path, "MLP101") == []
    assert cells(path)[0] == "v0 = 0"


def test_fixed_counts_findings_that_went_and_a_second_run_is_asked_for(
    write_notebook: NotebookWriter, tmp_path: Path
) -> None:
    """Moving the install creates requirements.txt, against which the next run checks the
    imports: the run says so instead of looking finished."""
    (tmp_path / ".git").mkdir()
    path = write_notebook("!pip install click\nimport click\nimport yaml")
    first = run(str(path), "--fix", "--unsafe-fixes", "--select", "MLP201,MLP204")
    assert "Fixed 1 problem(s)" in first.output
    assert "1 more problem(s) fixable: run with --fix --unsafe-fixes again." in first.output
    second = run(str(path), "--fix", "--unsafe-fixes", "--select", "MLP201,MLP204")
    assert "Fixed 1 problem(s)" in second.output and "more problem(s)" not in second.output
    declared = (tmp_path / "requirements.txt").read_text(encoding="utf-8").splitlines()
    assert [line.split("==")[0] for line in declared] == ["click", "PyYAML"]
    assert findings(path, "MLP201,MLP204") == []


@pytest.fixture
def flip_flop() -> Iterator[str]:
    """A rule whose fix turns `a` into `b` and `b` back into `a`: it never converges."""

    class FlipFlop(Rule):
        """Fixes that undo each other."""

        code = "MLP999"
        name = "flip-flop"

        def check(self, context: LintContext) -> Iterator[Finding]:
            for view in context.python_cells():
                source = view.cell.source
                other = {"a = 1": "b = 1", "b = 1": "a = 1"}.get(source)
                if other is not None:
                    edit = Edit(view.cell.index, Span(1, 1, 1, len(source) + 1), other)
                    fix = Fix("Flip", Applicability.SAFE, (edit,))
                    yield Finding(view.cell.index, Span(1, 1, 1, 2), "flips", fix)

    yield FlipFlop.code
    del Rule.registry[FlipFlop.code]
    _rules.cache_clear()


def test_fixes_that_undo_each_other_stop_and_say_so(
    write_notebook: NotebookWriter, flip_flop: str
) -> None:
    path = write_notebook("a = 1")
    result = run(str(path), "--fix", "--select", flip_flop)
    assert f"{path}: fixes did not converge" in result.output
    assert cells(path) == ["b = 1"]
