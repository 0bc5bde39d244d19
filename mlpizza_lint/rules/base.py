"""The shape of a rule, and the table every rule registers itself in."""

from __future__ import annotations

import inspect
from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from mlpizza_lint.analysis.context import LintContext
from mlpizza_lint.analysis.project import CodeReading
from mlpizza_lint.config import Settings
from mlpizza_lint.diagnostics import Applicability, Fix, Severity
from mlpizza_lint.spans import Span


@dataclass(frozen=True)
class Finding:
    """A rule's report in cell coordinates; the engine adds code, path and severity."""

    cell: int
    span: Span
    message: str
    fix: Fix | None = None
    about: Path | None = None  # a project-level finding: the folder it is about, not the cell


class Rule(ABC):
    """A rule reads facts and yields findings; it never parses and never does I/O.

    Subclasses document themselves in their docstring with the sections *What it does*,
    *Why is this bad?* and *Fix*, and carry `bad` and `good` example notebooks (see
    `mlpizza_lint.notebook.snippets`) that the test suite runs and the rule pages show.
    """

    code: ClassVar[str]
    name: ClassVar[str]
    severity: ClassVar[Severity] = Severity.WARNING
    enabled_by_default: ClassVar[bool] = True
    needs_project: ClassVar[bool] = False  # reads `context.project` (dependency files)
    # What the project's code imports: read for projects that declare nothing (MLP205),
    # or for every project (MLP207); reading a project's code costs a parse of all of it.
    reads_project_code: ClassVar[CodeReading] = CodeReading.NEVER
    reads_data_files: ClassVar[bool] = False  # the project's data files (`data_io` reads)
    found_by_running: ClassVar[bool] = False  # reported by `verify` only, which runs the code
    # Runs after the others, with `context.silenced`: what the suppression comments silenced
    judges_directives: ClassVar[bool] = False
    fix_title: ClassVar[str | None] = None
    fix_applicability: ClassVar[Applicability | None] = None
    bad: ClassVar[tuple[str, ...]] = ()
    good: ClassVar[tuple[str, ...]] = ()
    example_file: ClassVar[str] = "example.ipynb"  # what kind of file the examples are
    example_neighbours: ClassVar[dict[str, str]] = {}  # files the examples need beside them

    registry: ClassVar[dict[str, type[Rule]]] = {}

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        if inspect.isabstract(cls) or "code" not in vars(cls):  # a family's base class
            return
        if cls.code in Rule.registry:
            raise TypeError(f"rule code {cls.code} is registered twice")
        Rule.registry[cls.code] = cls

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    @abstractmethod
    def check(self, context: LintContext) -> Iterator[Finding]:
        """Yield every finding of this rule in the document."""

    def notes(self, context: LintContext) -> Iterator[str]:
        """What the user should know about how this rule read the document (limits)."""
        return iter(())

    @classmethod
    def summary(cls) -> str:
        doc = inspect.getdoc(cls)
        return doc.splitlines()[0] if doc else cls.name

    @classmethod
    def documentation(cls) -> str:
        """The docstring without its summary line."""
        doc = inspect.getdoc(cls) or ""
        return doc.partition("\n")[2].strip()
