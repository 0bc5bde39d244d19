"""MLP202-MLP203: dependencies declared without the version that makes an install repeatable."""

from __future__ import annotations

from collections.abc import Iterator

from mlpizza_lint.context import Finding, LintContext
from mlpizza_lint.dependency_files import Declared, Pin
from mlpizza_lint.dependency_files.model import InvalidEntry
from mlpizza_lint.dependency_files.pep508 import pip_spec
from mlpizza_lint.diagnostics import Severity, Span
from mlpizza_lint.rules.base import Rule
from mlpizza_lint.rules.environment import inline_installs

PIP_MANAGERS = frozenset({"pip", "uv"})  # managers whose arguments are pip requirements


def declarations(context: LintContext, pin: Pin) -> Iterator[tuple[Declared, Span]]:
    """Declarations of a dependency file with this pin (none for lock-step inputs)."""
    dependencies = context.document.dependencies
    if dependencies is None or dependencies.lock_input:
        return
    for declared in dependencies.declared:
        if declared.pin is pin:
            yield declared, Span(declared.line, declared.column, declared.line, declared.end_column)


class UnpinnedRequirement(Rule):
    """A dependency declared with no version at all.

    ## What it does
    Reports requirements without any version in `requirements*.txt` and constraints files
    (includes are checked in their own file), `pyproject.toml` (PEP 621 and Poetry),
    `setup.cfg`, `Pipfile`, conda `environment.yml` (and its `pip:` list), Dockerfile
    `pip install` lines and pip installs inside notebooks: `pandas`, `*` in Poetry or
    Pipenv, a VCS link without a commit or tag, a URL that names no version.
    `requirements*.in` files, the input of a lock step, are not reported.

    ## Why is this bad?
    Every install takes whatever is newest that day: the same notebook gives other results,
    or breaks, a month later or on a colleague's machine.

    ## Fix
    None yet: pin the version you tested with (`pandas==2.2.2`), or lock the environment
    with pip-tools, Poetry or uv.
    """

    code = "MLP202"
    name = "unpinned-requirement"
    severity = Severity.ERROR
    example_file = "requirements.txt"
    bad = ("pandas  # error: [MLP202]\nscikit-learn>=1.3\n",)
    good = ("pandas==2.2.2\nscikit-learn==1.5.0\n",)

    def check(self, context: LintContext) -> Iterator[Finding]:
        for declared, span in declarations(context, Pin.NONE):
            yield Finding(1, span, _unpinned(declared.text))
        for view in context.code_cells:
            for install in inline_installs(context, view):
                if install.command.manager in PIP_MANAGERS:
                    for package in install.command.packages:
                        if _pin(package) is Pin.NONE:
                            yield Finding(view.cell.index, install.span, _unpinned(package))


def _unpinned(requirement: str) -> str:
    return (
        f"`{requirement}` has no version: pin the one you tested with so every install gets "
        "the same code"
    )


def _pin(requirement: str) -> Pin | None:
    """How pinned a requirement given to pip is; None when pip would refuse it anyway."""
    try:
        return pip_spec(requirement).pin
    except InvalidEntry:
        return None


class LooseRequirement(Rule):
    """A dependency with a version range instead of an exact pin.

    ## What it does
    Reports requirements whose version is not exact: anything but `==` (without a wildcard),
    `===`, a `--hash`, or a VCS commit or tag. Off by default: select it (`--select MLP203`),
    or set `pinning = "exact"` in `[tool.mlpizza-lint]`, for applications and notebooks whose
    environment must be reproducible to the patch.

    ## Why is this bad?
    `scikit-learn>=1.3` installs a different release as soon as one comes out; results and
    pickled models can change without any change in the project.

    ## Fix
    None yet: pin exactly, or keep ranges in the project and pin in a lock file.
    """

    code = "MLP203"
    name = "loose-requirement"
    enabled_by_default = False
    example_file = "requirements.txt"
    bad = ("scikit-learn>=1.3  # error: [MLP203]\nnumpy~=1.26  # error: [MLP203]\n",)
    good = ("scikit-learn==1.5.0\nnumpy==1.26.4\n",)

    def check(self, context: LintContext) -> Iterator[Finding]:
        for declared, span in declarations(context, Pin.LOOSE):
            yield Finding(
                1,
                span,
                f"`{declared.text}` allows other versions than the one tested: pin it exactly "
                "(`==`) or in a lock file",
            )
