"""Settings and projects for open files, re-read when the files they come from change.

The linter caches both per folder, which suits a run over a corpus; a server lives
through edits of `pyproject.toml` and the requirements files, so it forgets them then.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from mlpizza_lint import config
from mlpizza_lint.analysis import project
from mlpizza_lint.config import ConfigError, Settings, find_settings
from mlpizza_lint.dependency_files import DEPENDENCY_FILE_PATTERNS, is_dependency_file
from mlpizza_lint.engine import enabled_codes

# The files whose change alters what open documents report.
WATCHED_PATTERNS: tuple[str, ...] = (
    f"**/{config.PYPROJECT}",
    *(f"**/{pattern}" for pattern in DEPENDENCY_FILE_PATTERNS),
)


@dataclass(frozen=True)
class FileSettings:
    settings: Settings
    codes: frozenset[str]
    problem: str | None = None  # a configuration error: the defaults are used meanwhile


def settings_for(path: str) -> FileSettings:
    """The nearest configuration of `path`; a broken one falls back to the defaults, so the
    editor keeps its diagnostics while the user fixes the file."""
    try:
        settings = find_settings(Path(path))
        return FileSettings(settings, enabled_codes(settings, path))
    except ConfigError as error:
        return FileSettings(Settings(), enabled_codes(Settings(), path), str(error))


def affects_settings(path: str) -> bool:
    """Whether a change to `path` can change the settings or projects of open documents."""
    return Path(path).name == config.PYPROJECT or is_dependency_file(Path(path))


def forget_files() -> None:
    config.forget_settings()
    project.forget_projects()
