"""`--pylint` never runs the linted repository's code: no `init-hook`, no plugin, no reporter
from its configuration, unless the configuration is trusted; the rest of it still applies."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import NotebookWriter

MARKERS = ("HOOK", "PLUGIN", "REPORTER")
CODE = {
    "evil_plugin.py": "open('PLUGIN', 'w').close()\ndef register(linter):\n    pass\n",
    "evil_reporter.py": "open('REPORTER', 'w').close()\n",
}
HOOK = "open('HOOK', 'w').close()"
CONFIGS = {
    ".pylintrc": f"""[MAIN]
init-hook={HOOK}
load-plugins=evil_plugin
output-format=evil_reporter.Reporter
[FORMAT]
max-line-length=10
""",
    "pyproject.toml": f"""[tool.pylint.main]
init-hook = "{HOOK}"
load-plugins = ["evil_plugin"]
output-format = "evil_reporter.Reporter"
[tool.pylint.format]
max-line-length = 10
""",
    "setup.cfg": f"""[pylint.main]
init-hook = {HOOK}
load-plugins = evil_plugin
output-format = evil_reporter.Reporter
[pylint.format]
max-line-length = 10
""",
}


def _repository(folder: Path, config: str) -> None:
    for name, text in {**CODE, config: CONFIGS[config]}.items():
        (folder / name).write_text(text, encoding="utf-8")


@pytest.mark.parametrize("config", sorted(CONFIGS))
def test_pylint_runs_no_code_of_the_repository(
    tmp_path: Path, write_notebook: NotebookWriter, config: str
) -> None:
    _repository(tmp_path, config)
    path = write_notebook(("value = 'a line longer than ten characters'", 1))
    result = subprocess.run(
        [sys.executable, "-m", "mlpizza_lint", "check", "--pylint", "--format", "json", path.name],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=300,
        check=False,
    )
    assert "Traceback" not in result.stderr
    assert [name for name in MARKERS if (tmp_path / name).exists()] == []
    codes = {item["code"] for item in json.loads(result.stdout)}
    assert "PL:C0301" in codes  # the configuration's max-line-length still applies


def test_a_trusted_configuration_runs_its_hook_and_plugins(
    tmp_path: Path, write_notebook: NotebookWriter
) -> None:
    _repository(tmp_path, ".pylintrc")
    (tmp_path / ".pylintrc").write_text(
        CONFIGS[".pylintrc"].replace("output-format=evil_reporter.Reporter\n", ""), "utf-8"
    )
    path = write_notebook(("value = 1", 1))
    script = (
        "import sys; sys.path.insert(0, '.')\n"
        "from mlpizza_lint.analysis.pylint_bridge import pylint_diagnostics\n"
        "from mlpizza_lint.notebook.documents import load_document\n"
        f"pylint_diagnostics(load_document({path.name!r}), trust_config=True)\n"
    )
    subprocess.run(
        [sys.executable, "-c", script], cwd=tmp_path, timeout=300, check=True, capture_output=True
    )
    assert [name for name in MARKERS if (tmp_path / name).exists()] == ["HOOK", "PLUGIN"]


def test_the_command_line_trusts_the_configuration_only_when_told(
    tmp_path: Path, write_notebook: NotebookWriter
) -> None:
    _repository(tmp_path, ".pylintrc")
    (tmp_path / ".pylintrc").write_text(f"[MAIN]\ninit-hook={HOOK}\n", encoding="utf-8")
    path = write_notebook(("value = 1", 1))
    command = [sys.executable, "-m", "mlpizza_lint", "check", "--pylint", path.name]
    subprocess.run(command, capture_output=True, cwd=tmp_path, timeout=300, check=False)
    assert not (tmp_path / "HOOK").exists()
    trusted = [*command, "--pylint-trust-config"]
    subprocess.run(trusted, capture_output=True, cwd=tmp_path, timeout=300, check=False)
    assert (tmp_path / "HOOK").exists()
