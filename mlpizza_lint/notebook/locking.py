"""Exclusive locks on the folders whose files a run replaces.

Two fix runs on one project (pre-commit starts hooks in parallel) both append to the same
`requirements.txt`; each must read it, merge its lines and replace it while the other waits.
The lock is on the folder rather than on the file: a file replaced by rename is a new file,
so a lock taken on the old one excludes nobody who opens it afterwards, and a lock file
beside it would be left in the user's project. Folders are locked in sorted order, so two
runs never wait for each other in a circle. Where `fcntl` is missing (Windows) nothing is
locked and the check made just before each replace is the only guard.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path


@contextlib.contextmanager
def locked_folders(folders: Iterable[Path]) -> Iterator[None]:
    """Hold an exclusive lock on each existing folder (blocking until it is free)."""
    with contextlib.ExitStack() as stack:
        for folder in sorted(set(folders)):
            stack.enter_context(_locked(folder))
        yield


@contextlib.contextmanager
def _locked(folder: Path) -> Iterator[None]:
    if sys.platform == "win32":
        yield
        return
    import fcntl

    try:
        descriptor = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:  # a folder that is missing: writing into it fails and says so
        yield
        return
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)  # closing releases the lock
