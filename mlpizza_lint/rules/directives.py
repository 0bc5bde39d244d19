"""MLP900: the tool's own `# noqa` comments, judged after every other rule has run."""

from __future__ import annotations

import re
from collections.abc import Iterator

from mlpizza_lint.analysis.context import LintContext
from mlpizza_lint.analysis.suppression import Directive, Silenced
from mlpizza_lint.diagnostics import Applicability, Fix
from mlpizza_lint.rules.base import Finding, Rule
from mlpizza_lint.spans import Edit, Span

OURS = re.compile(r"MLP\d+")  # flake8's E501 and the like are theirs to judge


class UnusedNoqa(Rule):
    """A `# noqa` code that silences no finding.

    ## What it does
    Reports each code of a `# noqa: CODE` comment for which no finding of that rule is on
    the line, each code of a cell's `# mlpizza-lint: noqa: CODE` for which the cell has no
    finding of that rule, codes of rules not enabled for the file (the comment does nothing
    under this configuration), and codes that name no rule (`MLP999`), as ruff's RUF100
    does. Only this tool's codes are judged: `# noqa: E501` belongs to flake8 and a bare
    `# noqa` to every linter. Off by default, as RUF100 is: turn it on with
    `--extend-select MLP900`.

    ## Why is this bad?
    A `# noqa` outlives the problem it silenced. Left behind, it hides the next real
    finding on that line: it says "checked, fine" about code that nobody checked.

    ## Fix
    Safe: remove the unused codes, or the whole comment when none is left.
    """

    code = "MLP900"
    name = "unused-noqa"
    enabled_by_default = False
    judges_directives = True
    fix_title = "Remove the unused codes"
    fix_applicability = Applicability.SAFE
    bad = ("# %% [1]\nimport os\nprint(os.sep)  # noqa: MLP301  # error: [MLP900]\n",)
    good = ("# %% [1]\nimport os\nprint(os.sep)\n",)

    def check(self, context: LintContext) -> Iterator[Finding]:
        silenced = context.silenced
        if silenced is None:
            return
        for cell, suppressions in silenced.by_cell.items():
            source = context.document.cells[cell - 1].source
            for directive in suppressions.directives:
                reasons = _reasons(directive, cell, silenced)
                if reasons:
                    yield Finding(
                        cell,
                        directive.span,
                        _message(reasons, directive),
                        self._fix(cell, source, directive, set(reasons)),
                    )

    def _fix(self, cell: int, source: str, directive: Directive, dropped: set[str]) -> Fix:
        kept = [code for code in directive.codes if code not in dropped]
        if kept:
            edit = Edit(cell, directive.codes_span, ", ".join(kept))
        else:
            edit = Edit(cell, _with_space_before(source, directive.span), "")
        return Fix(self.fix_title or "", Applicability.SAFE, edits=(edit,))


def _reasons(directive: Directive, cell: int, silenced: Silenced) -> dict[str, str]:
    """Each code of ours the directive lists in vain -> why, in the order written."""
    reasons = {}
    for code in directive.codes:
        if not OURS.fullmatch(code):
            continue
        if code not in Rule.registry:
            reasons[code] = "names no rule"
        elif code not in silenced.enabled:
            reasons[code] = "is not enabled"
        elif not silenced.used(cell, directive, code):
            where = "in this cell" if directive.whole_cell else "on this line"
            reasons[code] = f"silences nothing {where}"
    return reasons


def _message(reasons: dict[str, str], directive: Directive) -> str:
    parts = "; ".join(f"`{code}` {why}" for code, why in reasons.items())
    return f"unused `# noqa`: {parts}; remove what the comment no longer needs"


def _with_space_before(source: str, span: Span) -> Span:
    """The comment and the blanks before it, so that no trailing whitespace is left."""
    line = source.splitlines()[span.line - 1]
    start = len(line[: span.column - 1].rstrip()) + 1
    if start == 1:  # a comment alone on its line: the line's indentation goes too
        return Span(span.line, 1, span.end_line, span.end_column)
    return Span(span.line, start, span.end_line, span.end_column)
