"""The versions lock files pin: `poetry.lock`, `uv.lock`, `pdm.lock` and `pylock.toml`
(TOML `[[package]]` tables with `name` and `version`) and `Pipfile.lock` (JSON).

A lock is what gets installed (`poetry install`, `uv sync`), so the version it pins is the
one the project runs with, whatever range `pyproject.toml` allows.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping

from packaging.utils import canonicalize_name

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

PIPFILE_SECTIONS = ("default", "develop")


def locked_versions(name: str, text: str) -> Mapping[str, str]:
    """Canonical distribution name -> the version the lock file `name` pins; empty for a
    file that does not parse (MLP000 is not this reader's business)."""
    try:
        if name == "Pipfile.lock":
            return _pipfile_lock(json.loads(text))
        return _package_tables(tomllib.loads(text))
    except (ValueError, RecursionError, AttributeError):
        return {}


def _package_tables(document: dict[str, object]) -> dict[str, str]:
    packages = document.get("package") or document.get("packages")
    return {
        canonicalize_name(package["name"]): package["version"]
        for package in (packages if isinstance(packages, list) else ())
        if isinstance(package, dict)
        and isinstance(package.get("name"), str)
        and isinstance(package.get("version"), str)
    }


def _pipfile_lock(document: dict[str, object]) -> dict[str, str]:
    found: dict[str, str] = {}
    for section in PIPFILE_SECTIONS:
        entries = document.get(section)
        for name, entry in entries.items() if isinstance(entries, dict) else ():
            version = entry.get("version") if isinstance(entry, dict) else None
            if isinstance(version, str) and version.startswith("=="):
                found[canonicalize_name(name)] = version[2:]
    return found
