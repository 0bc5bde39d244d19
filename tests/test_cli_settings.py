"""ruff's settings flags: `--config FILE|KEY=VALUE`, `--isolated`, and `--fail-on`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .conftest import NotebookWriter
from .test_cli import run

HOME_PATH = "df = open('/home/alice/x.csv')"  # MLP301, an error
UNDEFINED = "print(undefined_name)"  # MLP102, an error


def codes(out: str) -> list[str]:
    return sorted(item["code"] for item in json.loads(out))


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A script with an MLP301 and an MLP102, under a pyproject that ignores MLP102."""
    (tmp_path / "script.py").write_text(f"{HOME_PATH}\n{UNDEFINED}\n", encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text(
        '[tool.mlpizza-lint]\nignore = ["MLP102"]\n', encoding="utf-8"
    )
    return tmp_path


def test_the_nearest_configuration_applies_without_flags(project: Path) -> None:
    code, out, _ = run(str(project / "script.py"), "--format", "json")
    assert code == 1 and codes(out) == ["MLP301"]


def test_isolated_ignores_every_configuration_file(project: Path) -> None:
    _, out, _ = run(str(project / "script.py"), "--format", "json", "--isolated")
    assert codes(out) == ["MLP102", "MLP301"]


def test_isolated_also_drops_the_excludes(project: Path) -> None:
    (project / "pyproject.toml").write_text(
        '[tool.mlpizza-lint]\nextend-exclude = ["script.py"]\n', encoding="utf-8"
    )
    assert run(str(project), "--format", "json")[1].strip() == "[]"
    _, out, _ = run(str(project), "--format", "json", "--isolated")
    assert codes(out) == ["MLP102", "MLP301"]


def test_a_configuration_file_replaces_the_nearest_one(project: Path, tmp_path: Path) -> None:
    other = tmp_path / "ci" / "lint.toml"
    other.parent.mkdir()
    other.write_text('ignore = ["MLP301"]\n', encoding="utf-8")
    _, out, _ = run(str(project / "script.py"), "--format", "json", "--config", str(other))
    assert codes(out) == ["MLP102"]


def test_a_pyproject_given_is_read_for_its_table_and_its_folder_is_the_root(
    project: Path, tmp_path: Path
) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    (shared / "pyproject.toml").write_text(
        '[tool.mlpizza-lint.per-file-ignores]\n"here/*.py" = ["MLP301"]\n', encoding="utf-8"
    )
    config = str(shared / "pyproject.toml")
    _, out, _ = run(str(project / "script.py"), "--format", "json", "--config", config)
    assert codes(out) == ["MLP102", "MLP301"]  # script.py is not under shared/here/
    (shared / "here").mkdir()
    (shared / "here" / "script.py").write_text(f"{HOME_PATH}\n", encoding="utf-8")
    _, out, _ = run(str(shared / "here" / "script.py"), "--format", "json", "--config", config)
    assert codes(out) == []


def test_a_key_value_overrides_that_key_of_the_nearest_configuration(project: Path) -> None:
    script = str(project / "script.py")
    _, out, _ = run(script, "--format", "json", "--config", "ignore = ['MLP301']")
    assert codes(out) == ["MLP102"]  # the file's ignore list is replaced, as ruff does
    _, out, _ = run(
        script, "--format", "json", "--config", "ignore = []", "--config", "select = ['MLP1']"
    )
    assert codes(out) == ["MLP102"]


def test_command_line_selection_wins_over_a_key_value(project: Path) -> None:
    _, out, _ = run(
        str(project / "script.py"),
        "--format",
        "json",
        "--config",
        "select = ['MLP1']",
        "--select",
        "MLP3",
    )
    assert codes(out) == ["MLP301"]


def test_key_values_apply_with_isolated(project: Path) -> None:
    _, out, _ = run(
        str(project / "script.py"), "--format", "json", "--isolated", "--config", "ignore=['MLP3']"
    )
    assert codes(out) == ["MLP102"]


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--config", "ignre = []"], "--config 'ignre = []': unknown key `ignre`, did you mean"),
        (["--config", "select = 'MLP1'"], "select must be a list of strings"),
        (["--config", "select ="], "neither a file nor a TOML `key = value`"),
        (["--config", "a = 1\nb = 2"], "give one `key = value` per --config"),
        (["--config", "missing.toml"], "missing.toml: cannot be read"),
        (["--config", "pyproject.toml", "--isolated"], "and --isolated exclude each other"),
        (["--config", "pyproject.toml", "--config", "pyproject.toml"], "one configuration file"),
    ],
)
def test_bad_settings_flags_are_one_line_errors(
    project: Path, monkeypatch: pytest.MonkeyPatch, arguments: list[str], message: str
) -> None:
    monkeypatch.chdir(project)
    code, out, err = run("script.py", *arguments)
    assert code == 2 and out == ""
    assert message in err and len(err.strip().splitlines()) == 1


def test_a_bad_configuration_file_names_the_file(project: Path) -> None:
    bad = project / "bad.toml"
    bad.write_text("select = [\n", encoding="utf-8")
    code, _, err = run(str(project / "script.py"), "--config", str(bad))
    assert code == 2 and f"{bad}: invalid TOML" in err


def test_fail_on_error_reports_warnings_and_passes(write_notebook: NotebookWriter) -> None:
    gap = write_notebook(("x = 1", 1), ("y = x", 2), ("print(y)", 7))  # MLP003 only
    code, out, _ = run(str(gap), "--fail-on", "error")
    assert code == 0 and " MLP003 " in out
    assert run(str(gap))[0] == 1  # by default a warning fails too


def test_fail_on_error_still_fails_on_errors(write_notebook: NotebookWriter) -> None:
    path = write_notebook((HOME_PATH, 1), ("x = 1", 2), ("print(x)", 7))
    code, out, _ = run(str(path), "--fail-on", "error", "--format", "json")
    assert code == 1 and codes(out) == ["MLP003", "MLP301"]
    assert run(str(path), "--fail-on", "error", "--exit-zero")[0] == 0


def test_a_folder_named_like_a_command_is_linted_when_written_as_a_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "script.py").write_text(f"{HOME_PATH}\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code, out, err = run("rules")
    assert code == 0 and "MLP000  unreadable" in out  # the command, as documented
    assert "to lint the folder of that name, run `mlpizza-lint check rules`" in err
    for spelling in (["check", "rules"], ["rules/"], ["./rules"]):
        code, out, _ = run(*spelling, "--format", "json")
        assert code == 1 and codes(out) == ["MLP301"]
    assert run("rules", "--help")[2] == ""  # plainly the command
