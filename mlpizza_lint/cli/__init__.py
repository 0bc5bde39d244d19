"""The `mlpizza-lint` command."""
