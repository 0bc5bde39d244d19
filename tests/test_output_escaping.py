"""What reporters print of the user's text: never a crash, never a raw control code, never
megabytes for one long line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import nbformat
import pytest
from click.testing import CliRunner

from mlpizza_lint.cli.main import main
from mlpizza_lint.reporters.frames import MAX_WIDTH

from .conftest import NotebookWriter

HOSTILE_ERROR = "bad \ud800 \x1b]0;pwned\x07 \x1b[2J \x9b31m"
RAW_CONTROLS = ("\x1b", "\x07", "\x9b")
JSON_FORMATS = ("json", "sarif", "gitlab")


def _hostile_notebook(folder: Path) -> bytes:
    """A notebook saved with a lone surrogate and escape sequences in its error, under a
    file name that is not UTF-8; returns the file name."""
    notebook = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("x = open('/home/alice/\x1b[2Jdata.csv')", execution_count=1)
    cell.outputs = [
        nbformat.v4.new_output("error", ename="ValueError", evalue=HOSTILE_ERROR, traceback=[])
    ]
    notebook.cells.append(cell)
    name = b"caf\xe9\x1b[1m.ipynb"
    with open(os.path.join(os.fsencode(folder), name), "w", encoding="utf-8") as file:
        file.write(json.dumps(notebook))  # JSON escapes keep the lone surrogate
    return name


def _strings(value: object) -> Iterator[str]:
    """Every string in a JSON document."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        yield from (text for item in value.values() for text in _strings(item))
    elif isinstance(value, list):
        yield from (text for item in value for text in _strings(item))


def _check(folder: Path, output_format: str, encoding: str = "utf-8") -> str:
    """The command's stdout, run with a strict `encoding` on its streams."""
    result = subprocess.run(
        [sys.executable, "-m", "mlpizza_lint", "check", "--format", output_format, str(folder)],
        capture_output=True,
        env={**os.environ, "PYTHONIOENCODING": encoding},
        timeout=120,
        check=False,
    )
    assert result.returncode == 1, result.stderr.decode(errors="replace")
    assert b"Traceback" not in result.stderr
    return result.stdout.decode(encoding)


@pytest.mark.parametrize("output_format", ["text", "github", *JSON_FORMATS])
def test_every_format_writes_what_cannot_be_encoded_escaped(
    tmp_path: Path, output_format: str
) -> None:
    _hostile_notebook(tmp_path)
    out = _check(tmp_path, output_format)
    assert not any(control in out for control in RAW_CONTROLS)
    if output_format in JSON_FORMATS:
        assert any(HOSTILE_ERROR in text for text in _strings(json.loads(out)))
    else:
        assert "bad \\ud800 \\x1b]0;pwned\\x07 \\x1b[2J \\x9b31m" in out
        assert "caf\\udce9\\x1b[1m.ipynb" in out


@pytest.mark.parametrize("output_format", ["text", *JSON_FORMATS])
def test_a_stream_without_unicode_gets_escapes(
    write_notebook: NotebookWriter, output_format: str
) -> None:
    path = write_notebook(("café = open('/home/alice/données.csv')", 1))
    out = _check(path, output_format, encoding="ascii")
    if output_format in JSON_FORMATS:
        assert any("données.csv" in text for text in _strings(json.loads(out)))
    else:
        assert "/home/alice/donn\\xe9es.csv" in out


def test_json_keeps_a_non_utf8_file_name_as_its_escape(tmp_path: Path) -> None:
    name = _hostile_notebook(tmp_path)
    paths = {item["path"] for item in json.loads(_check(tmp_path, "json"))}
    assert paths == {os.fsdecode(os.path.join(os.fsencode(tmp_path), name))}


def run_text(path: Path) -> str:
    result = CliRunner().invoke(main, ["check", "--select", "MLP301", str(path)])
    assert result.exit_code == 1, result.output
    return result.stdout


def test_code_frames_cut_long_lines_around_the_finding(write_notebook: NotebookWriter) -> None:
    padding = "x" * 11_000
    path = write_notebook((f"a = '{padding}' + open('/home/alice/{padding}.csv').read()", 1))
    lines = run_text(path).splitlines()
    frame, carets = lines[1], lines[2]
    assert len(frame) <= MAX_WIDTH + len("1 | ") + 2
    assert frame.startswith("1 | …") and frame.endswith("…")
    assert frame[carets.index("^") :].startswith("'/home/alice/")


def test_many_findings_on_one_long_line_print_little(write_notebook: NotebookWriter) -> None:
    reads = " + ".join(f"open('/home/alice/{n}.csv').read()" for n in range(300))
    path = write_notebook((f"data = {reads}", 1))
    out = run_text(path)
    assert out.count("MLP301") == 300
    assert len(out) < 300 * 2_000


def test_code_frames_count_lines_as_python(write_notebook: NotebookWriter) -> None:
    path = write_notebook(("a = '\x0c\x1c\u2028'\ndata = open('/home/alice/x.csv')", 1))
    lines = run_text(path).splitlines()
    assert lines[0].endswith(
        "MLP301 [*] `/home/alice/x.csv` only exists in one user's home folder: "
        "use a path relative to the project, or read it from configuration"
    )
    assert lines[1] == "2 | data = open('/home/alice/x.csv')"
    assert lines[2] == "  |             ^^^^^^^^^^^^^^^^^^^"
