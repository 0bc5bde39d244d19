"""MLP301-MLP302: code tied to one machine's folders or one hosted notebook service."""

from __future__ import annotations

from collections.abc import Iterator

from mlpizza_lint.analysis.context import LintContext
from mlpizza_lint.analysis.environment_calls import (
    CHANGE_DIRECTORY,
    DATABRICKS,
    ENVIRONMENT_CALLS,
    EnvironmentCall,
)
from mlpizza_lint.analysis.facts import Call, StringLiteral
from mlpizza_lint.analysis.machine_paths import find_machine_path, is_absolute
from mlpizza_lint.analysis.path_candidates import path_candidates
from mlpizza_lint.diagnostics import Applicability, Severity
from mlpizza_lint.fixing.lifting import PathLifter, span_text
from mlpizza_lint.ipython.translation import Magic, MagicKind
from mlpizza_lint.rules.base import Finding, Rule


class HardcodedPath(Rule):
    """An absolute path that exists on one machine only.

    ## What it does
    Reports string literals, f-strings and shell commands holding a path under a user's
    home folder (`/home/alice`, `/Users/bob`, `C:\\Users\\...`, `~/`), a mounted drive
    (`/mnt`, `/media`, `/Volumes`, network shares) or a hosted notebook's storage (Colab's
    `/content`, Kaggle's `/kaggle/input`, Databricks' `/dbfs`). URLs, regular expressions,
    system paths such as `/tmp` or `/dev/null`, tool caches under `~/.` (such as
    `~/.pytorch`), messages passed to `print` or logging, and prefixes listed in
    `allowed-path-prefixes` are not reported, nor a service's own folders in a notebook
    made for that service (see MLP302): `/kaggle/input` in a Kaggle kernel, Colab's
    `/content` (but not the user's Drive under `/content/drive`) in a Colab notebook.

    ## Why is this bad?
    Nobody else has `/home/alice/projects/churn/data`: the notebook fails on the first
    read for every other person, CI machine or scheduled job.

    ## Fix
    Safe: a string literal that is exactly the path becomes a named constant
    (`TRAIN_CSV = "/home/alice/churn/data/train.csv"`) defined after the imports of the
    first code cell, so the next user edits one line. When the path's tail exists in the
    project (the project has `data/train.csv`), the constant is that file relative to the
    notebook's folder instead; that fix is unsafe, as it assumes the notebook runs from its
    own folder (Jupyter's default). Then make the path relative to the project, or read it
    from configuration or an environment variable.
    """

    code = "MLP301"
    name = "hardcoded-path"
    severity = Severity.ERROR
    needs_project = True
    fix_title = "Lift the path to a constant"
    fix_applicability = Applicability.SAFE
    bad = (
        "import pandas as pd\n"
        "train = pd.read_csv('/home/alice/churn/data/train.csv')  # error: [MLP301]\n"
        "model_path = f'C:\\\\Users\\\\bob\\\\models\\\\{name}.pkl'  # error: [MLP301]\n"
        "!unzip /content/drive/MyDrive/data.zip  # error: [MLP301]\n",
    )
    good = (
        "from pathlib import Path\n"
        "import re\n"
        "DATA_DIR = Path('data')\n"
        "train = pd.read_csv(DATA_DIR / 'train.csv')\n"
        "url = 'https://example.com/home/alice/data.csv'\n"
        "route = re.compile(r'/home/(\\w+)/')\n"
        "stamp = now.strftime('%Y/%m/%d')\n"
        "log = open('/dev/null', 'w')\n"
        "mnist = datasets.MNIST('~/.pytorch/MNIST_data/', download=True)\n",
    )

    def check(self, context: LintContext) -> Iterator[Finding]:
        allowed = self.settings.allowed_path_prefixes
        found = [
            (view, candidate, path)
            for view in context.code_cells
            for candidate in path_candidates(view, context.qualified)
            if not (candidate.literal and candidate.literal.fallback)
            and not _created_at_home(candidate.literal)
            and (
                path := find_machine_path(
                    candidate.text, allowed, whole=candidate.literal is not None
                )
            )
        ]
        platform = context.platform
        found = [item for item in found if not (platform and item[2].platform == platform)]
        lifter = PathLifter(context, [path.path for *_, path in found])
        for view, candidate, path in found:
            literal = candidate.literal
            yield Finding(
                view.cell.index,
                candidate.span,
                f"`{path.path}` only exists {path.place}: use a path relative "
                "to the project, or read it from configuration",
                lifter.fix(view, literal, path.path) if literal else None,
            )


class EnvironmentSpecificCall(Rule):
    """Code that only runs in one environment.

    ## What it does
    Reports Google Colab and Kaggle APIs (`drive.mount`, `files.upload`,
    `UserSecretsClient`), Databricks' `dbutils`, and `sys.path.append`/`insert`,
    `site.addsitedir`, `os.chdir` or `%cd` with an absolute path. A service's own calls
    (`drive.mount`, `auth.authenticate_user`, `files.download`, Kaggle secrets, `dbutils`)
    are not reported in a notebook made for it: one saved by Colab or Databricks (their
    metadata says so), opening with an "Open in Colab" badge, or a Kaggle kernel (a
    `kernel-metadata.json` beside it; a notebook merely downloaded from Kaggle is meant to
    run elsewhere). That notebook is the service's entry point; it
    may also `%cd` into the service's folders (`/kaggle/working`). A Drive mounted and
    then read from is still reported, as is the upload widget, which a run cannot answer.

    ## Why is this bad?
    The notebook stops working outside the service or machine it was written on, and
    imports that depend on `sys.path` edits break as soon as the folder moves.

    ## Fix
    None automatic: keep service-specific set-up in a clearly marked cell, install local
    code as a package, and use paths relative to the project.
    """

    code = "MLP302"
    name = "environment-specific-call"
    needs_project = True  # a Kaggle kernel says so in a `kernel-metadata.json` beside it
    bad = (
        "import sys\n"
        "from google.colab import drive\n"
        "drive.mount('/content/drive')  # error: [MLP302]\n"
        "sys.path.append('/home/alice/projects/churn/src')  # error: [MLP302]\n"
        "%cd /content/drive/MyDrive/project  # error: [MLP302]\n",
    )
    good = ("import sys\nsys.path.append('..')\n%cd data\nmount('/content/drive')\n",)

    def check(self, context: LintContext) -> Iterator[Finding]:
        for view in context.code_cells:
            for call in view.facts.calls:
                if call.conditional:
                    continue  # the notebook also runs where the service is missing
                name = context.qualified(call.name)
                rule = _environment_call(name, call)
                if rule is not None and not _set_up_of_its_platform(context, rule, call):
                    shown = call.name.replace("()", "")
                    if rule.path_argument is not None:  # the call as written: its path
                        shown = span_text(view.cell.source, call.span)
                    yield Finding(
                        view.cell.index, call.span, f"`{shown}` {rule.what}: {rule.advice}"
                    )
            for magic in view.facts.magics:
                guarded = magic.span.line in view.facts.conditional_lines
                if _changes_directory_to_machine_folder(magic, context.platform) and not guarded:
                    yield Finding(
                        view.cell.index,
                        magic.span,
                        f"`{magic.source}` {CHANGE_DIRECTORY.what}: {CHANGE_DIRECTORY.advice}",
                    )


def _set_up_of_its_platform(context: LintContext, rule: EnvironmentCall, call: Call) -> bool:
    """A notebook saved by a hosted service, or opening with its badge, is made to run
    there: the service's set-up is its entry point, as the rule's advice asks, unless it
    reads its data through it (a Drive mounted, then read from: MLP301 says where)."""
    if not rule.platform or rule.platform != context.platform:
        return False
    mount = call.arguments[0] if call.arguments else None
    if not isinstance(mount, str) or not mount:
        return True
    under = [
        string.value
        for view in context.code_cells
        for string in view.facts.strings
        if string.value.startswith(mount.rstrip("/"))
    ]
    return len(under) <= 1  # the mount point itself


def _created_at_home(literal: StringLiteral | None) -> bool:
    """`MNIST('~/data', download=True)`: the dataset's folder under whoever's home runs it,
    created by the library (`/home/alice/data` would still be one user's)."""
    return literal is not None and literal.created and literal.value.startswith("~")


def _environment_call(name: str, call: Call) -> EnvironmentCall | None:
    if name.startswith("dbutils."):
        return DATABRICKS
    rule = ENVIRONMENT_CALLS.get(name)
    if rule is None or rule.path_argument is None:
        return rule
    arguments = call.arguments
    argument = arguments[rule.path_argument] if len(arguments) > rule.path_argument else None
    return rule if isinstance(argument, str) and is_absolute(argument) else None


def _changes_directory_to_machine_folder(magic: Magic, platform: str) -> bool:
    """`%cd /abs`, `%cd ~` and a bare `%cd` (the home folder) depend on the machine; a
    notebook made for a service may move into that service's folders (`/kaggle/working`)."""
    target = magic.args.strip("'\" ")
    if magic.kind is not MagicKind.LINE or magic.name != "cd":
        return False
    found = find_machine_path(target, whole=True) if target else None
    return not (platform and found is not None and found.platform == platform) and (
        not target or is_absolute(target)
    )
