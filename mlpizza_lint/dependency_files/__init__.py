"""Read every kind of file where a Python project declares its dependencies.

Each reader follows its installer's own rules (pip's for requirements files, setuptools' for
`setup.cfg`, conda's match specs, Poetry's and Pipenv's constraint languages) with the
libraries that implement them where they exist (`packaging`, `tomllib`, `configparser`, PyYAML),
and reports every declaration at its line and column. Nothing a file says makes a reader
raise: what the installer would reject or silently ignore becomes a `Problem`, and the rest of
the file is still read.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from fnmatch import fnmatchcase
from functools import partial
from pathlib import Path

from mlpizza_lint.dependency_files.dockerfile import read_dockerfile
from mlpizza_lint.dependency_files.model import (
    Declared,
    DependencyFile,
    Findings,
    Pin,
    Problem,
)
from mlpizza_lint.dependency_files.requirements import read_requirements
from mlpizza_lint.dependency_files.setup_cfg import read_setup_cfg
from mlpizza_lint.dependency_files.text import read_text
from mlpizza_lint.dependency_files.toml_files import read_pipfile, read_pyproject

__all__ = [
    "DEPENDENCY_FILE_PATTERNS",
    "DEPENDENCY_FOLDERS",
    "Declared",
    "DependencyFile",
    "Pin",
    "Problem",
    "is_conda_file",
    "is_dependency_file",
    "is_dockerfile",
    "read_dependency_file",
]


@dataclass(frozen=True)
class _Kind:
    """A family of file names, and how to read them."""

    pattern: str
    kind: str
    read: Callable[[str, str], Findings]
    lock_input: bool = False


def read_environment(path: str, text: str) -> Findings:
    """Conda's reader, imported when a conda file is read: PyYAML is slow to load."""
    from mlpizza_lint.dependency_files.conda import read_environment as read

    return read(path, text)


_REQUIREMENTS = partial(read_requirements, source="requirements")
_CONSTRAINTS = partial(read_requirements, source="constraints")
# First match wins; names are compared without case (`Requirements.txt`, `dockerfile`).
_KINDS = (
    _Kind("requirements*.txt", "requirements", _REQUIREMENTS),
    _Kind("requirements*.in", "requirements", _REQUIREMENTS, lock_input=True),
    _Kind("*[-_]requirements*.txt", "requirements", _REQUIREMENTS),
    _Kind("*[-_]requirements*.in", "requirements", _REQUIREMENTS, lock_input=True),
    _Kind("constraints*.txt", "requirements", _CONSTRAINTS),
    _Kind("requirements*.lock", "requirements", _REQUIREMENTS),  # `uv pip compile -o`
    _Kind("pyproject.toml", "pyproject", read_pyproject),
    _Kind("setup.cfg", "setup.cfg", read_setup_cfg),
    _Kind("Pipfile", "pipfile", read_pipfile),
    _Kind("environment*.yml", "conda", read_environment),
    _Kind("environment*.yaml", "conda", read_environment),
    # conda files under other names: `anaconda_env.yml`, `env_gpu.yaml`, `conda.yml`, and
    # the `requirements.yaml` a Dockerfile hands to `mamba env update -f`
    *(
        _Kind(f"{stem}.{suffix}", "conda", read_environment)
        for stem in ("*env", "env*", "conda*", "requirements*")
        for suffix in ("yml", "yaml")
    ),
    _Kind("Dockerfile", "dockerfile", read_dockerfile),
    _Kind("*.Dockerfile", "dockerfile", read_dockerfile),
    _Kind("Dockerfile.*", "dockerfile", read_dockerfile),
)
# pip-tools' layout: `requirements/base.in` compiled to `requirements/base.txt`.
_IN_REQUIREMENTS_FOLDER = (
    _Kind("*.txt", "requirements", _REQUIREMENTS),
    _Kind("*.in", "requirements", _REQUIREMENTS, lock_input=True),
)
_REQUIREMENTS_FOLDER = "requirements"
# Where notebook repositories keep their environment: Binder's folders, and folders of
# conda environment files under any name (`environments/dl_env_linux.yml`).
_ENVIRONMENT_FOLDERS = frozenset(
    {"binder", ".binder", ".devcontainer", "environments", "envs", "env", "conda"}
)
_IN_ENVIRONMENT_FOLDER = (
    _Kind("*.yml", "conda", read_environment),
    _Kind("*.yaml", "conda", read_environment),
)
DEPENDENCY_FOLDERS: tuple[str, ...] = (_REQUIREMENTS_FOLDER, *sorted(_ENVIRONMENT_FOLDERS))
DEPENDENCY_FILE_PATTERNS: tuple[str, ...] = tuple(kind.pattern for kind in _KINDS)
YAML_SUFFIXES = (".yml", ".yaml")
CONDA_DEPENDENCIES = re.compile(r"^dependencies\s*:", re.M)
CONDA_HEADER = re.compile(r"^(channels|name)\s*:", re.M)


def _kind_of(path: Path) -> _Kind | None:
    name = path.name.lower()
    folder = path.parent.name.lower()
    in_folder = _IN_REQUIREMENTS_FOLDER if folder == _REQUIREMENTS_FOLDER else ()
    in_environments = _IN_ENVIRONMENT_FOLDER if folder in _ENVIRONMENT_FOLDERS else ()
    kinds = (*_KINDS, *in_folder, *in_environments)
    return next((kind for kind in kinds if fnmatchcase(name, kind.pattern.lower())), None)


def is_dockerfile(path: Path) -> bool:
    kind = _kind_of(path)
    return kind is not None and kind.kind == "dockerfile"


def is_dependency_file(path: Path) -> bool:
    """Whether `path` is named like a file that declares dependencies."""
    return _kind_of(path) is not None


def is_conda_file(path: Path, text: str) -> bool:
    """A YAML file under a name of its own (`bap.yml`, the book's environment) that is a
    conda environment by its content: a top-level `dependencies:` and `channels:` or
    `name:`. Asked only of the files of a project's root, which such files serve."""
    return path.suffix.lower() in YAML_SUFFIXES and bool(
        CONDA_DEPENDENCIES.search(text) and CONDA_HEADER.search(text)
    )


def read_dependency_file(path: str, text: str | None = None) -> DependencyFile:
    """Everything `path` declares (or `text`, its content being edited), and its problems;
    never raises.

    A file of no known name (`base.txt`, pulled in by `-r base.txt`) is read as a requirements
    file, as pip reads whatever `-r` names.
    """
    kind = _kind_of(Path(path)) or _IN_REQUIREMENTS_FOLDER[0]
    try:
        text = read_text(path) if text is None else text
        if _kind_of(Path(path)) is None and is_conda_file(Path(path), text):
            kind = _IN_ENVIRONMENT_FOLDER[0]
    except (OSError, UnicodeDecodeError) as error:
        problem = Problem(1, 1, f"cannot read the file: {_reason(error)}")
        return DependencyFile(path, kind.kind, (), (problem,), kind.lock_input)
    findings = kind.read(path, text)
    return DependencyFile(
        path,
        kind.kind,
        tuple(sorted(findings.declared, key=lambda entry: (entry.line, entry.column))),
        tuple(sorted(findings.problems, key=lambda problem: (problem.line, problem.column))),
        kind.lock_input,
        tuple(findings.includes),
        tuple(findings.instructions),
    )


def _reason(error: OSError | UnicodeDecodeError) -> str:
    if isinstance(error, UnicodeDecodeError):
        return f"not UTF-8 text (byte {error.start} is {error.object[error.start]:#04x})"
    return error.strerror or str(error)
