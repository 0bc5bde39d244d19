"""Read a file of the linted project, refusing what only looks like one.

A path can name anything: a FIFO called `requirements.txt` blocks a plain `open` until
something writes to it, `x.ipynb -> /dev/zero` never ends, and a multi-gigabyte log renamed
`.ipynb` exhausts memory. So a file is read only when it is a regular file (checked before
opening, so no device is ever opened, and again on the open descriptor, so what is read is
what was checked), opened without blocking, and no larger than `SIZE_LIMIT`.

`SIZE_LIMIT` is 50 MiB: the largest notebooks seen in the wild, saved with plots and data
frames in their outputs, weigh a few tens of megabytes; a dependency file or a script is far
smaller. A file over the limit is refused with a reason rather than read in part.
"""

from __future__ import annotations

import errno
import os
import stat

SIZE_LIMIT = 50 * 1024 * 1024
_OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)  # a FIFO opens at once instead of waiting for a writer
    | getattr(os, "O_NOCTTY", 0)
    | getattr(os, "O_BINARY", 0)
)
_KINDS = (
    (stat.S_ISFIFO, "a FIFO"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


class RefusedFile(OSError):
    """Not a regular file, or too large to read; an OSError so every caller that already
    reports unreadable files reports these too, with `strerror` as the reason."""

    def __init__(self, reason: str) -> None:
        super().__init__(errno.EINVAL, reason)

    def __str__(self) -> str:
        return str(self.strerror)


def read_regular_file(path: str | os.PathLike[str], limit: int = SIZE_LIMIT) -> bytes:
    """The bytes of `path` (symlinks followed); raises OSError, RefusedFile included."""
    _check(os.stat(path), limit)
    descriptor = os.open(path, _OPEN_FLAGS)
    with os.fdopen(descriptor, "rb") as file:
        _check(os.fstat(descriptor), limit)
        data = file.read(limit + 1)
    if len(data) > limit:  # it grew after the check
        raise RefusedFile(_too_large(limit))
    return data


def _check(status: os.stat_result, limit: int) -> None:
    if stat.S_ISDIR(status.st_mode):  # what reading a folder has always said
        raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR))
    if not stat.S_ISREG(status.st_mode):
        kind = next((name for test, name in _KINDS if test(status.st_mode)), "an unknown kind")
        raise RefusedFile(f"not a regular file ({kind}), not read")
    if status.st_size > limit:
        raise RefusedFile(_too_large(limit))


def _too_large(limit: int) -> str:
    return f"larger than {limit // (1024 * 1024)} MiB, not read"
