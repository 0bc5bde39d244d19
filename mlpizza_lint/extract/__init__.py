"""`mlpizza-lint extract`: move a notebook's definitions into an importable module."""

from mlpizza_lint.extract.model import ExtractError, Extraction, ExtractOptions, Message, Output
from mlpizza_lint.extract.plan import plan_extraction
from mlpizza_lint.extract.writing import write_extraction

__all__ = [
    "ExtractError",
    "ExtractOptions",
    "Extraction",
    "Message",
    "Output",
    "plan_extraction",
    "write_extraction",
]
