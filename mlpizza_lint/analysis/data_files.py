"""Whether the project holds the data files a notebook reads, read before any rule runs.

A relative path counts as held when it exists beside the notebook or at the project's root
(where some run their notebooks from), or when DVC tracks it (`data/train.csv.dvc`, or a
folder above it). For one the project does not hold, two things change what to tell the
user: a `.gitignore` that leaves it out on purpose, and another file of the project (a
script, another notebook, a Makefile) whose line naming it also writes or fetches
something, which is where the file comes from.
"""

from __future__ import annotations

import fnmatch
import json
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from types import MappingProxyType

from mlpizza_lint.file_cache import FileCache, Read
from mlpizza_lint.notebook.reading import read_regular_file

MAX_FILES = 5000
MAX_BYTES = 8 << 20  # a file larger than this is data, not code that writes data
CODE_SUFFIXES = frozenset(
    {".py", ".ipynb", ".sh", ".bash", ".r", ".mk", ".yaml", ".yml", ".toml", ".cfg", ".smk"}
)
CODE_NAMES = frozenset({"Makefile", "Snakefile", "Dockerfile", "justfile", "dvc.yaml"})
SKIPPED_FOLDERS = frozenset({".git", "node_modules", ".ipynb_checkpoints", "__pycache__"})
# A line that makes a file: written, saved, downloaded, extracted, copied, redirected.
WRITING_LINE = re.compile(
    r"to_(?:csv|excel|parquet|json|pickle|feather|hdf)|\.save|savefig|savetxt|dump|write"
    r"|wget|curl|urlretrieve|download|extract|unzip|tar\s|gdown|kaggle|copy|\bcp\s|\bmv\s"
    r"|open\([^)]*['\"][wax]|>\s*\S|outs:|output",
    re.IGNORECASE,
)
# A file name, starting where a word starts: inside long runs of letters (a notebook's
# base64 images) a match is tried once per run, not once per character.
FILE_NAME = re.compile(r"(?<![\w.-])[\w-][\w.-]*\.[A-Za-z][A-Za-z0-9]{0,7}\b")
MAX_LINE = 2000  # longer lines are data (outputs, minified code)


@dataclass(frozen=True)
class DataFile:
    """What the project says about one relative path a notebook reads."""

    held: bool
    ignored_by: str | None = None  # the `.gitignore` pattern that leaves it out
    made_by: str | None = None  # another file of the project that writes or fetches it


def data_files(
    document: Path, folder: Path, root: Path, top: Path | None, paths: Iterable[str]
) -> Mapping[str, DataFile]:
    """`paths` (relative to `folder`, the document's) -> what the project says of each."""
    found: dict[str, DataFile] = {}
    for path in dict.fromkeys(paths):
        if _held((folder, root, path)):
            found[path] = DataFile(held=True)
            continue
        name = PurePosixPath(path).name
        makers = _makers(root).get(name, ())
        made_by = next((maker for maker in makers if maker != str(document)), None)
        found[path] = DataFile(False, _ignored(folder / path, folder, top or root), made_by)
    return MappingProxyType(found)


def _read_held(key: tuple[Path, Path, str]) -> Read[bool]:
    folder, root, path = key
    target = os.path.normpath(folder / path)
    candidates = [Path(target), root / path, Path(target + ".dvc")]
    candidates += [Path(str(parent) + ".dvc") for parent in Path(target).parents][:4]
    for candidate in candidates:
        try:
            if candidate.exists():
                return Read(True, tuple(candidates))
        except OSError:
            continue
    return Read(False, tuple(candidates))


def _read_makers(root: Path) -> Read[Mapping[str, tuple[str, ...]]]:
    """File name -> the project's files (absolute) with a writing line that names it."""
    makers: dict[str, list[str]] = {}
    sources: list[Path] = [root]
    files = _code_files(root, sources)
    sources += files  # an edited script may start or stop writing a file
    for path in files:
        try:
            text = read_regular_file(path, MAX_BYTES).decode("utf-8", errors="replace")
        except OSError:
            continue
        if path.suffix == ".ipynb":
            text = _notebook_code(text)
        for name in _written_names(text):
            makers.setdefault(name, []).append(str(path))
    frozen = {name: tuple(dict.fromkeys(files)) for name, files in makers.items()}
    return Read(MappingProxyType(frozen), tuple(sources))


def _notebook_code(text: str) -> str:
    """The code of a notebook's cells, without its outputs (most of its bytes)."""
    try:
        cells = json.loads(text).get("cells", [])
    except (ValueError, AttributeError):
        return text
    return "\n".join(
        "".join(source) if isinstance(source := cell.get("source", ""), list) else str(source)
        for cell in cells
        if isinstance(cell, dict) and cell.get("cell_type") == "code"
    )


def _written_names(text: str) -> set[str]:
    """The file names on lines of `text` that write or fetch something."""
    names: set[str] = set()
    verdicts: dict[int, bool] = {}  # line start -> whether the line writes
    for match in FILE_NAME.finditer(text):
        start = text.rfind("\n", 0, match.start()) + 1
        if start not in verdicts:
            end = text.find("\n", match.end())
            line = text[start : end if end >= 0 else len(text)]
            verdicts[start] = len(line) <= MAX_LINE and WRITING_LINE.search(line) is not None
        if verdicts[start]:
            names.add(match.group())
    return names


def _code_files(root: Path, folders: list[Path]) -> list[Path]:
    """The project's code files (up to `MAX_FILES`); `folders` gets every folder looked in."""
    found: list[Path] = []
    for current, names, files in os.walk(root):
        names[:] = sorted(name for name in names if name not in SKIPPED_FOLDERS)
        folders.append(Path(current))
        for name in sorted(files):
            if Path(name).suffix.lower() in CODE_SUFFIXES or name in CODE_NAMES:
                found.append(Path(current, name))
                if len(found) >= MAX_FILES:
                    return found
    return found


def _read_patterns(gitignore: Path) -> Read[tuple[str, ...]]:
    try:
        text = read_regular_file(gitignore).decode("utf-8", errors="replace")
    except OSError:
        return Read((), (gitignore,))
    patterns = tuple(
        line.strip()
        for line in text.splitlines()
        if line.strip() and not line.startswith(("#", "!"))
    )
    return Read(patterns, (gitignore,))


def _ignored(target: Path, folder: Path, top: Path) -> str | None:
    """The `.gitignore` pattern (of `folder` or a folder up to `top`) that matches
    `target` or a folder it is in; `!` exceptions are not read, so this only words a
    message and never decides whether something is reported."""
    target = Path(os.path.normpath(target))
    for base in (folder, *folder.parents):
        try:
            relative = PurePosixPath(target.relative_to(base).as_posix())
        except ValueError:
            relative = None
        if relative is not None:
            for pattern in _patterns(base / ".gitignore"):
                if _matches(pattern, relative):
                    return pattern
        if base == top:
            break
    return None


def _matches(pattern: str, relative: PurePosixPath) -> bool:
    anchored = pattern.startswith("/") or "/" in pattern.rstrip("/")
    bare = pattern.strip("/")
    parts = relative.parts
    prefixes = ["/".join(parts[: end + 1]) for end in range(len(parts))]
    if pattern.endswith("/"):
        prefixes = prefixes[:-1]  # a folder pattern matches the folders the file is in
    if anchored:
        return any(fnmatch.fnmatchcase(prefix, bare) for prefix in prefixes)
    return any(fnmatch.fnmatchcase(prefix.rsplit("/", 1)[-1], bare) for prefix in prefixes)


_held = FileCache(_read_held, size=8192)
_makers = FileCache(_read_makers, size=64)
_patterns = FileCache(_read_patterns)


def forget_data_files() -> None:
    for cache in (_held, _makers, _patterns):
        cache.clear()
