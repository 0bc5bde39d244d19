"""Recognise paths that exist on one machine only: home folders, mounts, hosted notebooks.

The roots are listed as data with the place they belong to, so a message can say where
a path comes from. Any other absolute path (`/tmp`, `/dev/null`, `/usr/...`, URL routes
such as `/api/v1`) is not reported: those are the same everywhere or are not files.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# A path starts a string, or follows a space, quote, `=`, `(`, `,`, `;` or `:` — never a
# letter, digit or another `/`, which keeps `https://host/home/page` and `a/mnt/b` out.
BOUNDARY = r"(?:(?<=^)|(?<=[\s'\"=(,;:]))"
PATH_END = re.compile(r"[\s'\",;)\]]")

# (pattern, where the path exists, the hosted service whose every machine has it: a
# notebook made for that service may use it; "" for one machine's folders)
MACHINE_ROOTS: tuple[tuple[str, str, str], ...] = (
    (r"/home/[^/\s{}]+", "in one user's home folder", ""),
    (r"/Users/[^/\s{}]+", "in one user's home folder", ""),
    (r"/root/(?!\.)", "in the root user's home folder", ""),  # `/root/.cache`: a tool's
    (r"~/(?!\.)", "in the current user's home folder, whoever that is", ""),
    (r"/(?:mnt|media)/[^/\s]+", "on a drive mounted on one machine", ""),
    # macOS's mounts, and Databricks' Unity Catalog volumes (on every cluster of a workspace)
    (r"/Volumes/[^/\s]+", "on a drive mounted on one machine", "databricks"),
    (r"/content/g?drive(?:/|$)", "in Google Colab", ""),  # one user's Drive, mounted
    (r"/content(?:/|$)", "in Google Colab", "colab"),
    (r"/gdrive/", "on one Google Drive mount", ""),
    (r"/kaggle/(?:input|working|temp)(?:/|$)", "on Kaggle", "kaggle"),
    (r"(?:/dbfs/|dbfs:/|/Workspace/|/databricks/driver)", "on Databricks", "databricks"),
    (r"[A-Za-z]:[\\/](?=[\w .$~-])", "on one Windows machine", ""),
    (r"\\\\[\w.$-]+\\[\w.$-]+", "on one Windows network share", ""),
)
MACHINE_PATH = re.compile(
    "|".join(f"{BOUNDARY}(?P<root{n}>{pattern})" for n, (pattern, *_) in enumerate(MACHINE_ROOTS))
)
ABSOLUTE = re.compile(r"^(?:/|~|[A-Za-z]:[\\/]|\\\\)")
REGEX_HINTS = re.compile(r"\(\?|\\[dwsbDWS]|^\^|\[\^|\$$")


@dataclass(frozen=True)
class MachinePath:
    path: str
    place: str
    platform: str = ""  # the hosted service on whose every machine it exists


def find_machine_path(
    text: str, allowed: tuple[str, ...] = (), *, whole: bool = False
) -> MachinePath | None:
    """The first machine-specific path in `text`, unless it starts with an allowed prefix.

    With `whole`, a path that starts the text runs to its end (a string literal such as
    `"/content/drive/My Drive/x.csv"`); otherwise it ends at a space (a command line).
    """
    for match in MACHINE_PATH.finditer(text):
        end = None if whole and match.start() == 0 else PATH_END.search(text, match.end())
        path = text[match.start() : end.start() if end else len(text)].rstrip()
        if path.startswith(allowed):
            continue
        _, place, platform = MACHINE_ROOTS[int((match.lastgroup or "root0").removeprefix("root"))]
        return MachinePath(path, place, platform)
    return None


def is_absolute(text: str) -> bool:
    return bool(ABSOLUTE.match(text))


def looks_like_regex(text: str) -> bool:
    return bool(REGEX_HINTS.search(text)) and not re.match(r"^[A-Za-z]:\\", text)
