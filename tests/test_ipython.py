"""IPython syntax becomes Python with every location kept, on hand cases and real fixtures."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from mlpizza_lint.config import Settings
from mlpizza_lint.engine import enabled_codes, lint_file
from mlpizza_lint.ipython.translation import MagicKind, translate


@pytest.mark.parametrize(
    ("source", "python"),
    [
        ("%matplotlib inline\nimport os\n", "pass\nimport os\n"),
        ("files = !ls data\n", "files = ...\n"),
        ("a: list[str] = %sx ls\n", "a: list[str] = ...\n"),
        ("!pip install -q numpy \\\n    pandas\nx = 1\n", "pass\n\nx = 1\n"),
        ("if ready:\n    %time model.fit(X)\n", "if ready:\n    if 1: model.fit(X)\n"),
        ("%timeit -n 10 f()\n", "if 1:         f()\n"),
        ("   %time randint(5, 10)", "if 1: randint(5, 10)"),
        ("str.split??\nresult = str.split?\n", "pass\nresult = ...\n"),
        ("print(\n    '%s'\n    % 'foo'\n)\n", "print(\n    '%s'\n    % 'foo'\n)\n"),
        ("text = '''\n!not a shell escape\n'''\n", "text = '''\n!not a shell escape\n'''\n"),
        ("pip install pandas\n", "pass\n"),
        ("%%capture out\n!pip install x\nimport x\n", "\npass\nimport x\n"),
        ("# what is this?\nx = 1\n", "# what is this?\nx = 1\n"),
        ("x = 1 if y else \\\n    2\n", "x = 1 if y else \\\n    2\n"),
        ("a = 1\r\n!ls\r\n", "a = 1\r\npass\r\n"),
        ("n, = !ls | wc -l\n", "n, = ...\n"),
    ],
)
def test_translation(source: str, python: str) -> None:
    translation = translate(source)
    assert translation.python == python
    ast.parse(python)


def test_magics_keep_the_users_locations() -> None:
    source = "import sys\nfiles = !ls /data\n    \n!{sys.executable} -m pip install x\n"
    shell = [
        (m.args, m.targets, m.span.line, m.span.column, m.span.end_column)
        for m in translate(source).magics
    ]
    assert shell == [
        ("ls /data", ("files",), 2, 9, 18),
        ("{sys.executable} -m pip install x", (), 4, 1, 35),
    ]


def test_continued_magic_spans_its_lines() -> None:
    (magic,) = translate("%pip install numpy \\\n    pandas\n").magics
    assert (magic.name, magic.args) == ("pip", "install numpy pandas")
    assert (magic.span.line, magic.span.end_line, magic.span.end_column) == (1, 2, 11)


@pytest.mark.parametrize(
    "magic", ["bash", "html", "writefile out.py", "sql", "javascript", "random"]
)
def test_non_python_cell_magics_are_not_parsed(magic: str) -> None:
    translation = translate(f"%%{magic}\n" + "this is { not python\n")
    assert translation.python is None
    assert translation.magics[0].kind is MagicKind.CELL


def test_shell_cell_body_lines_are_shell_commands() -> None:
    translation = translate("%%bash\npip install x\n\nls /kaggle/input\n")
    assert [(m.kind, m.args, m.span.line) for m in translation.magics[1:]] == [
        (MagicKind.SHELL, "pip install x", 2),
        (MagicKind.SHELL, "ls /kaggle/input", 4),
    ]


def test_dedented_cell_maps_columns_back() -> None:
    translation = translate("    x = (\n    !ls\n")
    assert translation.dedent == 4
    assert translation.user_column(1, 5) == 9


# Fixtures that are not valid IPython, each with the reason.
INVALID_FIXTURES = {
    "not_json.ipynb": "not JSON",
    "invalid_extension.ipynb": "a Python script named .ipynb",
    "wrong_schema.ipynb": "not JSON",
    "83_jupyter_notebook_ipython_magic.ipynb": "a relative path string, not JSON",
    "invalid_syntax.ipynb": "`if True` without a colon",
    "assignment_to_literal.ipynb": "`1 = [1,2,3]`",
    "InvalidSyntax.ipynb": "pynblint's syntax-error fixture",
    "non_python_notebook.ipynb": "checked as skipped, not parsed",
}


def fixture_notebooks() -> list[Path]:
    from .conftest import CORPUS

    return sorted((CORPUS / "fixtures").rglob("*.ipynb"))


@pytest.mark.parametrize("path", fixture_notebooks(), ids=lambda path: path.name)
def test_valid_ipython_fixtures_have_no_syntax_error(path: Path) -> None:
    settings = Settings()
    result = lint_file(str(path), settings)
    assert enabled_codes(settings, str(path))
    errors = [d for d in result.diagnostics if d.code == "MLP000"]
    if path.name in INVALID_FIXTURES:
        assert errors or result.notes, INVALID_FIXTURES[path.name]
    else:
        assert errors == [], [d.message for d in errors]


def test_autocall_escapes_are_ipython_not_syntax_errors() -> None:
    from mlpizza_lint.analysis.facts import cell_facts

    for source in ("x = 1\n;", "/print 1", ",print a b", ";print a b", "if x:\n    /f 1"):
        assert cell_facts(source).syntax_error is None, source
