"""Fixes applied the way ruff does, and the edits they are made of."""
