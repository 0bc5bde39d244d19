"""The project a notebook belongs to: its folder, what it declares, and its own modules.

The project is the nearest folder up the tree that holds a dependency file (or the git
root). What it declares is read once per folder, from every dependency file there, the
`requirements/` folder, and the files they include.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from mlpizza_lint.dependency_files import is_dependency_file, read_dependency_file
from mlpizza_lint.spans import Edit, Span

REQUIREMENTS = "requirements.txt"


@dataclass(frozen=True)
class RequirementsFile:
    """Where fixes add a requirement: the end of the project's `requirements.txt`."""

    path: Path
    end: tuple[int, int]  # line and column just after the last character
    ends_with_newline: bool
    newline: str = "\n"

    def append(self, *requirements: str) -> Edit:
        """An edit adding `requirements` as the file's last lines (creating the file if need
        be)."""
        line, column = self.end
        separator = "" if self.ends_with_newline else self.newline
        added = "".join(requirement + self.newline for requirement in requirements)
        return Edit(None, Span(line, column, line, column), separator + added, path=str(self.path))


@dataclass(frozen=True)
class Project:
    root: Path
    declared: frozenset[str]  # canonical distribution names
    files: tuple[str, ...]  # the dependency files read, for messages
    modules: frozenset[str]  # importable names that are the project's own code
    requirements: RequirementsFile | None = None  # None: it declares elsewhere (pyproject...)

    def modules_near(self, path: str) -> frozenset[str]:
        """The project's own modules, plus those beside `path` and in the folders between it
        and the root: a notebook imports from its own folder, often from its parents."""
        folder = Path(path).resolve().parent
        between = [folder, *folder.parents]
        between = between[: between.index(self.root) + 1] if self.root in between else [folder]
        return self.modules.union(*(_folder_modules(each) for each in between))

    def existing_tail(self, path: str) -> Path | None:
        """The longest tail of a foreign absolute path that exists in this project:
        `/home/a/churn/data/train.csv` -> `<root>/data/train.csv`."""
        return _existing_tail(self.root, tuple(p for p in re.split(r"[\\/]+", path) if p))


def project_of(path: str) -> Project | None:
    return _project(Path(path).resolve().parent)


def forget_projects() -> None:
    """Drop what was read of dependency files, after they changed on disk."""
    _project.cache_clear()
    _existing_tail.cache_clear()
    _folder_modules.cache_clear()


@cache
def _project(folder: Path) -> Project | None:
    """Folders share their parents' answer: each folder of a tree is listed once."""
    files = _dependency_files(folder)
    if files or (folder / ".git").exists():
        return _read(folder, files)
    return None if folder.parent == folder else _project(folder.parent)


def _dependency_files(folder: Path) -> list[Path]:
    try:
        here = [p for p in folder.iterdir() if p.is_file() and is_dependency_file(p)]
        nested = folder / "requirements"
        below = [p for p in nested.iterdir() if p.is_file()] if nested.is_dir() else []
    except OSError:
        return []
    return sorted(here + [p for p in below if is_dependency_file(p)])


def _read(root: Path, files: list[Path]) -> Project:
    declared: set[str] = set()
    read: list[str] = []
    pending = [str(path) for path in files]
    while pending:
        path = pending.pop()
        if path in read:
            continue
        read.append(path)
        dependencies = read_dependency_file(path)
        declared.update(item.name for item in dependencies.declared if item.name)
        pending.extend(dependencies.includes)
    modules = _folder_modules(root) | _folder_modules(root / "src")
    return Project(
        root,
        frozenset(declared),
        tuple(sorted(read)),
        frozenset(modules),
        _requirements_file(root, bool(files)),
    )


def _requirements_file(root: Path, declares: bool) -> RequirementsFile | None:
    """The project's `requirements.txt`; a new one only for a project that declares nothing."""
    path = root / REQUIREMENTS
    try:
        text = path.read_bytes().decode("utf-8")  # keep CRLF visible
    except FileNotFoundError:
        return None if declares else RequirementsFile(path, (1, 1), ends_with_newline=True)
    except (OSError, UnicodeDecodeError):
        return None
    if "--hash" in text:  # pip's hash-checking mode refuses any line without hashes
        return None
    lines = text.splitlines() or [""]
    ends = text.endswith(("\n", "\r")) or not text
    end = (len(lines) + 1, 1) if ends and text else (len(lines), len(lines[-1]) + 1)
    return RequirementsFile(path, end, ends, "\r\n" if "\r\n" in text else "\n")


@lru_cache(maxsize=1024)
def _folder_modules(folder: Path) -> frozenset[str]:
    """What `import name` finds in `folder`: modules, packages and namespace packages."""
    try:
        children = list(folder.iterdir())
    except OSError:
        return frozenset()
    return frozenset(
        child.stem if child.suffix == ".py" else child.name
        for child in children
        if child.suffix == ".py" or (child.is_dir() and next(child.glob("*.py"), None))
    )


@lru_cache(maxsize=1024)
def _existing_tail(root: Path, parts: tuple[str, ...]) -> Path | None:
    for start in range(1, len(parts)):
        candidate = root.joinpath(*parts[start:])
        try:
            if candidate.exists():
                return candidate
        except OSError:  # a name too long for the file system, a folder we may not read
            continue
    return None
