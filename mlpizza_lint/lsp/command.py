"""The `lsp` subcommand; pygls is imported only when the server starts, not by every run."""

from __future__ import annotations

import io
import sys

import click

DEBOUNCE_MS = 150


@click.command()
@click.option(
    "--debounce",
    type=click.FloatRange(min=0),
    default=DEBOUNCE_MS,
    show_default=True,
    help="Milliseconds to wait after the last edit before linting again.",
)
def lsp(debounce: float) -> None:
    """Run the language server on stdio (for editors)."""
    from mlpizza_lint.lsp.framing import BoundedReader
    from mlpizza_lint.lsp.server import build_server

    server = build_server(debounce / 1000)
    server.start_io(stdin=BoundedReader(io.FileIO(sys.stdin.fileno(), "rb", closefd=False)))
    # The LSP asks for 1 when the client exits (or goes away) without `shutdown` first;
    # pygls swallows the code it means to exit with.
    sys.exit(0 if server.shut_down else 1)
