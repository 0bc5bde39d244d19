"""Names the extraction chooses: the module's file and import path, and free identifiers."""

from __future__ import annotations

import builtins
import keyword
import re
import sys
import unicodedata
from collections.abc import Collection
from pathlib import Path

from mlpizza_lint.extract.model import ExtractError

NOT_IDENTIFIER = re.compile(r"\W+")


def identifier(text: str, fallback: str) -> str:
    """`01 - Train Model` -> `train_model`: lower case, words joined by `_`, no leading digit.
    NFKC-normal, as Python reads identifiers: `ﬁle` would be imported as `file`."""
    lowered = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text).lower())
    name = NOT_IDENTIFIER.sub("_", lowered).strip("_").lstrip("0123456789_")
    if not name:
        return fallback
    return name + "_" if keyword.iskeyword(name) else name


def free_name(wanted: str, taken: Collection[str]) -> str:
    """`wanted`, or `wanted_2`, `wanted_3`... the first that `taken` and builtins leave free."""
    candidate, number = wanted, 1
    while candidate in taken or hasattr(builtins, candidate) or keyword.iskeyword(candidate):
        number += 1
        candidate = f"{wanted}_{number}"
    return candidate


def default_module_path(notebook: Path, imported: Collection[str]) -> Path:
    """Next to the notebook, named after it; a name that would shadow a standard library
    module or a package the notebook imports (`random.ipynb`, `xgboost.ipynb`) gets a
    `_module` suffix. A module of that name already beside the notebook shadows nothing: it
    is the one `import` finds, most likely an earlier extraction."""
    name = identifier(notebook.stem, "notebook")
    target = notebook.with_name(f"{name}.py")
    if name in sys.stdlib_module_names or (name in imported and not target.exists()):
        return target.with_name(f"{name}_module.py")
    return target


def import_path(module: Path, notebook: Path) -> str:
    """How the notebook imports the module: its dotted path from the notebook's folder (the
    kernel's working directory), or its bare name when it lives elsewhere."""
    try:
        parts = module.resolve().with_suffix("").relative_to(notebook.resolve().parent).parts
    except ValueError:
        parts = (module.stem,)
    dotted = ".".join(parts)
    if not all(part.isidentifier() and not keyword.iskeyword(part) for part in parts):
        raise ExtractError(
            f"{module}: `{dotted}` is not an importable module name; choose another -o path"
        )
    normal = unicodedata.normalize("NFKC", dotted)
    if normal != dotted:
        raise ExtractError(
            f"{module}: `import {dotted}` would import `{normal}` (Python normalises "
            "identifiers); choose another -o path"
        )
    return dotted
