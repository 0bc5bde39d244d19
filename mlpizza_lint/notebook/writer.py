"""The first half of replacing a file so that it is either fully replaced or left exactly as
it was: its new text, complete and on disk, beside it (`notebook.staging` does the rest)."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

TEMPORARY_SUFFIX = ".tmp"  # `.<name>.<random>.tmp` beside the file it will replace


def real_target(path: str) -> Path:
    """The file a write replaces: through a symlink to it, so the link stays a link."""
    return Path(os.path.realpath(path))


def stage_beside(target: Path, text: str) -> Path:
    """`text` in a new temporary file in `target`'s folder (so replacing is one rename on one
    file system), flushed to disk, with `target`'s permissions; removed again on failure."""
    mode = target.stat().st_mode & 0o7777 if target.exists() else 0o644
    handle, temporary = tempfile.mkstemp(
        dir=target.parent, prefix=f".{target.name}.", suffix=TEMPORARY_SUFFIX
    )
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, mode)
    except BaseException:
        discard(Path(temporary))
        raise
    return Path(temporary)


def discard(temporary: Path) -> None:
    with contextlib.suppress(OSError):
        temporary.unlink()
