"""The CI formats (SARIF, GitHub annotations, GitLab Code Quality) on real files."""

from __future__ import annotations

import json
import re
import shutil
from io import StringIO
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner

from mlpizza_lint.api import Report
from mlpizza_lint.cli.main import main
from mlpizza_lint.diagnostics import Diagnostic, FileResult, Severity
from mlpizza_lint.reporters import FORMATS, github, gitlab
from mlpizza_lint.rules import all_rules
from mlpizza_lint.spans import Span

from .conftest import EXAMPLES

SCHEMA = Path("/work/shared/schemas/sarif-2.1.0.json")
NOTEBOOK = "churn_training.ipynb"
SCRIPT = "load.py"
GITHUB_LINE = re.compile(
    r"^::(?P<level>error|warning) file=(?P<file>[^,:]+)"
    r"(?:,line=(?P<line>\d+)(?:,col=(?P<col>\d+),endLine=(?P<end_line>\d+)"
    r",endColumn=(?P<end_col>\d+))?)?"
    r",title=(?P<title>[^,:]+)::(?P<message>[^\r\n]*)$"
)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working directory holding a messy notebook and a script with a machine-bound path;
    its pyproject declares no dependencies, so no project-level finding comes in."""
    shutil.copy(EXAMPLES / NOTEBOOK, tmp_path / NOTEBOOK)
    (tmp_path / "pyproject.toml").write_text("[tool.mlpizza-lint]\n", encoding="utf-8")
    (tmp_path / SCRIPT).write_text("data = open('/home/alice/x.csv').read()\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CI_PROJECT_DIR", raising=False)
    return tmp_path


def run(output_format: str, *paths: str) -> str:
    result = CliRunner().invoke(main, ["check", *(paths or (".",)), "--format", output_format])
    assert result.exit_code == 1, result.output
    return result.stdout


def as_json(output_format: str, *paths: str) -> Any:
    return json.loads(run(output_format, *paths))


def test_every_ci_format_is_a_choice_of_the_command_line() -> None:
    assert {"sarif", "github", "gitlab"} <= set(FORMATS)


def test_sarif_is_valid_against_the_official_schema(project: Path) -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    validator = jsonschema.validators.validator_for(schema)
    validator.check_schema(schema)
    validator(schema).validate(as_json("sarif"))


def test_sarif_lists_every_rule_and_indexes_results_into_them(project: Path) -> None:
    log = as_json("sarif")
    assert log["version"] == "2.1.0"
    (run_,) = log["runs"]
    driver = run_["tool"]["driver"]
    assert driver["name"] == "mlpizza-lint"
    rules = driver["rules"]
    assert [rule["id"] for rule in rules] == [rule.code for rule in all_rules()]
    by_code = {rule.code: rule for rule in all_rules()}
    for rule in rules:
        source = by_code[rule["id"]]
        assert rule["name"] == source.name
        assert rule["shortDescription"]["text"] == source.summary()
        assert rule["helpUri"].endswith(f"/{source.code}.md")
        assert rule["defaultConfiguration"]["level"] == source.severity.value
    for result in run_["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]


def test_sarif_has_one_result_per_diagnostic(project: Path) -> None:
    results = as_json("sarif")["runs"][0]["results"]
    expected = as_json("json")
    assert len(results) == len(expected) > 1
    assert [r["ruleId"] for r in results] == [d["code"] for d in expected]


def test_sarif_notebook_result_names_the_cell_in_its_properties(project: Path) -> None:
    results = as_json("sarif", NOTEBOOK)["runs"][0]["results"]
    expected = as_json("json", NOTEBOOK)
    for result, diagnostic in zip(results, expected, strict=True):
        location = result["locations"][0]["physicalLocation"]
        assert location["artifactLocation"] == {"uri": NOTEBOOK, "uriBaseId": "%SRCROOT%"}
        assert result["properties"] == {
            "cell": diagnostic["cell"],
            "cellLine": diagnostic["line"],
            "cellColumn": diagnostic["column"],
        }
        assert result["message"]["text"].startswith(f"cell {diagnostic['cell']}, line ")


def test_sarif_plain_file_has_a_file_region_and_no_cell(project: Path) -> None:
    (result,) = as_json("sarif", SCRIPT)["runs"][0]["results"]
    assert result["ruleId"] == "MLP301" and result["level"] == "error"
    assert "properties" not in result
    location = result["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == SCRIPT
    assert location["region"]["startLine"] == 1 and location["region"]["startColumn"] == 13


def test_sarif_path_outside_the_working_directory_is_an_absolute_uri(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    elsewhere = project / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    (result,) = as_json("sarif", str(project / SCRIPT))["runs"][0]["results"]
    artifact = result["locations"][0]["physicalLocation"]["artifactLocation"]
    assert artifact == {"uri": (project / SCRIPT).resolve().as_uri()}


def test_github_lines_are_workflow_commands(project: Path) -> None:
    lines = run("github").splitlines()
    expected = as_json("json")
    assert len(lines) == len(expected)
    for line, diagnostic in zip(lines, expected, strict=True):
        match = GITHUB_LINE.match(line)
        assert match, line
        assert match["level"] == diagnostic["severity"]
        assert match["title"] == f"{diagnostic['code']} {diagnostic['name']}"
        if diagnostic["cell"] is None:
            assert match["file"] == SCRIPT
            assert (match["line"], match["col"]) == (str(diagnostic["line"]), "13")
        else:
            assert match["file"] == NOTEBOOK
            assert int(match["line"]) > 1 and match["col"] is not None
            prefix = f"cell {diagnostic['cell']}, line {diagnostic['line']}: "
            assert match["message"].startswith(prefix)


def report_of(*diagnostics: Diagnostic) -> Report:
    return Report((FileResult(diagnostics[0].path, diagnostics),))


def finding(message: str, path: str = "odd,name:1.py", cell: int | None = None) -> Diagnostic:
    return Diagnostic(
        code="MLP301",
        name="hardcoded-path",
        severity=Severity.WARNING,
        message=message,
        path=path,
        cell=cell,
        span=Span(2, 5, 2, 9),
    )


def test_github_escapes_messages_and_properties(project: Path) -> None:
    line = github.command(finding("100% sure\r\nreally"))
    assert line == (
        "::warning file=odd%2Cname%3A1.py,line=2,col=5,endLine=2,endColumn=9,"
        "title=MLP301 hardcoded-path::100%25 sure%0D%0Areally"
    )
    assert GITHUB_LINE.match(line)


def test_gitlab_report_matches_the_findings(project: Path) -> None:
    issues = as_json("gitlab")
    expected = as_json("json")
    assert len(issues) == len(expected)
    for issue, diagnostic in zip(issues, expected, strict=True):
        assert issue["check_name"] == diagnostic["code"]
        assert issue["severity"] == {"error": "major", "warning": "minor"}[diagnostic["severity"]]
        assert issue["description"].startswith(f"{diagnostic['code']} ")
        assert re.fullmatch("[0-9a-f]{64}", issue["fingerprint"])
        if diagnostic["cell"] is None:
            assert issue["location"] == {"path": SCRIPT, "lines": {"begin": 1, "end": 1}}
        else:
            assert issue["location"]["path"] == NOTEBOOK
            assert (
                f" cell {diagnostic['cell']}, line {diagnostic['line']}: " in (issue["description"])
            )


def test_gitlab_fingerprints_are_unique_and_stable(project: Path) -> None:
    first = [issue["fingerprint"] for issue in as_json("gitlab")]
    second = [issue["fingerprint"] for issue in as_json("gitlab")]
    assert first == second
    assert len(set(first)) == len(first)


def test_gitlab_tells_identical_findings_apart(project: Path) -> None:
    same = finding("the same", path=NOTEBOOK, cell=3)
    stream = StringIO()
    gitlab.write(report_of(same, same), stream)
    issues = json.loads(stream.getvalue())
    assert len({issue["fingerprint"] for issue in issues}) == 2


def test_gitlab_paths_are_relative_to_the_gitlab_project(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CI_PROJECT_DIR", str(project.parent))
    (issue,) = as_json("gitlab", SCRIPT)
    assert issue["location"]["path"] == f"{project.name}/{SCRIPT}"
