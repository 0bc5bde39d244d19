"""What kind of failure a cell's exception is, and which static rules could foresee it.

One table row per kind: the exceptions (and message patterns) that make it, the rules
whose findings predict it, and how to pick the failing name, module or file out of the
message so a finding about that very name is preferred. The oracle benchmark counts by
these kinds too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from mlpizza_lint.verify.running import DEAD_KERNEL, Failure


@dataclass(frozen=True)
class FailureKind:
    name: str
    exceptions: frozenset[str]
    predicted_by: tuple[str, ...]
    subject: re.Pattern[str] | None = None  # group 1: the name, module or file
    message: re.Pattern[str] | None = None  # any exception whose message matches
    anywhere_in_cell: tuple[str, ...] = ()  # rules that predict it from any line of the cell


KINDS = (
    FailureKind(
        "missing module",
        frozenset({"ModuleNotFoundError"}),
        ("MLP208", "MLP204", "MLP205", "MLP201", "MLP302"),  # MLP208: a removed submodule
        re.compile(r"No module named '([\w.]+)'"),
        re.compile(r"^No module named '"),
        ("MLP302",),  # `from google.colab import drive` fails above `drive.mount(...)`
    ),
    FailureKind(
        "network",
        frozenset(
            {
                "URLError",
                "ConnectionError",
                "gaierror",
                "HTTPError",
                "SSLError",
                "MaxRetryError",
                "NewConnectionError",
                "ConnectTimeout",
                "ReadTimeout",
                "LocalEntryNotFoundError",
                "OfflineModeIsEnabled",
            }
        ),
        ("MLP304", "MLP201"),
        None,
        re.compile(
            r"Temporary failure in name resolution|Name or service not known"
            r"|Network is unreachable|Max retries exceeded|nodename nor servname"
        ),
    ),
    FailureKind(
        "missing file",
        frozenset({"FileNotFoundError", "IsADirectoryError", "NotADirectoryError"}),
        ("MLP301", "MLP303", "MLP302"),
        re.compile(r"No such file or directory: '([^']+)'"),
        re.compile(r"No such file or directory|does not exist"),
    ),
    FailureKind(
        "name error",
        frozenset({"NameError", "UnboundLocalError"}),
        ("MLP101", "MLP102", "MLP103", "MLP104"),
        re.compile(r"(?:name|variable) '(\w+)'"),
    ),
    FailureKind(
        "import error",
        frozenset({"ImportError"}),
        ("MLP208", "MLP204", "MLP101"),
        re.compile(r"cannot import name '(\w+)'"),
    ),
    FailureKind(
        "syntax error",
        frozenset({"SyntaxError", "IndentationError", "TabError"}),
        ("MLP000",),
    ),
    FailureKind(
        "removed API",
        frozenset({"AttributeError", "TypeError"}),
        ("MLP208", "MLP209"),
        re.compile(r"has no attribute '(\w+)'|unexpected keyword argument '(\w+)'"),
    ),
    FailureKind("kernel died", frozenset({DEAD_KERNEL}), ()),
)
OTHER = FailureKind("other", frozenset(), ())
TIMEOUT = FailureKind("timeout", frozenset(), ())


# A cell saved with the same exception was seen failing by its author: MLP004 foretells
# whatever the kind.
SAVED_FAILURE = "MLP004"


def kind_of(failure: Failure) -> FailureKind:
    """The first kind whose exceptions or message pattern the failure matches."""
    for kind in KINDS:
        if failure.name in kind.exceptions:
            return kind
    for kind in KINDS:
        if kind.message is not None and kind.message.search(failure.value):
            return kind
    return OTHER


def subject_of(failure: Failure, kind: FailureKind) -> str | None:
    """The name, top-level module or file the message is about (`name 'df' is not defined`
    -> `df`; `No module named 'sklearn.svm'` -> `sklearn`)."""
    match = kind.subject.search(failure.value) if kind.subject else None
    if match is None:
        return None
    subject = next(group for group in match.groups() if group)
    return subject.partition(".")[0] if kind.name == "missing module" else subject
