"""The paths a script's `main()` reads and writes, lifted into command-line options.

A path is a string literal that MLP301 reports (a folder of one machine), or the path
argument of a call that opens, reads, writes or lists files (`pd.read_csv("data.csv")`,
`df.to_csv("preds/out.csv")`, `Path("data")`). Each distinct path becomes one parameter of
`main()` and one option whose default is the literal as it was written; it is named after
the constant it is assigned to (`DATA_PATH = "..."` gives `--data-path`) or else after the
file (`train.csv` gives `--train-csv`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

import libcst as cst
from libcst.helpers import get_full_name_for_node

from mlpizza_lint.analysis.machine_paths import find_machine_path, looks_like_regex
from mlpizza_lint.analysis.path_candidates import takes_no_path
from mlpizza_lint.extract.model import Message
from mlpizza_lint.extract.naming import free_name, identifier

# Calls (qualified name, or the method name for any object) -> position of the path argument.
PATH_ARGUMENTS: dict[str, int] = {
    "open": 0,
    "pathlib.Path": 0,
    "read_csv": 0,
    "read_table": 0,
    "read_excel": 0,
    "read_json": 0,
    "read_parquet": 0,
    "read_feather": 0,
    "read_pickle": 0,
    "read_hdf": 0,
    "to_csv": 0,
    "to_excel": 0,
    "to_json": 0,
    "to_parquet": 0,
    "to_feather": 0,
    "to_pickle": 0,
    "to_hdf": 0,
    "load": 0,
    "save": 0,
    "torch.save": 1,
    "joblib.dump": 1,
    "savez": 0,
    "savez_compressed": 0,
    "loadtxt": 0,
    "savetxt": 0,
    "genfromtxt": 0,
    "savefig": 0,
    "imread": 0,
    "imwrite": 0,
    "imsave": 0,
    "load_model": 0,
    "listdir": 0,
    "makedirs": 0,
    "mkdir": 0,
    "ZipFile": 0,
    "File": 0,
}
PATH_KEYWORDS = frozenset(
    {"path", "filepath", "file", "fname", "filename", "filepath_or_buffer", "path_or_buf"}
)
NOT_A_FILE = re.compile(r"://|[*?\n]|^\s*$")
Qualify = Callable[[str], str]


@dataclass(frozen=True)
class PathOption:
    parameter: str
    literal: str  # as written, quotes included
    cell: int

    @property
    def flag(self) -> str:
        return "--" + self.parameter.replace("_", "-")


@dataclass
class PathOptions:
    """One option per distinct path value, in the order the script uses them."""

    taken: set[str]
    qualify: Qualify
    allowed: tuple[str, ...] = ()
    by_value: dict[str, PathOption] = field(default_factory=dict)
    notes: list[Message] = field(default_factory=list)

    def lift(self, module: cst.Module, cell: int) -> cst.Module:
        return module.visit(_Lifter(self, cell))

    def excluded(self, call: str | None) -> bool:
        """Arguments of calls that take patterns or messages, or that MLP302 reports."""
        return takes_no_path(self.qualify(call) if call else "")

    def is_path(self, value: str, call: str | None, argument: int | str | None) -> bool:
        if self.excluded(call) or looks_like_regex(value):
            return False
        qualified = self.qualify(call) if call else ""
        found = find_machine_path(value, self.allowed, whole=True)
        if found is not None and found.path == value.strip():
            return True
        if not call or NOT_A_FILE.search(value):
            return False
        position = PATH_ARGUMENTS.get(qualified, PATH_ARGUMENTS.get(call.rsplit(".", 1)[-1]))
        return position is not None and argument in (position, *PATH_KEYWORDS)

    def option(self, value: str, literal: str, hint: str | None, cell: int) -> PathOption:
        if value not in self.by_value:
            name = identifier(hint or re.split(r"[\\/]", value.rstrip("/\\"))[-1], "path")
            parameter = free_name(name, self.taken)
            if parameter != name and not name.endswith("path"):
                parameter = free_name(f"{name}_path", self.taken)
            self.taken.add(parameter)
            self.by_value[value] = PathOption(parameter, literal, cell)
        return self.by_value[value]


class _Lifter(cst.CSTTransformer):
    """Replaces path literals by the parameter that now holds them."""

    def __init__(self, options: PathOptions, cell: int) -> None:
        super().__init__()
        self.options = options
        self.cell = cell
        self.arguments: dict[int, tuple[str | None, int | str]] = {}
        self.hints: dict[int, str] = {}

    def visit_Call(self, node: cst.Call) -> None:
        name = get_full_name_for_node(node.func)
        positional = [arg for arg in node.args if arg.keyword is None and not arg.star]
        for position, arg in enumerate(positional):
            self.arguments[id(arg.value)] = (name, position)
        for arg in node.args:
            if arg.keyword is not None:
                self.arguments[id(arg.value)] = (name, arg.keyword.value)

    def visit_Assign(self, node: cst.Assign) -> None:
        """`DATA = "x.csv"` and `DATA = Path("x")` name the option after `DATA`."""
        if len(node.targets) != 1 or not isinstance(node.targets[0].target, cst.Name):
            return
        value = node.value
        if isinstance(value, cst.Call) and value.args:
            name = get_full_name_for_node(value.func)
            if name is None or self.options.qualify(name) != "pathlib.Path":
                return
            value = value.args[0].value
        self.hints[id(value)] = node.targets[0].target.value

    def visit_ConcatenatedString(self, node: cst.ConcatenatedString) -> bool:
        return False

    def visit_MatchValue(self, node: cst.MatchValue) -> bool:
        """A name in a `case` pattern would capture anything: its literal stays."""
        return False

    def visit_FormattedString(self, node: cst.FormattedString) -> bool:
        text = "".join(
            part.value if isinstance(part, cst.FormattedStringText) else "{}" for part in node.parts
        )
        found = find_machine_path(text, self.options.allowed, whole=True)
        if found is not None:
            self.options.notes.append(
                Message(self.cell, f"`{found.path}` is built by an f-string: not an option")
            )
        return False

    def leave_SimpleString(
        self, original_node: cst.SimpleString, updated_node: cst.SimpleString
    ) -> cst.BaseExpression:
        value = original_node.evaluated_value
        if not isinstance(value, str):
            return updated_node
        call, argument = self.arguments.get(id(original_node), (None, None))
        if not self.options.is_path(value, call, argument):
            return updated_node
        hint = self.hints.get(id(original_node))
        option = self.options.option(value, original_node.value, hint, self.cell)
        return cst.Name(option.parameter)
