"""Answers read from the file system, reused only while what they read is unchanged.

A process that lives long (the language server, a notebook using the API) must see a new
`helpers.py` or an edited `pyproject.toml` without being told. So each answer is kept
with the stat of every file and folder it read, and is read again as soon as one differs:
the key is what was read, not the life of the process.

The stats an answer depends on can be recorded (`recording()`): the result cache stores
them beside a file's findings, to know on a later run whether they still hold.
"""

from __future__ import annotations

import os
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, TypeVar

Key = TypeVar("Key", bound=Hashable)
Value = TypeVar("Value")
Stamp = tuple[int, int, int] | None  # mtime_ns, size, inode; None: missing or unreadable
Stamps = dict[Path, Stamp]

_RECORDERS: list[Stamps] = []
_SEEN: list[Stamps] = []  # while a run lints a batch of files: each path's stat, taken once


def stamp(path: Path) -> Stamp:
    if _SEEN:
        seen = _SEEN[-1]
        if path not in seen:
            seen[path] = _stat(path)
        return seen[path]
    return _stat(path)


def _stat(path: Path) -> Stamp:
    try:
        status = os.stat(path)
    except (OSError, ValueError):
        return None
    return (status.st_mtime_ns, status.st_size, status.st_ino)


@contextmanager
def one_pass() -> Iterator[None]:
    """Inside the block every path is stat-ed once: a batch run reads the disk as it was
    when the run began (a project's 400 files would otherwise be checked again for each
    of its notebooks). A long-lived process checks again on every later call."""
    _SEEN.append({})
    try:
        yield
    finally:
        _SEEN.pop()


def start_pass() -> None:
    """`one_pass` for the life of a worker process of one run."""
    _SEEN.append({})


@dataclass(frozen=True)
class Read(Generic[Value]):
    """An answer and the files and folders it was read from (missing ones included: a file
    that appears later changes the answer too)."""

    value: Value
    sources: tuple[Path, ...]


@dataclass(frozen=True)
class _Entry(Generic[Value]):
    value: Value
    stamps: tuple[tuple[Path, Stamp], ...]

    def is_current(self) -> bool:
        return all(stamp(path) == seen for path, seen in self.stamps)


class FileCache(Generic[Key, Value]):
    """`read(key)` computed once per state of its sources; the least recently used go."""

    def __init__(self, read: Callable[[Key], Read[Value]], size: int = 1024) -> None:
        self._read = read
        self._size = size
        self._entries: OrderedDict[Key, _Entry[Value]] = OrderedDict()

    def __call__(self, key: Key) -> Value:
        entry = self._entries.get(key)
        if entry is None or not entry.is_current():
            entry = self._fresh(key)
        for recorder in _RECORDERS:
            recorder.update(entry.stamps)
        self._entries[key] = entry
        self._entries.move_to_end(key)
        while len(self._entries) > self._size:
            self._entries.popitem(last=False)
        return entry.value

    def clear(self) -> None:
        self._entries.clear()

    def _fresh(self, key: Key) -> _Entry[Value]:
        """The answer with the stats of its own sources and of every cached answer it
        asked for: an inner answer read again must invalidate this one too."""
        with recording() as inner:
            read = self._read(key)
        own = {path: stamp(path) for path in read.sources}
        return _Entry(read.value, tuple({**inner, **own}.items()))


@contextmanager
def recording() -> Iterator[Stamps]:
    """The stats of every file and folder cached answers came from inside the block."""
    stamps: Stamps = {}
    _RECORDERS.append(stamps)
    try:
        yield stamps
    finally:
        _RECORDERS.pop()  # blocks nest: the last one opened closes first
