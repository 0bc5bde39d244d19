"""Find the files to lint under the paths given on the command line, the way ruff does.

A file named explicitly is always linted: the user asked for it. Folders are searched for
notebooks, Python files and dependency files (requirements, pyproject.toml, environment.yml,
...), skipping what is never the project's own code: version control and tool caches, build
output, installed packages and virtual environments.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from fnmatch import fnmatch
from itertools import chain
from pathlib import Path

from mlpizza_lint.dependency_files import is_dependency_file
from mlpizza_lint.discovery.changes import ignored_files

LINTED_SUFFIXES = (".ipynb", ".py")
DEFAULT_EXCLUDES = (
    ".bzr",
    ".direnv",
    ".eggs",
    ".git",
    ".git-rewrite",
    ".hg",
    ".ipynb_checkpoints",
    ".mlpizza-lint-cache",
    ".mypy_cache",
    ".nox",
    ".pants.d",
    ".pyenv",
    ".pytest_cache",
    ".pytype",
    ".ruff_cache",
    ".svn",
    ".tox",
    ".venv",
    ".vscode",
    "__pypackages__",
    "_build",
    "buck-out",
    "build",
    "dist",
    "node_modules",
    "site-packages",
    "venv",
    "__pycache__",
)
VENV_MARKER = "pyvenv.cfg"  # every virtualenv has one, whatever the folder is called


def _linted(path: Path) -> bool:
    """Notebooks, Python files, and the files where a project declares its dependencies."""
    return path.suffix in LINTED_SUFFIXES or is_dependency_file(path)


def iter_files(
    paths: Sequence[Path],
    extend_exclude: Sequence[str] = (),
    force_exclude: bool = False,
    respect_gitignore: bool = False,
) -> Iterator[Path]:
    """Files to lint under `paths`, each once, spelled as given (relative stay relative).

    A missing path raises at once, before any file is yielded, so a typo on the command
    line is an error rather than a partial run; a symlink that leads nowhere (or back to
    itself) is given, and is reported as unreadable. `extend_exclude` holds fnmatch patterns
    tried on each name and on each path relative to the folder being searched; with
    `force_exclude` (what pre-commit needs, as it names every file) they apply to files
    named explicitly too. With `respect_gitignore`, what git ignores is not searched.
    """
    missing = next((path for path in paths if not os.path.lexists(path)), None)
    if missing is not None:
        raise FileNotFoundError(f"{missing}: no such file or directory")
    given = (
        path
        for path in paths
        if not (force_exclude and path.is_file() and _excluded_path(path, extend_exclude))
    )
    return _unique(
        chain.from_iterable(_given(path, extend_exclude, respect_gitignore) for path in given)
    )


def _excluded_path(path: Path, patterns: Sequence[str]) -> bool:
    """A file named explicitly that a search would skip: one of its folders or its name is
    excluded, or a pattern matches a tail of its path."""
    parts = path.parts
    tails = ["/".join(parts[start:]) for start in range(len(parts))]
    return any(part in DEFAULT_EXCLUDES for part in parts[:-1]) or any(
        fnmatch(candidate, pattern) for pattern in patterns for candidate in (*parts, *tails)
    )


def _given(path: Path, exclude: Sequence[str], respect_gitignore: bool) -> Iterator[Path]:
    """A folder given explicitly is searched even if its own name is excluded, as in ruff."""
    if not path.is_dir():
        return iter((path,))
    ignored = ignored_files(path) if respect_gitignore else frozenset()
    return (file for file in _walk(path, exclude) if not _is_ignored(file, ignored))


def _is_ignored(file: Path, ignored: frozenset[Path]) -> bool:
    absolute = file.absolute()
    return any(folder in ignored for folder in (absolute, *absolute.parents))


def _walk(root: Path, exclude: Sequence[str]) -> Iterator[Path]:
    """Depth first in name order, so the output is the same on every machine.

    A stack of folders being listed rather than recursion, so no depth of folders is too
    deep. Symlinked folders are not entered, which rules out loops; a folder that cannot be
    listed (no permission, removed meanwhile) and an entry that cannot be followed (a
    dangling or looping symlink) have nothing we could lint.
    """
    stack = [_listing(root, "")]
    while stack:
        item = next(stack[-1], None)
        if item is None:
            stack.pop()
            continue
        folder, entry, relative = item
        if _excluded(entry, relative, exclude):
            continue
        if entry.is_dir(follow_symlinks=False):
            stack.append(_listing(folder / entry.name, relative + "/"))
        elif _is_file(entry) and _linted(Path(entry.path)):
            yield folder / entry.name


Listed = tuple[Path, os.DirEntry[str], str]


def _listing(folder: Path, prefix: str) -> Iterator[Listed]:
    """The entries of `folder` in name order, each with its path relative to the root."""
    try:
        with os.scandir(folder) as scan:
            entries = sorted(scan, key=lambda entry: entry.name)
    except OSError:
        entries = []
    return iter([(folder, entry, prefix + entry.name) for entry in entries])


def _is_file(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_file()
    except OSError:  # a symlink loop
        return False


def _excluded(entry: os.DirEntry[str], relative: str, patterns: Sequence[str]) -> bool:
    return (
        entry.name in DEFAULT_EXCLUDES
        or any(fnmatch(entry.name, pattern) or fnmatch(relative, pattern) for pattern in patterns)
        or (
            entry.is_dir(follow_symlinks=False)
            and os.path.isfile(os.path.join(entry.path, VENV_MARKER))
        )
    )


def _unique(files: Iterator[Path]) -> Iterator[Path]:
    """The same file reached twice (given twice, or under two given folders) is linted once."""
    seen: set[Path] = set()
    for file in files:
        key = _identity(file)
        if key not in seen:
            seen.add(key)
            yield file


def _identity(file: Path) -> Path:
    """The resolved path; a symlink loop has none, and only its own spelling."""
    try:
        return file.resolve()
    except (OSError, RuntimeError):
        return file.absolute()
