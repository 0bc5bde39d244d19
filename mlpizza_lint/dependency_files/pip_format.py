"""pip's requirements file format, read with pip's own rules (pip._internal.req.req_file).

pip joins `\\`-continued lines, drops `#` comments (at the start of a line or after
whitespace), then splits each line at its first word starting with `-`: what comes before is a
requirement, what comes after are options. A line of options only sets file-wide options, pulls
in another file (`-r`, `-c`, only the first one on a line) or installs an editable project (`-e`).
Several of pip's rules silently drop text (a requirement after an option, `--no-binary` on a
requirement line); those are reported, since the author meant something by them.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial

from mlpizza_lint.dependency_files.model import Findings, InvalidEntry
from mlpizza_lint.dependency_files.pep508 import editable_spec, pip_spec
from mlpizza_lint.dependency_files.text import Located

# pip's COMMENT_RE, `(^|\s+)#.*$`: a `#` at the start or after whitespace. Written with a
# lookbehind so a long run of spaces is not rescanned from each of its positions.
_COMMENT = re.compile(r"(?:^|(?<=\s))#")
_COMMENT_LINE = re.compile(r"\s*#")
# One shell word, quotes and escapes included, as shlex would split it.
_WORD = re.compile(r"""(?:[^\s'"\\]|\\.?|'[^']*'?|"(?:\\.|[^"\\])*"?)+""")


@dataclass(frozen=True)
class _Option:
    """What an option does: its role, and whether it takes a value."""

    role: str
    takes_value: bool = True


_FILE = _Option("file")
_FLAG = _Option("file", takes_value=False)
_PER_REQUIREMENT = _Option("requirement")
# The options pip accepts in a requirements file (SUPPORTED_OPTIONS, SUPPORTED_OPTIONS_REQ).
_OPTIONS = {
    **dict.fromkeys(("-i", "--index-url", "--extra-index-url", "-f", "--find-links"), _FILE),
    **dict.fromkeys(("--no-binary", "--only-binary", "--trusted-host", "--use-feature"), _FILE),
    **dict.fromkeys(("--no-index", "--prefer-binary", "--require-hashes", "--pre"), _FLAG),
    **dict.fromkeys(("-r", "--requirement"), _Option("include")),
    **dict.fromkeys(("-c", "--constraint"), _Option("constraint")),
    **dict.fromkeys(("-e", "--editable"), _Option("editable")),
    **dict.fromkeys(("-C", "--config-settings"), _PER_REQUIREMENT),
    "--hash": _Option("hash"),
}
# Options older pips accepted on requirement lines; current pip stops at them.
_REMOVED = {
    "--install-option": "`--install-option` was removed in pip 23.1: use `--config-settings`",
    "--global-option": "`--global-option` is refused by current pip: use `--config-settings`",
}
_LONG_NAMES = tuple(name for name in _OPTIONS if name.startswith("--"))
_REQUIREMENT_ROLES = frozenset({"requirement", "hash"})


@dataclass(frozen=True)
class Include:
    """A `-r`/`-c` file as written, and where the option stands."""

    value: str
    line: int
    column: int


@dataclass(frozen=True)
class _Use:
    """One option on a line, and its value ("" for a flag).

    `at` is where the option is written, `start` and `end` where its value is.
    """

    name: str
    role: str
    value: str
    at: int
    start: int
    end: int


def pip_lines(text: str) -> Iterator[Located]:
    """The logical lines of a requirements file: continuations joined, comments and blanks gone.

    As in pip's `join_lines`, a comment line ends a continuation, and a line's number is the
    number of its first physical line.
    """
    pieces: list[tuple[int, int, str]] = []
    for number, line in enumerate(text.split("\n"), 1):
        is_comment = _COMMENT_LINE.match(line) is not None
        if line.endswith("\\") and not is_comment:
            lead = len(line) - len(line.lstrip("\\"))
            pieces.append((number, 1 + lead, line.strip("\\")))
            continue
        pieces.append((number, 0, " " + line) if is_comment else (number, 1, line))
        yield from without_comment(Located.joined(pieces))
        pieces = []
    if pieces:
        yield from without_comment(Located.joined(pieces))


def without_comment(line: Located) -> Iterator[Located]:
    """The line without its comment and surrounding whitespace, unless nothing is left."""
    comment = _COMMENT.search(line.text)
    kept = line.sub(0, comment.start() if comment else len(line.text)).strip()
    if kept.text:
        yield kept


def read_pip_line(line: Located, source: str, findings: Findings) -> list[Include]:
    """Record what one logical line declares; return the file it includes, if any."""
    split = _options_start(line.text)
    uses = _options(line, split, findings)
    requirement = line.sub(0, split).strip()
    if not requirement.text:
        return _options_line(line, uses, source, findings)
    for use in uses:
        if use.role not in _REQUIREMENT_ROLES:
            message = (
                f"`{use.name}` on a requirement line is ignored by pip: put it on its own line"
            )
            findings.problem(*line.place(use.at), message)
    hashed = any(use.role == "hash" for use in uses)
    findings.declare(requirement, partial(pip_spec, requirement.text), source, exact=hashed)
    return []


def _options_line(
    line: Located, uses: list[_Use], source: str, findings: Findings
) -> list[Include]:
    """A line without a requirement: an editable, an include, or file-wide options."""
    editables = [use for use in uses if use.role == "editable"]
    includes = sorted(
        (use for use in uses if use.role in ("include", "constraint")), key=_constraint_last
    )
    for use in (editables + includes)[1:]:
        message = (
            f"`{use.name} {use.value}` is ignored by pip: it reads one `-e`, `-r` or `-c` a line"
        )
        findings.problem(*line.place(use.at), message)
    if editables:
        editable = editables[0]
        written = line.sub(editable.start, editable.end)
        findings.declare(written, partial(editable_spec, editable.value), source)
        return []
    for use in uses:
        if use.role in _REQUIREMENT_ROLES:
            findings.problem(*line.place(use.at), f"`{use.name}` applies to no requirement")
    return [Include(use.value, *line.place(use.start)) for use in includes[:1]]


def _constraint_last(use: _Use) -> bool:
    """pip follows a line's `-r` before its `-c`."""
    return use.role == "constraint"


def _options_start(text: str) -> int:
    """Where pip's `break_args_options` starts the options: the first word starting with `-`."""
    offset = 0
    for word in text.split(" "):
        if word.startswith("-"):
            return offset
        offset += len(word) + 1
    return len(text)


def _options(line: Located, start: int, findings: Findings) -> list[_Use]:
    """The options from `start` on, read as pip's optparse parser reads them."""
    try:
        shlex.split(line.text[start:])
    except ValueError as error:
        findings.problem(*line.place(start), f"cannot split options: {error}")
        return []
    words = [(match[0], start + match.start()) for match in _WORD.finditer(line.text[start:])]
    uses: list[_Use] = []
    while words:
        offset = words[0][1]
        try:
            uses.append(_next_option(words))
        except InvalidEntry as error:
            findings.problem(*line.place(offset), str(error))
    return uses


def _next_option(words: list[tuple[str, int]]) -> _Use:
    """The option at the head of `words`, taken off with its value; raises for what is not one."""
    word, offset = words.pop(0)
    at = offset
    removed = _REMOVED.get(word.partition("=")[0])
    if removed is not None:
        if "=" not in word and words:
            words.pop(0)  # its value
        raise InvalidEntry(removed)
    name, attached = _split_option(word)
    option = _OPTIONS[name]
    if option.takes_value and attached is None:
        if not words:
            raise InvalidEntry(f"`{name}` needs a value")
        word, offset = words.pop(0)
        attached = word
    elif not option.takes_value and attached is not None:
        raise InvalidEntry(f"`{name}` takes no value")
    value = attached or ""
    end = offset + len(word)
    return _Use(name, option.role, _unquote(value), at, end - len(value), end)


def _split_option(word: str) -> tuple[str, str | None]:
    """(option name, value written in the same word) for `--opt=value`, `-rfile`, `--flag`.

    Long options may be shortened to any unambiguous prefix, as optparse allows.
    """
    if not word.startswith("-") or word == "-":
        raise InvalidEntry(f"`{word}` after an option is ignored by pip: put it on its own line")
    if not word.startswith("--"):
        if word[:2] not in _OPTIONS:
            raise InvalidEntry(f"unknown pip option `{word[:2]}`")
        return word[:2], word[2:] or None
    written, equals, value = word.partition("=")
    matches = [name for name in _LONG_NAMES if name.startswith(written)]
    name = written if written in _OPTIONS else matches[0] if len(matches) == 1 else None
    if name is None:
        raise InvalidEntry(f"unknown pip option `{written}`")
    return name, value if equals else None


def _unquote(word: str) -> str:
    return "".join(shlex.split(word))
