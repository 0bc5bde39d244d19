"""Findings kept between runs, as ruff's `.ruff_cache`: a file whose bytes, settings and
project inputs are unchanged since the last run is not linted again.

One JSON entry per file and configuration, named by a hash of the tool's own files, the
working folder (project findings name paths relative to it), the path and the settings.
It holds the digest of the file's bytes, the stat of every file and folder the lint read
through `file_cache` (dependency files, module listings, the project's code for MLP205)
and the result. An entry is used only when the digest and every stat still match.

Entries are JSON, never pickle: a cache folder committed to a repository must not be
able to run code when it is read. Writes are atomic (a temporary file renamed over the
entry), so concurrent runs see an old entry or a new one, never half of one; an entry
that does not parse is ignored and written again.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from mlpizza_lint.config import Settings
from mlpizza_lint.diagnostics import FileResult
from mlpizza_lint.file_cache import Stamp, Stamps, recording, stamp
from mlpizza_lint.notebook.reading import read_regular_file

CACHE_DIR_ENV = "MLPIZZA_LINT_CACHE_DIR"
NO_CACHE_ENV = "MLPIZZA_LINT_NO_CACHE"
DEFAULT_FOLDER = ".mlpizza-lint-cache"
ENTRY_FORMAT = "1"
# An input changed this recently may change again within the file system's mtime
# granularity without its stat showing it: such a result is not kept.
RECENT_NS = 2_000_000_000
TAG_NAME = "CACHEDIR.TAG"
TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# mlpizza-lint's result cache: safe to delete (`mlpizza-lint clean`).\n"
)
TOOL_SUFFIXES = (".py", ".json", ".txt")


@dataclass(frozen=True)
class Linted:
    """A result just computed, with what it was computed from."""

    result: FileResult
    digest: str | None  # of the file's bytes; None: they changed while it was linted
    inputs: Stamps
    started_ns: int


def digest_of(path: str) -> str | None:
    """None for what is not a regular file of a readable size (a FIFO would block)."""
    try:
        return hashlib.blake2b(read_regular_file(path), digest_size=16).hexdigest()
    except OSError:
        return None


class ResultCache:
    """The entries under `folder`, created on the first write."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._entries = folder / f"v{ENTRY_FORMAT}"
        self._own_change: tuple[Path, Stamp] | None = None

    def prepare(self) -> None:
        """Create the folder before anything is linted. Created inside the project, it
        changes the project folder's stat, which the results just linted were read with:
        that change is recorded as this cache's own, so it does not count as recent."""
        if (self.folder / TAG_NAME).is_file():
            return
        try:
            self._entries.mkdir(parents=True, exist_ok=True)
            _write_atomically(self.folder / ".gitignore", "# Automatically created.\n*\n")
            _write_atomically(self.folder / TAG_NAME, TAG)
        except OSError:
            return  # a read-only checkout: the next run only loses its speed
        parent = self.folder.resolve().parent
        self._own_change = (parent, stamp(parent))

    def _current(self, inputs: list[list[Any]]) -> bool:
        """Stat-ed once per run under `file_cache.one_pass`: files share most inputs."""
        return all(_as_stamp(seen) == stamp(Path(source)) for source, seen in inputs)

    def get(self, path: str, settings: Settings) -> FileResult | None:
        """The kept result for `path`, when nothing it was computed from has changed."""
        try:
            entry = json.loads((self._entries / _entry_name(path, settings)).read_bytes())
            if entry["digest"] != digest_of(path) or not self._current(entry["inputs"]):
                return None
            return FileResult.from_json(entry["result"])
        except (OSError, ValueError, KeyError, TypeError):  # none yet, or damaged
            return None

    def put(self, path: str, settings: Settings, linted: Linted) -> None:
        """Keep `linted` unless an input may have changed unseen."""
        if linted.digest is None or self._recently_changed(linted):
            return
        entry = {
            "digest": linted.digest,
            "inputs": [[str(source), seen] for source, seen in linted.inputs.items()],
            "result": linted.result.to_json(),
        }
        try:
            _write_atomically(self._entries / _entry_name(path, settings), json.dumps(entry))
        except OSError:
            return

    def _recently_changed(self, linted: Linted) -> bool:
        return any(
            seen is not None
            and seen[0] > linted.started_ns - RECENT_NS
            and (source, seen) != self._own_change
            for source, seen in linted.inputs.items()
        )


def clean(folder: Path) -> bool:
    """Remove the cache at `folder`; False when there is none. A folder without the
    cache's tag is refused, so a mistyped `--cache-dir` cannot delete someone's files."""
    if not folder.exists():
        return False
    if not (folder / TAG_NAME).is_file():
        raise OSError(f"{folder}: not a mlpizza-lint cache (no {TAG_NAME}); left alone")
    shutil.rmtree(folder)
    return True


def recorded(path: str, lint: Callable[[], FileResult]) -> Linted:
    """`lint()` of the file at `path`, with the stats of everything it read."""
    started_ns = time.time_ns()
    before = digest_of(path)
    with recording() as inputs:
        result = lint()
    return Linted(result, before if digest_of(path) == before else None, inputs, started_ns)


def _entry_name(path: str, settings: Settings) -> str:
    key = json.dumps([_tool_fingerprint(), os.getcwd(), path, repr(settings)])
    return hashlib.blake2b(key.encode(), digest_size=16).hexdigest() + ".json"


@lru_cache(maxsize=1)
def _tool_fingerprint() -> str:
    """The stat of every file of the installed tool: a new release, or an edited source
    in a development checkout, starts from an empty cache."""
    package = Path(__file__).parent
    files = sorted(
        (str(path.relative_to(package)), _stat_key(path))
        for path in package.rglob("*")
        if path.suffix in TOOL_SUFFIXES and "__pycache__" not in path.parts
    )
    return hashlib.blake2b(json.dumps(files).encode(), digest_size=16).hexdigest()


def _stat_key(path: Path) -> tuple[int, int]:
    status = path.stat()
    return (status.st_mtime_ns, status.st_size)


def _as_stamp(seen: list[int] | None) -> Stamp:
    return None if seen is None else (seen[0], seen[1], seen[2])


def _write_atomically(target: Path, text: str) -> None:
    descriptor, temporary = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=".json")
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
