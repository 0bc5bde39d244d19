"""Pins to the installed version, written as markers that applying a fix fills in.

A finding must not depend on the machine that lints it (a CI gate would flip between a
laptop and CI), and a fix is part of a finding. So a fix that pins says "the version
installed here" as a marker, and only applying it (`--fix`, `--diff`, an editor's quick
fix) asks the environment which version that is: see `fixing.installed`.
"""

from __future__ import annotations

import re

DISTRIBUTION_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
PLAIN_NAME = re.compile(DISTRIBUTION_NAME.pattern + r"(\[[^\]]*\])?")  # extras allowed
# `{version pandas}`: the installed version, required (the fix is dropped without it);
# `{pin pandas}`: `==` and the installed version, or nothing when it is not installed;
# `{pin-or-say pandas}`: the same, or a comment asking for the version when not installed.
MARKER = re.compile(r"\{(version|pin|pin-or-say) (" + DISTRIBUTION_NAME.pattern + r")\}")
NOT_INSTALLED = "  # not installed where this was fixed: pin the version you tested"


def installed_version_of(distribution: str) -> str:
    return f"{{version {distribution}}}"


def pinned(requirement: str) -> str:
    """`pandas` -> `pandas` pinned to the installed version when there is one (extras kept);
    anything else as written."""
    name = PLAIN_NAME.fullmatch(requirement.strip())
    if name is None:
        return requirement
    distribution = name.group().partition("[")[0]
    return f"{name.group()}{{pin {distribution}}}"


def pinned_or_said(distribution: str) -> str:
    """`torch` pinned to the installed version, or followed by a comment asking for one."""
    return f"{distribution}{{pin-or-say {distribution}}}"


def shown(text: str) -> str:
    """`pandas{pin pandas}` -> `pandas`: a requirement as a title or message names it."""
    return MARKER.sub("", text)
