"""The records every dependency-file reader produces, and the collector they fill.

Readers never raise on what a file says: a line they cannot read becomes a `Problem` and the
rest of the file is still read, so one typo does not hide every other declaration. Inside a
reader, `InvalidEntry` carries the message from where the entry is understood to where its
position is known.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import Enum

from mlpizza_lint.dependency_files.text import Located


class Pin(str, Enum):
    """How precisely a declaration fixes what gets installed."""

    NONE = "none"
    LOOSE = "loose"
    EXACT = "exact"


_LOOSENESS = (Pin.NONE, Pin.LOOSE, Pin.EXACT)


def loosest(pins: Iterable[Pin]) -> Pin:
    """The weakest of several pins (one per alternative of a declaration); NONE when empty."""
    return min(pins, key=_LOOSENESS.index, default=Pin.NONE)


@dataclass(frozen=True)
class Declared:
    """One dependency as a file declares it, with where it starts (1-based, end exclusive)."""

    name: str | None
    text: str
    line: int
    column: int
    end_column: int
    pin: Pin
    source: str
    # Part of a distributable package's metadata (`[project]` of a pyproject with a build
    # system, setup.cfg's `install_requires`): ranges there are by design, for its users
    published: bool = False


@dataclass(frozen=True)
class Problem:
    """Something in a dependency file that its installer would reject or silently ignore."""

    line: int
    column: int
    message: str


@dataclass(frozen=True)
class Instruction:
    """One Dockerfile instruction, continuation lines joined: what Dockerfile rules read."""

    keyword: str  # upper case: FROM, RUN, COPY, USER, ENV, ...
    arguments: str  # after the keyword and its `--flags`
    flags: tuple[str, ...]  # `--mount=type=cache,target=/root/.cache`, `--from=build`
    line: int
    end_column: int  # of the instruction's first line, for the span of a finding
    script: str = ""  # RUN: the shell text run (a heredoc's body when there is one)


@dataclass(frozen=True)
class DependencyFile:
    """Everything one file declares and everything wrong with it.

    `includes` lists the existing files it pulls in (`-r`, `-c`, `file:`), resolved against its
    folder: their declarations are theirs, read them with `read_dependency_file`.
    """

    path: str
    kind: str
    declared: tuple[Declared, ...]
    problems: tuple[Problem, ...]
    lock_input: bool
    includes: tuple[str, ...] = ()
    instructions: tuple[Instruction, ...] = ()  # a Dockerfile's


@dataclass(frozen=True)
class Spec:
    """What a requirement asks for: the distribution (None when unknowable) and how pinned."""

    name: str | None
    pin: Pin


class InvalidEntry(ValueError):
    """An entry its installer would reject; the message is one line, for a `Problem`."""


@dataclass
class Findings:
    """What a reader collects while it walks a file."""

    declared: list[Declared] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    includes: list[str] = field(default_factory=list)
    instructions: list[Instruction] = field(default_factory=list)

    def problem(self, line: int, column: int, message: str) -> None:
        """Record a problem; line breaks quoted from the file are escaped to keep it one line."""
        one_line = message.replace("\r", "\\r").replace("\n", "\\n")
        self.problems.append(Problem(line, column, one_line))

    def declare(
        self,
        written: Located,
        read: Callable[[], Spec],
        source: str,
        *,
        exact: bool = False,
        published: bool = False,
    ) -> None:
        """Record what `read` makes of the entry `written` here, or why it cannot.

        `exact` is for options that fix the installed file whatever the version says (`--hash`).
        """
        try:
            spec = read()
        except InvalidEntry as error:
            self.problem(*written.place(0), str(error))
            return
        line, column, end_column = written.span(0, len(written.text))
        pin = Pin.EXACT if exact else spec.pin
        self.declared.append(
            Declared(spec.name, written.text, line, column, end_column, pin, source, published)
        )
