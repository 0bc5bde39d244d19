"""Every install a cell runs: shell escapes, magics, and Python calls that run pip.

The install rules, the pin rules and `extract` all ask this of a cell; it is a fact of
the cell, not a rule.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import NamedTuple

from packaging.utils import canonicalize_name

from mlpizza_lint.analysis.context import CellView, LintContext
from mlpizza_lint.analysis.facts import Call
from mlpizza_lint.analysis.installs import (
    InstallCommand,
    argv_install,
    magic_installs,
    shell_installs,
)
from mlpizza_lint.dependency_files.model import InvalidEntry
from mlpizza_lint.dependency_files.pep508 import pip_spec, repository_name
from mlpizza_lint.ipython.magics import spec
from mlpizza_lint.ipython.translation import MagicKind
from mlpizza_lint.spans import Span

# Calls whose first argument is a shell command line (a string) or an argv list.
COMMAND_RUNNERS = frozenset(
    {
        "os.system",
        "os.popen",
        "subprocess.run",
        "subprocess.call",
        "subprocess.check_call",
        "subprocess.check_output",
        "subprocess.Popen",
        "subprocess.getoutput",
        "subprocess.getstatusoutput",
        "get_ipython().system",
        "get_ipython().getoutput",
    }
)
# pip's own entry points, called with pip's argv (without the program name).
# Magics that choose a release series of a preinstalled library: Colab's
# `%tensorflow_version 1.x` gives TensorFlow 1, as `pip install "tensorflow==1.*"` would.
VERSION_SELECTORS = {"tensorflow_version": "tensorflow"}
VERSION_SERIES = re.compile(r"^(\d+)\.x$")
EXTRAS = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*\[([^\]]*)\]")
PIP_ENTRY_POINTS = frozenset({"pip.main", "pip._internal.main", "pip._internal.cli.main.main"})


class Install(NamedTuple):
    command: InstallCommand
    span: Span
    shown: str
    command_line: str | None = None  # the magic's text; None for a call that runs pip
    conditional: bool = False  # under `if IN_COLAB:` or in a `try` with a way out


def installs_by_cell(context: LintContext) -> Mapping[int, tuple[Install, ...]]:
    """Every code cell's installs, found once per document however many rules ask."""
    return context.shared(_installs_by_cell)


def _installs_by_cell(context: LintContext) -> dict[int, tuple[Install, ...]]:
    return {view.cell.index: tuple(inline_installs(context, view)) for view in context.code_cells}


def installed_constraints(context: LintContext) -> Mapping[str, str]:
    """Canonical distribution -> the version constraint the notebook's own installs give
    it (`""` for none): what the notebook provides itself."""
    return context.shared(_installed_constraints)


def _installed_constraints(context: LintContext) -> dict[str, str]:
    from mlpizza_lint.analysis.project import constraint_of  # the project reads installs

    found: dict[str, str] = {}
    for installs in installs_by_cell(context).values():
        for install in installs:
            for package in install.command.packages:
                name = distribution_of(package)
                if name is not None:
                    found[canonicalize_name(name)] = constraint_of(package)
                for extra in _extras(package):  # `monai[nibabel, tqdm]` installs those too
                    found.setdefault(canonicalize_name(extra), "")
    for view in context.python_cells():
        for magic in view.facts.magics:
            selected = VERSION_SELECTORS.get(magic.name)
            major = VERSION_SERIES.match(magic.args.strip())
            if magic.kind is MagicKind.LINE and selected and major:
                found[selected] = f"=={major[1]}.*"
    return found


def inline_installs(context: LintContext, view: CellView) -> Iterator[Install]:
    """Every install a cell runs: shell escapes, magics, and calls that run pip."""
    for magic in view.facts.magics:
        if magic.kind is MagicKind.SHELL or spec(magic.name).shell_argument:
            commands = shell_installs(magic.args)
        elif magic.kind is MagicKind.LINE:
            commands = magic_installs(magic.name, magic.args)
        else:
            commands = []
        guarded = magic.span.line in view.facts.conditional_lines
        for command in commands:
            yield Install(command, magic.span, magic.source, magic.args, guarded)
    for call in view.facts.calls:
        for command in _call_installs(context.qualified(call.name), call):
            yield Install(command, call.span, f"{call.name}(...)", None, call.conditional)


def _call_installs(name: str, call: Call) -> list[InstallCommand]:
    first = call.arguments[0] if call.arguments else None
    if name in COMMAND_RUNNERS:
        if isinstance(first, str):
            return shell_installs(first)
        single = argv_install(first) if isinstance(first, tuple) else None
    elif name in PIP_ENTRY_POINTS and isinstance(first, tuple):
        single = argv_install(("pip", *first))
    elif name == "get_ipython().run_line_magic" and len(call.arguments) >= 2:
        magic, args = call.arguments[:2]
        if isinstance(magic, str) and isinstance(args, str):
            return magic_installs(magic, args)
        single = None
    else:
        single = None
    return [single] if single else []


def _extras(package: str) -> list[str]:
    """The extras an install argument asks for, which are mostly named after the
    distributions they add (`monai-weekly[nibabel, tqdm]`)."""
    match = EXTRAS.match(package.strip())
    return [part.strip() for part in match[1].split(",") if part.strip()] if match else []


def distribution_of(package: str) -> str | None:
    """The canonical distribution an install argument names (`xgboost==2.0.3` -> xgboost);
    None for what pip would refuse or what names no distribution (a path, a URL)."""
    try:
        return pip_spec(package).name or repository_name(package)
    except InvalidEntry:
        return None
