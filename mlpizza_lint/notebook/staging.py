"""Replace several files as one change that never loses information.

A fix can move information between files: `!pip install x` leaves a notebook because `x`
goes into `requirements.txt`. Written one after the other, a failure or a kill between the
two loses `x`; written over a file someone saved meanwhile, it loses their edit. So:

1. every folder written into is locked (see `locking`), against a second run;
2. every new text goes to a temporary file beside its target first; when one cannot be
   written, no file is replaced;
3. targets are replaced in an order that never loses information: files that others need
   (those receiving what the others give up) first;
4. just before its replace, each target is checked to hold what its change was computed
   from. A file that changed, is read-only, or needs a file that was not written is left
   as it is, and named.

While this runs SIGTERM and SIGINT are held (POSIX) and take effect, as SystemExit, once the
write is over: a signal landing between creating a temporary file and recording it would
otherwise leave it behind. Where signals cannot be held they become SystemExit at once, so
temporary files are removed as on any error; only SIGKILL can leave one
(`.<name>.<random>.tmp`) behind.
"""

from __future__ import annotations

import contextlib
import os
import signal
import stat
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import NoReturn

from mlpizza_lint.notebook.locking import locked_folders
from mlpizza_lint.notebook.reading import read_regular_file
from mlpizza_lint.notebook.writer import discard, real_target, stage_beside

CLEANED_ON = (signal.SIGTERM, signal.SIGINT)


@dataclass(frozen=True)
class Change:
    """A file's new text. The file must still hold `before` (None: no file) when it is
    replaced, unless `merge` is given: then the new text is computed from the file as it is
    once locked (lines appended to a requirements file that another run also appends to)."""

    path: str
    after: str
    before: str | None = None
    merge: Callable[[str | None], str] | None = None
    needs: tuple[str, ...] = ()  # files whose change must be written before this one


class StagingError(Exception):
    """A new text could not be written beside its file; no file was replaced."""


@dataclass
class _Item:
    change: Change
    target: Path
    base: str | None = None  # what the target held when its new text was computed
    temporary: Path | None = None


def write_changes(changes: Sequence[Change]) -> dict[str, str]:
    """Write `changes`; returns, per path of a file left as it was, a line naming it and why.
    Raises StagingError, having replaced nothing, when a new text cannot be written."""
    items = [_Item(change, real_target(change.path)) for change in changes]
    _refuse_shared_targets(items)
    skipped: dict[Path, str] = {}
    with _cleaned_on_signals(), locked_folders(item.target.parent for item in items):
        try:
            for item in items:
                _note(skipped, item, _stage(item))
            for item in sorted(items, key=lambda item: bool(item.change.needs)):
                if item.temporary is not None:
                    _note(skipped, item, _replace(item, skipped))
        finally:
            for item in items:
                if item.temporary is not None:
                    discard(item.temporary)
    return {item.change.path: skipped[item.target] for item in items if item.target in skipped}


def _note(skipped: dict[Path, str], item: _Item, reason: str | None) -> None:
    if reason is not None:
        skipped[item.target] = f"{item.change.path}: {reason}"


def _refuse_shared_targets(items: list[_Item]) -> None:
    seen: dict[Path, str] = {}
    for item in items:
        other = seen.setdefault(item.target, item.change.path)
        if other != item.change.path:
            raise StagingError(f"{other} and {item.change.path} are one file; nothing written")


def _stage(item: _Item) -> str | None:
    """Write the item's new text beside it; the reason when the file is to be left alone."""
    try:
        if _read_only(item.target):
            return "read-only; not written"
        item.base = _read(item.target)
    except (OSError, UnicodeDecodeError) as error:
        return f"cannot be read ({_reason(error)}); not written"
    merge = item.change.merge
    if merge is None and item.base != item.change.before:
        return "changed on disk since it was read; not written (run again)"
    text = merge(item.base) if merge is not None else item.change.after
    if text == item.base:
        return None
    try:
        item.temporary = stage_beside(item.target, text)
    except OSError as error:
        raise StagingError(
            f"{item.change.path}: cannot be written ({_reason(error)}); no file was changed"
        ) from None
    return None


def _replace(item: _Item, skipped: dict[Path, str]) -> str | None:
    """Replace the target by its staged text, unless that would lose information."""
    assert item.temporary is not None
    missing = [need for need in item.change.needs if real_target(need) in skipped]
    if missing:
        return f"not written, because {missing[0]} was not (this file's fixes moved lines there)"
    try:
        if _read(item.target) != item.base:
            return "changed on disk while it was being fixed; not written (run again)"
        os.replace(item.temporary, item.target)
    except (OSError, UnicodeDecodeError) as error:
        return f"cannot be replaced ({_reason(error)}); not written"
    item.temporary = None
    return None


def _read(target: Path) -> str | None:
    try:
        return read_regular_file(target).decode("utf-8")
    except FileNotFoundError:
        return None


def _read_only(target: Path) -> bool:
    """As ruff does, a file without write permission is refused: renaming over it would
    succeed (the folder is writable), which is not what its owner asked for."""
    try:
        mode = target.stat().st_mode
    except FileNotFoundError:
        return False
    return not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH) or not os.access(target, os.W_OK)


def _reason(error: OSError | UnicodeDecodeError) -> str:
    if isinstance(error, UnicodeDecodeError):
        return "not UTF-8"
    return str(error.strerror or error)


@contextlib.contextmanager
def _cleaned_on_signals() -> Iterator[None]:
    """Python dies of SIGTERM without running `finally` blocks; as SystemExit it runs them.
    Held until the block ends where the OS allows; signals handed over ignored (`nohup`)
    stay ignored."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {
        number: signal.signal(number, _exit)
        for number in CLEANED_ON
        if signal.getsignal(number) not in (signal.SIG_IGN, None)
    }
    hold = getattr(signal, "pthread_sigmask", None)
    held = hold(signal.SIG_BLOCK, previous) if hold is not None else None
    try:
        yield
    finally:
        if hold is not None and held is not None:
            hold(signal.SIG_SETMASK, held)  # a held signal raises SystemExit here
        for number, handler in previous.items():
            signal.signal(number, handler)


def _exit(number: int, _frame: FrameType | None) -> NoReturn:
    raise SystemExit(128 + number)
