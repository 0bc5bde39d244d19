"""Conda match specs, as `environment.yml`, Dockerfiles and notebooks write them.

Conda's match-spec versions differ from pip's: `numpy=1.22` is a prefix match (1.22.x, LOOSE)
unless a build string follows (`numpy=1.22.0=py39_0`, EXACT). A prefix of three or more
components (`numpy=1.22.0`) leaves only builds and post-releases of that version open, so it
counts as EXACT, as do `numpy==1.22.0` and a bare version after a space (`numpy 1.22.0`).
"""

from __future__ import annotations

import re

from packaging.utils import canonicalize_name

from mlpizza_lint.dependency_files.model import InvalidEntry, Pin, Spec

SPEC = re.compile(
    r"(?:(?P<channel>\S+?)::)?(?P<name>[A-Za-z0-9_][A-Za-z0-9_.+-]*)(?P<rest>\s+.*|[=<>!~\[].*)?"
)
_BRACKET_VERSION = re.compile(r"""version\s*=\s*["']?([^"',\]]+)""")
_CONSTRAINT = re.compile(r"[0-9<>=!~*][\w.!+*<>=,|~]*")  # a version or a version range
_BARE_VERSION = re.compile(r"[0-9][\w.!+]*")  # no operator, no wildcard: one version


def conda_spec(text: str) -> Spec:
    """A conda match spec: `[channel::]name[ version[ build]]`, `name=version=build`, ..."""
    match = SPEC.fullmatch(text.strip())
    pin = _conda_pin((match["rest"] or "").strip()) if match else None
    if match is None or pin is None:
        raise InvalidEntry(f"invalid conda package spec `{text}`")
    return Spec(canonicalize_name(match["name"]), pin)


def _conda_pin(rest: str) -> Pin | None:
    """How the version part pins; None when it is not a version part."""
    if rest.startswith("["):
        found = _BRACKET_VERSION.search(rest)
        return _conda_pin(found[1].strip()) if found else Pin.NONE
    if rest in ("=", "=*"):  # `streamlit=`, `pandas=*` (Snowsight's "Latest"): no version
        return Pin.NONE
    if rest.startswith("=") and not rest.startswith("=="):  # prefix match, unless a build follows
        version, equals, build = rest[1:].strip().partition("=")
        if not _CONSTRAINT.fullmatch(version):
            return None
        bare = _BARE_VERSION.fullmatch(version) is not None
        return Pin.EXACT if bare and ((equals and build) or version.count(".") >= 2) else Pin.LOOSE
    words = rest.split()
    if words in ([], ["*"]):
        return Pin.NONE
    if len(words) > 2 or not _CONSTRAINT.fullmatch(words[0]):
        return None
    return Pin.EXACT if _BARE_VERSION.fullmatch(words[0].removeprefix("==")) else Pin.LOOSE
