"""MLP900: `# noqa` codes that silence nothing, reported and removed as ruff's RUF100 does."""

from __future__ import annotations

import json
from pathlib import Path

from .conftest import NotebookWriter
from .test_cli import run

HOME = "'/home/alice/x.csv'"  # MLP301


def unused(path: Path, *options: str) -> list[tuple[int | None, int, int, str]]:
    _, out, _ = run(
        str(path), "--isolated", "--format", "json", "--extend-select", "MLP900", *options
    )
    return [
        (item["cell"], item["line"], item["column"], item["message"])
        for item in json.loads(out)
        if item["code"] == "MLP900"
    ]


def test_a_code_that_silences_a_finding_is_used(tmp_path: Path) -> None:
    script = tmp_path / "script.py"
    script.write_text(f"df = open({HOME})  # noqa: MLP301\n", encoding="utf-8")
    assert unused(script) == []


def test_codes_that_silence_nothing_are_reported_with_why(tmp_path: Path) -> None:
    script = tmp_path / "script.py"
    script.write_text(
        "import os\n"
        "print(os.sep)  # noqa: MLP301\n"
        f"df = open({HOME})  # noqa: MLP301, MLP102, MLP203, MLP999, E501\n",
        encoding="utf-8",
    )
    assert unused(script) == [
        (
            None,
            2,
            16,
            "unused `# noqa`: `MLP301` silences nothing on this line; "
            "remove what the comment no longer needs",
        ),
        (
            None,
            3,
            33,
            "unused `# noqa`: `MLP102` silences nothing on this line; `MLP203` is "
            "not enabled; `MLP999` names no rule; remove what the comment no longer needs",
        ),
    ]


def test_the_fix_removes_the_unused_codes_and_keeps_the_rest(tmp_path: Path) -> None:
    script = tmp_path / "script.py"
    script.write_text(
        "import os\n"
        "print(os.sep)  # noqa: MLP301\n"
        f"df = open({HOME})  # noqa: MLP102, MLP301  # the raw data\n",
        encoding="utf-8",
    )
    code, _, _ = run(str(script), "--isolated", "--extend-select", "MLP900", "--fix")
    assert code == 0
    assert script.read_text(encoding="utf-8") == (
        f"import os\nprint(os.sep)\ndf = open({HOME})  # noqa: MLP301  # the raw data\n"
    )


def test_bare_noqa_and_other_tools_codes_are_not_judged(tmp_path: Path) -> None:
    script = tmp_path / "script.py"
    script.write_text(
        "import os  # noqa\nprint(os.sep)  # noqa: E501, F401\ns = '# noqa: MLP301'\n",
        encoding="utf-8",
    )
    assert unused(script) == []


def test_a_cell_directive_is_judged_over_the_whole_cell(write_notebook: NotebookWriter) -> None:
    path = write_notebook(
        (f"# mlpizza-lint: noqa: MLP301, MLP102\nimport os\n\ndf = open({HOME})", 1),
        ("# mlpizza-lint: noqa: MLP301\nprint(2)", 2),
    )
    assert unused(path) == [
        (
            1,
            1,
            1,
            "unused `# noqa`: `MLP102` silences nothing in this cell; "
            "remove what the comment no longer needs",
        ),
        (
            2,
            1,
            1,
            "unused `# noqa`: `MLP301` silences nothing in this cell; "
            "remove what the comment no longer needs",
        ),
    ]


def test_off_by_default(write_notebook: NotebookWriter) -> None:
    path = write_notebook(("print(2)  # noqa: MLP301", 1))
    code, out, _ = run(str(path), "--isolated")
    assert code == 0 and "All checks passed" in out
