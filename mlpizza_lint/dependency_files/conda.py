"""`environment.yml`: conda package specs, and the `pip:` list nested among them.

Positions come from PyYAML's node marks (`yaml.compose` builds nodes without constructing
Python objects, so no tag in the file runs anything). conda hands the `pip:` entries to pip as a
requirements file written beside `environment.yml`, so they are read as requirement lines:
`-r requirements.txt` there is an include, relative to this file's folder.
"""

from __future__ import annotations

from functools import partial

import yaml
from packaging.utils import canonicalize_name

from mlpizza_lint.dependency_files.conda_spec import SPEC, conda_spec
from mlpizza_lint.dependency_files.model import Findings
from mlpizza_lint.dependency_files.pip_format import Include, read_pip_line, without_comment
from mlpizza_lint.dependency_files.requirements import check_includes
from mlpizza_lint.dependency_files.text import Located

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
    match = SPEC.fullmatch(node.value.strip())
    if match is None or canonicalize_name(match["name"]) not in _NOT_PACKAGES:
        findings.declare(written, partial(conda_spec, node.value), "conda")


def _read_pip(node: yaml.Node, findings: Findings) -> list[Include]:
    if not isinstance(node, yaml.ScalarNode):
        findings.problem(*_place(node), "a `pip:` entry must be a requirement line")
        return []
    lines = without_comment(Located.placed(_place(node), node.value))
    return [include for line in lines for include in read_pip_line(line, "conda-pip", findings)]
