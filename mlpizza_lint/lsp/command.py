"""The `lsp` subcommand; pygls is imported only when the server starts, not by every run."""

from __future__ import annotations

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
    from mlpizza_lint.lsp.server import build_server

    build_server(debounce / 1000).start_io()
