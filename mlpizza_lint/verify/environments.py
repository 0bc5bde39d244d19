"""`--env fresh`: a new virtual environment holding only what the project declares.

It is the test that the declared dependencies are enough: the notebook then runs with
nothing the author happened to have installed. Requirements files are given to pip as
they are (pip reads its own options and includes); what pyproject, setup.cfg, Pipfile and
an environment file's `pip:` section declare is written to one generated requirements
file. Conda's own packages cannot be installed by pip and are left out, with a note.
Environments are kept, keyed by a hash of the dependency files and the Python, so the
next run starts at once; a build happens in a private folder renamed into place, so
concurrent runs never see half an environment.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from packaging.utils import canonicalize_name

from mlpizza_lint.analysis.project import project_of
from mlpizza_lint.analysis.script_metadata import document_script
from mlpizza_lint.dependency_files import Declared, read_dependency_file
from mlpizza_lint.notebook.documents import DocumentError, load_document
from mlpizza_lint.verify.kernels import KernelLaunch, python_kernel

PIP_SOURCES = frozenset({"pyproject", "setup.cfg", "pipfile", "conda-pip"})
TOML_SOURCES = frozenset({"pyproject", "pipfile"})
# How pip and uv name the requirement they could not install.
REFUSED = re.compile(
    r"satisfies the requirement (?P<a>[^\s;]+)|No matching distribution found for (?P<b>[^\s;]+)"
    r"|Failed to build (?P<c>[^\s;]+)|Because (?P<d>[^\s;]+) was not found"
    r"|Because there is no version of (?P<e>[^\s;]+)"
)
GENERATED = "declared-requirements.txt"
KERNEL_PACKAGE = "ipykernel"


@dataclass(frozen=True)
class InstallFailure:
    """A declared dependency that could not be installed: where it is declared, and pip's
    reason."""

    path: str
    line: int
    reason: str
    cell: int | None = None  # a notebook's PEP 723 block is in a cell


class InstallError(Exception):
    """The environment could not be built; `failures` point at the declarations."""

    def __init__(self, message: str, failures: tuple[InstallFailure, ...]) -> None:
        super().__init__(message)
        self.failures = failures


@dataclass(frozen=True)
class Declarations:
    """What the project around a notebook asks pip to install."""

    requirements_files: tuple[str, ...]  # given to pip as they are
    others: tuple[Declared, ...]  # written to the generated requirements file
    entries: tuple[tuple[str, Declared], ...]  # every declaration pip installs, by file
    script: tuple[Declared, ...]  # the notebook's PEP 723 block, in its first code cell
    notebook: Path
    script_cell: int | None
    conda_only: int  # conda packages pip cannot install
    files: tuple[str, ...]  # every dependency file read, for the cache key

    def key(self) -> str:
        digest = hashlib.sha256(sys.version.encode())
        for path in self.files:
            digest.update(path.encode() + b"\0" + Path(path).read_bytes() + b"\0")
        for item in self.script:
            digest.update(item.text.encode() + b"\0")
        return digest.hexdigest()[:24]


def declarations(notebook: Path) -> Declarations:
    files = project_of(str(notebook)).files
    requirements, others, entries, conda_only = [], [], [], 0
    for path in files:
        dependencies = read_dependency_file(path)
        given = (
            dependencies.kind == "requirements"
            and dependencies.declared
            and (path not in (included for other in files for included in _includes(other)))
        )
        if given:
            requirements.append(path)
        for item in dependencies.declared:
            if dependencies.kind == "requirements" or item.source in PIP_SOURCES:
                entries.append((path, item))
            if item.source in PIP_SOURCES:
                others.append(item)
            conda_only += item.source == "conda"
    cell, script = _script_block(notebook)
    return Declarations(
        tuple(requirements),
        (*others, *script),
        tuple(entries),
        script,
        notebook,
        cell,
        conda_only,
        files,
    )


def _script_block(notebook: Path) -> tuple[int | None, tuple[Declared, ...]]:
    """The notebook's PEP 723 block and the cell holding it (none when it cannot be read)."""
    try:
        return document_script(load_document(str(notebook)))
    except DocumentError:
        return None, ()


def _includes(path: str) -> tuple[str, ...]:
    return read_dependency_file(path).includes


def fresh_kernel(notebook: Path, cache: Path) -> tuple[KernelLaunch, tuple[str, ...]]:
    """A kernel in the environment the project declares, built if not cached; and notes."""
    declared = declarations(notebook)
    notes = []
    if declared.conda_only:
        notes.append(
            f"{notebook}: {declared.conda_only} conda package(s) left out of the fresh "
            "environment (pip cannot install conda packages)"
        )
    if not declared.files and not declared.script:
        notes.append(
            f"{notebook}: the project declares no dependencies; the fresh "
            "environment has only ipykernel"
        )
    target = cache / declared.key()
    if not (target / "ready").exists():
        _build(target, declared)
    python = target / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    return python_kernel(str(python), "a fresh environment of what the project declares"), tuple(
        notes
    )


def _build(target: Path, declared: Declarations) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    building = Path(tempfile.mkdtemp(prefix=f"{target.name}.", dir=target.parent))
    try:
        generated = building / GENERATED
        generated.write_text(
            "".join(_requirement_text(item) + "\n" for item in declared.others), encoding="utf-8"
        )
        python = _make_environment(building / "env")
        arguments = [KERNEL_PACKAGE, "-r", str(generated)]
        for path in declared.requirements_files:
            arguments += ["-r", path]
        installed = _install(python, arguments)
        if installed.returncode != 0:
            failures = _failures(installed.stdout + installed.stderr, declared)
            raise InstallError(_last_error(installed.stdout + installed.stderr), failures)
        (building / "env" / "ready").write_text("", encoding="utf-8")
        try:
            (building / "env").rename(target)
        except OSError:  # another run finished the same environment first
            if not (target / "ready").exists():
                raise
    finally:
        shutil.rmtree(building, ignore_errors=True)


def _make_environment(folder: Path) -> Path:
    uv = shutil.which("uv")
    if uv is not None:
        subprocess.run([uv, "venv", "-q", "--python", sys.executable, str(folder)], check=True)
    else:
        subprocess.run([sys.executable, "-m", "venv", str(folder)], check=True)
    return folder / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def _install(python: Path, arguments: list[str]) -> subprocess.CompletedProcess[str]:
    uv = shutil.which("uv")
    command = (
        [uv, "pip", "install", "--python", str(python), *arguments]
        if uv is not None
        else [str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check", *arguments]
    )
    return subprocess.run(command, capture_output=True, text=True)


def _requirement_text(item: Declared) -> str:
    """The requirement as pip reads it: TOML files give it with their string escapes."""
    if item.source not in TOML_SOURCES:
        return item.text
    try:
        return str(json.loads(f'"{item.text}"'))
    except json.JSONDecodeError:
        return item.text


def _failures(output: str, declared: Declarations) -> tuple[InstallFailure, ...]:
    """Each refused requirement at its declaration, found by the name the installer gives."""
    reason = _last_error(output)
    refused = {
        _canonical(next(group for group in match.groups() if group))
        for match in REFUSED.finditer(output)
    }

    def is_refused(item: Declared) -> bool:
        return item.name is not None and canonicalize_name(item.name) in refused

    failures = [
        InstallFailure(path, item.line, reason)
        for path, item in declared.entries
        if is_refused(item)
    ]
    failures += [
        InstallFailure(str(declared.notebook), item.line, reason, cell=declared.script_cell)
        for item in declared.script
        if is_refused(item)
    ]
    if not failures and declared.files:
        failures.append(InstallFailure(declared.files[0], 1, reason))
    return tuple(dict.fromkeys(failures))


def _canonical(requirement: str) -> str:
    name = re.match(r"[A-Za-z0-9][A-Za-z0-9._-]*", requirement.strip("'\""))
    return canonicalize_name(name[0]) if name else requirement


def _last_error(output: str) -> str:
    errors = [line.strip() for line in output.splitlines() if line.strip().startswith("ERROR")]
    lines = errors or [line.strip() for line in output.splitlines() if line.strip()]
    return lines[-1].removeprefix("ERROR: ") if lines else "the installer failed"
