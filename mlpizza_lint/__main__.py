"""`python -m mlpizza_lint` is the `mlpizza-lint` command."""

from mlpizza_lint.cli.main import main

main()
