"""The module's third-party dependencies as pinned pip requirements.

Imports name modules; requirements name distributions (`sklearn` is scikit-learn), pinned to
the version installed in the current environment, the best guess of what the notebook ran
with. A distribution that is not installed here is written without a version and with a
comment saying so, and MLP202 reports it until someone pins it. Packages the extracted cells
installed with `!pip install` are written as the command named them (pinned when it did not).
An existing requirements file only gains the lines it lacks: nothing in it is changed.
Anything else (a notebook, `setup.py`, a device) is refused.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from packaging.utils import canonicalize_name

from mlpizza_lint.analysis.distributions import import_names
from mlpizza_lint.analysis.installs import is_local_path
from mlpizza_lint.dependency_files import Pin, read_dependency_file
from mlpizza_lint.dependency_files.model import InvalidEntry
from mlpizza_lint.dependency_files.pep508 import pip_spec
from mlpizza_lint.extract.imports import ImportedName
from mlpizza_lint.extract.model import ExtractError
from mlpizza_lint.fixing.installed import installed_version, pinned_here
from mlpizza_lint.notebook.reading import read_regular_file

NOT_INSTALLED = "  # not installed here: add the version you use"
REQUIREMENTS_SUFFIXES = (".txt", ".in")  # pip reads any name; every known one ends so


@dataclass(frozen=True)
class Requirement:
    name: str  # canonical distribution name
    line: str


def from_imports(
    imports: Iterable[ImportedName], is_local: Callable[[str], bool]
) -> list[Requirement]:
    modules = sorted(
        {
            name.top_module
            for name in imports
            if name.section == "third-party" and not is_local(name.top_module)
        }
    )
    found, names = [], import_names()
    for module in modules:
        distribution = names.distribution_to_declare(module) or module  # a guess, as written
        version = installed_version(distribution)
        line = f"{distribution}=={version}" if version else distribution + NOT_INSTALLED
        found.append(Requirement(canonicalize_name(distribution), line))
    return found


def from_installs(packages: Iterable[str]) -> tuple[list[Requirement], list[str]]:
    """Requirements for what pip installed, and the packages that are no pip requirement."""
    found, rejected = [], []
    for package in packages:
        if is_local_path(package):
            continue  # the project's own code
        try:
            spec = pip_spec(package)
        except InvalidEntry:
            rejected.append(package)
            continue
        if spec.name is None:
            rejected.append(package)
            continue
        line = pinned_here(package)
        if line == package and spec.pin is Pin.NONE:
            line += NOT_INSTALLED
        found.append(Requirement(canonicalize_name(spec.name), line))
    return found, rejected


def merged(*groups: Iterable[Requirement]) -> list[Requirement]:
    """One requirement per distribution; later groups win (installs name their version)."""
    by_name: dict[str, Requirement] = {}
    for group in groups:
        by_name.update({requirement.name: requirement for requirement in group})
    return sorted(by_name.values(), key=lambda requirement: requirement.name)


def requirements_text(
    path: Path, requirements: list[Requirement]
) -> tuple[str, list[str], str | None]:
    """The file's new text, the lines added to it, and its text before (None: no file).

    Only a file named as pip requirements files are (`.txt`, `.in`) is added to, and only a
    regular file is read: appending to a notebook or `setup.py` breaks it, and reading a
    device never ends."""
    if path.suffix.lower() not in REQUIREMENTS_SUFFIXES:
        raise ExtractError(
            f"{path}: not a requirements file; --requirements writes a pip requirements file "
            "(*.txt or *.in)"
        )
    try:
        text: str | None = read_regular_file(path).decode("utf-8")
    except FileNotFoundError:
        text = None
    except (OSError, UnicodeDecodeError) as error:
        reason = "not UTF-8" if isinstance(error, UnicodeDecodeError) else error.strerror
        raise ExtractError(f"{path}: cannot write: {reason}") from None
    if text is None:
        lines = [requirement.line for requirement in requirements]
        return "".join(f"{line}\n" for line in lines), lines, None
    existing = read_dependency_file(str(path), text)
    declared = {canonicalize_name(d.name) for d in existing.declared if d.name}
    added = [r.line for r in requirements if r.name not in declared]
    separator = "\n" if added and text and not text.endswith("\n") else ""
    return text + separator + "".join(f"{line}\n" for line in added), added, text
