"""MLP208-MLP209: library APIs that fail although the import works: removed ones, and
ones that need a distribution the project does not declare."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path, PurePath

from packaging.utils import canonicalize_name

from mlpizza_lint.analysis.context import CellView, LintContext, line_span
from mlpizza_lint.analysis.inline_installs import (
    installed_constraints,
)
from mlpizza_lint.analysis.library_apis import (
    OPTIONAL_DEPENDENCIES,
    REMOVED_APIS,
    OptionalDependency,
    RemovedApi,
)
from mlpizza_lint.analysis.project import admits_from
from mlpizza_lint.diagnostics import Applicability, Fix, Severity
from mlpizza_lint.fixing.lifting import span_text
from mlpizza_lint.rules.base import Finding, Rule
from mlpizza_lint.rules.requirements import HOSTED_STACKS, declare_fix, installed_inline
from mlpizza_lint.spans import Edit, Span

NAMES = {row.api: row for row in REMOVED_APIS if row.keyword is None and row.argument is None}
KEYWORDS = {(row.api, row.keyword): row for row in REMOVED_APIS if row.keyword is not None}
VALUES = {row.api: row for row in REMOVED_APIS if row.argument is not None}

ARCHIVE_FOLDERS = frozenset({"archive", "archived", "deprecated", "legacy"})
ARCHIVE_NOTE = re.compile(
    r"\b(for archive only|archived|deprecated notebook|no longer maintained)\b"
    r"|\bnot (be )?expect(ed)? (it )?to run\b",
    re.IGNORECASE,
)
ARCHIVE_NOTE_CELLS = 5


class RemovedApiUse(Rule):
    """A library API the library has removed, in a project that may install a later version.

    ## What it does
    Reports names, calls, keyword arguments and imports of APIs that a library removed
    (NumPy's `np.float` and `np.NaN`, pandas' `read_csv(error_bad_lines=...)` and `pd.np`,
    scikit-learn's `load_boston` and `sklearn.cross_validation`, TensorFlow 1's
    `tf.Session` and `tf.placeholder`, ...), read from one table that names, for each, the
    version that removed it and the page that documents the removal. Names are resolved
    through the notebook's imports (`np` is `numpy` after `import numpy as np`). Nothing
    is reported when the project's declarations keep the library below that version
    (`pandas==1.5.3`, `numpy<1.24`, Poetry's `^1.5`), nor when the notebook installs such
    a version itself, nor on a path that runs only on old versions: a branch of an `if`
    on a version (`if tf.__version__ < "2": tf.Session()`), or the handler of a `try`
    whose body uses the newer API. Notebooks kept for the record are not checked: in an
    `archived/`, `deprecated/` or `legacy/` folder, or saying so near the top ("for
    archive only", "do not expect it to run").

    ## Why is this bad?
    Installed today, the library no longer has the API, and the notebook fails with
    `AttributeError`, `ImportError` or `TypeError` on a line that once worked: in a
    clean environment, removed APIs are a common first failure of older notebooks.

    ## Fix
    Safe where the replacement is one for one and keeps behaviour (`np.float` becomes
    `float`, `np.NaN` becomes `np.nan`, `tf.Session` becomes `tf.compat.v1.Session`);
    otherwise none, and the message says what to use instead.
    """

    code = "MLP208"
    name = "removed-api"
    severity = Severity.ERROR
    needs_project = True
    fix_title = "Use the replacement"
    fix_applicability = Applicability.SAFE
    bad = (
        "# %%\nimport numpy as np\nimport pandas as pd\n"
        "# %%\nweights = np.ones(3, dtype=np.float)  # error: [MLP208]\n"
        "frame = pd.read_csv('scores.csv', error_bad_lines=False)  # error: [MLP208]\n",
    )
    good = (
        "# %%\nimport numpy as np\nimport pandas as pd\n"
        "# %%\nweights = np.ones(3, dtype=float)\n"
        "frame = pd.read_csv('scores.csv', on_bad_lines='skip')\n",
    )

    def check(self, context: LintContext) -> Iterator[Finding]:
        if _archived(context):
            return
        project = context.project.project if context.project is not None else None
        installed = installed_constraints(context)
        for view in context.python_cells():
            for row, span, written in _uses(context, view):
                if span.line in view.facts.version_gated:
                    continue  # the old API on an old version's path: written for both
                if project is not None and not project.admits(row.distribution, row.removed_in):
                    continue
                constraint = installed.get(canonicalize_name(row.distribution))
                if constraint is not None and not admits_from(constraint, row.removed_in):
                    continue
                yield Finding(
                    view.cell.index,
                    span,
                    f"`{written}` was removed in {row.distribution} {row.removed_in}, and "
                    f"nothing the project declares keeps an older {row.distribution}: use "
                    f"{_quoted(row.instead)} ({row.source})",
                    _fix(context, view, row, span, written),
                )


def _archived(context: LintContext) -> bool:
    """Kept for the record, said by its folder (`archived/`) or its text ("for archive
    only", "deprecated"): not expected to run on today's libraries."""
    folders = {part.lower() for part in PurePath(context.document.path).parts[:-1]}
    return bool(folders & ARCHIVE_FOLDERS) or any(
        ARCHIVE_NOTE.search(cell.source)
        for cell in context.document.cells[:ARCHIVE_NOTE_CELLS]
        if cell.kind == "markdown"
    )


def _ambiguous(context: LintContext) -> frozenset[str]:
    """Names imported as different things in different cells (`import datetime` and
    `from pandas import datetime`): what they mean depends on the cell, so they are skipped."""
    targets: dict[str, set[str]] = {}
    for view in context.code_cells:
        for imported in view.facts.imports:
            targets.setdefault(imported.local, set()).add(imported.target)
    return frozenset(name for name, found in targets.items() if len(found) > 1)


def _uses(context: LintContext, view: CellView) -> Iterator[tuple[RemovedApi, Span, str]]:
    seen: set[tuple[int, int]] = set()
    ambiguous = context.shared(_ambiguous)
    for attribute in view.facts.attributes:
        if attribute.name.split(".")[0] in ambiguous:
            continue
        qualified = context.qualified(attribute.name)
        row = _named(qualified)
        where = (attribute.span.line, attribute.span.column)
        if row is not None and where not in seen:
            seen.add(where)
            yield row, attribute.span, attribute.name
    for call in view.facts.calls:
        if call.name.split(".")[0] in ambiguous:
            continue
        qualified = context.qualified(call.name)
        for keyword, _ in call.keywords:
            row = KEYWORDS.get((qualified, keyword))
            if row is not None:
                yield row, call.span, f"{call.name}({keyword}=...)"
        valued = VALUES.get(qualified)
        first = call.arguments[0] if call.arguments else None
        pattern = valued.argument if valued is not None else None
        if (
            valued is not None
            and pattern
            and isinstance(first, str)
            and re.fullmatch(pattern, first)
        ):
            yield valued, call.span, f"{call.name}({first!r})"
    for imported in view.facts.imports:
        row = _named(imported.target)
        if row is not None:
            yield row, line_span(view.cell, imported.line), imported.target


def _named(qualified: str) -> RemovedApi | None:
    """The row of `qualified` or of a module or class it is inside (`tensorflow.contrib.x`)."""
    parts = qualified.split(".")
    return next(
        (row for end in range(2, len(parts) + 1) if (row := NAMES.get(".".join(parts[:end])))),
        None,
    )


def _fix(
    context: LintContext, view: CellView, row: RemovedApi, span: Span, written: str
) -> Fix | None:
    """The one-for-one replacement, spelled with the notebook's own alias (`np.nan`)."""
    if row.rename is None or span_text(view.cell.source, span) != written:
        return None
    head = written.split(".")[0]
    target = context.qualified(head)
    renamed = row.rename + context.qualified(written)[len(row.api) :]
    if renamed == target or renamed.startswith(target + "."):
        renamed = head + renamed[len(target) :]
    return Fix(f"Use `{renamed}`", Applicability.SAFE, (Edit(view.cell.index, span, renamed),))


def _quoted(instead: str) -> str:
    return instead if instead.startswith("`") or " " in instead else f"`{instead}`"


METHODS = {row.api: row for row in OPTIONAL_DEPENDENCIES if not row.function}
FUNCTIONS = {row.api: row for row in OPTIONAL_DEPENDENCIES if row.function}


class OptionalDependencyUse(Rule):
    """A pandas call that needs a distribution the project does not declare.

    ## What it does
    Reports, once per distribution and notebook, calls that pandas serves by importing an
    optional distribution at call time (`read_excel` and `to_excel` need openpyxl,
    `read_parquet` pyarrow, `to_markdown` tabulate, `read_html` lxml, ...; pandas' list of
    optional dependencies is the source), in a notebook that imports pandas and a project
    that declares dependencies but none of the alternatives (`to_parquet` works with
    pyarrow or fastparquet). A project that declares nothing is MLP205's, and a Kaggle
    kernel or a Databricks export runs in the service's image, which has these engines.
    Methods are recognised by name (`df.to_excel(...)`), since objects are not typed here.

    ## Why is this bad?
    `import pandas` works in the declared environment, and the notebook fails halfway
    with `ImportError: Missing optional dependency 'openpyxl'`: an import-based check
    such as MLP204 cannot see it.

    ## Fix
    Unsafe: add the first alternative, pinned to the installed version, to the project's
    `requirements.txt`. Unsafe because the installed version need not be the tested one.
    """

    code = "MLP209"
    name = "optional-dependency"
    severity = Severity.ERROR
    enabled_by_default = False  # a declared package often brings the extra along (see page)
    needs_project = True
    fix_title = "Add the distribution to requirements.txt"
    fix_applicability = Applicability.UNSAFE
    example_file = "analysis.py"
    example_neighbours = {"requirements.txt": "pandas==2.2.2\n"}  # noqa: RUF012
    bad = (
        "import pandas as pd\n\nscores = pd.read_csv('scores.csv')\n"
        "scores.to_excel('scores.xlsx')  # error: [MLP209]\n",
    )
    good = (
        "import pandas as pd\n\nscores = pd.read_csv('scores.csv')\n"
        "scores.to_csv('scores.csv.gz')\n",
    )

    def check(self, context: LintContext) -> Iterator[Finding]:
        project = context.project
        if project is None or not project.declared or "pandas" not in _imported(context):
            return
        if context.platform in HOSTED_STACKS:
            return  # the service's image brings pandas' optional engines
        provided = project.declared | installed_inline(context)
        reported: set[str] = set()
        for view in context.python_cells():
            for call in view.facts.calls:
                row = _optional(context, call.name)
                if row is None or reported & set(row.distributions):
                    continue
                if {canonicalize_name(name) for name in row.distributions} & provided:
                    continue
                reported.add(row.distributions[0])
                where = ", ".join(Path(file).name for file in project.files)
                yield Finding(
                    view.cell.index,
                    call.span,
                    f"`{call.name}(...)` needs `{row.distributions[0]}` for {row.purpose}, "
                    f"which the project does not declare ({where}): pandas imports it only "
                    "when called; add it, pinned",
                    declare_fix(project, row.distributions[0]),
                )


def _imported(context: LintContext) -> frozenset[str]:
    return frozenset(
        imported.target.split(".")[0]
        for view in context.code_cells
        for imported in view.facts.imports
    )


def _optional(context: LintContext, name: str) -> OptionalDependency | None:
    qualified = context.qualified(name)
    return FUNCTIONS.get(qualified) or (
        METHODS.get(name.rpartition(".")[2]) if "." in name else None
    )
