"""Which files changed since a git ref: what a pull-request gate lints on a large repository.

git runs programs its configuration names, and `.git/config` comes with the repository being
linted: `core.fsmonitor` runs on every status-like command, a diff can run external diff and
textconv drivers, and comparing the work tree runs the `clean` filters of `.gitattributes`.
Linting must run none of the repository's code (DESIGN §4), so each is switched off, and the
user's ref can never be read as an option (`--changed-since=--output=x` would write a file).
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

# `-c` settings that switch off what git would run; filters are added per configured driver.
SAFE_CONFIG = ("core.fsmonitor=false", "diff.external=")
_FILTER_DRIVER = re.compile(r"^filter\.(.+)\.(?:clean|smudge|process)\s", re.MULTILINE)


class ChangesError(Exception):
    """git could not say what changed; the message is one line for the user."""


def changed_since(ref: str, folder: Path) -> frozenset[Path]:
    """Resolved paths of files added, copied, modified or renamed since `ref` (committed,
    staged or not), plus untracked files, in the git repository holding `folder`."""
    if ref.startswith("-"):
        raise ChangesError(f"--changed-since: `{ref}` is not a git ref")
    root = Path(_git(folder, SAFE_CONFIG, "rev-parse", "--show-toplevel").strip())
    safe = _safe_config(root)
    changed = _git(
        root,
        safe,
        "diff",
        "--no-ext-diff",
        "--no-textconv",
        "--name-only",
        "--diff-filter=ACMR",
        "--end-of-options",
        ref,
        "--",
    )
    untracked = _git(root, safe, "ls-files", "--others", "--exclude-standard", "--")
    return frozenset(
        (root / name).resolve() for name in (changed + untracked).splitlines() if name.strip()
    )


def ignored_files(folder: Path) -> frozenset[Path]:
    """What git ignores below `folder` (files, and folders ignored whole), as absolute
    paths; nothing outside a git checkout or without git."""
    try:
        listed = _git(
            folder,
            _safe_config(folder),
            "ls-files",
            "-z",
            "--others",
            "--ignored",
            "--exclude-standard",
            "--directory",
        )
    except ChangesError:
        return frozenset()
    base = folder.absolute()
    return frozenset(base / name.rstrip("/") for name in listed.split("\0") if name)


def git_value(folder: Path, *arguments: str) -> str | None:
    """One line git prints (`rev-parse HEAD`), with what git would run switched off;
    None where git fails."""
    try:
        return _git(folder, SAFE_CONFIG, *arguments).strip() or None
    except ChangesError:
        return None


def _safe_config(root: Path) -> tuple[str, ...]:
    """`SAFE_CONFIG`, and an empty command for every filter driver the configuration sets."""
    listed = _git(root, SAFE_CONFIG, "config", "--get-regexp", r"^filter\.", allowed=(0, 1))
    drivers = sorted(set(_FILTER_DRIVER.findall(listed)))
    filters = tuple(
        f"filter.{driver}.{command}="
        for driver in drivers
        for command in ("clean", "smudge", "process")
    )
    return (*SAFE_CONFIG, *filters)


def _git(
    folder: Path, config: tuple[str, ...], *arguments: str, allowed: tuple[int, ...] = (0,)
) -> str:
    settings = [part for setting in config for part in ("-c", setting)]
    try:
        result = subprocess.run(
            ["git", *settings, *arguments],
            cwd=folder,
            capture_output=True,
            text=True,
            check=False,
        )
    except OSError as error:
        raise ChangesError(f"cannot run git: {error.strerror}") from None
    if result.returncode not in allowed:
        reason = (result.stderr.strip().splitlines() or ["git failed"])[-1]
        raise ChangesError(f"git {' '.join(arguments[:1])}: {reason}")
    return result.stdout
