"""What a pip requirement asks for: which distribution, and how firmly its version is fixed.

PEP 508 strings are read by `packaging`, as pip reads them. pip also accepts URLs and paths on
their own (`./libs/pkg`, `https://host/pkg-1.2.tar.gz`, `git+https://host/repo.git@v1#egg=pkg`);
those are told apart the way pip's `parse_req_from_line` does, and their pin comes from the
link itself: a versioned archive or a VCS commit or tag fixes what gets installed, a folder or a
branch does not.
"""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

from packaging.markers import InvalidMarker, Marker
from packaging.requirements import InvalidRequirement, Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import InvalidWheelFilename, canonicalize_name, parse_wheel_filename
from packaging.version import InvalidVersion, Version

from mlpizza_lint.dependency_files.model import InvalidEntry, Pin, Spec

_VCS = ("git", "hg", "svn", "bzr")
# pip's link schemes (`is_url`): the web's, `file:` and each VCS with the transports pip knows.
_URL = re.compile(
    r"(?:https?|file|ftp|git\+(?:file|git|https?|ssh)|hg\+(?:file|https?|ssh|static-http)"
    r"|svn\+(?:file|https?|ssh|svn)|bzr\+(?:file|ftp|https?|lp|sftp|ssh)):",
    re.IGNORECASE,
)
# Anything written like a link; pip refuses those whose scheme is not one of the above.
_LINK_LIKE = re.compile(r"([a-z][a-z0-9+.-]*)://", re.IGNORECASE)
# pip's archive suffixes (pip._internal.utils.filetypes).
_ARCHIVES: tuple[str, ...] = (".whl", ".zip", ".tar.gz", ".tgz", ".tar.bz2", ".tbz", ".tar")
_ARCHIVES += (".tar.xz", ".txz", ".tlz", ".tar.lz", ".tar.lzma")
# VCS refs that name a branch, which moves: installing one twice can give two versions.
_MOVING_REFS = frozenset({"main", "master", "develop", "dev", "trunk", "head", "default", "stable"})
_COMMIT = re.compile(r"[0-9a-f]{7,40}")
_EGG = re.compile(r"[#&]egg=([^&]*)")
_REPOSITORY = re.compile(
    r"^(?:git|hg|svn|bzr)\+[^#]*/(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*?)(?:\.git)?(?:@[^/#]*)?/?(?:#.*)?$"
)
# pip's project-name check of `#egg=` fragments (extras there are refused since pip 25).
_EGG_NAME = re.compile(r"[A-Z0-9]|[A-Z0-9][A-Z0-9._-]*[A-Z0-9]", re.IGNORECASE)
_EXTRAS_SUFFIX = re.compile(r"^(.+)(\[[^\]]+\])$")
_OPERATORS = ("~=", "==", "!=", "<=", ">=", "<", ">")


def requirement_spec(text: str) -> Spec:
    """A PEP 508 requirement string, as `pyproject.toml` and `setup.cfg` hold them."""
    try:
        requirement = Requirement(text)
    except InvalidRequirement as error:
        raise InvalidEntry(_invalid(text, str(error))) from None
    pin = url_pin(requirement.url) if requirement.url else specifier_pin(requirement.specifier)
    return Spec(canonicalize_name(requirement.name), pin)


def _invalid(text: str, reason: str) -> str:
    """One line: packaging's reason without its caret drawing, with pip's hint for `=`."""
    message = f"invalid requirement `{text}`: {reason.splitlines()[0]}"
    if "=" in text and not any(operator in text for operator in _OPERATORS):
        message += " (`=` is not a version operator: did you mean `==`?)"
    return message


def specifier_pin(specifier: SpecifierSet) -> Pin:
    """EXACT when one clause allows one version only (`==1.2`, `===1.2`), LOOSE otherwise."""
    if not specifier:
        return Pin.NONE
    exact = any(
        clause.operator == "===" or (clause.operator == "==" and not clause.version.endswith("*"))
        for clause in specifier
    )
    return Pin.EXACT if exact else Pin.LOOSE


def pip_spec(text: str) -> Spec:
    """A requirement as pip reads it from a requirements line or its command line.

    URLs and paths stand alone; markers follow `; ` after a URL and `;` otherwise. A name
    followed by `@` is a PEP 508 direct reference, not a path, even when the URL has slashes.
    """
    body, separator, marker = text.partition("; " if is_url(text) else ";")
    if separator and marker.strip():
        try:
            Marker(marker.strip())
        except InvalidMarker as error:
            reason = str(error).splitlines()[0]
            raise InvalidEntry(f"invalid marker `{marker.strip()}`: {reason}") from None
    body = body.strip()
    if is_url(body):
        return url_spec(body)
    link = _LINK_LIKE.match(body)
    if link is not None:
        raise InvalidEntry(_unknown_scheme(link[1]))
    match = _EXTRAS_SUFFIX.match(body)
    path = match[1] if match else body
    if (_looks_like_path(body) or path.endswith(_ARCHIVES)) and not _is_direct_reference(body):
        return url_spec(path)
    return requirement_spec(body)


def _unknown_scheme(scheme: str) -> str:
    vcs = scheme.split("+")[0].lower()
    if vcs in _VCS:
        return (
            f"pip does not install from `{scheme}://` links: write the VCS and its transport, "
            f"such as `{vcs}+https://`"
        )
    return f"pip does not install from `{scheme}://` links"


def editable_spec(value: str) -> Spec:
    """The target of `-e`: a local project folder, or a VCS URL named by its `#egg=`."""
    match = None if _LINK_LIKE.match(value) else _EXTRAS_SUFFIX.match(value)
    target = match[1] if match else value  # extras after a folder; a link has them nowhere
    spec = url_spec(target)
    if (
        is_url(target)
        and not target.lower().startswith("file:")
        and not (_is_vcs(target) and spec.name)
    ):
        raise InvalidEntry(
            f"pip cannot install `{value}` as editable: use a folder or a VCS URL with `#egg=name`"
        )
    return spec


def is_url(text: str) -> bool:
    """Whether pip takes `text` as a link: its scheme is a web, file or VCS one."""
    return _URL.match(text) is not None


def _looks_like_path(text: str) -> bool:
    return "/" in text or text.startswith(".")


def _is_direct_reference(text: str) -> bool:
    """`name @ url`: an `@` with no path before it (pip's test in `_get_url_from_path`)."""
    before, at, _ = text.partition("@")
    return bool(at) and not _looks_like_path(before)


def url_spec(link: str) -> Spec:
    """A URL or path: named by `#egg=`, else by its wheel or sdist file name, else unknown."""
    egg = _EGG.search(link)
    name = _egg_name(egg[1]) if egg else None
    return Spec(name or _archive_name(_file_name(link)), url_pin(link))


def repository_name(link: str) -> str | None:
    """`git+https://github.com/org/torch-helpers.git@main` -> `torch-helpers`: what an
    unnamed VCS link most likely provides (pip learns the real name only by building it)."""
    match = _REPOSITORY.search(link)
    return canonicalize_name(match["name"]) if match else None


def _egg_name(fragment: str) -> str | None:
    if not fragment:
        return None
    if _EGG_NAME.fullmatch(fragment) is None:
        raise InvalidEntry(f"`#egg={fragment}` is not a project name: use `name @ url` instead")
    return canonicalize_name(fragment)


def _file_name(link: str) -> str:
    try:
        path = urlsplit(link).path if is_url(link) else link.partition("#")[0]
    except ValueError:  # a malformed URL (an unclosed `[`) names no file
        return ""
    return unquote(path.rstrip("/").rpartition("/")[2])


def _archive_name(file_name: str) -> str | None:
    """The distribution a wheel or `name-version.tar.gz` archive holds."""
    if file_name.endswith(".whl"):
        try:
            return str(parse_wheel_filename(file_name)[0])
        except InvalidWheelFilename as error:
            raise InvalidEntry(f"invalid wheel file name `{file_name}`: {error}") from None
    name, dash, version = _archive_stem(file_name).rpartition("-")
    return canonicalize_name(name) if dash and name and is_version(version) else None


def _archive_stem(file_name: str) -> str:
    suffix = next((suffix for suffix in _ARCHIVES if file_name.endswith(suffix)), None)
    return file_name[: -len(suffix)] if suffix else ""


def is_version(text: str) -> bool:
    try:
        Version(text)
    except InvalidVersion:
        return False
    return True


def url_pin(link: str) -> Pin:
    """EXACT for a VCS link at a commit or tag and for a versioned archive; NONE otherwise."""
    if _is_vcs(link):
        ref = _vcs_ref(link)
        return Pin.EXACT if ref and ref.rpartition("/")[2].lower() not in _MOVING_REFS else Pin.NONE
    return Pin.EXACT if _holds_one_version(_file_name(link)) else Pin.NONE


def _is_vcs(link: str) -> bool:
    return link.split(":", 1)[0].lower().split("+")[0] in _VCS


def _holds_one_version(file_name: str) -> bool:
    """Whether the file holds one known version: a wheel, or an archive named `name-version`,
    `version` or by a commit (a tag's or a commit's download); not `main.zip`."""
    if file_name.endswith(".whl"):
        try:
            parse_wheel_filename(file_name)
        except InvalidWheelFilename:
            return False
        return True
    stem = _archive_stem(file_name)
    return bool(stem) and (is_version(stem.rpartition("-")[2]) or bool(_COMMIT.fullmatch(stem)))


def _vcs_ref(link: str) -> str | None:
    """The `@ref` of a VCS URL, read as pip does (scp-like `git@host:path` as ssh)."""
    location = link.split("+", 1)[1] if "+" in link.split(":", 1)[0] else link
    if "://" not in location:
        location = f"ssh://{location}"
    try:
        path = urlsplit(location).path
    except ValueError:
        return None
    return path.rpartition("@")[2] if "@" in path else None
