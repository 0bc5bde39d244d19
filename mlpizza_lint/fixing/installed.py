"""The versions installed in this environment, filled into fixes as they are applied.

This is the one place the linter asks its own environment anything, and only for the
version a pin fix writes (see `fixing.pinning`); no finding depends on it.
"""

from __future__ import annotations

import re
from dataclasses import replace
from importlib.metadata import PackageNotFoundError, version

from mlpizza_lint.diagnostics import Fix
from mlpizza_lint.fixing.pinning import MARKER, NOT_INSTALLED, pinned


def installed_version(distribution: str) -> str | None:
    try:
        return version(distribution)
    except (PackageNotFoundError, ValueError):
        return None


def filled(text: str) -> str | None:
    """`text` with its version markers filled in; None when one needs a version that is not
    installed here."""
    missing = False

    def fill(marker: re.Match[str]) -> str:
        nonlocal missing
        found = installed_version(marker.group(2))
        if marker.group(1) == "pin":
            return f"=={found}" if found else ""
        if marker.group(1) == "pin-or-say":
            return f"=={found}" if found else NOT_INSTALLED
        missing = missing or found is None
        return found or ""

    result = MARKER.sub(fill, text)
    return None if missing else result


def with_installed_versions(fix: Fix) -> Fix | None:
    """The fix as it applies here; None when it pins a distribution not installed here."""
    edits = []
    for edit in fix.edits:
        text = filled(edit.replacement)
        if text is None:
            return None
        edits.append(replace(edit, replacement=text))
    return replace(fix, edits=tuple(edits))


def pinned_here(requirement: str) -> str:
    """`pandas` -> `pandas==2.2.2` when installed here; anything else as written."""
    return filled(pinned(requirement)) or requirement
