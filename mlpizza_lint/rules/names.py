"""MLP101-MLP103: names a cell needs that running the notebook top to bottom will not have."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from mlpizza_lint.analysis.context import LintContext
from mlpizza_lint.analysis.execution_record import ExecutionRecord, is_exercise
from mlpizza_lint.analysis.namespace import Found, NotebookNames
from mlpizza_lint.diagnostics import Applicability, Fix, Severity
from mlpizza_lint.rules.base import Finding, Rule
from mlpizza_lint.spans import CellMove

# Names people expect to exist and that a notebook does not have, with what to do instead.
NOT_IN_NOTEBOOKS = {
    "__file__": "a notebook has no `__file__`: use `Path.cwd()` or a path relative to the "
    "project, or move this code into a module",
}


# Python files that are fragments of a notebook, `%load`ed into it (course solutions,
# snippets): they read the notebook's names, so they are not checked on their own.
# `x = np.sum(____)`: a blank for a student to fill (`_`, `__`, `___` are IPython's outputs).
EXERCISE_BLANK = re.compile(r"_{4,}")
NAME_ERROR = re.compile(r"name '(\w+)' is not defined")
SNIPPET_FOLDERS = frozenset({"solutions", "solution", "exercises", "snippets", "answers"})
SNIPPET_NAME = re.compile(r"(^|_)(sol|solution|answer)s?(_|\d|$)", re.IGNORECASE)


def is_snippet(context: LintContext) -> bool:
    path = Path(context.document.path)
    if context.document.is_notebook or path.suffix != ".py":
        return False
    folders = {part.lower() for part in path.parent.parts}
    return bool(folders & SNIPPET_FOLDERS) or bool(SNIPPET_NAME.search(path.stem))


class UseBeforeDefine(Rule):
    """A name read in a cell but first bound in a later cell.

    ## What it does
    Follows the notebook's namespace from the first cell to the last and reports a name
    that a cell reads when no cell above it (and not the cell itself) has bound it, but a
    cell below does. Reads inside function bodies are checked when the function is called
    (see MLP103). After a star import (`from x import *`, `%pylab`, `%run`) names may come
    from anywhere and are not reported, nor is a cell saved with that very `NameError` that
    the markdown beside it announces or explains (a lesson that shows the error), nor a
    name whose later binding is in a cell with a syntax error (that cell cannot run:
    MLP000 reports it, and moving it would not help).

    ## Why is this bad?
    The notebook only worked because the cells ran in another order: "Restart and run all"
    stops with a `NameError` at this cell.

    ## Fix
    Unsafe: move the defining cell just above the first cell that uses it, when that
    changes nothing else, that is when the moved cell needs nothing defined by the cells
    it jumps over and rebinds nothing they define or read. Unsafe because the moved cell
    may also have effects the analysis cannot see (files written, random state).
    """

    code = "MLP101"
    name = "use-before-define"
    severity = Severity.ERROR
    fix_title = "Move the defining cell above the first use"
    fix_applicability = Applicability.UNSAFE
    bad = (
        "# %% [1]\nimport pandas as pd\n"
        "# %% [4]\nscores = evaluate(model, test)  # error: [MLP101]\n"
        "# %% [2]\ntest = pd.read_csv('test.csv')\n"
        "# %% [3]\ndef evaluate(model, data):\n    return model.score(data)\n"
        "model = train(test)\n",
    )
    good = (
        "# %% [1]\nimport pandas as pd\n"
        "# %% [2]\ntest = pd.read_csv('test.csv')\n"
        "# %% [3]\ndef evaluate(model, data):\n    return model.score(data)\n"
        "# %% [4]\nfor total in range(3):\n    total += 1\n",
    )

    def check(self, context: LintContext) -> Iterator[Finding]:
        if is_snippet(context) or is_exercise(context):
            return
        lessons = _lessons(context)
        broken = {view.cell.index for view in context.code_cells if view.facts.syntax_error}
        for lookup in context.shared(NotebookNames).lookups():
            if lookup.binder in broken:
                continue  # a cell that cannot run binds nothing; MLP000 reports it
            if lookup.found is Found.LATER and (lookup.cell.index, lookup.use.name) not in lessons:
                where = (
                    "is used here before this cell defines it"
                    if lookup.binder == lookup.cell.index
                    else f"is used here but first defined in cell {lookup.binder}"
                )
                yield Finding(
                    lookup.cell.index,
                    lookup.use.span,
                    f"`{lookup.use.name}` {where}: "
                    "run top to bottom, this cell fails with a NameError",
                    self._move(context, lookup.binder, lookup.cell.index),
                )

    def _move(self, context: LintContext, binder: int | None, user: int) -> Fix | None:
        names = context.shared(NotebookNames)
        movable = context.document.is_notebook and binder is not None and binder != user
        if binder is None or not movable or not names.can_move_above(binder, user):
            return None
        return Fix(
            f"Move cell {binder} above cell {user}",
            Applicability.UNSAFE,
            move=CellMove(cell=binder, before=user),
        )


def _lessons(context: LintContext) -> set[tuple[int, str]]:
    """(cell, name) of each NameError a cell was saved with on purpose: a lesson that
    shows the error, announced or explained by the markdown beside it."""
    return {
        (run.index, match[1])
        for run in context.shared(ExecutionRecord.of).runs
        if run.expects_error
        for exception in run.exceptions
        if exception.name == "NameError" and (match := NAME_ERROR.search(exception.text))
    }


class UndefinedName(Rule):
    """A name read but bound nowhere in the notebook.

    ## What it does
    Reports names read at notebook scope or inside a function that no cell binds and that
    are neither Python builtins nor names IPython provides (`display`, `get_ipython`, `In`,
    `Out`, `_`, `_i3`, ...). Python files that are fragments `%load`ed into a notebook
    (in a `solutions/`, `exercises/` or `snippets/` folder, or named like `sol_2.py`) read
    the notebook's names and are not checked, here and in MLP101; nor are exercise
    notebooks left for a student to complete (`# <your code>`, `# YOUR CODE HERE`,
    `x = ___`: the names their blanks bind are missing by design, said in a note) and
    excerpts (a cell that never ran and starts indented, a function body quoted for
    reading). Names bound by magics count (`x = !ls`, `%%capture out`, `%store -r x`), and
    so do those a kernel predefines (Databricks' `spark` and `dbutils`, in its notebooks and
    in its `.py` exports, whose `# MAGIC %run ./x` is a `%run`). After a star import (or an
    `exec` of code into the notebook's namespace) nothing is reported. `__file__`, which
    scripts have and notebooks do not, is reported with a hint.

    ## Why is this bad?
    The name came from a cell since deleted, from a variable created in the console, or
    from a typo: the notebook cannot run for anyone else.

    ## Fix
    None: define the name, import it, or correct it.
    """

    code = "MLP102"
    name = "undefined-name"
    severity = Severity.ERROR
    bad = (
        "# %% [1]\nimport numpy as np\n"
        "# %% [2]\nfeatures = np.log1p(raw_df)  # error: [MLP102]\n"
        "# %% [3]\nhere = __file__  # error: [MLP102]\n",
    )
    good = (
        "# %% [1]\nimport numpy as np\nfiles = !ls\n"
        "# %% [2]\ndisplay(np.arange(3))\nprint(len(files), _)\n",
        "# %% [1]\nfrom pylab import *\n# %% [2]\nplot(linspace(0, 1))\n",
    )

    def check(self, context: LintContext) -> Iterator[Finding]:
        if is_snippet(context) or is_exercise(context):
            return
        names = context.shared(NotebookNames)
        for lookup in names.lookups():
            if lookup.found is Found.UNDEFINED and not EXERCISE_BLANK.fullmatch(lookup.use.name):
                yield Finding(lookup.cell.index, lookup.use.span, _undefined(lookup.use.name))
        if names.star_cells():
            return
        for cell in names.cells:
            for use in () if cell.excerpt else cell.view.facts.names.deferred_reads:
                if use.name not in names.binders and not names.always_defined(use.name):
                    yield Finding(cell.index, use.span, _undefined(use.name))

    def notes(self, context: LintContext) -> Iterator[str]:
        if context.document.is_notebook and is_exercise(context):
            yield (
                "an exercise notebook (`# YOUR CODE HERE`, `<your code>`, `___`): names its "
                "blanks are to bind are not reported as undefined or used before definition"
            )
            return
        for cell in context.shared(NotebookNames).star_cells()[:1]:
            document = context.document
            where = (
                f"from cell {cell.index} on, where"
                if document.is_notebook or len(document.cells) > 1
                else "in this file:"
            )
            yield f"undefined names are not reported {where} `{cell.star}` may bind any name"


def _undefined(name: str) -> str:
    reason = NOT_IN_NOTEBOOKS.get(name, "it is not defined in any cell, builtins or IPython")
    return f"`{name}` is undefined: {reason}"


class DeferredUseBeforeDefine(Rule):
    """A function called in a cell reads a global that is first bound after that cell.

    ## What it does
    For each call, at notebook scope, of a function defined in the notebook, collects the
    globals its body reads (following calls to other notebook functions) and reports the
    call when one of them is bound only by a later cell. Calling a notebook class runs its
    `__init__`, `__new__` and `__post_init__`, so their reads count for the call.

    ## Why is this bad?
    Defining the function works, but calling it runs its body: top to bottom, the call
    raises a `NameError` because the global it needs does not exist yet.

    ## Fix
    None yet: define the global above the call, or pass it as an argument.
    """

    code = "MLP103"
    name = "deferred-use-before-define"
    severity = Severity.ERROR
    bad = (
        "# %% [1]\ndef scale(values):\n    return [v / norm for v in values]\n"
        "# %% [3]\nscaled = scale([1, 2, 3])  # error: [MLP103]\n"
        "# %% [2]\nnorm = 10\n",
    )
    good = (
        "# %% [1]\ndef scale(values):\n    return [v / norm for v in values]\n"
        "# %% [2]\nnorm = 10\n"
        "# %% [3]\nscaled = scale([1, 2, 3])\n",
    )

    def check(self, context: LintContext) -> Iterator[Finding]:
        names = context.shared(NotebookNames)
        if names.star_cells():
            return
        defined: set[str] = set()
        for cell in names.cells:
            for call in cell.view.facts.names.calls:
                for read in names.deferred_reads(call.name, cell.index):
                    later = [i for i in names.binders.get(read.name, []) if i > cell.index]
                    visible = read.name in defined or read.name in cell.bound
                    if not visible and later and not names.always_defined(read.name):
                        yield Finding(
                            cell.index,
                            call.span,
                            f"`{call.name}` reads `{read.name}`, which is first defined in "
                            f"cell {later[0]}, after this call: define it above or pass it in",
                        )
                        break
            defined |= cell.bound  # in place: a copy per cell is quadratic on long notebooks
            defined -= cell.deleted
