"""`environment.yml`: conda package specs, and the `pip:` list nested among them.

Positions come from PyYAML's node marks (`yaml.compose` builds nodes without constructing
Python objects, so no tag in the file runs anything). conda hands the `pip:` entries to pip as a
requirements file written beside `environment.yml`, so they are read as requirement lines:
`-r requirements.txt` there is an include, relative to this file's folder.

Conda's match-spec versions differ from pip's: `numpy=1.22` is a prefix match (1.22.x, LOOSE)
unless a build string follows (`numpy=1.22.0=py39_0`, EXACT); `numpy==1.22.0` and a bare
version after a space (`numpy 1.22.0`) are exact.
"""

from __future__ import annotations

import re
from functools import partial

import yaml
from packaging.utils import canonicalize_name

from mlpizza_lint.dependency_files.model import Findings, InvalidEntry, Pin, Spec
from mlpizza_lint.dependency_files.pip_format import Include, read_pip_line, without_comment
from mlpizza_lint.dependency_files.requirements import check_includes
from mlpizza_lint.dependency_files.text import Located

_SPEC = re.compile(
    r"(?:(?P<channel>\S+?)::)?(?P<name>[A-Za-z0-9_][A-Za-z0-9_.+-]*)(?P<rest>\s+.*|[=<>!~\[].*)?"
)
_BRACKET_VERSION = re.compile(r"""version\s*=\s*["']?([^"',\]]+)""")
_CONSTRAINT = re.compile(r"[0-9<>=!~*][\w.!+*<>=,|~]*")  # a version or a version range
_BARE_VERSION = re.compile(r"[0-9][\w.!+]*")  # no operator, no wildcard: one version
_NOT_PACKAGES = frozenset({"python", "pip"})  # the interpreter and the installer themselves


def read_environment(path: str, text: str) -> Findings:
    """The conda specs of `dependencies:`, and its `pip:` entries as requirement lines."""
    findings = Findings()
    dependencies = _dependencies(text, findings)
    includes: list[Include] = []
    for item in dependencies.value if dependencies else ():
        if isinstance(item, yaml.ScalarNode):
            _read_conda(item, findings)
        elif (pip := _pip_list(item)) is not None:
            includes += [include for entry in pip.value for include in _read_pip(entry, findings)]
        else:
            findings.problem(*_place(item), "a dependency must be a package spec or a `pip:` list")
    check_includes(path, includes, findings)
    return findings


def _dependencies(text: str, findings: Findings) -> yaml.SequenceNode | None:
    """The `dependencies:` list (the last one, as conda reads a repeated key)."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except (yaml.YAMLError, RecursionError) as error:
        mark = getattr(error, "problem_mark", None)
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        reason = getattr(error, "problem", None) or str(error).splitlines()[0]
        findings.problem(line, column, f"invalid YAML: {reason}")
        return None
    values = [value for key, value in _pairs(root) if key == "dependencies"]
    if not values:
        return None
    if not isinstance(values[-1], yaml.SequenceNode):
        findings.problem(*_place(values[-1]), "`dependencies` is not a list")
        return None
    return values[-1]


def _pairs(node: yaml.Node | None) -> list[tuple[str | None, yaml.Node]]:
    if not isinstance(node, yaml.MappingNode):
        return []
    return [
        (key.value if isinstance(key, yaml.ScalarNode) else None, value)
        for key, value in node.value
    ]


def _pip_list(node: yaml.Node) -> yaml.SequenceNode | None:
    pairs = _pairs(node)
    if len(pairs) == 1 and pairs[0][0] == "pip" and isinstance(pairs[0][1], yaml.SequenceNode):
        return pairs[0][1]
    return None


def _place(node: yaml.Node) -> tuple[int, int]:
    """The 1-based place of a node's text, inside its quotes if it has them."""
    quoted = isinstance(node, yaml.ScalarNode) and node.style in ("'", '"')
    return node.start_mark.line + 1, node.start_mark.column + 1 + quoted


def _read_conda(node: yaml.ScalarNode, findings: Findings) -> None:
    written = Located.placed(_place(node), node.value)
    match = _SPEC.fullmatch(node.value.strip())
    if match is None or canonicalize_name(match["name"]) not in _NOT_PACKAGES:
        findings.declare(written, partial(conda_spec, node.value), "conda")


def _read_pip(node: yaml.Node, findings: Findings) -> list[Include]:
    if not isinstance(node, yaml.ScalarNode):
        findings.problem(*_place(node), "a `pip:` entry must be a requirement line")
        return []
    lines = without_comment(Located.placed(_place(node), node.value))
    return [include for line in lines for include in read_pip_line(line, "conda-pip", findings)]


def conda_spec(text: str) -> Spec:
    """A conda match spec: `[channel::]name[ version[ build]]`, `name=version=build`, ..."""
    match = _SPEC.fullmatch(text.strip())
    pin = _conda_pin((match["rest"] or "").strip()) if match else None
    if match is None or pin is None:
        raise InvalidEntry(f"invalid conda package spec `{text}`")
    return Spec(canonicalize_name(match["name"]), pin)


def _conda_pin(rest: str) -> Pin | None:
    """How the version part pins; None when it is not a version part."""
    if rest.startswith("["):
        found = _BRACKET_VERSION.search(rest)
        return _conda_pin(found[1].strip()) if found else Pin.NONE
    if rest.startswith("=") and not rest.startswith("=="):  # prefix match, unless a build follows
        version, equals, build = rest[1:].strip().partition("=")
        if not _CONSTRAINT.fullmatch(version):
            return None
        return Pin.EXACT if equals and build and _BARE_VERSION.fullmatch(version) else Pin.LOOSE
    words = rest.split()
    if words in ([], ["*"]):
        return Pin.NONE
    if len(words) > 2 or not _CONSTRAINT.fullmatch(words[0]):
        return None
    return Pin.EXACT if _BARE_VERSION.fullmatch(words[0].removeprefix("==")) else Pin.LOOSE
