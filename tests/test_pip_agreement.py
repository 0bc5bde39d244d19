"""MLP202 against pip's own reading of the real requirements files.

pip's parser (`pip._internal.req.req_file`) is the reference for what a requirements line
means. On every corpus file pip reads without error, the name requirements pip would install
at whatever version is newest must be exactly those MLP202 reports; lines pip reads as URLs
or paths are links, judged by their own rules.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from packaging.requirements import InvalidRequirement, Requirement

from mlpizza_lint.api import Overrides, check_paths

pip_req_file = pytest.importorskip("pip._internal.req.req_file")
pip_session = pytest.importorskip("pip._internal.network.session")


def pip_unpinned(path: Path) -> set[int] | None:
    """Lines of name requirements without a version, as pip reads `path`; None if pip fails."""
    try:
        parsed = list(pip_req_file.parse_requirements(str(path), session=pip_session.PipSession()))
    except (Exception, SystemExit):  # pip rejects the file: nothing to compare
        return None
    lines = set()
    for requirement in parsed:
        origin = re.search(r"\(line (\d+)\)$", requirement.comes_from or "")
        if origin is None or str(path) not in requirement.comes_from or requirement.is_editable:
            continue
        try:
            named = Requirement(requirement.requirement)
        except InvalidRequirement:
            continue
        if not named.url and not named.specifier and not requirement.options.get("hashes"):
            lines.add(int(origin[1]))
    return lines


def test_unpinned_requirements_agree_with_pip(corpus: Path) -> None:
    folder = corpus / "requirements"
    compared = agreed = 0
    for path in sorted(folder.rglob("*.txt")):
        theirs = pip_unpinned(path)
        if theirs is None:
            continue
        report = check_paths([str(path)], Overrides(select=("MLP202", "MLP206")))
        unpinned = [  # an unpinned standard-library name: MLP206 says what it is instead
            d
            for d in report.diagnostics
            if d.code == "MLP202"
            or ("standard library" in d.message and not _has_version(path, d.span.line))
        ]
        ours = {d.span.line for d in unpinned if "://" not in d.message}
        ours -= {line for line in ours if _is_link(path, line)}
        assert ours == theirs, path
        compared += 1
        agreed += len(ours)
    assert compared > 80
    print(f"{compared} files, {agreed} unpinned requirements, all as pip reads them")


def _has_version(path: Path, line: int) -> bool:
    text = path.read_text(encoding="utf-8", errors="replace").splitlines()[line - 1]
    return bool(re.search(r"[<>=~!]", text.partition("#")[0]))


def _is_link(path: Path, line: int) -> bool:
    """A VCS or URL line: pip calls it a link, not a named requirement."""
    text = path.read_text(encoding="utf-8", errors="replace").splitlines()[line - 1]
    return bool(re.match(r"\s*(-e\s+|--editable\s+)?(git|hg|svn|bzr)\+", text))
