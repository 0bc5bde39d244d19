"""MLP601-MLP606: a Dockerfile that rebuilds the environment the notebook needs, well.

hadolint is the reference for Dockerfile hygiene; these rules are the part of it that
decides whether the image reproduces the project: a pinned base, a non-root user, the
requirements installed before the source is copied, no pip cache, `apt-get update` with
its install. Instructions are read by `dependency_files.dockerfile` (continuations,
heredocs, BuildKit flags); each stage starts at its `FROM`.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

from mlpizza_lint.analysis.context import LintContext
from mlpizza_lint.analysis.installs import shell_installs
from mlpizza_lint.dependency_files.model import Instruction
from mlpizza_lint.diagnostics import Severity
from mlpizza_lint.rules.base import Finding, Rule
from mlpizza_lint.spans import Span

ROOT_USERS = frozenset({"root", "0", "0:0", "root:root"})
# Images that end with an unprivileged `USER` (Jupyter's docker-stacks, Pangeo, micromamba,
# Bitnami, distroless and Chainguard's non-root images), or whose platform runs the code
# as its own user (AWS Lambda): a stage built on one runs unprivileged without a `USER`.
UNPRIVILEGED_IMAGES = (
    "jupyter/",
    "quay.io/jupyter/",
    "pangeo/",
    "mambaorg/micromamba",
    "bitnami/",
    "cgr.dev/chainguard/",
    "public.ecr.aws/lambda/",
    "amazon/aws-lambda-",
)
DEV_CONTAINER = ".devcontainer"
NONROOT_TAG = re.compile(r":(.*-)?nonroot\b")  # `gcr.io/distroless/python3:nonroot`
APT_UPDATE = re.compile(r"\bapt(-get)?\s+update\b")
# What uses the fresh index in the same RUN: an install, or an upgrade of what is there.
APT_INSTALL = re.compile(r"\bapt(-get)?\s+(-\S+\s+)*(install|upgrade|dist-upgrade|full-upgrade)\b")
# pip takes any unambiguous prefix of a long option: `--no-cache` is `--no-cache-dir`.
NO_PIP_CACHE = re.compile(
    r"--no-ca(?:c(?:h(?:e(?:-(?:d(?:ir?)?)?)?)?)?)?(?![\w-])|PIP_NO_CACHE_DIR="
)
# A Docker image reference: an optional registry host, lower-case path components, then
# an optional tag and digest. `FROM Apache Spark 3.4.1` is a placeholder, not an image.
IMAGE_REFERENCE = re.compile(
    r"(?:[\w.-]+(?::\d+)?/)?[a-z0-9]+(?:[._-]+[a-z0-9]+)*(?:/[a-z0-9]+(?:[._-]+[a-z0-9]+)*)*"
    r"(?::[\w][\w.-]{0,127})?(?:@[\w:]+)?"
)
WHOLE_CONTEXT = frozenset({".", "./", "*", "./*"})


def instructions(context: LintContext) -> tuple[Instruction, ...]:
    dependencies = context.document.dependencies
    return dependencies.instructions if dependencies is not None else ()


def stages(context: LintContext) -> list[list[Instruction]]:
    """The instructions of each build stage, its `FROM` first."""
    found: list[list[Instruction]] = []
    for instruction in instructions(context):
        if instruction.keyword == "FROM" or not found:
            found.append([])
        found[-1].append(instruction)
    return found


def at(instruction: Instruction, message: str) -> Finding:
    return Finding(1, Span(instruction.line, 1, instruction.line, instruction.end_column), message)


def base_image(instruction: Instruction) -> str | None:
    """The image a `FROM` names (`python:3.11` of `FROM python:3.11 AS build`, `${BASE}`);
    None when its arguments are no image reference (a placeholder it cannot build with)."""
    parts = words(instruction.arguments)
    if not parts or (len(parts) != 1 and (len(parts) != 3 or parts[1].upper() != "AS")):
        return None
    image = parts[0]
    return image if "$" in image or IMAGE_REFERENCE.fullmatch(image) else None


def words(arguments: str) -> list[str]:
    try:
        return shlex.split(arguments, comments=False)
    except ValueError:
        return arguments.split()


class UnpinnedBaseImage(Rule):
    """A base image without a tag, or tagged `latest`.

    ## What it does
    Reports `FROM` instructions whose image has neither a tag nor a digest (`FROM
    python`) or is tagged `latest`. `FROM scratch`, a stage built earlier in the file
    (`FROM build`), images given by a build argument (`FROM ${BASE}`), and a `FROM` that
    names no image (a placeholder such as `FROM Apache Spark 3.4.1`) are not reported. A tag
    without a digest is MLP607's, off by default.

    ## Why is this bad?
    The image is whatever the registry calls newest the day it is built: another Python,
    another system library, and a project that built yesterday fails today.

    ## Fix
    None automatic: name the tag you tested (`python:3.11-slim`), or better a digest.
    """

    code = "MLP601"
    name = "unpinned-base-image"
    severity = Severity.ERROR
    example_file = "Dockerfile"
    bad = ("FROM python  # error: [MLP601]\nRUN pip install --no-cache-dir pandas==2.2.2\n",)
    good = ("FROM python:3.11-slim\nRUN pip install --no-cache-dir pandas==2.2.2\n",)

    def check(self, context: LintContext) -> Iterator[Finding]:
        for instruction, image in _base_images(context):
            if "@" in image:
                continue
            tag = image.rpartition("/")[2].partition(":")[2]
            if not tag or tag == "latest":
                problem = "has no tag" if not tag else "is tagged `latest`"
                yield at(
                    instruction,
                    f"`{image}`: the base image {problem}, so each build takes whatever the "
                    "registry has that day; name the tag you tested (`python:3.11-slim`) or "
                    "a digest",
                )


class BaseImageWithoutDigest(Rule):
    """A base image named by its tag only, without a digest.

    ## What it does
    Reports `FROM` instructions whose image has a tag but no `@sha256:` digest (`FROM
    python:3.11-slim`). Off by default: a tag is what MLP601 asks for; a digest is the
    stricter pin, for images that must rebuild byte for byte. The same images as MLP601's
    are left alone (`scratch`, earlier stages, build arguments, placeholders).

    ## Why is this bad?
    A tag moves: `python:3.11-slim` is rebuilt for every patch release and security fix,
    so two builds a month apart start from different systems. Only the digest names one
    image.

    ## Fix
    None automatic: add the digest the registry shows for the tag you tested
    (`FROM python:3.11-slim@sha256:...`), and update it on purpose.
    """

    code = "MLP607"
    name = "base-image-without-digest"
    enabled_by_default = False
    example_file = "Dockerfile"
    bad = ("FROM python:3.11-slim  # error: [MLP607]\nUSER app\n",)
    good = (
        "FROM python:3.11-slim@sha256:"
        "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\nUSER app\n",
    )

    def check(self, context: LintContext) -> Iterator[Finding]:
        for instruction, image in _base_images(context):
            tag = image.rpartition("/")[2].partition(":")[2]
            if tag and tag != "latest" and "@" not in image:
                yield at(
                    instruction,
                    f"`{image}`: the tag moves with each rebuild of the image; add the digest "
                    "you tested (`@sha256:...`) to build from the same system every time",
                )


def _base_images(context: LintContext) -> Iterator[tuple[Instruction, str]]:
    """Each `FROM` that names a registry image: not `scratch`, an earlier stage, a build
    argument nor a placeholder."""
    built: set[str] = {"scratch"}
    for instruction in instructions(context):
        if instruction.keyword != "FROM":
            continue
        parts = words(instruction.arguments)
        if len(parts) >= 3 and parts[1].upper() == "AS":
            built.add(parts[2].lower())
        image = base_image(instruction)
        if image is not None and "$" not in image and image.lower() not in built:
            yield instruction, image


class RunsAsRoot(Rule):
    """The image's final stage runs as root.

    ## What it does
    Reports the final stage's `FROM` when no `USER` instruction follows it, or the last
    `USER` when it is `root` (or `0`). Earlier build stages may build as root: only the
    stage that runs is checked. A stage built on an image that already ends with an
    unprivileged user (Jupyter's docker-stacks, `pangeo/*`, micromamba, Bitnami, distroless
    and Chainguard `nonroot` images) or that its platform runs as its own user (AWS
    Lambda's) is not reported, nor a `FROM` that names no image (a placeholder such as
    `FROM Apache Spark 3.4.1`, which does not build), nor a dev container's image (in
    `.devcontainer/`: `devcontainer.json` sets its user, and it is never deployed).

    ## Why is this bad?
    A notebook, a script or a server started from the image runs with every permission in
    the container, and files it writes to mounted folders belong to root on the host.

    ## Fix
    None automatic: create a user (`RUN useradd --create-home app`) and switch to it
    (`USER app`) after the installs.
    """

    code = "MLP602"
    name = "runs-as-root"
    example_file = "Dockerfile"
    bad = (
        "FROM python:3.11-slim  # error: [MLP602]\nRUN pip install --no-cache-dir pandas==2.2.2\n",
    )
    good = (
        "FROM python:3.11-slim\nRUN pip install --no-cache-dir pandas==2.2.2\n"
        "RUN useradd --create-home app\nUSER app\n",
    )

    def check(self, context: LintContext) -> Iterator[Finding]:
        found = stages(context)
        if not found or found[-1][0].keyword != "FROM":
            return
        final = found[-1]
        users = [instruction for instruction in final if instruction.keyword == "USER"]
        image = base_image(final[0])
        if image is None or _unprivileged(image) or _dev_container(context):
            return
        if not users:
            yield at(
                final[0],
                "the image runs as root: no `USER` follows this `FROM`; "
                "create a user and switch to it after the installs",
            )
        elif words(users[-1].arguments)[:1] and words(users[-1].arguments)[0] in ROOT_USERS:
            yield at(users[-1], "the image runs as root: switch to an unprivileged user last")


def _dev_container(context: LintContext) -> bool:
    """A `.devcontainer/` image: an editor's environment, whose user `devcontainer.json`
    sets (`remoteUser`), not an image that is deployed."""
    return DEV_CONTAINER in PurePosixPath(context.document.path.replace("\\", "/")).parts


def _unprivileged(image: str) -> bool:
    name = image.lower()
    return name.startswith(UNPRIVILEGED_IMAGES) or NONROOT_TAG.search(name) is not None


class SourceBeforeRequirements(Rule):
    """The whole source is copied before the requirements are installed.

    ## What it does
    Reports a `COPY . .` (or `ADD`, or a copy of the build context's whole folder) that
    comes, in its stage, before the `RUN` that installs the requirements (`pip install -r
    requirements.txt`, `pip install .`, `conda env create`).

    ## Why is this bad?
    Docker caches each step until something it copies changes. With the source copied
    first, every edit of a notebook or module invalidates the install step, and every build
    downloads and installs every dependency again.

    ## Fix
    None automatic: `COPY requirements.txt .`, then `RUN pip install -r requirements.txt`,
    then `COPY . .`.
    """

    code = "MLP603"
    name = "source-before-requirements"
    example_file = "Dockerfile"
    bad = (
        "FROM python:3.11-slim\nWORKDIR /app\nCOPY . .  # error: [MLP603]\n"
        "RUN pip install --no-cache-dir -r requirements.txt\n",
    )
    good = (
        "FROM python:3.11-slim\nWORKDIR /app\nCOPY requirements.txt .\n"
        "RUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\n",
    )

    def check(self, context: LintContext) -> Iterator[Finding]:
        for stage in stages(context):
            copied: Instruction | None = None
            for instruction in stage:
                sources = words(instruction.arguments)[:-1]
                if instruction.keyword in ("COPY", "ADD") and not _from_stage(instruction):
                    if copied is None and set(sources) & WHOLE_CONTEXT:
                        copied = instruction
                elif (
                    instruction.keyword == "RUN"
                    and copied is not None
                    and _installs_all(instruction.script)
                ):
                    yield at(
                        copied,
                        f"`COPY {copied.arguments}` comes before the install on line "
                        f"{instruction.line}: every change to the source reinstalls every "
                        "dependency; copy the requirements first, install, then the source",
                    )
                    break


def _from_stage(instruction: Instruction) -> bool:
    return any(flag.startswith("--from=") for flag in instruction.flags)


def _installs_all(script: str) -> bool:
    """A step that installs what the project declares, as opposed to one package."""
    return (
        any(
            command.requirement_files or "." in command.editables or "." in command.packages
            for command in shell_installs(script)
        )
        or "env create" in script
        or "env update" in script
    )


class PipCache(Rule):
    """`pip install` in a Dockerfile keeps its download cache in the image.

    ## What it does
    Reports `RUN` instructions whose `pip install` has no `--no-cache-dir` (or a prefix of
    it pip accepts, such as `--no-cache`), in a stage
    that does not set `PIP_NO_CACHE_DIR`, and without a BuildKit cache mount
    (`RUN --mount=type=cache,...`), which keeps the cache out of the image.

    ## Why is this bad?
    The wheels pip downloaded stay in a layer of the image: hundreds of megabytes for a
    scientific stack, shipped with every pull and never used.

    ## Fix
    None automatic: add `--no-cache-dir`, or mount a cache.
    """

    code = "MLP604"
    name = "pip-cache-in-image"
    example_file = "Dockerfile"
    bad = ("FROM python:3.11-slim\nRUN pip install pandas==2.2.2  # error: [MLP604]\n",)
    good = ("FROM python:3.11-slim\nRUN pip install --no-cache-dir pandas==2.2.2\n",)

    def check(self, context: LintContext) -> Iterator[Finding]:
        for stage in stages(context):
            quiet = False
            for instruction in stage:
                if instruction.keyword in ("ENV", "ARG") and "PIP_NO_CACHE_DIR" in (
                    instruction.arguments
                ):
                    quiet = True
                if instruction.keyword != "RUN" or quiet:
                    continue
                cached = any(flag.startswith("--mount=type=cache") for flag in instruction.flags)
                pip = any(
                    command.manager == "pip" for command in shell_installs(instruction.script)
                )
                if pip and not cached and not NO_PIP_CACHE.search(instruction.script):
                    yield at(
                        instruction,
                        "`pip install` without `--no-cache-dir`: the downloaded wheels stay "
                        "in the image; add the flag or mount a cache",
                    )


class UnpinnedImageRequirements(Rule):
    """The image installs a requirements file that pins nothing, or not everything.

    ## What it does
    Reports a `RUN pip install -r FILE` whose file, found in the project (the file a
    `COPY` before it brings into the image, by name or as part of `COPY . .`, read from the
    Dockerfile's folder or, for a build whose context is a folder above, from there up to
    the top of the git checkout), names requirements with no version at all: a pip-tools
    input (`requirements.in`) installed instead of the file compiled from it, or a
    requirements file left unpinned (MLP202 reports its lines there). Files the build
    creates or clones, and files no `COPY` brings in, are not reported.

    ## Why is this bad?
    The image is what gets deployed: each build installs whatever versions are newest that
    day, so two builds of one commit run different code, however pinned the rest is.

    ## Fix
    None automatic: install the pinned file (`requirements.txt` compiled from
    `requirements.in`), or pin the file the image installs.
    """

    code = "MLP605"
    name = "unpinned-image-requirements"
    severity = Severity.ERROR
    needs_project = True
    example_file = "Dockerfile"
    example_neighbours = {"requirements.in": "pandas\n", "requirements.txt": "pandas==2.2.2\n"}  # noqa: RUF012
    bad = (
        "FROM python:3.11-slim\nCOPY requirements.in .\n"
        "RUN pip install --no-cache-dir -r requirements.in  # error: [MLP605]\nUSER app\n",
    )
    good = (
        "FROM python:3.11-slim\nCOPY requirements.txt .\n"
        "RUN pip install --no-cache-dir -r requirements.txt\nUSER app\n",
    )

    def check(self, context: LintContext) -> Iterator[Finding]:
        project = context.project
        if project is None or project.folder is None:
            return
        contexts = _build_contexts(project.folder)
        for stage in stages(context):
            copied: dict[str, str] = {}  # a file's name in the image -> its source
            whole = False  # `COPY . /app`: every file of the context is in the image
            for instruction in stage:
                if instruction.keyword in ("COPY", "ADD") and not _from_stage(instruction):
                    arguments = words(instruction.arguments)
                    copied.update(_copied_files(arguments))
                    whole |= bool(set(arguments[:-1]) & WHOLE_CONTEXT)
                if instruction.keyword != "RUN":
                    continue
                for command in shell_installs(instruction.script):
                    for wanted in command.requirement_files if command.manager == "pip" else ():
                        name = PurePosixPath(wanted).name
                        # a file no COPY brought in is another project's (a clone) or none
                        sources = (copied.get(name), *((wanted.lstrip("/"), name) if whole else ()))
                        found = (
                            project.unpinned_at(folder / source)
                            for folder in contexts
                            for source in sources
                            if source
                        )
                        names = next((names for names in found if names is not None), ())
                        if names:
                            yield at(instruction, _unpinned_message(wanted, names))


def _build_contexts(folder: Path) -> list[Path]:
    """Where the build may start: the Dockerfile's folder, or a folder above it (a
    devcontainer's or compose file's `context: ..`); the snapshot holds their files."""
    return [folder, *folder.parents]


def _copied_files(arguments: list[str]) -> dict[str, str]:
    """`COPY requirements.txt setup.cfg /app/` -> each file's name in the image -> source."""
    if len(arguments) < 2:
        return {}
    *sources, target = arguments
    # `COPY a.txt .`, `COPY a.txt /app/`, `COPY a.txt /app` (a WORKDIR): a folder unless the
    # target names a file (`/tmp/reqs.txt`)
    into_folder = len(sources) > 1 or target.endswith("/") or not PurePosixPath(target).suffix
    return {
        (PurePosixPath(source).name if into_folder else PurePosixPath(target).name): source
        for source in sources
        if not set(source) & set("*?[") and source not in WHOLE_CONTEXT
    }


def _unpinned_message(wanted: str, names: tuple[str, ...]) -> str:
    shown = ", ".join(f"`{name}`" for name in names[:5]) + (" and more" if len(names) > 5 else "")
    return (
        f"`{wanted}`, which the image installs, names {shown} with no version: every build "
        "gets the newest; install the pinned file compiled from it, or pin it"
    )


class AptUpdateAlone(Rule):
    """`apt-get update` in another `RUN` than its `apt-get install`.

    ## What it does
    Reports a `RUN` that runs `apt-get update` (or `apt update`) without an install or an
    upgrade in the same instruction, when a later `RUN` of its stage installs with apt (an
    update that nothing installs from leaves no stale index to use).

    ## Why is this bad?
    Docker caches the update step on its own: a later change to the install line reuses a
    package index from the day that layer was built, and the install fails on packages
    the mirrors no longer carry, or installs stale versions.

    ## Fix
    None automatic: `RUN apt-get update && apt-get install -y --no-install-recommends ...
    && rm -rf /var/lib/apt/lists/*` in one instruction.
    """

    code = "MLP606"
    name = "apt-update-alone"
    example_file = "Dockerfile"
    bad = (
        "FROM python:3.11-slim\nRUN apt-get update  # error: [MLP606]\n"
        "RUN apt-get install -y --no-install-recommends graphviz\n",
    )
    good = (
        "FROM python:3.11-slim\n"
        "RUN apt-get update && apt-get install -y --no-install-recommends graphviz\n",
    )

    def check(self, context: LintContext) -> Iterator[Finding]:
        for stage in stages(context):
            for position, instruction in enumerate(stage):
                script = instruction.script
                alone = APT_UPDATE.search(script) and not APT_INSTALL.search(script)
                if alone and any(APT_INSTALL.search(later.script) for later in stage[position:]):
                    yield at(
                        instruction,
                        "`apt-get update` alone: its layer is cached apart from the install, "
                        "which later uses a stale package index; update and install in one RUN",
                    )
