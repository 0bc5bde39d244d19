"""How every command ends: exit codes, and errors as one line on stderr, never a traceback."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable
from typing import NoReturn, TypeVar

import click

from mlpizza_lint.config import ConfigError
from mlpizza_lint.discovery import changes

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
T = TypeVar("T")


def guarded(action: Callable[[], T]) -> T:
    """Errors the user can act on become one line on stderr and exit code 2."""
    try:
        return action()
    except (ConfigError, FileNotFoundError, changes.ChangesError) as error:
        fail(str(error))
    except Exception as error:  # never show a traceback to the user
        fail(f"internal error: {type(error).__name__}: {error}")


def run(command: click.Command) -> NoReturn:
    """Run the command line: output that cannot be written (a full disk, a folder that
    is a file) ends in one line on stderr, and a reader that went away (`| head`) in
    silence, as click already does for that."""
    try:
        command.main()
    except OSError as error:
        where = f"{error.filename}: " if error.filename else "the output: "
        fail(f"cannot write {where}{error.strerror or error}")
    sys.exit(EXIT_CLEAN)


def fail(message: str) -> NoReturn:
    warn(message)
    sys.exit(EXIT_ERROR)


def warn(message: str) -> None:
    """An error that does not stop the run (a file left unfixed): one line on stderr; the
    run goes on and exits with EXIT_ERROR."""
    with contextlib.suppress(OSError):  # stderr itself is gone: the exit code still tells
        click.echo(f"mlpizza-lint: error: {message}", err=True)
