"""Writing an extraction's files through the staged writer.

A module without the rewritten notebook is harmless; a notebook importing a module that
was never written loses its cells. So every file is staged beside its target first, the
module and the requirements replace theirs before the notebook does, and the notebook is
replaced only when it still holds what was read (see `notebook.staging`). When nothing
could be written, the folders made for the module are removed again.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from mlpizza_lint.extract.model import ExtractError, Extraction
from mlpizza_lint.notebook.staging import Change, StagingError, write_changes


def write_extraction(extraction: Extraction) -> None:
    """Raises ExtractError, naming the file, when one cannot be written."""
    changes = [
        Change(str(output.path), output.text, output.before, needs=tuple(map(str, output.needs)))
        for output in extraction.outputs
        if output.text is not None
    ]
    made: list[Path] = []
    try:
        for change in changes:
            made += _make_folders(Path(change.path).parent)
        skipped = write_changes(changes)
    except (OSError, StagingError) as error:
        for folder in reversed(made):
            with contextlib.suppress(OSError):
                folder.rmdir()
        if isinstance(error, OSError):
            raise ExtractError(f"{error.filename}: cannot create it ({error.strerror})") from None
        raise ExtractError(str(error)) from None
    if skipped:
        raise ExtractError("; ".join(skipped.values()))


def _make_folders(folder: Path) -> list[Path]:
    """The folders created, outermost first."""
    missing = [parent for parent in (folder, *folder.parents) if not parent.exists()][::-1]
    for parent in missing:
        parent.mkdir()
    return missing
