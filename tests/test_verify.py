"""`verify` with real kernels: notebooks as files, the command line as a subprocess."""

from __future__ import annotations

import json
import re
import socket
import subprocess
import sys
import threading
from pathlib import Path

import nbformat
import pytest

from mlpizza_lint.notebook.snippets import snippet_document
from mlpizza_lint.rules import all_rules
from mlpizza_lint.verify.network import NetworkIsolationError, isolation_prefix

from .conftest import NotebookWriter

pytestmark = pytest.mark.slow
SAVED_OUTPUT = re.compile(r"=> (.*)$")
RUN_RULES = [
    rule for rule in all_rules() if rule.found_by_running and rule.example_file.endswith(".ipynb")
]


def notebook_from_snippet(text: str, path: Path) -> Path:
    """A snippet (see `notebook.snippets`) as a notebook file; `=> text` in a cell's header
    is the result it was saved showing."""
    headers = [line for line in text.splitlines() if line.startswith("# %%")]
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {
        "name": "python3",
        "language": "python",
        "display_name": "Python 3",
    }
    for cell, header in zip(snippet_document(text).cells, headers, strict=True):
        if cell.kind == "markdown":
            notebook.cells.append(nbformat.v4.new_markdown_cell(cell.source))
            continue
        code = nbformat.v4.new_code_cell(
            cell.source.rstrip("\n"), execution_count=cell.execution_count
        )
        if cell.tags:
            code.metadata["tags"] = list(cell.tags)
        saved = SAVED_OUTPUT.search(header)
        if saved:
            code.outputs = [
                nbformat.v4.new_output(
                    "execute_result",
                    data={"text/plain": saved[1]},
                    execution_count=cell.execution_count,
                )
            ]
        notebook.cells.append(code)
    path.write_text(json.dumps(notebook, indent=1) + "\n", encoding="utf-8")
    return path


def verify(*arguments: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mlpizza_lint", "verify", *arguments],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
    )


def findings(
    *arguments: str, cwd: Path
) -> tuple[list[dict[str, object]], subprocess.CompletedProcess[str]]:
    done = verify("--format", "json", *arguments, cwd=cwd)
    assert "Traceback" not in done.stderr, done.stderr
    return json.loads(done.stdout), done


def test_a_use_before_define_notebook_fails_at_its_cell_and_names_mlp101(tmp_path: Path) -> None:
    notebook_from_snippet(
        "# %% [markdown]\n# Prices\n"
        "# %% [1]\nimport math\n"
        "# %% [3]\nrounded = math.floor(2.7)\nprint(total_price(rounded))\n"
        "# %% [2]\ndef total_price(items):\n    return items * 2.5\n",
        tmp_path / "prices.ipynb",
    )
    found, done = findings("prices.ipynb", cwd=tmp_path)
    assert done.returncode == 1
    assert [(f["code"], f["cell"], f["line"]) for f in found] == [("MLP501", 3, 2)]
    message = str(found[0]["message"])
    assert message.startswith("`NameError: name 'total_price' is not defined`")
    assert (
        "predicted by MLP101 at cell 3: `total_price` is used here but first defined in cell 4"
        in message
    )


def test_a_failure_no_rule_foresaw_says_so(tmp_path: Path) -> None:
    notebook_from_snippet(
        "# %% [1]\nvalues = [1, 2]\n# %% [2]\nvalues[5]\n", tmp_path / "index.ipynb"
    )
    found, _ = findings("index.ipynb", cwd=tmp_path)
    assert [f["code"] for f in found] == ["MLP501"]
    assert str(found[0]["message"]).endswith("no static finding predicted it")


def test_a_clean_notebook_passes_and_the_output_is_not_cluttered_when_piped(tmp_path: Path) -> None:
    notebook_from_snippet("# %% [1]\nx = 2\n# %% [2]\nprint(x * 3)\n", tmp_path / "clean.ipynb")
    done = verify("clean.ipynb", cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "All checks passed (1 files)." in done.stdout
    assert done.stderr == ""  # no progress display when stderr is not a terminal


def test_a_sleeping_cell_times_out_and_the_rest_does_not_run(tmp_path: Path) -> None:
    notebook_from_snippet(
        "# %% [1]\nimport time\n# %% [2]\ntime.sleep(30)\n# %% [3]\nprint('after')\n",
        tmp_path / "slow.ipynb",
    )
    found, done = findings("--cell-timeout", "2", "slow.ipynb", cwd=tmp_path)
    assert [(f["code"], f["cell"]) for f in found] == [("MLP503", 2)]
    assert "ran past its 2 s limit" in str(found[0]["message"])
    assert "cell 3 did not run: cell 2 stopped the run" in done.stderr


def test_the_notebook_time_limit_cuts_the_cell_that_runs_out_of_it(tmp_path: Path) -> None:
    notebook_from_snippet(
        "# %% [1]\nimport time\ntime.sleep(1)\n# %% [2]\ntime.sleep(30)\n",
        tmp_path / "budget.ipynb",
    )
    found, _ = findings("--timeout", "3", "budget.ipynb", cwd=tmp_path)
    assert [(f["code"], f["cell"]) for f in found] == [("MLP503", 2)]


def test_a_cell_tagged_raises_exception_may_raise(tmp_path: Path) -> None:
    notebook_from_snippet(
        "# %% [1] tags=raises-exception\n1 / 0\n# %% [2]\nprint('still runs')\n",
        tmp_path / "book.ipynb",
    )
    found, done = findings("book.ipynb", cwd=tmp_path)
    assert found == [] and done.returncode == 0


def test_the_kernel_starts_in_the_notebooks_folder(tmp_path: Path) -> None:
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "notebooks" / "train.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    notebook_from_snippet(
        "# %% [1]\nprint(open('train.csv').read())\n", tmp_path / "notebooks" / "read.ipynb"
    )
    found, done = findings("notebooks/read.ipynb", cwd=tmp_path)
    assert found == [], done.stderr


def test_compare_outputs_passes_when_nothing_changed_and_fails_on_an_edited_output(
    tmp_path: Path,
) -> None:
    path = notebook_from_snippet(
        "# %% [1]\nimport datetime\nvalues = [0.1 * 3, 2]\nprint(object())\n"
        "# %% [2]\nprint(datetime.datetime.now())\nsum(values)\n",
        tmp_path / "saved.ipynb",
    )
    executed = subprocess.run(
        [
            sys.executable,
            "-m",
            "jupyter",
            "nbconvert",
            "--to",
            "notebook",
            "--execute",
            "--inplace",
            str(path),
        ],
        capture_output=True,
        text=True,
    )
    if executed.returncode != 0:  # nbconvert is not a dependency: run it with nbclient
        from nbclient import NotebookClient

        notebook = nbformat.read(path, as_version=4)
        NotebookClient(notebook).execute()
        nbformat.write(notebook, path)
    found, done = findings("--compare-outputs", "saved.ipynb", cwd=tmp_path)
    assert found == [], done.stdout
    notebook = json.loads(path.read_text(encoding="utf-8"))
    result = notebook["cells"][1]["outputs"][-1]
    result["data"]["text/plain"] = "2.4"
    path.write_text(json.dumps(notebook, indent=1), encoding="utf-8")
    found, _ = findings("--compare-outputs", "saved.ipynb", cwd=tmp_path)
    assert [(f["code"], f["cell"]) for f in found] == [("MLP502", 2)]
    assert "`2.3` when re-run, but the notebook was saved showing `2.4`" in str(found[0]["message"])


def test_sandbox_leaves_the_project_byte_identical(tmp_path: Path) -> None:
    project = tmp_path / "project"
    (project / "data").mkdir(parents=True)
    (project / "requirements.txt").write_text("numpy==1.26.4\n", encoding="utf-8")
    (project / "data" / "counts.txt").write_text("1\n", encoding="utf-8")
    notebook_from_snippet(
        "# %% [1]\nimport os\nwith open('data/counts.txt', 'a') as f:\n    f.write('2\\n')\n"
        "open('model.bin', 'w').write('weights')\nos.remove('requirements.txt')\n",
        project / "train.ipynb",
    )
    before = {p.relative_to(project): p.read_bytes() for p in project.rglob("*") if p.is_file()}
    found, done = findings("--sandbox", "project/train.ipynb", cwd=tmp_path)
    assert found == [] and done.returncode == 0, done.stderr
    after = {p.relative_to(project): p.read_bytes() for p in project.rglob("*") if p.is_file()}
    assert after == before


def _no_network() -> bool:
    try:
        isolation_prefix()
    except NetworkIsolationError:
        return False
    return True


@pytest.mark.skipif(not _no_network(), reason="no network namespaces on this machine")
def test_no_network_cuts_the_kernel_off_even_from_this_machine(tmp_path: Path) -> None:
    server = socket.create_server(("127.0.0.1", 0))
    port = server.getsockname()[1]
    threading.Thread(target=lambda: server.accept(), daemon=True).start()
    notebook_from_snippet(
        f"# %% [1]\nimport socket\nsocket.create_connection(('127.0.0.1', {port}), timeout=5)\n",
        tmp_path / "fetch.ipynb",
    )
    found, _ = findings("fetch.ipynb", cwd=tmp_path)
    assert found == []
    found, _ = findings("--no-network", "fetch.ipynb", cwd=tmp_path)
    assert [f["code"] for f in found] == ["MLP501"]
    server.close()


def test_unreadable_input_is_one_finding_and_another_language_a_note(
    tmp_path: Path, write_notebook: NotebookWriter
) -> None:
    (tmp_path / "broken.ipynb").write_text("{not json", encoding="utf-8")
    write_notebook("x <- 1", name="analysis.ipynb", language="R")
    found, done = findings("broken.ipynb", "analysis.ipynb", cwd=tmp_path)
    assert [(f["code"], f["path"]) for f in found] == [("MLP000", "broken.ipynb")]
    assert "analysis.ipynb: skipped, its kernel language is r" in done.stderr
    missing = verify("nowhere.ipynb", cwd=tmp_path)
    assert missing.returncode == 2
    assert missing.stderr.strip() == "mlpizza-lint: error: nowhere.ipynb: no such file or directory"


def test_an_unknown_kernel_is_one_line(tmp_path: Path) -> None:
    notebook_from_snippet("# %% [1]\nx = 1\n", tmp_path / "a.ipynb")
    done = verify("--kernel", "no-such-kernel", "a.ipynb", cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.strip() == (
        "mlpizza-lint: error: no Jupyter kernel named `no-such-kernel`; "
        "`jupyter kernelspec list` shows them"
    )


@pytest.mark.parametrize(
    ("rule", "kind", "text"),
    [
        pytest.param(rule, kind, text, id=f"{rule.code}-{kind}")
        for rule in RUN_RULES
        for kind, texts in (("bad", rule.bad), ("good", rule.good))
        for text in texts
    ],
)
def test_rule_examples_when_run(rule: type, kind: str, text: str, tmp_path: Path) -> None:
    notebook_from_snippet(text, tmp_path / "example.ipynb")
    found, _ = findings("--compare-outputs", "--cell-timeout", "3", "example.ipynb", cwd=tmp_path)
    expected = {
        (cell.index, number, rule.code)
        for cell in snippet_document(text).cells
        for number, line in enumerate(cell.source.splitlines(), 1)
        if f"# error: [{rule.code}]" in line
    }
    assert bool(expected) == (kind == "bad")
    assert {(f["cell"], f["line"], f["code"]) for f in found} == expected


def _index_reachable() -> bool:
    try:
        socket.create_connection(("pypi.org", 443), timeout=5).close()
    except OSError:
        return False
    return True


needs_index = pytest.mark.skipif(not _index_reachable(), reason="the package index is unreachable")


@needs_index
def test_a_fresh_environment_holds_what_is_declared_and_nothing_else(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("six==1.16.0\n", encoding="utf-8")
    notebook_from_snippet("# %% [1]\nimport six\nprint(six.__version__)\n", tmp_path / "ok.ipynb")
    notebook_from_snippet("# %% [1]\nimport six\nimport yaml\n", tmp_path / "undeclared.ipynb")
    cache = str(tmp_path / "environments")
    found, done = findings("--env", "fresh", "--env-cache", cache, "ok.ipynb", cwd=tmp_path)
    assert found == [] and done.returncode == 0, done.stderr
    found, _ = findings("--env", "fresh", "--env-cache", cache, "undeclared.ipynb", cwd=tmp_path)
    assert [(f["code"], f["cell"], f["line"]) for f in found] == [("MLP501", 1, 2)]
    assert "`ModuleNotFoundError: No module named 'yaml'`" in str(found[0]["message"])
    assert "predicted by MLP204 at cell 1: `yaml`" in str(found[0]["message"])
    assert len(list(Path(cache).iterdir())) == 1  # one environment, built once, reused


INSTALL_RULE = next(rule for rule in all_rules() if rule.code == "MLP504")


@needs_index
@pytest.mark.parametrize(
    ("kind", "text"), [("bad", INSTALL_RULE.bad[0]), ("good", INSTALL_RULE.good[0])]
)
def test_install_failures_point_at_the_declaration(kind: str, text: str, tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text(text, encoding="utf-8")
    notebook_from_snippet("# %% [1]\nimport six\n", tmp_path / "nb.ipynb")
    cache = str(tmp_path / "environments")
    found, done = findings("--env", "fresh", "--env-cache", cache, "nb.ipynb", cwd=tmp_path)
    expected = [
        ("MLP504", "requirements.txt", number)
        for number, line in enumerate(text.splitlines(), 1)
        if "# error: [MLP504]" in line
    ]
    assert [(f["code"], Path(str(f["path"])).name, f["line"]) for f in found] == expected
    assert bool(expected) == (kind == "bad") == (done.returncode == 1)
    assert (
        not [p for p in Path(cache).iterdir() if p.is_dir() and not (p / "ready").exists()]
        if Path(cache).exists()
        else True
    )


def _plain_notebook(path: Path, *sources: str) -> Path:
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(s) for s in sources])
    notebook.metadata["kernelspec"] = {"name": "python3", "language": "python", "display_name": "P"}
    nbformat.write(notebook, path)
    return path


def lint(*arguments: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mlpizza_lint", *arguments],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_fix_verify_refuses_a_move_that_changes_outputs(tmp_path: Path) -> None:
    path = _plain_notebook(
        tmp_path / "changes.ipynb",
        "items = []",
        "print(total([1]))",
        "print(items)",
        "def total(xs):\n    return sum(xs)\n\nitems.append(5)",
    )
    before = path.read_bytes()
    done = lint("check", "--fix", "--unsafe-fixes", "--verify", "-q", "changes.ipynb", cwd=tmp_path)
    assert path.read_bytes() == before
    assert done.returncode == 1
    assert (
        "changes.ipynb: fixes kept back: run top to bottom, cell 3 shows `[5]` after the change "
        "and `[]` before it" in done.stderr
    )
    assert "MLP101" in done.stdout  # still reported: it was not fixed


def test_fix_verify_keeps_a_move_that_keeps_outputs(tmp_path: Path) -> None:
    path = _plain_notebook(
        tmp_path / "keeps.ipynb", "print(total([1]))", "def total(xs):\n    return sum(xs)"
    )
    done = lint("check", "--fix", "--unsafe-fixes", "--verify", "keeps.ipynb", cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    cells = nbformat.read(path, as_version=4).cells
    assert [cell.source for cell in cells] == [
        "def total(xs):\n    return sum(xs)",
        "print(total([1]))",
    ]
    assert not any(key.startswith("mlpizza") for cell in cells for key in cell.metadata)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keeps.ipynb"]


def test_verify_is_refused_without_the_change_it_proves(tmp_path: Path) -> None:
    _plain_notebook(tmp_path / "a.ipynb", "x = 1")
    for arguments in (["check", "--verify", "a.ipynb"], ["extract", "--verify", "a.ipynb"]):
        done = lint(*arguments, cwd=tmp_path)
        assert done.returncode == 2 and "--verify" in done.stderr and "Traceback" not in done.stderr


def test_extract_verify_refuses_a_rewrite_that_changes_outputs(tmp_path: Path) -> None:
    path = _plain_notebook(
        tmp_path / "namer.ipynb", "def where():\n    return __name__", "print(where())"
    )
    before = path.read_bytes()
    done = lint("extract", "namer.ipynb", "--rewrite", "--verify", cwd=tmp_path)
    assert done.returncode == 1
    assert done.stderr.strip() == (
        "namer.ipynb: extraction kept back: run top to bottom, cell 2 shows `namer` "
        "after the change and `__main__` before it"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["namer.ipynb"]
    assert path.read_bytes() == before


def test_extract_verify_writes_a_rewrite_that_keeps_outputs(tmp_path: Path) -> None:
    _plain_notebook(
        tmp_path / "prices.ipynb",
        "RATE = 2.5\n\ndef total(n):\n    return n * RATE",
        "print(total(4))",
    )
    done = lint("extract", "prices.ipynb", "--rewrite", "--verify", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["prices.ipynb", "prices.py"]
    found, _ = findings("prices.ipynb", cwd=tmp_path)
    assert found == []


def test_check_never_loads_the_code_that_runs_notebooks(tmp_path: Path) -> None:
    _plain_notebook(tmp_path / "a.ipynb", "x = 1")
    probe = (
        "import sys, runpy\n"
        "sys.argv = ['mlpizza-lint', 'check', '--fix', 'a.ipynb']\n"
        "try:\n    runpy.run_module('mlpizza_lint', run_name='__main__')\n"
        "except SystemExit:\n    pass\n"
        "running = ('mlpizza_lint.verify', 'nbclient', 'jupyter_client')\n"
        "print(sorted(m for m in sys.modules if m.startswith(running)))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True
    )
    assert done.stdout.strip().splitlines()[-1] == "[]"


@needs_index
def test_a_notebooks_own_script_block_declares_its_fresh_environment(tmp_path: Path) -> None:
    notebook_from_snippet(
        '# %% [1]\n# /// script\n# dependencies = [\n#   "six==1.16.0",\n# ]\n# ///\nimport six\n'
        "# %% [2]\nprint(six.__version__)\n",
        tmp_path / "script.ipynb",
    )
    cache = str(tmp_path / "environments")
    found, done = findings("--env", "fresh", "--env-cache", cache, "script.ipynb", cwd=tmp_path)
    assert found == [] and done.returncode == 0, done.stderr


def test_a_terminal_sees_which_cell_runs(tmp_path: Path) -> None:
    import os
    import pty

    notebook_from_snippet(
        "# %% [1]\nimport time\n# %% [2]\ntime.sleep(1.5)  # the slow one\n",
        tmp_path / "slow.ipynb",
    )
    leader, follower = pty.openpty()
    with subprocess.Popen(
        [sys.executable, "-m", "mlpizza_lint", "verify", "slow.ipynb"],
        cwd=tmp_path,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=follower,
        env={**os.environ, "COLUMNS": "120", "TERM": "xterm"},
    ) as process:
        os.close(follower)
        shown = b""
        while True:
            try:
                chunk = os.read(leader, 4096)
            except OSError:
                break
            if not chunk:
                break
            shown += chunk
        assert process.wait(timeout=120) == 0
    text = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", shown.decode(errors="replace"))
    assert "slow.ipynb" in text and "cell 2/2" in text
    assert "time.sleep(1.5)  # the slow one" in text


def test_a_declared_package_the_kernel_lacks_is_blamed_on_the_environment(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("xgboost==2.0.3\n", encoding="utf-8")
    notebook_from_snippet("# %% [1]\nimport xgboost\n", tmp_path / "boost.ipynb")
    found, _ = findings("boost.ipynb", cwd=tmp_path)
    assert [f["code"] for f in found] == ["MLP501"]
    assert str(found[0]["message"]).endswith(
        "the project declares it (requirements.txt) but the kernel's environment does not "
        "have it: install the requirements there, or run with --env fresh"
    )


def test_every_ci_format_carries_the_failure(tmp_path: Path) -> None:
    notebook_from_snippet("# %% [1]\nprint(missing_name)\n", tmp_path / "nb.ipynb")
    for output_format, needle in (
        ("sarif", '"ruleId": "MLP501"'),
        ("github", "::error"),
        ("gitlab", '"check_name": "MLP501"'),
    ):
        done = verify("--format", output_format, "nb.ipynb", cwd=tmp_path)
        assert done.returncode == 1 and needle in done.stdout, (output_format, done.stdout)


def test_no_network_says_why_where_it_cannot_be_had(tmp_path: Path) -> None:
    notebook_from_snippet("# %% [1]\nx = 1\n", tmp_path / "a.ipynb")
    done = subprocess.run(
        [sys.executable, "-m", "mlpizza_lint", "verify", "--no-network", "a.ipynb"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": str(Path(sys.executable).parent), "HOME": str(tmp_path)},
    )
    assert done.returncode == 2
    assert done.stderr.strip() == (
        "mlpizza-lint: error: --no-network needs Linux network namespaces (the `unshare` "
        "command), which this machine does not have; run without --no-network"
    )
