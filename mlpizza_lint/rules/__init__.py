"""Every rule, registered by importing its family's module."""

from mlpizza_lint.rules import (
    cell_state,
    data,
    dead_code,
    directives,
    dockerfile,
    environment,
    execution,
    library_apis,
    names,
    paths,
    project,
    randomness,
    requirement_names,
    requirements,
    running,
    unreadable,
)
from mlpizza_lint.rules.base import Rule

__all__ = [
    "Rule",
    "all_rules",
    "cell_state",
    "data",
    "dead_code",
    "directives",
    "dockerfile",
    "environment",
    "execution",
    "library_apis",
    "names",
    "paths",
    "project",
    "randomness",
    "requirement_names",
    "requirements",
    "running",
    "unreadable",
]


def all_rules() -> list[type[Rule]]:
    return [Rule.registry[code] for code in sorted(Rule.registry)]
