"""CI formats point at the line of the `.ipynb` file that holds the offending text, and
their fingerprints survive cells inserted above a finding."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import nbformat
import pytest
from click.testing import CliRunner

from mlpizza_lint.cli.main import main

TRICKY = (
    'label = "tab\\there, a \\"quote\\", é and 😀"\n'
    "frame = open('/home/alice/é \"data\"/train.csv')\n"
    "second = open('/Users/bob/data.csv')  # a\ttab\n"
)


def _notebook(folder: Path, style: str, ascii_only: bool, newline: str, ids: bool = True) -> Path:
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_markdown_cell("# Churn"),
        nbformat.v4.new_code_cell("import pandas as pd", execution_count=1),
        nbformat.v4.new_code_cell(TRICKY, execution_count=2),
    ]
    content: dict[str, Any] = json.loads(nbformat.writes(notebook))
    for cell in content["cells"]:
        if not ids:
            cell.pop("id", None)
        if style == "string":
            cell["source"] = "".join(cell["source"])
    if not ids:
        content["nbformat_minor"] = 4
    text = json.dumps(content, indent=1, ensure_ascii=ascii_only) + "\n"
    path = folder / "nb.ipynb"
    path.write_bytes(text.replace("\n", newline).encode("utf-8"))
    return path


def _lint(path: Path, output_format: str) -> Any:
    arguments = ["check", str(path), "--select", "MLP301", "--format", output_format]
    result = CliRunner().invoke(main, arguments)
    assert result.exit_code == 1, result.output
    return result.stdout if output_format == "github" else json.loads(result.stdout)


def _text_at(path: Path, line: int, column: int, end_line: int, end_column: int) -> str:
    """What the file's own text holds at a region, decoded as the JSON string it is in."""
    lines = path.read_text(encoding="utf-8").split("\n")
    assert line == end_line, "these findings are on one line"
    raw = lines[line - 1][column - 1 : end_column - 1]
    return str(json.loads(f'"{raw}"'))


def _expected(path: Path) -> list[str]:
    """The offending text of each finding, read from the cell source."""
    findings = _lint(path, "json")
    sources = [cell.source for cell in nbformat.read(path, as_version=4).cells]
    return [
        sources[d["cell"] - 1].splitlines()[d["line"] - 1][d["column"] - 1 : d["end_column"] - 1]
        for d in findings
    ]


@pytest.mark.parametrize("style", ["list", "string"])
@pytest.mark.parametrize("ascii_only", [True, False])
@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_every_ci_format_points_at_the_offending_text_in_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, style: str, ascii_only: bool, newline: str
) -> None:
    monkeypatch.chdir(tmp_path)
    path = _notebook(tmp_path, style, ascii_only, newline)
    expected = _expected(path)
    assert expected == ["'/home/alice/é \"data\"/train.csv'", "'/Users/bob/data.csv'"]
    sarif = _lint(path, "sarif")["runs"][0]["results"]
    regions = [r["locations"][0]["physicalLocation"]["region"] for r in sarif]
    assert [
        _text_at(path, r["startLine"], r["startColumn"], r["endLine"], r["endColumn"])
        for r in regions
    ] == expected
    github = [line.split(" ", 1)[1].split("::")[0] for line in _lint(path, "github").splitlines()]
    fields = [dict(item.split("=") for item in line.split(",")) for line in github]
    assert [
        _text_at(path, int(f["line"]), int(f["col"]), int(f["endLine"]), int(f["endColumn"]))
        for f in fields
    ] == expected
    gitlab = _lint(path, "gitlab")
    assert [issue["location"]["lines"]["begin"] for issue in gitlab] == [
        r["startLine"] for r in regions
    ]
    assert len({r["startLine"] for r in regions}) == (2 if style == "list" else 1)


@pytest.mark.parametrize("ids", [True, False])
def test_fingerprints_survive_a_cell_inserted_above(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, ids: bool
) -> None:
    monkeypatch.chdir(tmp_path)
    path = _notebook(tmp_path, "list", False, "\n", ids=ids)

    def fingerprints() -> tuple[list[str], list[str]]:
        sarif = _lint(path, "sarif")["runs"][0]["results"]
        gitlab = _lint(path, "gitlab")
        return (
            [result["partialFingerprints"]["mlpizzaLint/v1"] for result in sarif],
            [issue["fingerprint"] for issue in gitlab],
        )

    before = fingerprints()
    notebook = nbformat.read(path, as_version=4)
    notebook.cells.insert(0, nbformat.v4.new_markdown_cell("A new introduction"))
    notebook.cells[2].source = "import pandas as pd\nimport numpy as np"
    content = json.loads(nbformat.writes(notebook))
    if not ids:
        for cell in content["cells"]:
            cell.pop("id", None)
        content["nbformat_minor"] = 4
    path.write_text(json.dumps(content, indent=1), encoding="utf-8")
    after = fingerprints()
    assert [len(set(each)) for each in before] == [2, 2]
    assert after == before


def test_sarif_paths_are_relative_to_the_repository_from_a_subfolder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    folder = tmp_path / "notebooks"
    folder.mkdir()
    _notebook(folder, "list", False, "\n")
    monkeypatch.chdir(folder)
    monkeypatch.delenv("GITHUB_WORKSPACE", raising=False)
    run = _lint(Path("nb.ipynb"), "sarif")["runs"][0]
    artifact = run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert artifact == {"uri": "notebooks/nb.ipynb", "uriBaseId": "%SRCROOT%"}
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == tmp_path.resolve().as_uri() + "/"
    assert "versionControlProvenance" not in run  # no commit, no remote yet
    git = ["git", "-C", str(tmp_path), "-c", "user.name=t", "-c", "user.email=t@example.com"]
    subprocess.run(
        [*git, "remote", "add", "origin", "https://example.com/team/repo.git"], check=True
    )
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "first"], check=True)
    head = subprocess.run([*git, "rev-parse", "HEAD"], capture_output=True, text=True).stdout
    (provenance,) = _lint(Path("nb.ipynb"), "sarif")["runs"][0]["versionControlProvenance"]
    assert provenance["repositoryUri"] == "https://example.com/team/repo.git"
    assert provenance["revisionId"] == head.strip()
