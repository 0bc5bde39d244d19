"""`extract --script --dockerfile`: an image that runs the extracted script, written to pass
the Dockerfile rules (MLP601-606) itself: a tagged base image, the requirements installed
before the code is copied and without pip's cache, and a user that is not root."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from mlpizza_lint.extract.model import ExtractError, Output

DOCKERFILE = "Dockerfile"
USER = "app"


def dockerfile_output(script: Path, requirements: Path | None, force: bool) -> Output:
    """The Dockerfile beside the script; its folder is the build context, so the
    requirements file must lie in it. Without one the image could not install anything."""
    folder = script.parent
    target = folder / DOCKERFILE
    if requirements is None and (folder / "requirements.txt").is_file():
        requirements = folder / "requirements.txt"
    if requirements is None:
        raise ExtractError(
            f"{target}: the image needs the script's requirements: give --requirements FILE "
            f"or add a requirements.txt beside {script.name}"
        )
    relative = Path(os.path.relpath(requirements, folder))
    if relative.parts[:1] == ("..",):
        raise ExtractError(
            f"{requirements}: outside {folder}, the image's build context; "
            "--dockerfile needs the requirements file in the script's folder or below"
        )
    if target.exists() and not force:
        raise ExtractError(f"{target}: already exists; pass --force to overwrite it")
    return Output(target, _text(script.name, relative.as_posix()), f"Wrote {target}", _read(target))


def _text(script: str, requirements: str) -> str:
    python = f"{sys.version_info.major}.{sys.version_info.minor}"  # the one it was made with
    image = Path(script).stem.lower().replace("_", "-")
    return (
        f"# Runs {script}: docker build -t {image} . && docker run {image} --help\n"
        f"FROM python:{python}-slim\n"
        "WORKDIR /app\n"
        f"COPY {requirements} requirements.txt\n"
        "RUN pip install --no-cache-dir -r requirements.txt\n"
        f"COPY {script} .\n"
        f"RUN useradd --create-home {USER}\n"
        f"USER {USER}\n"
        f'ENTRYPOINT ["python", "{script}"]\n'
    )


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as error:
        raise ExtractError(f"{path}: cannot overwrite: {error}") from None
