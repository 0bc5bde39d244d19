"""What a project that declares nothing imports, read from all of its notebooks and modules.

Read only for a project without any dependency file (MLP205): its one finding lists every
third-party package the project's code imports, with the files importing it, and its fix
writes them into a new `requirements.txt`, with the version an inline install names where
there is one. Third-party means what MLP204 means: not the standard library, not the
project's own modules, not what a platform provides. Large trees are read up to a cap.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from types import MappingProxyType

from packaging.utils import canonicalize_name

from mlpizza_lint.analysis.context import LintContext
from mlpizza_lint.analysis.distributions import CONVENTIONALLY_LOCAL, import_names
from mlpizza_lint.analysis.inline_installs import distribution_of, inline_installs
from mlpizza_lint.discovery.files import iter_files
from mlpizza_lint.file_cache import FileCache, Read
from mlpizza_lint.notebook.documents import DocumentError, has_colab_badge, load_document

MAX_FILES = 400
CODE_SUFFIXES = (".ipynb", ".py")
SCRIPT_BLOCK = "# /// script"

# Services whose notebooks run on their own preinstalled stack (Snowflake's are
# "Streamlit Notebook"s).
HOSTED = frozenset({"databricks", "snowflake"})


@dataclass(frozen=True)
class ProjectImports:
    """Third-party modules (as `ImportNames.provider` names them) -> the files importing
    them, relative to the project root; and the pinned requirement an inline install gives
    for a distribution (`transformers==4.41.0`)."""

    modules: Mapping[str, tuple[str, ...]]
    inline_pins: Mapping[str, str]
    script_blocks: tuple[str, ...] = ()  # files declaring in a PEP 723 `# /// script` block
    truncated: bool = False  # more files than MAX_FILES: the rest were not read
    every_module: frozenset[str] = frozenset()  # every import, optional and unknown ones too
    packaged: bool = False  # the root holds a `setup.py`, which declares (never run)
    subprojects: bool = False  # folders below the root declare dependencies of their own


# The modules Python finds beside a file, in the project (`project._folder_modules`).
FolderModules = Callable[[Path], frozenset[str]]
# The project folder a folder belongs to (`project._root_of`: None when no folder above it
# holds a dependency file or `.git`).
RootOf = Callable[[Path], Path | None]
# The distributions (canonical names) a project folder's dependency files declare.
DeclaredAt = Callable[[Path], frozenset[str]]


def read_project_imports(
    root: Path, folder_modules: FolderModules, root_of: RootOf, declared_at: DeclaredAt
) -> Read[ProjectImports]:
    """The code of the project at `root`: below it, but not in a subfolder that is a project
    of its own (it holds a dependency file); only `root`'s own files when no `.git` or
    dependency file made it a project (then each folder is one). `every_module` also
    counts the subprojects' imports: a root's declaration often serves them too. A module
    a subproject declares, or that the file importing it installs itself (MLP201's
    finding), is not counted, nor what a notebook made for a hosted service imports (a
    Databricks export, or one whose "Open in Colab" badge sends readers there and that
    installs what Colab lacks: Colab has the rest). A repository
    of sub-projects, or of notebooks that each install what they use, is not one that
    declares nothing."""
    if not root.is_dir():  # a buffer named after a file in a folder not created yet
        return Read(ProjectImports(MappingProxyType({}), MappingProxyType({})), (root,))
    listed = iter_files([root]) if root_of(root) == root else _files_in(root)
    code = (path for path in listed if path.suffix in CODE_SUFFIXES)
    files = [path for path in islice(code, MAX_FILES + 1) if path.is_file()]
    names = import_names()
    local = frozenset[str]().union(
        *(folder_modules(folder) for folder in {root, root / "src", *(p.parent for p in files)})
    )
    modules: dict[str, list[str]] = defaultdict(list)
    pins: dict[str, str] = {}
    scripts: list[str] = []
    every: set[str] = set()
    subprojects: set[Path] = set()
    installed: dict[str, set[str]] = defaultdict(set)  # file -> distributions it installs
    for path in files[:MAX_FILES]:
        try:
            context = LintContext(load_document(str(path)))
        except DocumentError:
            continue
        shown = path.relative_to(root).as_posix()
        owner = root_of(path.parent) or path.parent
        owned = owner == root
        if not owned:
            subprojects.add(owner)
        if SCRIPT_BLOCK in context.document.raw and owned:
            scripts.append(shown)
        hosted = context.document.platform in HOSTED
        for view in context.code_cells:  # a `%%bash` cell's installs too
            for install in inline_installs(context, view) if owned else ():
                for package in install.command.packages:
                    distribution = distribution_of(package)
                    if distribution:
                        installed[shown].add(canonicalize_name(distribution))
                    if distribution and "==" in package:
                        pins.setdefault(distribution, package.strip())
        # A notebook whose badge sends readers to Colab and that installs what Colab lacks
        # sets up its own environment there: what else it imports, Colab has. (A badge
        # alone does not: a book whose notebooks also open in Colab is run from a clone.)
        hosted = hosted or (bool(installed[shown]) and has_colab_badge(context.document.cells))
        for view in context.python_cells():
            for imported in view.facts.imports:
                top = imported.target.split(".")[0]
                every.update((top, names.provider(imported.target)))
                if (
                    not owned
                    or hosted
                    or imported.optional
                    or not top
                    or top in local
                    or top in CONVENTIONALLY_LOCAL
                ):
                    continue
                if names.is_standard_library(top):
                    continue
                module = names.provider(imported.target)
                if names.distribution_to_declare(module) is None:
                    continue  # no distribution provides it: a local module gone missing, a typo
                if names.distributions_for(module) & installed[shown]:
                    continue  # the file installs it itself
                if shown not in modules[module]:
                    modules[module].append(shown)
    elsewhere = frozenset[str]().union(*map(declared_at, subprojects))
    kept = {
        module: found
        for module, found in modules.items()
        if not names.distributions_for(module) & elsewhere
    }
    value = ProjectImports(
        MappingProxyType({module: tuple(found) for module, found in sorted(kept.items())}),
        MappingProxyType(pins),
        tuple(scripts),
        truncated=len(files) > MAX_FILES,
        every_module=frozenset(every),
        packaged=(root / "setup.py").is_file(),
        subprojects=bool(subprojects),
    )
    return Read(value, (root, *files, *(p.parent for p in files)))


def _files_in(folder: Path) -> list[Path]:
    try:
        return sorted(child for child in folder.iterdir() if child.is_file())
    except OSError:
        return []


def project_imports(
    root: Path, folder_modules: FolderModules, root_of: RootOf, declared_at: DeclaredAt
) -> ProjectImports:
    return _cached((root, folder_modules, root_of, declared_at))


_cached: FileCache[tuple[Path, FolderModules, RootOf, DeclaredAt], ProjectImports] = FileCache(
    lambda key: read_project_imports(*key), size=64
)
