"""`pyproject.toml` (PEP 621, PEP 735 and Poetry) and `Pipfile`: their dependency tables.

PEP 621 and PEP 735 lists hold PEP 508 strings. Poetry and Pipenv map each name to a version
constraint or to a table naming a source (`git`, `url`, `path`); each has its own constraint
language, so each has its own pin reader. `[build-system] requires` lists what builds the
project, not what it needs to run, and is not read.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.utils import canonicalize_name

from mlpizza_lint.dependency_files.model import Findings, InvalidEntry, Pin, Spec, loosest
from mlpizza_lint.dependency_files.pep508 import (
    is_version,
    requirement_spec,
    specifier_pin,
    url_pin,
)
from mlpizza_lint.dependency_files.toml_text import TomlText, load_toml, table

Keys = tuple[str, ...]
VersionPin = Callable[[str], Pin]


HATCH_LISTS = ("dependencies", "extra-dependencies")
# What a package published for others fills in (PyPI's page), and an application does not.
PUBLISHED_KEYS = frozenset({"classifiers", "urls"})


def read_pyproject(path: str, text: str) -> Findings:
    """`[project]` dependencies and extras (a published package's metadata when a build
    system builds it and it has classifiers or URLs), `[dependency-groups]`, Hatch's
    environments and Poetry's groups."""
    findings = Findings()
    document = load_toml(text, findings)
    if document is not None:
        toml = TomlText(text)
        project = table(document, "project")
        package = "build-system" in document and bool(PUBLISHED_KEYS & project.keys())
        for keys, value in _pep508_lists(document):
            published = package and keys[0] == "project"
            _read_pep508_list(toml, keys, value, findings, published)
        for keys, value in _poetry_tables(table(table(document, "tool"), "poetry")):
            _read_named(toml, keys, value, _POETRY, findings)
    return findings


def read_pipfile(path: str, text: str) -> Findings:
    """`[packages]` and `[dev-packages]`."""
    findings = Findings()
    document = load_toml(text, findings)
    if document is not None:
        toml = TomlText(text)
        for key in ("packages", "dev-packages"):
            _read_named(toml, (key,), document.get(key), _PIPENV, findings)
    return findings


def _pep508_lists(document: dict[str, object]) -> Iterator[tuple[Keys, object]]:
    project = table(document, "project")
    yield ("project", "dependencies"), project.get("dependencies")
    for extra, value in table(project, "optional-dependencies").items():
        yield ("project", "optional-dependencies", extra), value
    for group, value in table(document, "dependency-groups").items():
        yield ("dependency-groups", group), value
    for name, environment in table(table(table(document, "tool"), "hatch"), "envs").items():
        for key in HATCH_LISTS:  # Hatch's environments: what `hatch run` installs
            if isinstance(environment, dict) and key in environment:
                yield ("tool", "hatch", "envs", name, key), environment[key]


def _poetry_tables(poetry: dict[str, object]) -> Iterator[tuple[Keys, object]]:
    prefix = ("tool", "poetry")
    yield (*prefix, "dependencies"), poetry.get("dependencies")
    yield (*prefix, "dev-dependencies"), poetry.get("dev-dependencies")
    for group, value in table(poetry, "group").items():
        yield (*prefix, "group", group, "dependencies"), table(value, "dependencies")


def _read_pep508_list(
    toml: TomlText, keys: Keys, value: object, findings: Findings, published: bool = False
) -> None:
    """A list of PEP 508 strings; PEP 735's `{include-group = ...}` entries name no package."""
    if value is None:
        return
    place = toml.find(keys)
    if not isinstance(value, list):
        findings.problem(*toml.file.place(place.offset), f"`{keys[-1]}` is not a list")
        return
    cursor = place.offset
    for item in value:
        if isinstance(item, str):
            written, cursor = toml.string(item, cursor, place.end)
            spec = partial(requirement_spec, item)
            findings.declare(written, spec, "pyproject", published=published)
        elif not (isinstance(item, dict) and "include-group" in item):
            message = f"`{keys[-1]}` holds {item!r}, not a requirement string"
            findings.problem(*toml.file.place(place.offset), message)


@dataclass(frozen=True)
class _Flavour:
    """How one tool writes a name's constraint: its version language and VCS ref keys."""

    source: str
    version_pin: VersionPin
    ref_keys: tuple[str, ...]

    def spec(self, name: str, value: object) -> Spec:
        return Spec(canonicalize_name(name), self.pin(name, value))

    def pin(self, name: str, value: object) -> Pin:
        """A version string, a source table, or a list of them (one per environment)."""
        if isinstance(value, str):
            return self.version_pin(value)
        if isinstance(value, dict):
            return self._table_pin(value)
        if isinstance(value, list) and value:
            return loosest(self.pin(name, item) for item in value)
        raise InvalidEntry(f"`{name}` has {value!r}: expected a version or a table")

    def _table_pin(self, source: dict[str, object]) -> Pin:
        """A VCS checkout at a ref, a URL or path (versioned archive or not), or a version."""
        if any(vcs in source for vcs in ("git", "hg", "svn", "bzr")):
            return Pin.EXACT if any(source.get(key) for key in self.ref_keys) else Pin.NONE
        link = next((source[key] for key in ("url", "file", "path") if key in source), None)
        if isinstance(link, str):
            return url_pin(link)
        version = source.get("version")
        return self.version_pin(version) if isinstance(version, str) else Pin.NONE


def _poetry_version_pin(constraint: str) -> Pin:
    """Poetry: `*` is any version, a bare or `==` version is exact, anything else a range."""
    text = constraint.strip()
    if text in ("", "*"):
        return Pin.NONE
    return Pin.EXACT if is_version(text.lstrip("=").strip()) else Pin.LOOSE


def _pipenv_version_pin(constraint: str) -> Pin:
    """Pipenv: `*` is any version, else PEP 440 specifiers (a bare version read as `==`)."""
    text = constraint.strip()
    if text in ("", "*"):
        return Pin.NONE
    if is_version(text):
        return Pin.EXACT
    try:
        return specifier_pin(SpecifierSet(text))
    except InvalidSpecifier as error:
        raise InvalidEntry(f"invalid version specifier `{text}`: {error}") from None


_POETRY = _Flavour("poetry", _poetry_version_pin, ("rev", "tag"))
_PIPENV = _Flavour("pipfile", _pipenv_version_pin, ("ref",))


def _read_named(
    toml: TomlText, keys: Keys, value: object, flavour: _Flavour, findings: Findings
) -> None:
    """A table of name = constraint; Poetry's `python` is the interpreter, not a package."""
    if value is None:
        return
    if not isinstance(value, dict):
        findings.problem(*toml.file.place(toml.find(keys).offset), f"`{keys[-1]}` is not a table")
        return
    for name, constraint in value.items():
        if name.lower() != "python":
            written = toml.entry((*keys, name))
            findings.declare(written, partial(flavour.spec, name, constraint), flavour.source)
