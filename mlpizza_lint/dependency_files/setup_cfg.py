"""`setup.cfg`: `install_requires` in `[options]` and each extra of `[options.extras_require]`.

Values are split the way setuptools splits them: one requirement a line when the value spans
lines, else at `;` (so `numpy; python_version < "3.8"` on one line is two entries, as
setuptools warns), with ` #` comments dropped. `file:` values name requirement files, which are
reported as includes. configparser gives no line numbers, so each entry is found again in the
raw text, in order, below its key.
"""

from __future__ import annotations

import configparser
import os
import re
from collections.abc import Iterator
from contextlib import suppress
from functools import partial

from mlpizza_lint.dependency_files.model import Findings
from mlpizza_lint.dependency_files.pep508 import requirement_spec
from mlpizza_lint.dependency_files.text import Located

_REQUIRES_KEYS = ("install_requires", "install-requires")  # setuptools reads both spellings
_EXTRAS_SECTION = "options.extras_require"


class _Parser(configparser.RawConfigParser):
    """setuptools' reading: keys keep their case, `%` is not interpolated."""

    def optionxform(self, optionstr: str) -> str:
        return optionstr


# What a package published for others fills in (PyPI's page), and an application does not.
PUBLISHED_KEYS = ("classifiers", "url", "project_urls")


def read_setup_cfg(path: str, text: str) -> Findings:
    """`install_requires` and each extra, entry by entry, below its key (a published
    package's metadata when `[metadata]` has classifiers or URLs)."""
    findings = Findings()
    parser = _parse(text, findings)
    file = Located.of_file(text)
    published = any(parser.has_option("metadata", key) for key in PUBLISHED_KEYS)
    for section, key in _requirement_keys(parser):
        value = parser.get(section, key)
        start, end = _key_region(text, section, key)
        if value.strip().startswith("file:"):
            _read_file_directive(path, value.strip()[5:], file.place(start), findings)
            continue
        for entry in _entries(value):
            found = text.find(entry, start, end)
            if found < 0:  # written across a line break or otherwise differently
                written = Located.placed(file.place(start), entry)
            else:
                written, start = file.sub(found, found + len(entry)), found + len(entry)
            spec = partial(requirement_spec, entry)
            findings.declare(written, spec, "setup.cfg", published=published)
    return findings


def _parse(text: str, findings: Findings) -> _Parser:
    """The parsed file; on an error, a problem and a lenient second reading."""
    parser = _Parser(strict=True)
    try:
        parser.read_string(text)
    except configparser.Error as error:
        errors = getattr(error, "errors", None)
        line = errors[0][0] if errors else getattr(error, "lineno", None) or 1
        findings.problem(line, 1, f"invalid setup.cfg: {str(error).splitlines()[0]}")
        parser = _Parser(strict=False)
        with suppress(configparser.Error):  # reported above; keep what was read before it
            parser.read_string(text)
    return parser


def _requirement_keys(parser: _Parser) -> Iterator[tuple[str, str]]:
    if parser.has_section("options"):
        for key in _REQUIRES_KEYS:
            if parser.has_option("options", key):
                yield "options", key
    if parser.has_section(_EXTRAS_SECTION):
        for extra in parser.options(_EXTRAS_SECTION):
            yield _EXTRAS_SECTION, extra


def _entries(value: str) -> list[str]:
    """setuptools' `_parse_list_semicolon` and `drop_comment`."""
    parts = value.splitlines() if "\n" in value else value.split(";")
    entries = (part.partition(" #")[0].strip() for part in parts)
    return [entry for entry in entries if entry and not entry.startswith("#")]


def _key_region(text: str, section: str, key: str) -> tuple[int, int]:
    """From `key =` in `[section]` to the next section; the whole file when not found."""
    header = re.search(rf"^\[{re.escape(section)}\][ \t]*$", text, re.MULTILINE)
    start = header.end() if header else 0
    next_header = re.compile(r"^\[", re.MULTILINE).search(text, start)
    end = next_header.start() if next_header else len(text)
    found = re.compile(rf"^{re.escape(key)}[ \t]*[=:]", re.MULTILINE).search(text, start, end)
    return (found.start() if found else start), end


def _read_file_directive(path: str, names: str, place: tuple[int, int], findings: Findings) -> None:
    """`file: a.txt, b.txt`: requirement files beside `setup.cfg`."""
    for name in (name.strip() for name in names.split(",")):
        target = os.path.normpath(os.path.join(os.path.dirname(path), name))
        if os.path.isfile(target):
            findings.includes.append(target)
        else:
            findings.problem(*place, f"included file `{name}` does not exist")
