"""`check --add-noqa`: a `# noqa` on every line with a finding, where a comment changes nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .conftest import NotebookWriter
from .test_cli import run

CELLS = (
    ("import os\ndf = open('/home/alice/x.csv')  # the data\nprint(undefined_a, os.sep)", 1),
    ("s = '''\n/home/alice/z\n'''\n!pip install requests", 2),
    ("%env DATA=/home/alice/d\nx = 1 + \\\n  undefined_b", 3),
)


def sources(path: Path) -> list[str]:
    return [cell["source"] for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]]


@pytest.fixture
def project(write_notebook: NotebookWriter, tmp_path: Path) -> Path:
    write_notebook(*CELLS)
    (tmp_path / "requirements.txt").write_text("numpy\nrequests==2.32.3\n", encoding="utf-8")
    (tmp_path / "Dockerfile").write_text("FROM python:latest\n", encoding="utf-8")
    return tmp_path


def test_every_line_that_takes_a_comment_gets_its_codes(project: Path) -> None:
    code, out, err = run(str(project), "--add-noqa", "--isolated")
    assert (code, out) == (0, "")
    assert "Added 6 noqa directive(s)." in err
    assert sources(project / "nb.ipynb") == [
        "import os\ndf = open('/home/alice/x.csv')  # the data  # noqa: MLP301\n"
        "print(undefined_a, os.sep)  # noqa: MLP102",
        # a line inside a string, and a line magic's argument, would change: left alone
        "s = '''\n/home/alice/z\n'''\n!pip install requests  # noqa: MLP201, MLP202",
        "%env DATA=/home/alice/d\nx = 1 + \\\n  undefined_b  # noqa: MLP102",
    ]
    assert (project / "requirements.txt").read_text(encoding="utf-8") == (
        "numpy  # noqa: MLP202\nrequests==2.32.3\n"
    )
    assert (project / "Dockerfile").read_text(encoding="utf-8") == "FROM python:latest\n"


def test_what_is_left_is_what_no_comment_can_silence(project: Path) -> None:
    run(str(project), "--add-noqa", "--isolated")
    _, out, _ = run(str(project), "--isolated", "--format", "json")
    left = sorted(
        (item["path"].rpartition("/")[2], item["cell"], item["line"]) for item in json.loads(out)
    )
    # the string and the magic line, and the Dockerfile (only whole-line comments there)
    assert left == [
        ("Dockerfile", None, 1),
        ("Dockerfile", None, 1),
        ("nb.ipynb", 2, 1),
        ("nb.ipynb", 3, 1),
    ]


def test_a_second_run_adds_nothing_and_changes_no_byte(project: Path) -> None:
    run(str(project), "--add-noqa", "--isolated")
    before = {path: path.read_bytes() for path in project.iterdir() if path.is_file()}
    code, _, err = run(str(project), "--add-noqa", "--isolated")
    assert code == 0 and "Added 0 noqa directive(s)." in err
    assert {path: path.read_bytes() for path in before} == before


def test_codes_join_an_existing_list_and_a_bare_noqa_is_left_as_it_is(tmp_path: Path) -> None:
    script = tmp_path / "script.py"
    script.write_text(
        "print(undefined_a)  # noqa: MLP301\nprint(undefined_b, '/home/a/b')  # noqa\n",
        encoding="utf-8",
    )
    code, _, err = run(str(script), "--add-noqa", "--isolated")
    assert code == 0 and "Added 1 noqa directive(s)." in err
    assert script.read_text(encoding="utf-8") == (
        "print(undefined_a)  # noqa: MLP301, MLP102\nprint(undefined_b, '/home/a/b')  # noqa\n"
    )


def test_only_the_cell_sources_of_the_notebook_change(project: Path) -> None:
    notebook = project / "nb.ipynb"
    before = json.loads(notebook.read_text(encoding="utf-8"))
    run(str(notebook), "--add-noqa", "--isolated")
    after = json.loads(notebook.read_text(encoding="utf-8"))
    for cell in (*before["cells"], *after["cells"]):
        del cell["source"]
    assert after == before


@pytest.mark.parametrize("other", ["--fix", "--diff", "--write-baseline=b.json"])
def test_add_noqa_goes_alone(project: Path, other: str) -> None:
    code, _, err = run(str(project), "--add-noqa", other)
    assert code == 2 and "--add-noqa writes comments only" in err
    assert sources(project / "nb.ipynb") == [source for source, _ in CELLS]
