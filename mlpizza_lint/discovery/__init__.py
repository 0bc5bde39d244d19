"""Which files to lint: paths searched the way ruff does, and files changed since a git ref."""
