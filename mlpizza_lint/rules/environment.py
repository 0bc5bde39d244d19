"""MLP201: installing packages from inside the notebook instead of declaring them."""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterator

from packaging.utils import canonicalize_name

from mlpizza_lint.analysis.context import CellView, LintContext
from mlpizza_lint.analysis.inline_installs import (
    Install,
    distribution_of,
    installs_by_cell,
)
from mlpizza_lint.analysis.installs import (
    PIP_MANAGERS,
    PIP_TOOLING,
    InstallCommand,
    is_local_path,
)
from mlpizza_lint.diagnostics import Applicability, Fix, Severity
from mlpizza_lint.fixing.edits import line_removal
from mlpizza_lint.fixing.pinning import pinned, shown
from mlpizza_lint.rules.base import Finding, Rule

# What may be on an install line the MLP201 fix deletes: options about output and caching.
HARMLESS_OPTIONS = frozenset(
    {"-q", "-qq", "-qqq", "--quiet", "-U", "--upgrade", "--user", "--no-cache-dir", "-y"}
    | {"--yes", "--disable-pip-version-check", "--no-warn-script-location", "--progress-bar=off"}
)
SHELL_OPERATORS = frozenset("();<>|&")
RUN_TIME = re.compile(r"^[{$]|^-")  # `{USER_FLAG}`, `$PKG`: words filled in when it runs
ARCHIVES = (".whl", ".zip", ".tar.gz", ".tgz", ".tar.bz2")
MAX_SHOWN = 60
KAGGLE_INPUT = "/kaggle/input/"


class InlineInstall(Rule):
    """A package installed from inside the notebook.

    ## What it does
    Reports `!pip install`, `%pip install`, `pip install` (automagic), `!python -m pip`,
    `!{sys.executable} -m pip`, `%conda`/`!conda`/`!mamba install`, system package
    installs (`!apt-get install`, `brew install`), and `subprocess`/`os.system`/`pip.main`
    calls that run pip. `pip list`, `pip freeze`, `pip show` and text that merely mentions
    pip are not reported, nor is upgrading pip itself, nor an install of what the project
    declares anyway, made only on a hosted kernel (`if IN_COLAB:`, or in a `try` whose
    `except ImportError:` carries on), nor an install of the project's own package (its
    `pyproject.toml` or `setup.cfg` names it: a project cannot declare itself), nor, in a
    Kaggle kernel, an install of the files of a dataset attached to it
    (`/kaggle/input/...whl`: scoring runs offline).

    ## Why is this bad?
    The environment then depends on running the notebook, on the network at that moment
    and usually on whatever version is newest that day. Installs also restart state in
    the middle of a run, and a module extracted from the notebook cannot declare them.

    ## Fix
    Unsafe, for a pip install of named packages on a line of its own that does nothing else
    (no other shell command, index, constraint or `--no-deps` option): delete the line and
    add the packages the project does not declare yet to its `requirements.txt` (created
    at the project root when the project has no dependency file), pinned to the version
    the command names or, failing that, the one installed here. Unsafe because the
    environment must then be installed before the notebook runs. Projects that declare
    dependencies elsewhere (`pyproject.toml`, `environment.yml`) or whose requirements
    file is hash-locked get no automatic fix.
    """

    code = "MLP201"
    name = "inline-install"
    severity = Severity.ERROR
    needs_project = True
    fix_title = "Move the install to requirements.txt"
    fix_applicability = Applicability.UNSAFE
    bad = (
        "!pip install -q xgboost==2.0.3 lightgbm  # error: [MLP201]\n"
        "%conda install -c conda-forge -y shap  # error: [MLP201]\n"
        "import subprocess, sys\n"
        "subprocess.run([sys.executable, '-m', 'pip', 'install', 'optuna'])  # error: [MLP201]\n",
    )
    good = (
        "!pip list\n"
        "!pip freeze > requirements-lock.txt\n"
        "# pip install xgboost if it is missing\n"
        "print('pip install is not needed here')\n",
    )

    def check(self, context: LintContext) -> Iterator[Finding]:
        for view in context.code_cells:
            for install in installs_by_cell(context)[view.cell.index]:
                if _only_tooling(install.command) or _declared_fallback(context, install):
                    continue  # `%pip install -U pip`: the installer, not a dependency
                if context.platform == "kaggle" and _from_attached_data(install.command):
                    continue  # an offline kernel's only way to its packages
                if _installs_itself(context, install.command):
                    continue  # the project's own package, as its notebooks' users get it
                fix = _to_requirements(context, view, install)
                yield Finding(view.cell.index, install.span, _message(install), fix)


def _installs_itself(context: LintContext, command: InstallCommand) -> bool:
    """`!pip install shap` in shap's repository: the project, which cannot declare itself."""
    itself = context.project.project.itself if context.project is not None else None
    names = [distribution_of(package) for package in command.packages]
    return (
        itself is not None
        and bool(names)
        and all(name is not None and canonicalize_name(name) == itself for name in names)
    )


def _from_attached_data(command: InstallCommand) -> bool:
    """`pip install --no-index /kaggle/input/wheels/x.whl`: files of a Kaggle dataset
    attached to the kernel, which scoring runs without internet."""
    wanted = (*command.packages, *command.requirement_files)
    return bool(wanted) and all(item.startswith(KAGGLE_INPUT) for item in wanted)


def _to_requirements(context: LintContext, view: CellView, install: Install) -> Fix | None:
    """Delete the install line and declare what it installed, when both are clear-cut."""
    command, project = install.command, context.project
    target = project.requirements if project else None
    if (
        project is None
        or target is None
        or command.manager not in PIP_MANAGERS
        or not command.packages
        or command.requirement_files
        or command.editables
        or not _only_this_install(install)
    ):
        return None
    removal = line_removal(view.cell.index, view.cell.source, install.span)
    names = [distribution_of(package) for package in command.packages]
    if removal is None or None in names:
        return None
    missing = [
        pinned(package)
        for package, name in zip(command.packages, names, strict=True)
        if name not in project.declared
    ]
    edits = (removal, target.append(*missing)) if missing else (removal,)
    added = ", ".join(f"`{shown(package)}`" for package in missing) or "nothing new"
    return Fix(
        f"Remove the install; add {added} to {target.path.name}", Applicability.UNSAFE, edits
    )


def _only_this_install(install: Install) -> bool:
    """Whether deleting the line loses nothing but the install of named packages: no other
    shell command, no option that changes what is installed or from where (an index, a
    constraint, `--no-deps`), no local file, and not pip's own tooling."""
    line = install.command_line
    if line is None or "`" in line:
        return False
    try:
        words = list(shlex.shlex(line, posix=True, punctuation_chars=True))
    except ValueError:
        return False
    if any(set(word) <= SHELL_OPERATORS for word in words):  # `&&`, `;`, `>`, `|`, `$(`
        return False
    options = [word for word in words if word.startswith("-") and word != "-m"]
    packages = install.command.packages
    return (
        all(option in HARMLESS_OPTIONS for option in options)
        and not any(is_local_path(package) or package.endswith(ARCHIVES) for package in packages)
        and not any(distribution_of(package) in PIP_TOOLING for package in packages)
    )


def _declared_fallback(context: LintContext, install: Install) -> bool:
    """`if IN_COLAB: %pip install x` of what the project declares: the set-up of a hosted
    kernel that lacks the project's environment, not an undeclared install."""
    declared = context.project.declared if context.project else frozenset()
    names = [distribution_of(package) for package in install.command.packages]
    return install.conditional and bool(names) and all(name in declared for name in names)


def _only_tooling(command: InstallCommand) -> bool:
    names = [distribution_of(package) for package in command.packages]
    return bool(names) and not command.requirement_files and all(n in PIP_TOOLING for n in names)


def _message(install: Install) -> str:
    command = install.command
    shown = install.shown if len(install.shown) <= MAX_SHOWN else install.shown[:MAX_SHOWN] + "…"
    if not command.is_python:
        return (
            f"{_what(command)} installed with the system package manager inside the notebook "
            f"(`{shown}`): document it in the environment set-up (Dockerfile, README) instead"
        )
    if not command.packages:
        advice = "install the environment before running the notebook, not from inside it"
    else:
        them = "them" if len(command.packages) > 1 else "it"
        advice = f"declare {them} in the project's requirements and install the environment first"
    return f"{_what(command)} installed inside the notebook (`{shown}`): {advice}"


def _what(command: InstallCommand) -> str:
    """`numpy`, `pandas` / packages from `requirements.txt` / the local project `.`"""
    packages = [package for package in command.packages if not RUN_TIME.search(package)]
    named = [p for p in packages if not is_local_path(p) and not p.endswith(ARCHIVES)]
    local = [package for package in packages if is_local_path(package)]
    parts = [", ".join(f"`{package}`" for package in named)] if named else []
    parts += [f"packages from `{file}`" for file in command.requirement_files]
    parts += [f"the package file `{file}`" for file in packages if file.endswith(ARCHIVES)]
    parts += [f"the local project `{path}`" for path in local if not path.endswith(ARCHIVES)]
    parts += [f"the local project `{path}` (editable)" for path in command.editables]
    return ", ".join(parts) or "a package named at run time"
