"""The pylint configuration of the linted repository, without the options that run its code.

pylint finds a configuration from the working folder (`.pylintrc`, `pyproject.toml`,
`setup.cfg`, ...) and some of its options run code: `init-hook` is `exec`ed, `load-plugins`
and a dotted `output-format` import modules (the repository's own, from the working folder),
and the extension options let astroid import compiled modules. Linting must never run the
repository's code (DESIGN §4), so unless the user trusts the configuration, pylint gets
another one: the one it would have found, read by pylint's own parser, minus those options.
"""

from __future__ import annotations

import configparser
import sys
from pathlib import Path

from pylint.config import find_default_config_files
from pylint.config.config_file_parser import _RawConfParser

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

CODE_RUNNING_OPTIONS = frozenset(
    {
        "init-hook",
        "load-plugins",
        "output-format",
        "unsafe-load-any-extension",
        "extension-pkg-allow-list",
        "extension-pkg-whitelist",
    }
)


def untrusted_rcfile(folder: Path) -> Path:
    """Write the configuration pylint would use, without `CODE_RUNNING_OPTIONS`, into
    `folder`; pass it as `--rcfile` so pylint looks for no other."""
    found = next(find_default_config_files(), None)
    try:
        options, _ = _RawConfParser.parse_config_file(found, verbose=False)
    except (OSError, configparser.Error, tomllib.TOMLDecodeError):
        options = {}  # pylint would report the broken file and use its defaults
    parser = configparser.ConfigParser(interpolation=None)
    parser["MAIN"] = {
        # pylint reads an rcfile with `%` interpolation
        name: value.replace("%", "%%")
        for name, value in options.items()
        if name not in CODE_RUNNING_OPTIONS
    }
    rcfile = folder / "pylintrc"
    with rcfile.open("w", encoding="utf-8") as file:
        parser.write(file)
    return rcfile
