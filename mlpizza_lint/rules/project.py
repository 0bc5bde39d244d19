"""MLP205: what is wrong with the project as a whole, reported once for the project."""

from __future__ import annotations

from collections.abc import Iterator

from packaging.utils import canonicalize_name

from mlpizza_lint.analysis.context import LintContext
from mlpizza_lint.analysis.distributions import ImportNames
from mlpizza_lint.analysis.project import CodeReading, RequirementsFile
from mlpizza_lint.analysis.project_imports import ProjectImports
from mlpizza_lint.dependency_files import Declared, Pin
from mlpizza_lint.diagnostics import Applicability, Fix, Severity
from mlpizza_lint.fixing.pinning import pinned_or_said
from mlpizza_lint.rules.base import Finding, Rule
from mlpizza_lint.spans import Span

LISTED = 6  # packages named with the files importing them; the rest by name only


class UndeclaredProject(Rule):
    """A project whose code imports third-party packages and that declares none.

    ## What it does
    Reports, once per project, a project (the nearest folder with `.git` above the
    notebook, or the notebook's own folder) that has no dependency file at all: no
    requirements file, `pyproject.toml`, `setup.cfg`, `setup.py`, `environment.yml`,
    `Pipfile`, nor a PEP 723 `# /// script` block, while its notebooks and modules import
    third-party packages. The finding is on the project's folder and names the packages and the
    files that import them. Imports in a `try` whose handler carries on without the module,
    the project's own modules, names no known distribution provides (a helper module
    that went missing), what the importing notebook installs itself (MLP201 reports that),
    what a sub-project's dependency file declares (a repository of projects), and the
    imports of notebooks made for a hosted service (Databricks exports, and notebooks whose
    "Open in Colab" badge sends readers there and that install what Colab lacks) do not
    count.
    Without `.git` or a dependency file above it, a folder is a project of the files it
    holds.

    ## Why is this bad?
    In a clean environment, this is the most common first failure of a public notebook:
    `ModuleNotFoundError` on the first import, with nothing saying what to install or
    which versions the results came from. MLP204 cannot help: there is no declaration to
    compare the imports with.

    ## Fix
    Unsafe: write `requirements.txt` at the project's root with each package's
    distribution (`sklearn` is scikit-learn), pinned to the version an inline install in
    the project names, else to the version installed where the fix is applied; a package
    not installed there is listed unpinned with a comment asking for its version. Unsafe
    because the installed version need not be the one the results came from.
    """

    code = "MLP205"
    name = "undeclared-project"
    severity = Severity.ERROR
    needs_project = True
    reads_project_code = CodeReading.UNDECLARED
    fix_title = "Write requirements.txt with the imported distributions"
    fix_applicability = Applicability.UNSAFE
    example_file = "analysis.py"
    bad = ("import numpy as np  # error: [MLP205]\nimport pandas as pd\n",)
    good = ("import os\nimport statistics\n\nprint(statistics.mean([1, 2]), os.sep)\n",)

    def check(self, context: LintContext) -> Iterator[Finding]:
        project = context.project
        imports = project.imports if project is not None else None
        if project is None or imports is None or not imports.modules or imports.script_blocks:
            return
        if project.files or imports.packaged:
            return  # it declares: read only because another rule (MLP207) asked
        yield Finding(
            1,
            Span(1, 1, 1, 1),
            _message(imports),
            _requirements(imports, context.import_names, project.requirements),
            about=project.root,
        )


def _message(imports: ProjectImports) -> str:
    """Every package is named (`verify` matches a failing import against them); the files
    only for the first few."""
    modules = list(imports.modules.items())
    named = ", ".join(
        f"`{module}` ({files[0]}{f' and {len(files) - 1} more' if len(files) > 1 else ''})"
        for module, files in modules[:LISTED]
    )
    rest = ", ".join(f"`{module}`" for module, _ in modules[LISTED:])
    where = (
        " by files in no folder that declares dependencies (the sub-projects that declare "
        "their own do not list them)"
        if imports.subprojects
        else ", but the project declares no dependency (no requirements file, pyproject.toml, "
        "environment.yml, Pipfile, setup.cfg or `# /// script` block)"
    )
    return (
        f"{named}{', ' + rest if rest else ''} imported{where}: "
        "list them, pinned, in a requirements.txt so the next person can install them"
    )


def _requirements(
    imports: ProjectImports, names: ImportNames, target: RequirementsFile | None
) -> Fix | None:
    if target is None:
        return None
    lines = []
    for module in imports.modules:
        distribution = names.distribution_to_declare(module) or module
        pin = imports.inline_pins.get(canonicalize_name(distribution))
        lines.append(pin or pinned_or_said(distribution))
    unique = list(dict.fromkeys(lines))  # `pylab` and `matplotlib` are one distribution
    return Fix(
        f"Write {target.path.name} with {len(unique)} distributions",
        Applicability.UNSAFE,
        (target.append(*unique),),
    )


# Declared for what they run or serve, not for an import: kernels and notebook servers,
# pandas' and others' optional engines, build and test tools, servers, type stubs.
RUNTIME_ONLY = frozenset(
    {"ipykernel", "jupyter", "jupyterlab", "notebook", "nbconvert", "nbformat", "papermill"}
    | {"ipywidgets", "voila", "jupytext", "nbstripout", "pip", "setuptools", "wheel", "twine"}
    | {"openpyxl", "xlrd", "xlsxwriter", "pyarrow", "fastparquet", "tabulate", "lxml"}
    | {"html5lib", "odfpy", "tables", "sqlalchemy", "psycopg2", "psycopg2-binary", "pymysql"}
    | {"gunicorn", "uvicorn", "pytest", "black", "ruff", "flake8", "mypy", "isort", "pylint"}
    | {"pre-commit", "coverage", "tox", "nox", "sphinx", "mkdocs", "tensorboard", "kaleido"}
    | {"protobuf", "certifi", "ipython", "matplotlib-inline"}
)


class UnusedRequirement(Rule):
    """A declared dependency that nothing in the project imports.

    ## What it does
    Reports requirements of a dependency file whose distribution provides no module that
    any notebook or Python file of the project imports (optional imports included), read
    from the import-name table (`scikit-learn` provides `sklearn`). Distributions declared
    for what they run rather than for an import are not reported: Jupyter and its
    kernels, pandas' optional engines (`openpyxl`, `pyarrow`), servers, build, test and
    lint tools. Nothing is reported when the project is too large to read whole, has no
    code importing anything, or for a file that lists a whole environment (`pip freeze`
    output: 15 or more entries, all pinned exactly), where packages' own dependencies are
    listed too. Conda's own package lists are not checked.

    ## Why is this bad?
    Every install downloads and resolves it, it can pin the environment into conflicts,
    and the next reader cannot tell what the project really needs.

    ## Fix
    None automatic: remove it, or move tools to a development requirements file.
    """

    code = "MLP207"
    name = "unused-requirement"
    enabled_by_default = False
    needs_project = True
    reads_project_code = CodeReading.ALWAYS
    example_file = "requirements.txt"
    example_neighbours = {"analysis.py": "import pandas as pd\n"}  # noqa: RUF012
    bad = ("pandas==2.2.2\nrequests==2.32.3  # error: [MLP207]\n",)
    good = ("pandas==2.2.2\nipykernel==6.29.5\n",)

    def check(self, context: LintContext) -> Iterator[Finding]:
        project = context.project
        imports = project.imports if project is not None else None
        dependencies = context.document.dependencies
        if dependencies is None or imports is None or imports.truncated:
            return
        if not imports.every_module:
            return  # no code to compare with (a dependency file kept on its own)
        if _frozen(dependencies.declared):
            return  # `pip freeze` output lists what the packages need, too
        names = context.import_names
        for declared in dependencies.declared:
            if declared.name is None or declared.source == "conda":
                continue
            if canonicalize_name(declared.name) in RUNTIME_ONLY:
                continue
            modules = names.modules_of(declared.name)
            if any(module in imports.every_module for module in modules):
                continue
            yield Finding(
                1,
                Span(declared.line, declared.column, declared.line, declared.end_column),
                f"`{declared.name}` is declared, but nothing in the project imports "
                f"`{modules[0]}`: remove it, or keep tools in a development requirements file",
            )


FROZEN_SIZE = 15  # a file this long, every entry an exact pin, is an environment's listing


def _frozen(declared: tuple[Declared, ...]) -> bool:
    return len(declared) >= FROZEN_SIZE and all(item.pin is Pin.EXACT for item in declared)
