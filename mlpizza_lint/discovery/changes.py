"""Which files changed since a git ref: what a pull-request gate lints on a large repository."""

from __future__ import annotations

import subprocess
from pathlib import Path


class ChangesError(Exception):
    """git could not say what changed; the message is one line for the user."""


def changed_since(ref: str, folder: Path) -> frozenset[Path]:
    """Resolved paths of files added, copied, modified or renamed since `ref` (committed,
    staged or not), plus untracked files, in the git repository holding `folder`."""
    root = Path(_git(folder, "rev-parse", "--show-toplevel").strip())
    changed = _git(root, "diff", "--name-only", "--diff-filter=ACMR", ref, "--")
    untracked = _git(root, "ls-files", "--others", "--exclude-standard")
    return frozenset(
        (root / name).resolve() for name in (changed + untracked).splitlines() if name.strip()
    )


def _git(folder: Path, *arguments: str) -> str:
    try:
        result = subprocess.run(
            ["git", *arguments], cwd=folder, capture_output=True, text=True, check=False
        )
    except OSError as error:
        raise ChangesError(f"cannot run git: {error.strerror}") from None
    if result.returncode != 0:
        reason = (result.stderr.strip().splitlines() or ["git failed"])[-1]
        raise ChangesError(f"git {' '.join(arguments[:1])}: {reason}")
    return result.stdout
