"""Writing an extraction's files all or nothing.

A module without the rewritten notebook, or a notebook importing a module that was never
written, is worse than no change: so each file first goes to a temporary file beside its
target, and only once every one is there do they replace their targets. Any failure before
that removes the temporary files and the folders made for them.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from pathlib import Path

from mlpizza_lint.extract.model import ExtractError, Extraction
from mlpizza_lint.notebook.writer import write_atomically


def write_extraction(extraction: Extraction) -> None:
    """Raises ExtractError, naming the file, when one cannot be written; then none is."""
    made: list[Path] = []
    staged: list[tuple[Path, Path]] = []
    try:
        for output in extraction.outputs:
            if output.text is not None:
                made += _make_folders(output.path.parent)
                staged.append(_stage(output.path, output.text))
    except OSError as error:
        for temporary, _ in staged:
            temporary.unlink()
        for folder in reversed(made):
            with contextlib.suppress(OSError):
                folder.rmdir()
        raise ExtractError(f"{output.path}: cannot write: {error.strerror or error}") from None
    for temporary, target in staged:
        os.replace(temporary, target)


def _make_folders(folder: Path) -> list[Path]:
    """The folders created, outermost first."""
    missing = [parent for parent in (folder, *folder.parents) if not parent.exists()][::-1]
    for parent in missing:
        parent.mkdir()
    return missing


def _stage(path: Path, text: str) -> tuple[Path, Path]:
    """The text in a file beside the one it replaces (through a symlink, which stays), with
    that file's permissions."""
    target = Path(os.path.realpath(path))
    staged = target.with_name(f".{target.name}.extracting")
    write_atomically(str(staged), text)
    if target.exists():
        shutil.copymode(target, staged)
    return staged, target
