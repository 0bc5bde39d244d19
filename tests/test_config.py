"""Reading `[tool.mlpizza-lint]`, finding the right pyproject, and selecting rules like ruff."""

from __future__ import annotations

from pathlib import Path

import pytest

from mlpizza_lint.config import ConfigError, Settings, find_settings, load_settings

ALL_CODES = frozenset(
    {"MLP000", "MLP001", "MLP002", "MLP003", "MLP004", "MLP201", "MLP301", "MLP302"}
)
DEFAULT_CODES = ALL_CODES - {"MLP004", "MLP302"}


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def enabled(settings: Settings) -> list[str]:
    return sorted(settings.enabled_codes(ALL_CODES, DEFAULT_CODES))


def test_every_key_is_read_into_tuples(tmp_path: Path) -> None:
    pyproject = write(
        tmp_path / "pyproject.toml",
        "[tool.mlpizza-lint]\n"
        'select = ["MLP0", "MLP3"]\n'
        'ignore = ["MLP004"]\n'
        'extend-select = ["MLP201"]\n'
        'extend-exclude = ["scratch", "data/*"]\n'
        'allowed-path-prefixes = ["/opt/shared/"]\n'
        "[tool.mlpizza-lint.per-file-ignores]\n"
        '"tests/*" = ["MLP3"]\n'
        '"*_draft.ipynb" = ["MLP000", "MLP001"]\n',
    )
    assert load_settings(pyproject) == Settings(
        root=tmp_path.resolve(),
        select=("MLP0", "MLP3"),
        ignore=("MLP004",),
        extend_select=("MLP201",),
        per_file_ignores=(("tests/*", ("MLP3",)), ("*_draft.ipynb", ("MLP000", "MLP001"))),
        extend_exclude=("scratch", "data/*"),
        allowed_path_prefixes=("/opt/shared/",),
    )


def test_a_pyproject_without_the_table_gives_the_defaults(tmp_path: Path) -> None:
    pyproject = write(tmp_path / "pyproject.toml", "[tool.ruff]\nline-length = 100\n")
    assert load_settings(pyproject) == Settings(root=tmp_path.resolve())


def test_the_nearest_pyproject_wins(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", '[tool.mlpizza-lint]\nselect = ["MLP0"]\n')
    write(tmp_path / "pkg" / "pyproject.toml", '[tool.mlpizza-lint]\nselect = ["MLP3"]\n')
    notebook = write(tmp_path / "pkg" / "nb" / "a.ipynb", "{}")
    settings = find_settings(notebook)
    assert settings.select == ("MLP3",) and settings.root == (tmp_path / "pkg").resolve()
    assert find_settings(tmp_path / "other.ipynb").select == ("MLP0",)


def test_a_pyproject_without_the_table_is_passed_over(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", '[tool.mlpizza-lint]\nignore = ["MLP2"]\n')
    write(tmp_path / "pkg" / "pyproject.toml", '[project]\nname = "pkg"\n')
    settings = find_settings(tmp_path / "pkg")
    assert settings.ignore == ("MLP2",) and settings.root == tmp_path.resolve()


def test_no_pyproject_gives_the_defaults_and_a_new_one_is_seen(tmp_path: Path) -> None:
    folder = tmp_path / "a" / "b"
    folder.mkdir(parents=True)
    assert find_settings(folder / "nb.ipynb") == Settings()
    write(tmp_path / "pyproject.toml", '[tool.mlpizza-lint]\nselect = ["ALL"]\n')
    assert find_settings(folder).select == ("ALL",), "a cached answer outlived its sources"


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('select = "MLP0"', "select must be a list of strings"),
        ("ignore = [1]", "ignore must be a list of strings"),
        ("extend-select = 3", "extend-select must be a list of strings"),
        ("extend-exclude = [true]", "extend-exclude must be a list of strings"),
        ('allowed-path-prefixes = "/opt/"', "allowed-path-prefixes must be a list of strings"),
        ('per-file-ignores = ["x"]', "per-file-ignores must be a table of glob patterns"),
        ('per-file-ignores = { "*.py" = "MLP0" }', "per-file-ignores must be a table of glob"),
        ('selct = ["MLP0"]', "unknown key `selct`, did you mean `select`?"),
        ("colour = true", "unknown key `colour`"),
    ],
)
def test_wrong_keys_and_types_name_the_file_and_the_key(
    tmp_path: Path, line: str, message: str
) -> None:
    pyproject = write(tmp_path / "pyproject.toml", f"[tool.mlpizza-lint]\n{line}\n")
    with pytest.raises(ConfigError) as error:
        load_settings(pyproject)
    text = str(error.value)
    assert text.startswith(f"{pyproject}: [tool.mlpizza-lint] {message}")
    assert "\n" not in text


def test_the_table_itself_must_be_a_table(tmp_path: Path) -> None:
    pyproject = write(tmp_path / "pyproject.toml", '[tool]\nmlpizza-lint = "strict"\n')
    with pytest.raises(ConfigError, match=r"pyproject\.toml: \[tool\.mlpizza-lint\] must be"):
        load_settings(pyproject)


def test_invalid_toml_gives_the_parser_reason(tmp_path: Path) -> None:
    pyproject = write(tmp_path / "pyproject.toml", "[tool.mlpizza-lint\nselect = \n")
    with pytest.raises(ConfigError) as error:
        load_settings(pyproject)
    assert str(error.value).startswith(f"{pyproject}: invalid TOML: ")
    assert "line 1" in str(error.value)


def test_default_codes_unless_select_is_given() -> None:
    assert enabled(Settings()) == sorted(DEFAULT_CODES)
    assert enabled(Settings(select=("MLP0",))) == [f"MLP00{n}" for n in range(5)]


@pytest.mark.parametrize(
    ("settings", "codes"),
    [
        (Settings(select=("MLP30",)), ["MLP301", "MLP302"]),
        (Settings(select=("MLP301", "MLP201")), ["MLP201", "MLP301"]),
        (Settings(select=("ALL",), ignore=("MLP0",)), ["MLP201", "MLP301", "MLP302"]),
        (Settings(extend_select=("MLP302",), ignore=("MLP0", "MLP2")), ["MLP301", "MLP302"]),
        (Settings(select=("MLP3",), ignore=("MLP3",)), []),
        (Settings(select=("MLP3",), ignore=("ALL",), extend_select=("MLP0",)), []),
    ],
)
def test_prefixes_all_ignore_and_extend_select(settings: Settings, codes: list[str]) -> None:
    assert enabled(settings) == codes


@pytest.mark.parametrize(
    "settings",
    [
        Settings(select=("MLP7",)),
        Settings(ignore=("MLP7",)),
        Settings(extend_select=("MLP7",)),
        Settings(per_file_ignores=(("*.ipynb", ("MLP7",)),)),
    ],
)
def test_selectors_matching_no_rule_are_errors(settings: Settings) -> None:
    with pytest.raises(ConfigError, match=r"^unknown rule selector `MLP7`$"):
        settings.enabled_codes(ALL_CODES, DEFAULT_CODES)


def test_an_empty_selector_selects_nothing() -> None:
    with pytest.raises(ConfigError, match="unknown rule selector ``"):
        Settings(select=("",)).enabled_codes(ALL_CODES, DEFAULT_CODES)


PER_FILE = Settings(
    per_file_ignores=(
        ("*_draft.ipynb", ("MLP0",)),
        ("tests/*.ipynb", ("MLP3",)),
        ("**/scratch/*", ("MLP2",)),
        ("/abs/*", ("MLP1",)),
    )
)


@pytest.mark.parametrize(
    ("relative", "selectors"),
    [
        ("a_draft.ipynb", ("MLP0",)),
        ("deep/er/a_draft.ipynb", ("MLP0",)),
        ("tests/t.ipynb", ("MLP3",)),
        ("tests/unit/t.ipynb", ("MLP3",)),
        ("tests/t_draft.ipynb", ("MLP0", "MLP3")),
        ("pkg/tests/t.ipynb", ()),
        ("tests.ipynb", ()),
        ("scratch/x.py", ("MLP2",)),
        ("a/scratch/x.py", ("MLP2",)),
        ("a.ipynb", ()),
    ],
)
def test_per_file_ignores_match_relative_to_the_root(
    tmp_path: Path, relative: str, selectors: tuple[str, ...]
) -> None:
    settings = Settings(root=tmp_path.resolve(), per_file_ignores=PER_FILE.per_file_ignores)
    assert settings.ignored_for(tmp_path / relative) == selectors


def test_per_file_ignores_for_relative_paths_and_paths_outside_the_root(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "project"
    (root / "tests").mkdir(parents=True)
    settings = Settings(root=root.resolve(), per_file_ignores=PER_FILE.per_file_ignores)
    monkeypatch.chdir(root)
    assert settings.ignored_for(Path("tests/t.ipynb")) == ("MLP3",)
    monkeypatch.chdir(tmp_path)
    assert settings.ignored_for(Path("project/tests/t.ipynb")) == ("MLP3",)
    assert settings.ignored_for(Path("tests/t.ipynb")) == ("MLP3",), "outside: as given"
    assert settings.ignored_for(Path("/abs/x_draft.ipynb")) == ("MLP0", "MLP1")
    assert PER_FILE.ignored_for(Path("tests/t.ipynb")) == ("MLP3",), "no root: as given"


def test_command_line_select_replaces_and_the_rest_add_up() -> None:
    settings = Settings(select=("MLP0",), ignore=("MLP001",), extend_select=("MLP201",))
    assert settings.with_overrides() == settings
    assert settings.with_overrides(
        select=("MLP3",), ignore=("MLP302",), extend_select=("MLP004",)
    ) == Settings(select=("MLP3",), ignore=("MLP001", "MLP302"), extend_select=("MLP201", "MLP004"))
    assert settings.with_overrides(ignore=["MLP002"]).select == ("MLP0",)
