"""Files built to break a linter: each is one MLP000 for that file, the others are still linted.

The command runs in a subprocess with a time limit and a memory cap, so a regression that
hangs on a FIFO or reads `/dev/zero` fails the test instead of stopping the suite.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from types import SimpleNamespace

import nbformat
import pytest

from mlpizza_lint.config import Settings
from mlpizza_lint.dependency_files import read_dependency_file, requirements
from mlpizza_lint.dependency_files.dockerfile import read_dockerfile
from mlpizza_lint.discovery.files import iter_files
from mlpizza_lint.engine import lint_file
from mlpizza_lint.fixing import edits

from .conftest import EXAMPLES, NotebookWriter

MEMORY_CAP = 2 * 1024**3
posix_only = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs and /dev/zero")


def _cap_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))


def lint(*paths: Path, cwd: Path | None = None) -> list[dict[str, object]]:
    """`check --format json` on `paths`; it must end by itself, without a traceback."""
    result = subprocess.run(
        [sys.executable, "-m", "mlpizza_lint", "check", "--format", "json", *map(str, paths)],
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=_cap_memory,
        cwd=cwd,
        check=False,
    )
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode in (0, 1), result.stderr
    found: list[dict[str, object]] = json.loads(result.stdout)
    return found


def unreadable(found: list[dict[str, object]]) -> dict[str, str]:
    """File name -> the MLP000 message."""
    return {Path(str(d["path"])).name: str(d["message"]) for d in found if d["code"] == "MLP000"}


def linted_paths(found: list[dict[str, object]]) -> set[str]:
    return {Path(str(d["path"])).name for d in found}


@pytest.fixture
def sound(write_notebook: NotebookWriter) -> Path:
    """A notebook with one finding, to show the run went on past the hostile file."""
    return write_notebook(("df = open('/home/alice/data.csv')", 1), name="sound.ipynb")


def _holding(write_notebook: NotebookWriter, name: str, place: str, value: str) -> Path:
    """A notebook whose metadata, or first cell's output, holds the JSON text `value`."""
    path = write_notebook(("x = 1", 1), name=name)
    notebook = nbformat.reads(path.read_text(encoding="utf-8"), as_version=4)
    if place == "metadata":
        notebook.metadata["value"] = "VALUE"
    else:
        output = nbformat.v4.new_output("display_data", data={"text/plain": "VALUE"})
        notebook.cells[0].outputs = [output]
    path.write_text(json.dumps(notebook).replace('"VALUE"', value), encoding="utf-8")
    return path


@pytest.mark.parametrize("place", ["metadata", "output"])
def test_json_nested_a_thousand_deep_is_unreadable(
    write_notebook: NotebookWriter, sound: Path, place: str
) -> None:
    path = _holding(write_notebook, "deep.ipynb", place, "[" * 1000 + "]" * 1000)
    found = lint(path, sound)
    assert unreadable(found) == {
        "deep.ipynb": "cannot check deep.ipynb: the JSON is nested too deeply to be read"
    }
    assert "sound.ipynb" in linted_paths(found)


@pytest.mark.parametrize("place", ["metadata", "output"])
def test_an_integer_of_5000_digits_is_unreadable(
    write_notebook: NotebookWriter, sound: Path, place: str
) -> None:
    path = _holding(write_notebook, "big.ipynb", place, "9" * 5000)
    found = lint(path, sound)
    assert unreadable(found) == {
        "big.ipynb": "cannot check big.ipynb: the JSON holds an integer of more than 4300 digits"
    }
    assert "sound.ipynb" in linted_paths(found)


def test_a_traceback_line_of_5000_digits_leaves_the_cell_checked(
    write_notebook: NotebookWriter, sound: Path
) -> None:
    path = write_notebook(("x = 1", 1), name="trace.ipynb")
    notebook = nbformat.reads(path.read_text(encoding="utf-8"), as_version=4)
    notebook.cells[0].outputs = [
        nbformat.v4.new_output(
            "error", ename="ValueError", evalue="bad", traceback=["Cell In[1], line " + "7" * 5000]
        )
    ]
    path.write_text(json.dumps(notebook), encoding="utf-8")
    found = lint(path, sound)
    assert unreadable(found) == {}
    assert "trace.ipynb" in linted_paths(found) and "sound.ipynb" in linted_paths(found)


@posix_only
def test_fifos_and_devices_given_are_refused_without_reading(tmp_path: Path, sound: Path) -> None:
    os.mkfifo(tmp_path / "fifo.ipynb")
    os.mkfifo(tmp_path / "requirements.txt")
    (tmp_path / "zero.ipynb").symlink_to("/dev/zero")
    given = [tmp_path / name for name in ("fifo.ipynb", "requirements.txt", "zero.ipynb")]
    found = lint(*given, sound)
    assert unreadable(found) == {
        "fifo.ipynb": "cannot check fifo.ipynb: not a regular file (a FIFO), not read",
        "requirements.txt": "cannot check requirements.txt: not a regular file (a FIFO), not read",
        "zero.ipynb": "cannot check zero.ipynb: not a regular file (a character device), not read",
    }
    assert "sound.ipynb" in linted_paths(found)


def test_a_notebook_over_the_size_limit_is_refused(tmp_path: Path, sound: Path) -> None:
    huge = tmp_path / "huge.ipynb"
    with huge.open("wb") as file:
        file.truncate(51 * 1024 * 1024)  # sparse: no disk space, no time
    found = lint(huge, sound)
    assert unreadable(found) == {
        "huge.ipynb": "cannot check huge.ipynb: larger than 50 MiB, not read"
    }


@posix_only
def test_the_dependency_file_reader_refuses_a_fifo(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "requirements.txt")
    script = (
        "import sys; from mlpizza_lint.dependency_files import read_dependency_file; "
        "print(read_dependency_file(sys.argv[1]).problems[0].message)"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path / "requirements.txt")],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.stdout.strip() == "cannot read the file: not a regular file (a FIFO), not read"


@posix_only
def test_a_fifo_requirements_file_at_the_project_root_does_not_hang(
    tmp_path: Path, sound: Path
) -> None:
    (tmp_path / ".git").mkdir()
    os.mkfifo(tmp_path / "requirements.txt")
    assert "sound.ipynb" in linted_paths(lint(sound))


def test_a_pyproject_nested_5000_deep_is_invalid_toml(tmp_path: Path) -> None:
    path = tmp_path / "pyproject.toml"
    path.write_text("x = " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    (problem,) = read_dependency_file(str(path)).problems
    assert problem.message == "invalid TOML: nested too deeply to be read"


def test_a_pyproject_nested_5000_deep_is_a_one_line_configuration_error(
    tmp_path: Path, sound: Path
) -> None:
    (tmp_path / "pyproject.toml").write_text("x = " + "[" * 5000 + "]" * 5000 + "\n", "utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "mlpizza_lint", "check", str(sound)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr.startswith("mlpizza-lint: error: ")
    assert "invalid TOML" in result.stderr and len(result.stderr.splitlines()) == 1


def test_a_dockerfile_run_nested_1000_deep_is_read_as_a_shell_command() -> None:
    findings = read_dockerfile("Dockerfile", "RUN " + "[" * 1000 + "]" * 1000 + "\n")
    assert findings.declared == [] and findings.problems == []


def test_a_self_looping_symlink_in_a_folder_does_not_stop_the_run(
    tmp_path: Path, sound: Path
) -> None:
    (tmp_path / "loop.ipynb").symlink_to("loop.ipynb")
    assert linted_paths(lint(tmp_path)) == {"sound.ipynb"}


def test_a_self_looping_symlink_given_is_unreadable(tmp_path: Path, sound: Path) -> None:
    loop = tmp_path / "loop.ipynb"
    loop.symlink_to("loop.ipynb")
    found = lint(loop, sound)
    assert unreadable(found) == {
        "loop.ipynb": "cannot check loop.ipynb: Too many levels of symbolic links"
    }


@pytest.fixture
def nested(tmp_path: Path) -> Iterator[Callable[[int], Path]]:
    """`tmp_path/d/d/.../d`, made and removed one folder at a time: `mkdir(parents=True)`
    and `shutil.rmtree` recurse, and pytest could not clean the tree up later."""
    made: list[Path] = []

    def make(depth: int) -> Path:
        folder = tmp_path
        for _ in range(depth):
            folder = folder / "d"
            folder.mkdir()
            made.append(folder)
        return folder

    yield make
    for folder in reversed(made):
        for file in folder.iterdir():
            if not file.is_dir():
                file.unlink()
        folder.rmdir()


def test_folders_nested_1500_deep_are_searched(
    tmp_path: Path, nested: Callable[[int], Path]
) -> None:
    deep = nested(1500)
    (deep / "nb.ipynb").write_text("{}", encoding="utf-8")
    assert list(iter_files([tmp_path])) == [deep / "nb.ipynb"]


def test_a_notebook_500_folders_deep_does_not_stop_the_run(
    tmp_path: Path, sound: Path, nested: Callable[[int], Path]
) -> None:
    deep = nested(500)
    (deep / "nb.ipynb").write_text(sound.read_text(encoding="utf-8"), encoding="utf-8")
    found = lint(tmp_path)
    assert {str(d["path"]) for d in found} >= {str(sound), str(deep / "nb.ipynb")}


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("x = 1  # \ud800", "a lone surrogate (\\ud800)"),
        ("x = " + "(" * 3000 + "1" + ")" * 3000, ""),
        ("x = " + "+".join(["1"] * 3000), ""),
    ],
    ids=["surrogate", "nested", "long-sum"],
)
def test_a_cell_beyond_pythons_limits_is_mlp000_and_the_others_are_checked(
    write_notebook: NotebookWriter, source: str, message: str
) -> None:
    path = write_notebook((source, 1), ("print(undefined_name)", 2), name="limits.ipynb")
    found = lint_file(str(path), Settings(select=("ALL",))).diagnostics
    unreadable_cells = [(d.cell, d.message) for d in found if d.code == "MLP000"]
    assert [cell for cell, _ in unreadable_cells] == [1], found
    assert message in unreadable_cells[0][1] and "internal error" not in unreadable_cells[0][1]
    assert ("MLP102", 2) in [(d.code, d.cell) for d in found]


@posix_only
@pytest.mark.parametrize(
    "arguments",
    [
        ["check", "{examples}"],
        ["check", "{examples}", "--format", "json"],
        ["graph", "{examples}/churn_training.ipynb"],
        ["rules"],
    ],
)
def test_output_that_cannot_be_written_is_one_line_not_a_traceback(arguments: list[str]) -> None:
    command = [a.format(examples=EXAMPLES) for a in arguments]
    with open("/dev/full", "w") as full:
        result = subprocess.run(
            [sys.executable, "-m", "mlpizza_lint", *command],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
            check=False,
        )
    assert result.returncode == 2
    assert (
        result.stderr == "mlpizza-lint: error: cannot write the output: No space left on device\n"
    )


def test_a_catalogue_folder_that_cannot_be_made_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "mlpizza_lint", "rules", "--markdown", str(tmp_path / "file" / "x")],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert len(result.stderr.splitlines()) == 1 and "Not a directory" in result.stderr


def test_a_script_gets_no_notes_about_execution_counts(tmp_path: Path) -> None:
    script = tmp_path / "train.py"
    script.write_text("x = 1\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "mlpizza_lint", "check", "--select", "ALL", str(script)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0 and "note:" not in result.stdout + result.stderr


class _Counting:
    """Wraps a callable and counts its calls."""

    def __init__(self, wrapped: Callable[..., object]) -> None:
        self.wrapped, self.calls = wrapped, 0

    def __call__(self, *arguments: object) -> object:
        self.calls += 1
        return self.wrapped(*arguments)


def test_a_cell_is_split_into_lines_once_for_all_its_findings(
    write_notebook: NotebookWriter, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each finding used to split the whole cell again: 8,000 paths took 43 s."""
    cell = "\n".join(f"p{i} = '/home/alice/data/{i}.csv'" for i in range(500))
    path = write_notebook((cell, 1), name="paths.ipynb")
    pattern = _Counting(edits.PYTHON_LINE.findall)
    monkeypatch.setattr(edits, "PYTHON_LINE", SimpleNamespace(findall=pattern))
    edits.split_lines.cache_clear()
    found = lint_file(str(path), Settings(select=("MLP301",))).diagnostics
    assert len(found) == 500 and pattern.calls < 20


def test_a_fan_out_of_includes_reads_each_file_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """40 files each including the same 40: every file read once, not once per includer."""
    for i in range(40):
        (tmp_path / f"group{i}.txt").write_text(
            "".join(f"-r leaf{j}.txt\n" for j in range(40)), encoding="utf-8"
        )
        (tmp_path / f"leaf{i}.txt").write_text(f"package{i}==1.0\n", encoding="utf-8")
    top = tmp_path / "requirements.txt"
    top.write_text("".join(f"-r group{i}.txt\n" for i in range(40)), encoding="utf-8")
    reads = _Counting(requirements.read_text)
    monkeypatch.setattr(requirements, "read_text", reads)
    lint_file(str(top), Settings(select=("MLP202",)))
    assert reads.calls <= 2 * 81
