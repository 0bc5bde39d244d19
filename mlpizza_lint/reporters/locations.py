"""How CI-facing formats name a file and a place inside a notebook cell they cannot show."""

from __future__ import annotations

from pathlib import Path

from mlpizza_lint.diagnostics import Diagnostic


def relative_path(path: str, root: Path | None = None) -> str:
    """`path` relative to `root` (the working directory) with forward slashes when inside
    it, else absolute, so CI annotations point at files the same way on every runner."""
    absolute = Path(path).resolve()
    base = (root or Path.cwd()).resolve()
    return absolute.relative_to(base).as_posix() if absolute.is_relative_to(base) else str(absolute)


def located_message(diagnostic: Diagnostic) -> str:
    """The message, led by `cell N, line L: ` when the position cannot be given otherwise."""
    if diagnostic.cell is None:
        return diagnostic.message
    return f"cell {diagnostic.cell}, line {diagnostic.span.line}: {diagnostic.message}"
