"""`python -m mlpizza_lint` is the `mlpizza-lint` command."""

from mlpizza_lint.cli.exits import run
from mlpizza_lint.cli.main import main

run(main)
