"""`python -m mlpizza_lint` is the `mlpizza-lint` command."""

from mlpizza_lint.cli import main

main()
