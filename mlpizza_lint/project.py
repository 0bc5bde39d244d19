"""The project a notebook belongs to: its folder, what it declares, and its own modules.

The project is the nearest folder up the tree that holds a dependency file (or the git
root). What it declares is read once per folder, from every dependency file there, the
`requirements/` folder, and the files they include.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from mlpizza_lint.dependency_files import is_dependency_file, read_dependency_file


@dataclass(frozen=True)
class Project:
    root: Path
    declared: frozenset[str]  # canonical distribution names
    files: tuple[str, ...]  # the dependency files read, for messages
    modules: frozenset[str]  # importable names that are the project's own code


def project_of(path: str) -> Project | None:
    return _project(Path(path).resolve().parent)


@cache
def _project(folder: Path) -> Project | None:
    for candidate in (folder, *folder.parents):
        files = _dependency_files(candidate)
        if files or (candidate / ".git").exists():
            return _read(candidate, files)
    return None


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
    modules = {p.stem for p in root.glob("*.py")} | {
        p.name for p in root.iterdir() if (p / "__init__.py").exists()
    }
    modules |= {p.name for p in (root / "src").glob("*") if p.is_dir()}
    return Project(root, frozenset(declared), tuple(sorted(read)), frozenset(modules))
