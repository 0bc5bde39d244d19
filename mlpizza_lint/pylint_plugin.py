"""Our source rules inside pylint: `pylint --load-plugins=mlpizza_lint.pylint_plugin`.

For plain `.py` files (and `# %%` scripts) pylint users get inline installs, hardcoded
machine paths and environment-specific calls reported as pylint messages, with the same
logic as `mlpizza-lint` itself.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from astroid import nodes
from pylint.checkers import BaseRawFileChecker

from mlpizza_lint.config import find_settings
from mlpizza_lint.engine import lint_document
from mlpizza_lint.notebook.documents import DocumentError, load_document
from mlpizza_lint.rules import Rule

if TYPE_CHECKING:
    from pylint.lint import PyLinter

# Our code -> pylint message id: plugins use 9xxx, one checker shares the 92 prefix.
MESSAGE_IDS = {"MLP201": "W9201", "MLP301": "W9231", "MLP302": "W9232"}


class MlpizzaChecker(BaseRawFileChecker):
    name = "mlpizza-lint"
    msgs = {  # noqa: RUF012 - pylint's checker API declares messages as a class attribute
        message_id: (
            "%s",
            Rule.registry[code].name,
            f"{Rule.registry[code].summary()} See `mlpizza-lint rule {code}`.",
        )
        for code, message_id in MESSAGE_IDS.items()
    }

    def process_module(self, node: nodes.Module) -> None:
        if not node.file:
            return
        try:
            document = load_document(node.file)
        except DocumentError:
            return  # pylint reports unreadable files itself
        settings = find_settings(Path(node.file))
        diagnostics = lint_document(document, settings, frozenset(MESSAGE_IDS))
        for diagnostic in diagnostics:
            self.add_message(
                MESSAGE_IDS[diagnostic.code],
                line=diagnostic.span.line,
                col_offset=diagnostic.span.column - 1,
                end_lineno=diagnostic.span.end_line,
                end_col_offset=diagnostic.span.end_column - 1,
                args=(diagnostic.message,),
            )


def register(linter: PyLinter) -> None:
    linter.register_checker(MlpizzaChecker(linter))
