"""Settings from `[tool.mlpizza-lint]` in the nearest `pyproject.toml`, read the way ruff does.

Settings are frozen and made of tuples, so they can be cached on, hashed and sent to
worker processes. Every mistake in the table is reported as one line naming the file,
because a silently ignored setting is worse than a refusal to run.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from difflib import get_close_matches
from fnmatch import fnmatch
from pathlib import Path
from typing import Any

from mlpizza_lint.file_cache import FileCache, Read
from mlpizza_lint.notebook.reading import read_regular_file

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

PYPROJECT = "pyproject.toml"
NAME = "mlpizza-lint"
SECTION = f"[tool.{NAME}]"
ALL = "ALL"

PerFileIgnores = tuple[tuple[str, tuple[str, ...]], ...]
# Distribution -> the modules it provides, as deptry's `package_module_name_map`.
ModuleMap = tuple[tuple[str, tuple[str, ...]], ...]


class ConfigError(Exception):
    """A configuration the user has to fix; the message is one line, ready to print."""


@dataclass(frozen=True)
class Settings:
    root: Path | None = None  # the pyproject's folder: per-file-ignores are relative to it
    select: tuple[str, ...] | None = None  # None: the rules enabled by default
    ignore: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    per_file_ignores: PerFileIgnores = ()
    extend_exclude: tuple[str, ...] = ()
    allowed_path_prefixes: tuple[str, ...] = ()
    pinning: str = "any"
    package_module_name_map: ModuleMap = ()

    def with_overrides(
        self,
        select: Sequence[str] | None = None,
        ignore: Sequence[str] = (),
        extend_select: Sequence[str] = (),
    ) -> Settings:
        """Command-line options win: `select` replaces the file's, the others add to it."""
        return replace(
            self,
            select=self.select if select is None else tuple(select),
            ignore=(*self.ignore, *ignore),
            extend_select=(*self.extend_select, *extend_select),
        )

    def enabled_codes(
        self, all_codes: Iterable[str], default_codes: Iterable[str]
    ) -> frozenset[str]:
        """Ruff semantics: select (or the defaults), plus extend_select, minus ignore.

        A selector matches the codes it is a prefix of, `ALL` matches every code. Every
        selector, per-file ones included, must match some code: a typo such as `MLP7`
        would otherwise silently switch nothing on or off.
        """
        codes = frozenset(all_codes)
        per_file = (selector for _, selectors in self.per_file_ignores for selector in selectors)
        for selector in (*(self.select or ()), *self.extend_select, *self.ignore, *per_file):
            if not _matching(selector, codes):
                raise ConfigError(f"unknown rule selector `{selector}`")
        selected = (
            frozenset(default_codes) if self.select is None else _matching_any(self.select, codes)
        )
        enabled = selected | _matching_any(self.extend_select, codes)
        enabled |= codes & PINNING_RULES[self.pinning]
        return enabled - _matching_any(self.ignore, codes)

    def ignored_for(self, path: Path) -> tuple[str, ...]:
        """Selectors of the per-file-ignores whose glob matches `path`.

        Patterns are written relative to the pyproject's folder, so the path is made
        relative to `root` when it lies inside it, and is matched as given otherwise.
        """
        location = path.parent.resolve() / path.name  # the folders resolved, not a symlink
        root = self.root
        inside = root is not None and location.is_relative_to(root)
        relative = location.relative_to(root) if root is not None and inside else path
        return tuple(
            selector
            for pattern, selectors in self.per_file_ignores
            if _glob_matches(pattern, relative.as_posix())
            for selector in selectors
        )


def load_settings(pyproject: Path) -> Settings:
    """The settings of one pyproject; a file without the table gives the defaults."""
    return _settings(pyproject, _table(pyproject) or {})


def find_settings(start: Path) -> Settings:
    """Settings for a file or folder: the nearest pyproject with the table, as ruff finds it."""
    folder = start if start.is_dir() else start.parent
    return _nearest(folder.resolve())


def _read_nearest(folder: Path) -> Read[Settings]:
    """Each `pyproject.toml` looked for is a source, so one created later is seen too."""
    looked: list[Path] = []
    for candidate in (folder, *folder.parents):
        pyproject = candidate / PYPROJECT
        looked.append(pyproject)
        table = _table(pyproject) if pyproject.is_file() else None
        if table is not None:
            return Read(_settings(pyproject, table), tuple(looked))
    return Read(Settings(), tuple(looked))


_nearest = FileCache(_read_nearest)


def forget_settings() -> None:
    """Drop the configurations read so far (they are re-read anyway once their files change)."""
    _nearest.clear()


def _table(pyproject: Path) -> dict[str, object] | None:
    """The `[tool.mlpizza-lint]` table, or None when the file has none."""
    tool = _document(pyproject).get("tool")
    table: object = tool.get(NAME) if isinstance(tool, dict) else None
    if table is not None and not isinstance(table, dict):
        raise ConfigError(f"{pyproject}: {SECTION} must be a table")
    return table


def _document(path: Path) -> dict[str, Any]:
    """A TOML file's content; what keeps it from being read, as one line naming it."""
    try:
        return tomllib.loads(read_regular_file(path).decode("utf-8"))
    except RecursionError:  # tomllib recurses once per level of nested arrays and tables
        raise ConfigError(f"{path}: invalid TOML: nested too deeply to be read") from None
    except OSError as error:
        raise ConfigError(f"{path}: cannot be read: {error.strerror}") from error
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: invalid TOML: {error}") from error


class _InvalidValue(ValueError):
    """What is wrong with one value; `_settings` adds the file and the key."""


def _strings(value: object) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise _InvalidValue("must be a list of strings")
    return tuple(value)


def _per_file(value: object) -> PerFileIgnores:
    problem = "must be a table of glob patterns to lists of strings"
    if not isinstance(value, dict):
        raise _InvalidValue(problem)
    try:
        return tuple((pattern, _strings(selectors)) for pattern, selectors in value.items())
    except _InvalidValue:
        raise _InvalidValue(problem) from None


def _module_map(value: object) -> ModuleMap:
    problem = "must be a table of distribution names to a module name or a list of them"
    if not isinstance(value, dict):
        raise _InvalidValue(problem)
    try:
        return tuple(
            (name, (modules,) if isinstance(modules, str) else _strings(modules))
            for name, modules in value.items()
        )
    except _InvalidValue:
        raise _InvalidValue(problem) from None


# `pinning = "exact"` asks for exact pins everywhere: it turns the loose-requirement rule on.
PINNING_RULES: dict[str, frozenset[str]] = {"any": frozenset(), "exact": frozenset({"MLP203"})}


def _pinning(value: object) -> str:
    if value not in PINNING_RULES:
        raise _InvalidValue(f"must be one of {', '.join(map(repr, PINNING_RULES))}")
    return str(value)


# TOML key -> parser; the Settings field is the key in snake_case.
PARSERS: dict[str, Callable[[object], Any]] = {
    "select": _strings,
    "ignore": _strings,
    "extend-select": _strings,
    "per-file-ignores": _per_file,
    "extend-exclude": _strings,
    "allowed-path-prefixes": _strings,
    "pinning": _pinning,
    "package-module-name-map": _module_map,
}


def _settings(source: Path, table: dict[str, object], section: str = SECTION) -> Settings:
    where = f"{source}: {section}" if section else f"{source}:"
    values = dict(_setting(where, key, value) for key, value in table.items())
    return Settings(root=source.parent.resolve(), **values)


def _setting(where: str, key: str, value: object) -> tuple[str, Any]:
    """One key of a table, checked: the Settings field it sets and its parsed value."""
    if key not in PARSERS:
        close = get_close_matches(key, PARSERS, n=1)
        hint = f", did you mean `{close[0]}`?" if close else ""
        raise ConfigError(f"{where} unknown key `{key}`{hint}")
    try:
        return key.replace("-", "_"), PARSERS[key](value)
    except _InvalidValue as problem:
        raise ConfigError(f"{where} {key} {problem}") from None


def load_config_file(path: Path) -> Settings:
    """`--config FILE`: a `pyproject.toml` gives its `[tool.mlpizza-lint]` table; any other
    TOML file is that table itself, as ruff reads a `ruff.toml`."""
    if path.name == PYPROJECT:
        return load_settings(path)
    return _settings(path, _document(path), section="")


def setting_override(text: str) -> tuple[str, Any]:
    """`--config "select = ['MLP3']"`: one TOML `key = value`, checked as the file's keys are."""
    where = f"--config {text!r}:"
    try:
        table = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{where} neither a file nor a TOML `key = value` ({error})") from None
    if len(table) != 1:
        raise ConfigError(f"{where} give one `key = value` per --config")
    ((key, value),) = table.items()
    return _setting(where, key, value)


def _matching(selector: str, codes: frozenset[str]) -> frozenset[str]:
    """An empty selector matches nothing: it is a slip, not a way to write `ALL`."""
    return frozenset(
        code for code in codes if selector == ALL or (selector != "" and code.startswith(selector))
    )


def _matching_any(selectors: Iterable[str], codes: frozenset[str]) -> frozenset[str]:
    return frozenset[str]().union(*(_matching(selector, codes) for selector in selectors))


def _glob_matches(pattern: str, relative: str) -> bool:
    """fnmatch, where `*` also crosses `/` as in ruff's globs.

    A leading `**/` also matches at the root, and a pattern without `/` also matches the
    file name alone, as in ruff and flake8 (`"*_test.ipynb"` anywhere in the project).
    """
    candidates = (relative,) if "/" in pattern else (relative, relative.rpartition("/")[2])
    patterns = (pattern, pattern.removeprefix("**/"))
    return any(fnmatch(candidate, p) for candidate in candidates for p in patterns)
