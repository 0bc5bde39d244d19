"""`--sandbox`: run a copy of the notebook's project, so what it writes stays there.

The project is the folder the linter reads dependencies from (the nearest with a
dependency file or `.git`, else the notebook's folder). Version-control data,
environments and caches are not copied; a project too large to copy is refused rather
than half copied.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from tempfile import TemporaryDirectory

from mlpizza_lint.analysis.project import project_of

NOT_COPIED = (
    ".git",
    ".hg",
    ".svn",
    ".venv",
    "venv",
    "node_modules",
    "__pycache__",
    ".ipynb_checkpoints",
    ".mypy_cache",
    ".ruff_cache",
    ".pytest_cache",
    ".tox",
)
MAX_BYTES = 2 * 1024**3


class SandboxError(Exception):
    """The project cannot be copied; the message says why."""


def project_folder(notebook: Path) -> Path:
    return project_of(str(notebook)).root


@dataclass(frozen=True)
class Sandbox:
    """A temporary copy of the project at `original`, at `root`."""

    original: Path
    root: Path

    def inside(self, path: Path) -> Path:
        """Where `path`, a file of the project, is in the copy."""
        resolved = path.resolve()
        if not resolved.is_relative_to(self.original):
            raise SandboxError(f"{path}: outside the project copied to run in ({self.original})")
        return self.root / resolved.relative_to(self.original)


@contextmanager
def sandbox_of(notebook: Path) -> Iterator[Sandbox]:
    """A temporary copy of the notebook's project, removed afterwards."""
    source = project_folder(notebook)
    size = _size(source)
    if size > MAX_BYTES:
        raise SandboxError(
            f"{notebook}: --sandbox would copy {size / 1024**3:.1f} GiB of {source}; "
            "run without it, or from a smaller folder"
        )
    with TemporaryDirectory(prefix="mlpizza-verify-") as temporary:
        copy = Path(temporary) / source.name
        shutil.copytree(source, copy, symlinks=True, ignore=shutil.ignore_patterns(*NOT_COPIED))
        yield Sandbox(source, copy)


@contextmanager
def sandboxed(notebook: Path) -> Iterator[Path]:
    """The notebook's path inside a temporary copy of its project."""
    with sandbox_of(notebook) as sandbox:
        yield sandbox.inside(notebook)


def _size(folder: Path) -> int:
    total = 0
    for root, folders, files in os.walk(folder):
        folders[:] = [name for name in folders if name not in NOT_COPIED]
        for name in files:
            try:
                total += os.lstat(os.path.join(root, name)).st_size
            except OSError:
                continue
            if total > MAX_BYTES:
                return total
    return total
