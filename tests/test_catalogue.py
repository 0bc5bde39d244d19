"""`rules/` is generated from the rule classes; this fails when it is stale."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from mlpizza_lint.cli.main import main
from mlpizza_lint.rules.catalogue import catalogue

from .conftest import ROOT


def test_rules_folder_is_fresh() -> None:
    folder = ROOT / "rules"
    expected = catalogue()
    on_disk = {path.name: path.read_text(encoding="utf-8") for path in folder.glob("*.md")}
    assert on_disk == expected, "run `mlpizza-lint rules --markdown rules/` and commit the result"


def test_rules_command_writes_the_catalogue(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["rules", "--markdown", str(tmp_path / "rules")])
    assert result.exit_code == 0
    written = {path.name for path in (tmp_path / "rules").iterdir()}
    assert written == set(catalogue()) and "MLP301.md" in written
