"""`extract --script --dockerfile`: an image for the extracted script that passes the
Dockerfile rules itself, or a one-line refusal that writes nothing."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from mlpizza_lint.cli.main import main

from .conftest import EXAMPLES


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copy(EXAMPLES / "clean_forecast.ipynb", tmp_path)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def extract(*arguments: str) -> Result:
    return CliRunner().invoke(main, ["extract", "clean_forecast.ipynb", *arguments])


def test_the_image_runs_the_script_and_passes_the_dockerfile_rules(folder: Path) -> None:
    done = extract("--script", "-o", "forecast.py", "--requirements", "reqs.txt", "--dockerfile")
    assert done.exit_code == 0, done.output
    assert "Wrote Dockerfile" in done.stdout
    text = (folder / "Dockerfile").read_text(encoding="utf-8")
    assert (
        "COPY reqs.txt requirements.txt\nRUN pip install --no-cache-dir -r requirements.txt\n"
        in text
    )
    assert text.index("RUN pip install") < text.index("COPY forecast.py .")
    assert text.endswith('USER app\nENTRYPOINT ["python", "forecast.py"]\n')
    rules = ["--select", "MLP6", "--ignore", "MLP607"]  # a digest: only the registry knows it
    linted = CliRunner().invoke(main, ["Dockerfile", *rules, "--format", "json"])
    assert (linted.exit_code, json.loads(linted.stdout)) == (0, [])


def test_a_requirements_file_beside_the_script_is_the_one_installed(folder: Path) -> None:
    (folder / "requirements.txt").write_text("numpy==1.26.4\n", encoding="utf-8")
    assert extract("--script", "--dockerfile").exit_code == 0
    assert "COPY requirements.txt requirements.txt\n" in (folder / "Dockerfile").read_text()


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--dockerfile"], "give it with --script"),
        (["--script", "--dockerfile"], "Dockerfile: the image needs the script's requirements"),
        (
            ["--script", "--dockerfile", "--requirements", "../reqs.txt"],
            "the image's build context",
        ),
    ],
)
def test_refusals_are_one_line_and_write_nothing(
    folder: Path, arguments: list[str], message: str
) -> None:
    done = extract(*arguments)
    assert done.exit_code == 2 and message in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert sorted(path.name for path in folder.iterdir()) == ["clean_forecast.ipynb"]


def test_an_existing_dockerfile_is_kept_without_force(folder: Path) -> None:
    (folder / "Dockerfile").write_text("FROM scratch\n", encoding="utf-8")
    (folder / "requirements.txt").write_text("numpy==1.26.4\n", encoding="utf-8")
    done = extract("--script", "--dockerfile")
    assert done.exit_code == 2 and "Dockerfile: already exists; pass --force" in done.stderr
    assert (folder / "Dockerfile").read_text() == "FROM scratch\n"
    assert extract("--script", "--dockerfile", "--force").exit_code == 0
    assert (folder / "Dockerfile").read_text().count("FROM python:") == 1
