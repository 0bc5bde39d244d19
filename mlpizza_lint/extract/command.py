"""`mlpizza-lint extract NOTEBOOK`: the command line around `plan_extraction`.

Exit codes follow the linter's: 0 when the files were written, 1 when the notebook needs a
change first (each reason printed at its cell, nothing written), 2 for unusable input or
options (one line, no traceback, nothing written).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from mlpizza_lint.cli.exits import fail
from mlpizza_lint.extract.model import ExtractError, ExtractOptions
from mlpizza_lint.extract.plan import plan_extraction
from mlpizza_lint.extract.writing import write_extraction
from mlpizza_lint.verify.sandbox import SandboxError

EXIT_REFUSED = 1
PATH = click.Path(path_type=Path)  # a folder is reported by plan_extraction, in one line


@click.command()
@click.argument("notebook", type=PATH)
@click.option(
    "-o",
    "--output",
    type=PATH,
    help="Module to write.  [default: next to the notebook, named after it]",
)
@click.option(
    "--script",
    is_flag=True,
    help="Also turn the other cells into main(), with an option per path they use.",
)
@click.option("--rewrite", is_flag=True, help="Replace the extracted cells by one import cell.")
@click.option(
    "--requirements",
    type=PATH,
    metavar="FILE",
    help="Write the module's third-party imports, pinned (lines are added to an existing file).",
)
@click.option(
    "--dockerfile",
    is_flag=True,
    help="With --script: also write a Dockerfile beside it that runs it (pinned base image, "
    "requirements first, no pip cache, a non-root user).",
)
@click.option("--force", is_flag=True, help="Overwrite the module if it exists.")
@click.option(
    "--verify",
    "verify_rewrite",
    is_flag=True,
    help="With --rewrite: run the notebook before and after (this RUNS IT) and write "
    "only if every kept cell shows the same output.",
)
def extract(
    notebook: Path,
    output: Path | None,
    script: bool,
    rewrite: bool,
    requirements: Path | None,
    dockerfile: bool,
    force: bool,
    verify_rewrite: bool,
) -> None:
    """Move a notebook's imports, functions, classes and constants into a module.

    The cells taken are those marked for export (cell tag `export`, or `#| export` as the
    first line), or when none is marked, every cell of only imports, definitions and constants.
    """
    if verify_rewrite and not rewrite:
        fail("--verify proves the rewritten notebook by running it: give it with --rewrite")
    if dockerfile and not script:
        fail("--dockerfile writes an image that runs the script: give it with --script")
    options = ExtractOptions(notebook, output, script, rewrite, requirements, force, dockerfile)
    try:
        extraction = plan_extraction(options)
        refused = _refusal(options) if verify_rewrite and not extraction.problems else None
        if refused is not None:
            click.echo(refused, err=True)
            sys.exit(EXIT_REFUSED)
        if not extraction.problems:
            write_extraction(extraction)
    except (ExtractError, OSError, SandboxError) as error:
        fail(str(error))
    except Exception as error:  # never show a traceback to the user
        fail(f"internal error: {type(error).__name__}: {error}")
    for note in extraction.notes:
        click.echo(note.render(str(notebook), "note: "), err=True)
    for problem in extraction.problems:
        click.echo(problem.render(str(notebook)), err=True)
    if extraction.problems:
        count = len(extraction.problems)
        click.echo(f"Nothing written: {count} problem(s) stop the extraction.", err=True)
        sys.exit(EXIT_REFUSED)
    for written in extraction.outputs:
        click.echo(written.summary)


def _refusal(options: ExtractOptions) -> str | None:
    """`--verify`: the verify package (which runs code) is imported only when asked for."""
    from mlpizza_lint.verify.proofs import extraction_refusal

    return extraction_refusal(options)
