"""Versions from the current environment, for fixes and files that pin requirements.

Pinning to what is installed here is the best guess of what the code was run with; every
user of it says so (the fixes that pin are unsafe for that reason).
"""

from __future__ import annotations

import re
from importlib.metadata import PackageNotFoundError, version

DISTRIBUTION_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
PLAIN_NAME = re.compile(DISTRIBUTION_NAME.pattern + r"(\[[^\]]*\])?")  # extras allowed


def installed_version(distribution: str) -> str | None:
    try:
        return version(distribution)
    except PackageNotFoundError:
        return None


def pinned(requirement: str) -> str:
    """`pandas` -> `pandas==2.2.2` (extras kept) when installed; anything else as written."""
    name = PLAIN_NAME.fullmatch(requirement.strip())
    if name is None:
        return requirement
    found = installed_version(re.sub(r"\[.*", "", name.group()))
    return f"{name.group()}=={found}" if found else requirement
