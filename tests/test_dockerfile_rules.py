"""MLP601-MLP606 on Dockerfiles written as files: multi-stage builds, build arguments,
BuildKit flags, heredocs and continuations."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from mlpizza_lint.cli.main import main


def found(folder: Path, text: str, name: str = "Dockerfile") -> list[tuple[int, str]]:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    selection = ["--select", "MLP6", "--ignore", "MLP607"]  # the digest: its own test
    result = CliRunner().invoke(main, [str(path), *selection, "--format", "json"])
    return [(item["line"], item["code"]) for item in json.loads(result.stdout)]


def test_a_clean_multi_stage_build_passes(tmp_path: Path) -> None:
    text = (
        "ARG BASE=python:3.11-slim\n"
        "FROM python:3.11-slim@sha256:0123abcd AS build\n"
        "COPY requirements.txt .\n"
        "RUN --mount=type=cache,target=/root/.cache pip install -r requirements.txt\n"
        "FROM ${BASE}\n"
        "ENV PIP_NO_CACHE_DIR=1\n"
        "RUN apt-get update \\\n    && apt-get install -y --no-install-recommends graphviz\n"
        "COPY --from=build /usr/local /usr/local\n"
        "RUN pip install gunicorn==22.0.0\n"
        "COPY . /app\n"
        "RUN useradd app\nUSER app\n"
    )
    assert found(tmp_path, text) == []


def test_each_rule_at_its_instruction(tmp_path: Path) -> None:
    text = (
        "FROM python AS build\n"  # 1: no tag
        "FROM build\n"  # 2: an earlier stage, fine
        "COPY . .\n"  # 3: before the install
        "RUN apt-get update\n"  # 4: alone
        "RUN <<EOF\napt-get install -y graphviz\npip install -r requirements.txt\nEOF\n"
        # 5: heredoc, no cache flag; its apt install reads the index line 4 cached
        "USER root\n"  # 9: last user is root
    )
    assert found(tmp_path, text) == [
        (1, "MLP601"),
        (3, "MLP603"),
        (4, "MLP606"),
        (5, "MLP604"),
        (9, "MLP602"),
    ]


def test_latest_and_named_dockerfiles(tmp_path: Path) -> None:
    assert found(
        tmp_path, "FROM jupyter/scipy-notebook:latest\nUSER jovyan\n", "train.Dockerfile"
    ) == [(1, "MLP601")]


def test_a_from_that_names_no_image_is_no_base_image(tmp_path: Path) -> None:
    """Seen in fresh set 14: a template's `FROM Apache Spark 3.4.1` (it does not build)."""
    assert found(tmp_path, "FROM Apache Spark 3.4.1\nRUN pip install --no-cache-dir x==1\n") == []


def test_images_that_run_unprivileged_need_no_user(tmp_path: Path) -> None:
    """Seen in fresh set 14: Binder's Pangeo images end with `USER jovyan`; AWS Lambda runs
    the handler as its own user."""
    for image in (
        "pangeo/pangeo-notebook:2021.05.15",
        "quay.io/jupyter/scipy-notebook:2024-05-27",
        "public.ecr.aws/lambda/python:3.9",
        "gcr.io/distroless/python3-debian12:nonroot",
    ):
        assert found(tmp_path, f"FROM {image}\nCOPY app.py .\n") == [], image
    assert found(tmp_path, "FROM ${BASE}\nCOPY app.py .\n") == [(1, "MLP602")]


def test_a_prefix_of_no_cache_dir_that_pip_accepts_keeps_no_cache(tmp_path: Path) -> None:
    """Seen in fresh set 14: pip reads `--no-cache` as `--no-cache-dir`."""
    text = "FROM python:3.11-slim\nRUN pip install --no-cache pandas==2.2.2\nUSER app\n"
    assert found(tmp_path, text) == []
    text = "FROM python:3.11-slim\nRUN pip install --no-cache-direct x==1\nUSER app\n"
    assert found(tmp_path, text) == [(2, "MLP604")]


def test_an_update_with_an_upgrade_in_the_same_run_is_not_alone(tmp_path: Path) -> None:
    """Seen in fresh set 14: `apt-get update; apt-get upgrade -y` in one RUN."""
    text = (
        "FROM ubuntu:22.04\nRUN apt-get update; apt-get upgrade -y; rm -rf /var/lib/apt/lists/*\n"
        "USER app\n"
    )
    assert found(tmp_path, text) == []


def _installing(folder: Path, files: dict[str, str], dockerfile: str) -> list[tuple[int, str]]:
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    return [item for item in found(folder, dockerfile) if item[1] == "MLP605"]


def test_an_image_that_installs_an_unpinned_file_is_reported(tmp_path: Path) -> None:
    files = {"requirements.in": "pandas\nnumpy>=1\n", "requirements.txt": "pandas==2.2.2\n"}
    text = (
        "FROM python:3.11-slim\nCOPY requirements.in /tmp/reqs.txt\n"
        "RUN pip install -r /tmp/reqs.txt\n"
    )
    assert _installing(tmp_path, files, text) == [(3, "MLP605")]


def test_the_file_is_found_through_its_copy_or_the_whole_context(tmp_path: Path) -> None:
    files = {"requirements/base.txt": "pandas\n"}
    copied = "FROM python:3.11-slim\nCOPY requirements/base.txt .\nRUN pip install -r base.txt\n"
    assert _installing(tmp_path, files, copied) == [(3, "MLP605")]
    (tmp_path / "requirements.txt").write_text("pandas\n", encoding="utf-8")
    whole = "FROM python:3.11-slim\nCOPY . /app\nRUN pip install -r /app/requirements.txt\n"
    assert _installing(tmp_path, {}, whole) == [(3, "MLP605")]


def test_a_pinned_file_or_one_the_build_makes_is_not_reported(tmp_path: Path) -> None:
    files = {"requirements.txt": "pandas==2.2.2\n"}
    pinned = "FROM python:3.11-slim\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\n"
    assert _installing(tmp_path, files, pinned) == []
    made = "FROM python:3.11-slim\nRUN poetry export -o out.txt && pip install -r out.txt\n"
    assert _installing(tmp_path, {}, made) == []


def test_a_digest_is_asked_for_only_when_selected(tmp_path: Path) -> None:
    text = (
        "FROM python:3.11-slim AS build\nFROM build\nFROM ${BASE}\n"
        "FROM python:3.11-slim@sha256:0123abcd\nFROM python:3.12-slim\nUSER app\n"
    )
    assert (tmp_path / "Dockerfile").write_text(text, encoding="utf-8")
    result = CliRunner().invoke(
        main, [str(tmp_path / "Dockerfile"), "--select", "MLP607", "--format", "json"]
    )
    assert [(item["line"], item["code"]) for item in json.loads(result.stdout)] == [
        (1, "MLP607"),
        (5, "MLP607"),
    ]
    assert "MLP607" not in CliRunner().invoke(main, [str(tmp_path / "Dockerfile")]).stdout


def test_a_build_whose_context_is_the_folder_above_finds_its_file(tmp_path: Path) -> None:
    """Seen on fresh set 15: a devcontainer built with `"context": ".."`."""
    (tmp_path / ".git").mkdir()
    (tmp_path / "requirements-codespaces.txt").write_text("pandas\nrequests\n", encoding="utf-8")
    folder = tmp_path / ".devcontainer"
    folder.mkdir()
    text = (
        "FROM python:3.11-slim\nCOPY requirements-codespaces.txt /tmp/pip-tmp/\n"
        "RUN pip3 --no-cache-dir install -r /tmp/pip-tmp/requirements-codespaces.txt\nUSER app\n"
    )
    assert _installing(folder, {}, text) == [(3, "MLP605")]


def test_a_dev_container_image_is_not_asked_for_a_user(tmp_path: Path) -> None:
    """Seen on fresh set 15: `.devcontainer/Dockerfile`, whose user devcontainer.json sets."""
    folder = tmp_path / ".devcontainer"
    folder.mkdir()
    text = "FROM mcr.microsoft.com/devcontainers/python:3.11\nRUN pip install --no-cache-dir x==1\n"
    assert found(folder, text) == []
    assert found(tmp_path, text) == [(1, "MLP602")]


def test_a_file_no_copy_brings_in_is_not_the_project_s(tmp_path: Path) -> None:
    """Seen on fresh set 16's synthetic checks: a cloned project's file, or none at all."""
    files = {"requirements.txt": "pandas\n"}
    cloned = (
        "FROM python:3.11-slim\nRUN git clone https://github.com/o/tool.git /tool\n"
        "WORKDIR /tool\nRUN pip install --no-cache-dir -r requirements.txt\n"
    )
    assert _installing(tmp_path, files, cloned) == []


def test_an_update_that_nothing_installs_from_is_not_reported(tmp_path: Path) -> None:
    """Seen on fresh sets 13 and 17: only pip installs follow the update."""
    text = (
        "FROM python:3.11-slim\nRUN apt-get update\nRUN pip install --no-cache-dir x==1\nUSER a\n"
    )
    assert found(tmp_path, text) == []
