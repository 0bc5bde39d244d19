"""MLP206: requirements that name something other than the distribution the code needs."""

from __future__ import annotations

import re
from collections.abc import Iterator

from packaging.utils import canonicalize_name

from mlpizza_lint.analysis.context import LintContext
from mlpizza_lint.analysis.distributions import ImportNames
from mlpizza_lint.analysis.inline_installs import (
    installs_by_cell,
)
from mlpizza_lint.analysis.installs import PIP_MANAGERS, is_local_path
from mlpizza_lint.diagnostics import Applicability, Fix, Severity
from mlpizza_lint.fixing.pinning import PLAIN_NAME
from mlpizza_lint.rules.base import Finding, Rule
from mlpizza_lint.spans import Edit, Span

# Names on the index that refuse to install and say what to use instead (their own error
# messages on PyPI): not in the import table as import names, so listed here.
PLACEHOLDERS = {"sklearn": "scikit-learn", "pytorch": "torch"}
# Import names people declare as if they were distributions, where the index has nothing
# of that name or an unrelated package (`fitz`, `serial`, `attr`): checked against the
# import table for the distribution to use. A curated list, because a less known name
# outside the table may be a real distribution of its own (`Cheetah`, `delta`); `dotenv` is
# not in it: its releases depend on python-dotenv, so declaring it installs the right one.
MISTAKEN_IMPORTS = frozenset(
    {"cv2", "pil", "yaml", "skimage", "dateutil", "docx", "pptx", "fitz", "crypto"}
    | {"attr", "git", "openssl", "mysqldb", "win32api", "win32con", "zmq", "gi", "wx"}
    | {"umap", "faiss", "surprise", "serial", "magic", "telegram", "ee", "samgeo", "sentencepiece"}
)
URL_NEXT = frozenset({":", "+"})
SHIM_RELEASE = re.compile(r"==\s*0\.0(\.0)?\s*($|;|#)")
VERSIONED = re.compile(r"[<>=~!]=?\s*\d")  # after `http`, `git`: the name was a URL scheme
# Conda's own packages are named by conda, not by PyPI (`pytorch`, `pyyaml`, `opencv`).
CONDA = "conda"


class NotADistribution(Rule):
    """A requirement that names a module, not the distribution that provides it.

    ## What it does
    Reports requirements, in dependency files and in pip installs inside notebooks, that
    name a module of Python's standard library (`datetime`, `os`, `json`; one with an
    environment marker such as `dataclasses; python_version < "3.7"` is a backport and
    is left alone), a placeholder the index keeps so that installing it fails with a
    pointer to the real name (`sklearn` is scikit-learn, `pytorch` is torch), or an
    import name whose distribution is called otherwise (`cv2` is opencv-python, `PIL` is
    pillow, `yaml` is PyYAML; a curated list of the names people mistake, each checked
    against the linter's import-name table). Conda's own package lists are not checked:
    conda names packages its own way.

    ## Why is this bad?
    pip installs whatever carries that name on the index, which is an unrelated, often
    obsolete package (`datetime` is Zope's), or fails: the environment never gets the
    package the code imports, and `ModuleNotFoundError` follows.

    ## Fix
    Safe where the replacement is certain: the distribution replaces the name, keeping
    extras and markers (`sklearn` becomes `scikit-learn`). Unsafe when the requirement
    gives a version (it was written for the other name and need not exist for this one)
    or several distributions provide the module (`cv2`: opencv-python first, or its
    headless and contrib builds). A standard-library name gets no fix: remove the line.
    `sklearn==0.0`, the old shim that still installs scikit-learn, is not reported.
    """

    code = "MLP206"
    name = "not-a-distribution"
    severity = Severity.ERROR
    fix_title = "Name the distribution instead"
    fix_applicability = Applicability.SAFE
    example_file = "requirements.txt"
    bad = (
        "pandas==2.2.2\nsklearn==1.4.2  # error: [MLP206]\ndatetime  # error: [MLP206]\n"
        "cv2  # error: [MLP206]\n",
    )
    good = ("pandas==2.2.2\nscikit-learn==1.4.2\nopencv-python\n",)

    def check(self, context: LintContext) -> Iterator[Finding]:
        names = context.import_names
        dependencies = context.document.dependencies
        for declared in dependencies.declared if dependencies is not None else ():
            if declared.source == CONDA or declared.name is None or is_local_path(declared.text):
                continue
            problem = _problem(declared.text, names)
            if problem is not None:
                span = Span(declared.line, declared.column, declared.line, declared.end_column)
                message, replacement = problem
                yield Finding(1, span, message, _replace(declared.text, span, replacement))
        for view in context.code_cells:
            for install in installs_by_cell(context)[view.cell.index]:
                if install.command.manager not in PIP_MANAGERS:
                    continue
                for package in install.command.packages:
                    problem = _problem(package, names)
                    if problem is not None:
                        yield Finding(view.cell.index, install.span, problem[0])


Replacement = tuple[str, Applicability] | None


def _problem(requirement: str, names: ImportNames) -> tuple[str, Replacement] | None:
    """What is wrong with the name the requirement gives, and what should replace it."""
    written = PLAIN_NAME.match(requirement.strip())
    if written is None or requirement.strip()[written.end() : written.end() + 1] in URL_NEXT:
        return None  # `git+https://...`, `http://host/pkg.whl`: a URL, not a name
    name = written.group().partition("[")[0]
    canonical = canonicalize_name(name)
    if names.in_python(name.replace("-", "_")) and ";" not in requirement:
        return (
            f"`{name}` is a module of Python's standard library, not a distribution: pip "
            "installs an unrelated package of that name, or fails; remove the requirement",
            None,
        )
    if canonical in PLACEHOLDERS:
        if SHIM_RELEASE.search(requirement):
            return None  # `sklearn==0.0`: the old shim, which still installs scikit-learn
        real = PLACEHOLDERS[canonical]
        return _named_otherwise(name, real, "a placeholder that refuses to install"), (
            real,
            _safety(requirement, Applicability.SAFE),
        )
    if name.lower() not in MISTAKEN_IMPORTS or names.is_distribution(name):
        return None
    providers = names.distributions_of_import(name)
    if not providers or canonicalize_name(providers[0]) == canonical:
        return None
    safety = Applicability.SAFE if len(providers) == 1 else Applicability.UNSAFE
    return _named_otherwise(name, providers[0], "the name you import"), (
        providers[0],
        _safety(requirement, safety),
    )


def _safety(requirement: str, otherwise: Applicability) -> Applicability:
    """A version written for the wrong name need not exist for the right one."""
    return Applicability.UNSAFE if VERSIONED.search(requirement) else otherwise


def _named_otherwise(name: str, real: str, what: str) -> str:
    return (
        f"`{name}` is {what}, not the distribution: pip does not install `{real}` for it; "
        f"require `{real}`"
    )


def _replace(text: str, span: Span, replacement: Replacement) -> Fix | None:
    if replacement is None:
        return None
    real, safety = replacement
    written = PLAIN_NAME.match(text)
    if written is None:
        return None
    name = written.group().partition("[")[0]
    edit = Edit(None, Span(span.line, span.column, span.line, span.column + len(name)), real)
    return Fix(f"Require `{real}` instead of `{name}`", safety, (edit,))
