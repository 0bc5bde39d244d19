"""MLP202-MLP203: dependencies declared without the version that makes an install repeatable."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from packaging.utils import canonicalize_name

from mlpizza_lint.analysis.context import LintContext, line_span
from mlpizza_lint.analysis.distributions import CONVENTIONALLY_LOCAL, ImportNames
from mlpizza_lint.analysis.inline_installs import (
    Install,
    distribution_of,
    installed_constraints,
    installs_by_cell,
)
from mlpizza_lint.analysis.installs import (
    OFFLINE_OPTIONS,
    PIP_MANAGERS,
    PIP_TOOLING,
    is_local_path,
)
from mlpizza_lint.analysis.project import ProjectSnapshot
from mlpizza_lint.analysis.script_metadata import document_script
from mlpizza_lint.dependency_files import Declared, Pin
from mlpizza_lint.dependency_files.model import InvalidEntry
from mlpizza_lint.dependency_files.pep508 import pip_spec
from mlpizza_lint.diagnostics import Applicability, Fix, Severity
from mlpizza_lint.fixing.pinning import PLAIN_NAME, installed_version_of, pinned, shown
from mlpizza_lint.ipython.magics import spec
from mlpizza_lint.rules.base import Finding, Rule
from mlpizza_lint.spans import Edit, Span

# Files whose entries are PEP 508 strings at known columns: a pin goes right after the name.
PEP508_SOURCES = frozenset(
    {"requirements", "constraints", "pyproject", "setup.cfg", "conda-pip", "dockerfile"}
)
# Tables of `name = "*"`: the star becomes the exact version in each tool's spelling.
# A name, extras right after it, then at most a marker: `==version` can go after the extras.
PINNABLE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*(\[[^\]\\]*\])?(\s*;[^\\]*)?")
STAR_PINS = {"poetry": "{}", "pipfile": "=={}"}
# The lock files that pin what each kind of dependency file declares.
LOCKS_OF = {
    "pipfile": frozenset({"Pipfile.lock"}),
    "pyproject": frozenset({"poetry.lock", "uv.lock", "pdm.lock", "pylock.toml"}),
    "conda": frozenset({"conda-lock.yml"}),
    "requirements": frozenset({"requirements.lock", "uv.lock"}),
}
STAR = re.compile(r"=\s*([\"'])(\*)\1\s*$")


def declarations(context: LintContext, pin: Pin) -> Iterator[tuple[Declared, Span]]:
    """Declarations of a dependency file with this pin: none for lock-step inputs, for a
    file whose lock file lies beside it, or in a package's published metadata, whose
    requirements are left open for its users on purpose."""
    dependencies = context.document.dependencies
    if dependencies is None or dependencies.lock_input or _locked(context, dependencies.kind):
        return
    for declared in dependencies.declared:
        if declared.pin is pin and not is_local_path(declared.text) and not declared.published:
            yield declared, Span(declared.line, declared.column, declared.line, declared.end_column)


def _locked(context: LintContext, kind: str) -> bool:
    locks = context.project.locks if context.project else frozenset()
    return bool(locks & LOCKS_OF.get(kind, frozenset()))


class UnpinnedRequirement(Rule):
    """A dependency declared with no version at all.

    ## What it does
    Reports requirements without any version in `requirements*.txt` and constraints files
    (includes are checked in their own file), `pyproject.toml` (PEP 621 and Poetry),
    `setup.cfg`, `Pipfile`, conda `environment.yml` (and its `pip:` list), Dockerfile
    `pip install` lines and pip installs inside notebooks: `pandas`, `*` in Poetry or
    Pipenv, a VCS link without a commit or tag, a URL that names no version.
    `requirements*.in` files, the input of a lock step, are not reported, nor are files
    whose lock file lies beside them (`Pipfile` and `Pipfile.lock`; `pyproject.toml` and
    `uv.lock`, `poetry.lock`, `pdm.lock` or `pylock.toml`; `requirements.txt` and
    `requirements.lock` or `uv.lock`), or by the `uv.lock` of the uv workspace they belong
    to. A standard-library name (`datetime`) has nothing to pin: MLP206 reports it, and
    neither do pip's own tools (`pip install -U pip`) nor an install from a local folder
    only (`--no-index --find-links /kaggle/input/wheels`). A published package's metadata
    (`[project]` dependencies of a `pyproject.toml` that a build system builds and that has
    classifiers or URLs, `install_requires` of such a `setup.cfg`) is left open for its
    users on purpose: pins belong in the environment that runs the notebooks, not in a
    library's requirements.

    ## Why is this bad?
    Every install takes whatever is newest that day: the same notebook gives other results,
    or breaks, a month later or on a colleague's machine.

    ## Fix
    Unsafe, in dependency files: pin the version installed in the current environment
    (`pandas` becomes `pandas==2.2.2`; `pandas = "*"` becomes `"2.2.2"` in Poetry and
    `"==2.2.2"` in a Pipfile), keeping extras, markers and comments. Conda's own specs are
    left alone (conda's build may differ from the installed one). Unsafe because the
    installed version need not be the one the notebook was tested with.
    """

    code = "MLP202"
    name = "unpinned-requirement"
    needs_project = True  # a lock file beside the file pins what it declares
    severity = Severity.ERROR
    fix_title = "Pin to the installed version"
    fix_applicability = Applicability.UNSAFE
    example_file = "requirements.txt"
    bad = ("pandas  # error: [MLP202]\nscikit-learn>=1.3\n",)
    good = ("pandas==2.2.2\nscikit-learn==1.5.0\n",)

    def check(self, context: LintContext) -> Iterator[Finding]:
        for declared, span in declarations(context, Pin.NONE):
            if context.import_names.in_python((declared.name or "").replace("-", "_")):
                continue  # nothing to pin: MLP206 says it is no distribution
            yield Finding(1, span, _unpinned(declared.text), _pin_fix(declared, span))
        for view in context.code_cells:
            for install in installs_by_cell(context)[view.cell.index]:
                if install.command.manager not in PIP_MANAGERS or _offline(install):
                    continue
                for package in install.command.packages:
                    if (
                        _pin(package) is Pin.NONE
                        and not is_local_path(package)
                        and distribution_of(package) not in PIP_TOOLING
                    ):
                        yield Finding(view.cell.index, install.span, _unpinned(package))


def _offline(install: Install) -> bool:
    """`pip install --no-index --find-links /kaggle/input/wheels x`: a local folder's copy."""
    words = (install.command_line or "").split()
    return any(word in OFFLINE_OPTIONS for word in words)


def _pin_fix(declared: Declared, span: Span) -> Fix | None:
    """`pandas` -> `pandas==2.2.2` (`pandas = "2.2.2"` in Poetry) with the version installed
    here; extras, markers and comments stay as written. Unsafe: the installed version may
    not be the tested one."""
    if declared.name is None:
        return None
    edit = _pin_edit(declared, span, installed_version_of(declared.name))
    if edit is None:
        return None
    return Fix(f"Pin `{declared.name}` to the installed version", Applicability.UNSAFE, (edit,))


def _pin_edit(declared: Declared, span: Span, installed: str) -> Edit | None:
    name = PLAIN_NAME.match(declared.text)
    if declared.source in PEP508_SOURCES and name and PINNABLE.fullmatch(declared.text):
        at = span.column + name.end()
        return Edit(None, Span(span.line, at, span.line, at), f"=={installed}")
    star = STAR.search(declared.text)
    if declared.source in STAR_PINS and star is not None:
        at = span.column + star.start(2)
        pin = STAR_PINS[declared.source].format(installed)
        return Edit(None, Span(span.line, at, span.line, at + 1), pin)
    return None


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
    environment must be reproducible to the patch. Files pinned by a lock file beside them,
    and a package's published metadata, are not reported, as for MLP202.

    ## Why is this bad?
    `scikit-learn>=1.3` installs a different release as soon as one comes out; results and
    pickled models can change without any change in the project.

    ## Fix
    None yet: pin exactly, or keep ranges in the project and pin in a lock file.
    """

    code = "MLP203"
    name = "loose-requirement"
    needs_project = True
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


class MissingRequirement(Rule):
    """A third-party package imported but declared in no dependency file of the project.

    ## What it does
    Finds the project of a notebook or module (the nearest folder up the tree holding a
    dependency file, or the git root), reads everything its dependency files declare, and
    reports each top-level import that is not the standard library, not the project's own
    code, and not provided by any declared distribution (a PEP 723 `# /// script` block in
    the first code cell declares too). Import names are mapped to
    distributions by a table shipped with the linter, made from public package metadata
    (`sklearn` is scikit-learn, `cv2` opencv-python, `PIL` pillow, `yaml` PyYAML, ...),
    never by what is installed where it runs, so every machine gets the same findings;
    `package-module-name-map` adds your own (`{ "earthengine-api" = "ee" }`). Nothing is
    reported for a project that declares nothing (the search stops at the git root; MLP201
    and MLP202 speak for it), for imports in a `try` whose handler carries on without the
    module (`except ImportError:`), for what the notebook installs itself (MLP201
    reports the install), nor for a module that no distribution of the table provides and
    that the project holds somewhere below its root (`code/nsfg.py`, found at run time
    once a cell downloads it or moves to its folder) or that a declared distribution is
    named after (`dm-sonnet`, `owid-catalog`). What a project above it in the same git
    checkout declares counts too (a folder's file often lists only its extras). A project
    whose Dockerfile builds on an image that ships a whole scientific stack (Kaggle's,
    Jupyter's docker-stacks, Google's Deep Learning containers) gets none: its environment
    is the image, not its files; nor does a Kaggle kernel (a `kernel-metadata.json` beside
    it, as `kaggle kernels push` needs) or a Databricks export, which run in the service's.

    ## Why is this bad?
    Installing the project's requirements gives an environment in which the notebook fails
    with `ModuleNotFoundError`: it only ran because the package happened to be installed.

    ## Fix
    Unsafe: add the distribution the table names first to the project's
    `requirements.txt`, pinned to the version installed where the fix is applied. Unsafe
    because the installed version need not be the tested one.
    Projects that declare dependencies elsewhere (`pyproject.toml`, ...) get no automatic
    fix.
    """

    code = "MLP204"
    name = "missing-requirement"
    severity = Severity.ERROR
    needs_project = True
    fix_title = "Add the distribution to requirements.txt"
    fix_applicability = Applicability.UNSAFE
    example_file = "analysis.py"
    example_neighbours = {"requirements.txt": "numpy==1.26.4\npandas==2.2.2\n"}  # noqa: RUF012
    bad = (
        "import numpy as np\nimport pandas as pd\n"
        "from sklearn.linear_model import Ridge  # error: [MLP204]\n",
    )
    good = ("import os\nimport numpy as np\nimport pandas as pd\n",)

    def check(self, context: LintContext) -> Iterator[Finding]:
        project = context.project
        script = frozenset(
            canonicalize_name(item.name)
            for item in context.shared(_script_block)
            if item.name is not None
        )
        if project is None or not (project.declared | script):
            return  # a project that declares nothing is MLP205's, not one finding per import
        reported: set[str] = set()
        names = context.import_names
        local = project.local_modules | _written_modules(context)
        provided = project.declared | project.declared_above | script | installed_inline(context)
        for view in context.python_cells():
            for imported in view.facts.imports:
                module = names.provider(imported.target)  # `azure.ai.ml`, `sklearn`
                if imported.optional or module in reported:
                    continue  # `try: import ujson` / `except ImportError:` works without it
                if _not_third_party(imported.target.split(".")[0], local, names):
                    continue
                if names.distributions_for(module) & provided:
                    continue  # declared, or installed by the notebook itself (MLP201's finding)
                if names.distribution_to_declare(module) is None and (
                    _in_tree(module, project) or _named_in(module, provided)
                ):
                    continue  # the repository's own code, found at run time (`code/nsfg.py`),
                    # or a declared distribution named after it (`dm-sonnet`, `owid-catalog`)
                if project.project.stack_image or context.platform in HOSTED_STACKS:
                    continue  # it runs in an image whose environment is not in files
                reported.add(module)
                where = ", ".join(Path(file).name for file in project.files)
                yield Finding(
                    view.cell.index,
                    line_span(view.cell, imported.line),
                    f"`{module}` is imported but is neither declared by the project ({where}) "
                    "nor part of it: add its distribution, pinned, to the requirements",
                    declare_fix(project, names.distribution_to_declare(module)),
                )


# Services whose notebooks run in an image of the whole scientific stack: a Kaggle kernel
# (`kernel-metadata.json`), a Databricks export.
HOSTED_STACKS = frozenset({"kaggle", "databricks"})


def _in_tree(module: str, project: ProjectSnapshot) -> bool:
    return module.split(".")[0] in project.tree_modules


def _named_in(module: str, declared: frozenset[str]) -> bool:
    """A distribution whose name holds the module's as one of its parts: `dm-sonnet`
    provides `sonnet`, `owid-catalog` provides `owid` (for modules the table lacks)."""
    wanted = canonicalize_name(module.split(".")[0])
    return any(wanted in canonicalize_name(name).split("-") for name in declared)


def _script_block(context: LintContext) -> tuple[Declared, ...]:
    return document_script(context.document)[1]


def declare_fix(project: ProjectSnapshot, distribution: str | None) -> Fix | None:
    """Append the module's distribution, pinned, to the project's requirements.txt."""
    if project.requirements is None or distribution is None:
        return None
    requirement = pinned(distribution)
    return Fix(
        f"Add `{shown(requirement)}` to {project.requirements.path.name}",
        Applicability.UNSAFE,
        (project.requirements.append(requirement),),
    )


def installed_inline(context: LintContext) -> frozenset[str]:
    """Canonical names of what the notebook's own install commands install."""
    return frozenset(installed_constraints(context))


def _written_modules(context: LintContext) -> frozenset[str]:
    """Modules the notebook writes itself (`%%writefile helpers.py`) before importing them."""
    return frozenset(
        Path(magic.args.split()[-1]).stem
        for view in context.code_cells
        for magic in view.facts.magics
        if spec(magic.name).writes_file and magic.args.strip().endswith(".py")
    )


def _not_third_party(module: str, own_modules: frozenset[str], names: ImportNames) -> bool:
    return (
        not module
        or module in own_modules
        or module in CONVENTIONALLY_LOCAL
        or names.is_standard_library(module)
    )
