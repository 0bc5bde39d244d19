"""The project a document belongs to, read before any rule runs: what it declares, which of
its own modules the document can import, and which of its files foreign paths name.

The project is the nearest folder up the tree that holds a dependency file (or the git
root); a document with neither above it is a project of its own folder. What it declares
comes from every dependency file there, the `requirements/` folder, and the files they
include; what a project that declares nothing imports is read from all of its code. Each
answer is kept while the files and folders it was read from are unchanged, so a
long-lived process sees edits without being told.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import IntEnum
from pathlib import Path, PurePath
from types import MappingProxyType
from typing import TYPE_CHECKING

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

from mlpizza_lint.analysis.data_files import DataFile, data_files, forget_data_files
from mlpizza_lint.analysis.installs import is_local_path
from mlpizza_lint.dependency_files import (
    DEPENDENCY_FOLDERS,
    is_conda_file,
    is_dependency_file,
    is_dockerfile,
    read_dependency_file,
)
from mlpizza_lint.dependency_files.locks import locked_versions
from mlpizza_lint.dependency_files.model import Pin
from mlpizza_lint.dependency_files.pep508 import repository_name
from mlpizza_lint.file_cache import FileCache, Read
from mlpizza_lint.notebook.reading import read_regular_file
from mlpizza_lint.spans import Edit, Span

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

if TYPE_CHECKING:
    from mlpizza_lint.analysis.project_imports import ProjectImports

REQUIREMENTS = "requirements.txt"
SETUP_CFG_NAME = re.compile(r"^\[metadata\][^\[]*?^name\s*=\s*(\S+)", re.M | re.S)
CONDA_PEEK = 1 << 20  # bytes of a YAML file read to tell a conda environment
KERNEL_METADATA = "kernel-metadata.json"  # what `kaggle kernels push` sends with a kernel
SETUP_SCRIPT = "setup.py"  # never run; a project that has one is packaged, and declares there
# Files that pin every version a looser declaration beside them allows.
MAX_TREE_FILES = 5000
# Base images that ship a whole scientific Python stack: a project built on one imports what
# the image holds, which no file of the project lists.
STACK_IMAGES = (
    "gcr.io/kaggle-images/",
    "gcr.io/kaggle-gpu-images/",
    "kaggle/python",
    "jupyter/scipy-notebook",
    "jupyter/datascience-notebook",
    "jupyter/tensorflow-notebook",
    "jupyter/pytorch-notebook",
    "quay.io/jupyter/scipy-notebook",
    "quay.io/jupyter/datascience-notebook",
    "quay.io/jupyter/tensorflow-notebook",
    "quay.io/jupyter/pytorch-notebook",
    "gcr.io/deeplearning-platform-release/",
    "us-docker.pkg.dev/deeplearning-platform-release/",
    "continuumio/anaconda",
    "public.ecr.aws/sagemaker/sagemaker-distribution",
    "rapidsai/",  # RAPIDS: cudf, cuml, dask, numpy and the rest of its stack
    "nvcr.io/nvidia/rapidsai/",
)
UV_WORKSPACE = "[tool.uv.workspace]"
WORKSPACE_DEPTH = 4  # folders up from a member to its workspace root
LOCK_FILES = (
    "Pipfile.lock",
    "poetry.lock",
    "uv.lock",
    "pdm.lock",
    "pylock.toml",
    "conda-lock.yml",
    "requirements.lock",
)


class CodeReading(IntEnum):
    """When the snapshot reads what the project's code imports (ordered: the most any
    enabled rule asks for is done)."""

    NEVER = 0
    UNDECLARED = 1  # only for a project that declares nothing
    ALWAYS = 2


@dataclass(frozen=True)
class RequirementsFile:
    """Where fixes add a requirement: the end of the project's `requirements.txt`."""

    path: Path
    end: tuple[int, int]  # line and column just after the last character
    ends_with_newline: bool
    newline: str = "\n"

    def append(self, *requirements: str) -> Edit:
        """An edit adding `requirements` as the file's last lines (creating the file if need
        be)."""
        line, column = self.end
        separator = "" if self.ends_with_newline else self.newline
        added = "".join(requirement + self.newline for requirement in requirements)
        return Edit(None, Span(line, column, line, column), separator + added, path=str(self.path))


@dataclass(frozen=True)
class Project:
    """What one project folder declares and holds, shared by every document in it."""

    root: Path
    declared: frozenset[str]  # canonical distribution names
    files: tuple[str, ...]  # the dependency files read, for messages
    requirements: RequirementsFile | None = None  # None: it declares elsewhere (pyproject...)
    local_packages: frozenset[str] = frozenset()  # import names of `./folder` requirements
    versions: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # canonical name
    # -> the version constraints each declaration gives (PEP 440 specifiers, "" for none),
    # or the one version a lock file at the root pins (it is what gets installed)
    stack_image: str | None = None  # a Dockerfile's base image that ships a whole stack
    # Each requirements file read (resolved path) -> what it names with no version at all:
    # what `pip install -r` that file gets at whatever version is newest (MLP605)
    unpinned: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # The distribution the project itself is (`[project] name`, Poetry's, setup.cfg's):
    # a notebook that installs it installs the project, not a dependency
    itself: str | None = None

    def admits(self, distribution: str, version: str) -> bool:
        """Whether some declaration of `distribution` allows `version` or a later one:
        `pandas==1.5.3` and `pandas<2` do not admit 2.0; undeclared or unversioned does."""
        constraints = self.versions.get(canonicalize_name(distribution), ("",))
        return any(admits_from(constraint, version) for constraint in constraints)


@dataclass(frozen=True)
class ProjectSnapshot:
    """Everything a rule may know beyond the document itself; rules read it, never disk."""

    project: Project
    local_modules: frozenset[str]  # the project's modules and those the document sits beside
    copies: Mapping[str, str]  # a foreign absolute path -> the project's file of that tail,
    # relative to the document's folder
    locks: frozenset[str]  # lock files beside the document or of its uv workspace
    imports: ProjectImports | None = None  # read for a project that declares nothing
    tree_modules: frozenset[str] = frozenset()  # every module and package name anywhere
    # below the root: where a name no distribution provides comes from at run time
    declared_above: frozenset[str] = frozenset()  # by the projects above, in the checkout
    folder: Path | None = None  # the document's folder, resolved
    kaggle_kernel: bool = False  # a `kernel-metadata.json` beside it: pushed to run on Kaggle
    # A Dockerfile's possible build contexts (its folder, and those above it up to the top
    # of the checkout): each requirements file they hold -> what it leaves unpinned
    around: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # Each relative path the document reads before writing it -> what the project says
    data: Mapping[str, DataFile] = field(default_factory=dict)

    def unpinned_at(self, path: PurePath) -> tuple[str, ...] | None:
        """What the requirements file at `path` (`..` allowed) names without a version;
        None for a file no build context holds."""
        return self.around.get(os.path.normpath(path))

    @property
    def root(self) -> Path:
        return self.project.root

    @property
    def declared(self) -> frozenset[str]:
        return self.project.declared

    @property
    def files(self) -> tuple[str, ...]:
        return self.project.files

    @property
    def requirements(self) -> RequirementsFile | None:
        return self.project.requirements


def project_of(path: str) -> Project:
    """The project the file at `path` belongs to, without what only rules need."""
    folder = Path(path).resolve().parent
    return _project_at(_root_of(folder) or folder)


def snapshot_of(
    path: str,
    foreign_paths: Iterable[str] = (),
    search_folders: Iterable[str] = (),
    code: CodeReading = CodeReading.NEVER,
    data_paths: Iterable[str] = (),
) -> ProjectSnapshot:
    """The project around the document at `path`; `foreign_paths` are the absolute paths
    it names, looked up in the project for the relative-path fix; `search_folders` the
    relative folders it puts on `sys.path` or moves into (`sys.path.append('../code')`);
    `code`: when to read what the project's code imports; `data_paths`: the relative
    paths it reads, looked up in the project (MLP303)."""
    folder = Path(path).resolve().parent
    root = _root_of(folder) or folder
    between = [folder, *folder.parents]
    between = between[: between.index(root) + 1] if root in between else [folder]
    added = [folder / relative for relative in search_folders]
    searched = (*between, root / "src", *added)
    local = frozenset[str]().union(*(_folder_modules(each) for each in searched))
    project = _project_at(root)
    # The project folder is a package itself (`official/__init__.py` beside its
    # Dockerfile), and `pip install ./visual-aids` makes a local package importable.
    itself = {root.name} if (root / "__init__.py").is_file() else set()
    top = _checkout_top(root)
    at_top = _checkout_packages(top) if top is not None and top != root else frozenset()
    local = local | itself | project.local_packages | at_top
    copies = {}
    for foreign in dict.fromkeys(foreign_paths):
        found = _project_copy((root, tuple(part for part in re.split(r"[\\/]+", foreign) if part)))
        if found is not None:
            copies[foreign] = Path(os.path.relpath(found, folder)).as_posix()
    declares = bool(project.files) or (root / SETUP_SCRIPT).is_file()
    reads = code is CodeReading.ALWAYS or (code is CodeReading.UNDECLARED and not declares)
    imports = project_imports(root) if reads else None
    return ProjectSnapshot(
        project,
        local,
        MappingProxyType(copies),
        _locks(folder),
        imports,
        _tree_modules(root),
        _declared_above(root),
        folder,
        kaggle_kernel=_kaggle_kernel(folder),
        around=_unpinned_around(folder) if is_dockerfile(Path(path)) else MappingProxyType({}),
        data=data_files(Path(path).resolve(), folder, root, top, data_paths),
    )


def _unpinned_around(folder: Path) -> Mapping[str, tuple[str, ...]]:
    """The requirements files of the projects of `folder` and of the folders above it,
    up to the top of its git checkout (or only its own project outside one)."""
    top = _checkout_top(folder)
    chain = [folder, *folder.parents]
    chain = chain[: chain.index(top) + 1] if top is not None else [folder]
    found: dict[str, tuple[str, ...]] = {}
    for candidate in chain:
        found.update(_project_at(_root_of(candidate) or candidate).unpinned)
    return MappingProxyType(found)


def _declared_at(root: Path) -> frozenset[str]:
    return _project_at(root).declared


def _declared_above(root: Path) -> frozenset[str]:
    """What the projects above `root` declare, up to the top of its git checkout: the
    repository's own requirements often serve a folder whose file lists only its extras
    (`tests/requirements.txt` beside a root `pyproject.toml`). Nothing outside a checkout."""
    top = _checkout_top(root)
    found: set[str] = set()
    folder = root
    while top is not None and folder != top:
        above = _root_of(folder.parent)
        if above is None:
            break
        found |= _project_at(above).declared
        folder = above
    return frozenset(found)


def _checkout_top(root: Path) -> Path | None:
    return next((folder for folder in (root, *root.parents) if (folder / ".git").exists()), None)


def _read_kaggle_kernel(folder: Path) -> Read[bool]:
    metadata = folder / KERNEL_METADATA
    return Read(metadata.is_file(), (metadata,))


def _read_checkout_packages(top: Path) -> Read[frozenset[str]]:
    """The folders at the top of a git checkout: run from there, as a repository's code
    often is, `from RAG.examples.chain import f` imports one of them."""
    try:
        names = frozenset(
            child.name for child in top.iterdir() if child.is_dir() and child.name.isidentifier()
        )
    except OSError:
        names = frozenset()
    return Read(names, (top,))


def _read_root(folder: Path) -> Read[Path | None]:
    """The nearest folder up from `folder` with a dependency file, a `setup.py` or `.git`."""
    looked: list[Path] = []
    for candidate in (folder, *folder.parents):
        looked += [
            candidate,
            *(candidate / name for name in DEPENDENCY_FOLDERS),
            candidate / ".git",
        ]
        looked.append(candidate / SETUP_SCRIPT)
        if (
            _dependency_files(candidate)
            or (candidate / ".git").exists()
            or (candidate / SETUP_SCRIPT).is_file()
        ):
            return Read(candidate, tuple(looked))
    return Read(None, tuple(looked))


def _read_project(root: Path) -> Read[Project]:
    """Everything the project's dependency files declare, includes followed."""
    files = _dependency_files(root)
    declared: set[str] = set()
    versions: dict[str, list[str]] = {}
    local_packages: set[str] = set()
    read: list[str] = []
    images: list[str] = []
    unpinned: dict[str, tuple[str, ...]] = {}
    pending = [str(path) for path in files]
    while pending:
        path = pending.pop()
        if path in read:
            continue
        read.append(path)
        dependencies = read_dependency_file(path)
        images.extend(
            instruction.arguments.split()[0]
            for instruction in dependencies.instructions
            if instruction.keyword == "FROM" and instruction.arguments.split()
        )
        for item in dependencies.declared:
            if is_local_path(item.text):
                local_packages.add(Path(item.text.rstrip("/\\")).name.replace("-", "_"))
            name = item.name or repository_name(item.text)
            if name:
                declared.add(name)
                versions.setdefault(canonicalize_name(name), []).append(constraint_of(item.text))
        if dependencies.kind == "requirements":
            unpinned[str(Path(path).resolve())] = tuple(
                item.name for item in dependencies.declared if item.name and item.pin is Pin.NONE
            )
        pending.extend(dependencies.includes)
    locks = [root / name for name in LOCK_FILES]
    for lock in locks:
        for name, version in locked_versions(lock.name, _text_of(lock)).items():
            versions[name] = [f"=={version}"]  # what `poetry install`, `uv sync` install
    project = Project(
        root,
        frozenset(declared),
        tuple(sorted(read)),
        _requirements_file(root, bool(files)),
        frozenset(local_packages),
        MappingProxyType({name: tuple(found) for name, found in versions.items()}),
        next((image for image in images if image.lower().startswith(STACK_IMAGES)), None),
        MappingProxyType(unpinned),
        _own_name(root),
    )
    folders = (root / name for name in DEPENDENCY_FOLDERS)
    sources = (root, *folders, root / REQUIREMENTS, *map(Path, read), *locks)
    return Read(project, sources)


# `==1.5.3`, `>=2,<3`, conda's `=1.21` (meaning 1.21.*), Poetry's `^1.5` and `~1.5`.
CONSTRAINT = re.compile(r"(===|==|>=|<=|~=|!=|<|>|=|\^|~)\s*([0-9][0-9A-Za-z.*+!-]*)")


def constraint_of(text: str) -> str:
    """The PEP 440 specifiers a declaration gives, as far as they can be read."""
    parts = []
    for operator, version in CONSTRAINT.findall(text.partition(";")[0]):
        if operator == "=":  # conda: `numpy=1.21` is 1.21.*
            operator, version = "==", version if version.endswith("*") else version + ".*"
        if operator in ("^", "~"):  # Poetry: `^1.5` is >=1.5,<2; `~1.5` is >=1.5,<1.6
            numbers = [int(n) for n in re.findall(r"\d+", version)[:3]] or [0]
            keep = 1 if operator == "^" or len(numbers) == 1 else 2
            upper = [*numbers[: keep - 1], numbers[keep - 1] + 1]
            parts += [f">={version}", "<" + ".".join(map(str, upper))]
            continue
        parts.append(f"{operator}{version}")
    return ",".join(parts)


def admits_from(constraint: str, version: str) -> bool:
    """Whether `constraint` allows `version` or a later one: tried on `version`, on every
    version the constraint names from `version` on, and on a far one."""
    try:
        specifiers = SpecifierSet(constraint)
        named = (Version(s.version.removesuffix(".*")) for s in specifiers)
        later = [str(v) for v in named if v >= Version(version)]
        return any(
            specifiers.contains(candidate, prereleases=True)
            for candidate in (version, *later, "9999")
        )
    except (InvalidSpecifier, InvalidVersion):
        return True  # unreadable: do not claim it pins below


def _dependency_files(folder: Path) -> list[Path]:
    """The dependency files of `folder` and of its folders that hold them by convention
    (`requirements/`, `binder/`, `environments/`, ...)."""
    try:
        files = [p for p in folder.iterdir() if p.is_file()]
        here = [p for p in files if is_dependency_file(p) or _conda_by_content(p)]
        nested = [folder / name for name in DEPENDENCY_FOLDERS]
        below = [p for sub in nested if sub.is_dir() for p in sub.iterdir() if p.is_file()]
    except OSError:
        return []
    return sorted(here + [p for p in below if is_dependency_file(p)])


def _own_name(root: Path) -> str | None:
    """The canonical name the project's own metadata gives it, if any."""
    text = _text_of(root / "pyproject.toml")
    try:
        document = tomllib.loads(text) if text else {}
    except tomllib.TOMLDecodeError:
        document = {}
    tool = document.get("tool", {})
    poetry = tool.get("poetry", {}) if isinstance(tool, dict) else {}
    names = (
        document.get("project", {}).get("name")
        if isinstance(document.get("project"), dict)
        else None,
        poetry.get("name") if isinstance(poetry, dict) else None,
        SETUP_CFG_NAME.search(_text_of(root / "setup.cfg")),
    )
    for name in names:
        found = name[1] if isinstance(name, re.Match) else name
        if isinstance(found, str) and found.strip():
            return canonicalize_name(found.strip())
    return None


def _conda_by_content(path: Path) -> bool:
    """`bap.yml`: a conda environment under a name of its own, at the project's root."""
    if is_dependency_file(path) or path.suffix.lower() not in (".yml", ".yaml"):
        return False
    try:
        return is_conda_file(path, read_regular_file(path, limit=CONDA_PEEK).decode("utf-8"))
    except (OSError, UnicodeDecodeError):
        return False


def _requirements_file(root: Path, declares: bool) -> RequirementsFile | None:
    """The project's `requirements.txt`; a new one only for a project that declares nothing."""
    path = root / REQUIREMENTS
    try:
        text = read_regular_file(path).decode("utf-8")  # keep CRLF visible
    except FileNotFoundError:
        return None if declares else RequirementsFile(path, (1, 1), ends_with_newline=True)
    except (OSError, UnicodeDecodeError):
        return None
    if "--hash" in text:  # pip's hash-checking mode refuses any line without hashes
        return None
    lines = text.splitlines() or [""]
    ends = text.endswith(("\n", "\r")) or not text
    end = (len(lines) + 1, 1) if ends and text else (len(lines), len(lines[-1]) + 1)
    return RequirementsFile(path, end, ends, "\r\n" if "\r\n" in text else "\n")


def _read_folder_modules(folder: Path) -> Read[frozenset[str]]:
    """What `import name` finds in `folder`: modules, packages and namespace packages."""
    try:
        children = list(folder.iterdir())
    except OSError:
        return Read(frozenset(), (folder,))
    packages = [  # only a name that is an identifier can be imported (not `.git`, `my-utils`)
        child for child in children if child.name.isidentifier() and child.is_dir()
    ]
    modules = frozenset(
        child.stem if child.suffix == ".py" else child.name
        for child in children
        if child.suffix == ".py" or (child in packages and _holds_python(child))
    )
    return Read(modules, (folder, *packages))


def _holds_python(folder: Path) -> bool:
    """A package, or a namespace package whose code starts one level down
    (`services/api/main.py` makes `services` importable)."""
    return (
        next(folder.glob("*.py"), None) is not None or next(folder.glob("*/*.py"), None) is not None
    )


def _read_project_copy(key: tuple[Path, tuple[str, ...]]) -> Read[Path | None]:
    """The longest tail of a foreign absolute path that exists in the project:
    `/home/a/churn/data/train.csv` -> `<root>/data/train.csv`."""
    root, parts = key
    tried = []
    for start in range(1, len(parts)):
        candidate = root.joinpath(*parts[start:])
        tried.append(candidate)
        try:
            if candidate.exists():
                return Read(candidate, tuple(tried))
        except OSError:  # a name too long for the file system, a folder we may not read
            continue
    return Read(None, tuple(tried))


def _read_tree_modules(root: Path) -> Read[frozenset[str]]:
    """The names of the `.py` files and of the folders holding them below `root` (up to
    `MAX_TREE_FILES`): `code/nsfg.py` gives `nsfg` and `code`."""
    from mlpizza_lint.discovery.files import iter_files  # discovery reads dependency files

    if not root.is_dir():  # a buffer named after a file in a folder not created yet
        return Read(frozenset(), (root,))
    files = [path for path in iter_files([root]) if path.suffix == ".py"][:MAX_TREE_FILES]
    folders = {path.parent for path in files}
    names = {path.stem for path in files}
    names.update(part for folder in folders for part in folder.relative_to(root).parts)
    return Read(frozenset(names), (root, *folders))


def _read_locks(folder: Path) -> Read[frozenset[str]]:
    """Lock files beside the file, and the `uv.lock` of a uv workspace the folder is a
    member of (`[tool.uv.workspace]` in a `pyproject.toml` up the tree locks every member)."""
    paths = [folder / name for name in LOCK_FILES]
    found = {path.name for path in paths if path.is_file()}
    for parent in folder.parents[:WORKSPACE_DEPTH]:
        lock, pyproject = parent / "uv.lock", parent / "pyproject.toml"
        paths += [lock, pyproject]
        if lock.is_file() and UV_WORKSPACE in _text_of(pyproject):
            found.add(lock.name)
            break
    return Read(frozenset(found), tuple(paths))


def _text_of(path: Path) -> str:
    try:
        return read_regular_file(path).decode("utf-8", errors="replace")
    except OSError:
        return ""


_locks = FileCache(_read_locks)
_tree_modules = FileCache(_read_tree_modules)
_kaggle_kernel = FileCache(_read_kaggle_kernel)
_checkout_packages = FileCache(_read_checkout_packages)
_root_of = FileCache(_read_root)
_project_at = FileCache(_read_project)
_folder_modules = FileCache(_read_folder_modules)
_project_copy = FileCache(_read_project_copy)


def project_imports(root: Path) -> ProjectImports:
    """Imported here, not at the top: reading the project's code needs the facts layer,
    which needs this module."""
    from mlpizza_lint.analysis.project_imports import project_imports as read

    return read(root, _folder_modules, _root_of, _declared_at)


def forget_projects() -> None:
    """Drop everything read, for callers that know the disk changed under equal stamps."""
    caches = (_root_of, _project_at, _folder_modules, _project_copy, _locks, _tree_modules)
    for cache in (*caches, _checkout_packages, _kaggle_kernel):
        cache.clear()
    forget_data_files()
