"""Which distribution provides an imported module, and which modules are not third-party.

`importlib.metadata.packages_distributions()` knows what is installed here; the table adds
the well-known cases where the import name and the distribution name differ, so a notebook
is judged correctly even where its packages are not installed.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from functools import cache
from importlib.metadata import packages_distributions

from packaging.utils import canonicalize_name

# Import name -> the distributions that provide it (any one declared is enough).
IMPORT_TO_DISTRIBUTION: dict[str, tuple[str, ...]] = {
    "sklearn": ("scikit-learn",),
    "cv2": ("opencv-python", "opencv-python-headless", "opencv-contrib-python"),
    "PIL": ("Pillow",),
    "yaml": ("PyYAML",),
    "bs4": ("beautifulsoup4",),
    "skimage": ("scikit-image",),
    "dateutil": ("python-dateutil",),
    "dotenv": ("python-dotenv",),
    "Crypto": ("pycryptodome",),
    "attr": ("attrs",),
    "serial": ("pyserial",),
    "jwt": ("PyJWT",),
    "docx": ("python-docx",),
    "fitz": ("PyMuPDF",),
    "MySQLdb": ("mysqlclient",),
    "psycopg2": ("psycopg2", "psycopg2-binary"),
    "tensorflow_hub": ("tensorflow-hub",),
    "imblearn": ("imbalanced-learn",),
    "umap": ("umap-learn",),
    "Levenshtein": ("python-Levenshtein",),
    "OpenSSL": ("pyOpenSSL",),
    "magic": ("python-magic",),
    "telegram": ("python-telegram-bot",),
}
# Modules that come with Jupyter itself: a notebook can always import them.
ALWAYS_AVAILABLE = frozenset({"IPython", "ipykernel", "ipywidgets", "google", "__future__"})


def is_standard_library(module: str) -> bool:
    return module in sys.stdlib_module_names or module in ALWAYS_AVAILABLE


@cache
def _installed() -> Mapping[str, list[str]]:
    return packages_distributions()


def distributions_for(module: str) -> frozenset[str]:
    """Canonical names of the distributions that may provide top-level `module`."""
    names = (*IMPORT_TO_DISTRIBUTION.get(module, ()), *_installed().get(module, ()), module)
    return frozenset(canonicalize_name(name) for name in names)


def distribution_to_declare(module: str) -> str | None:
    """The distribution a fix should add for `module`: the one installed here, else the
    well-known one; None when only a guess from the module's name is left."""
    installed = sorted(_installed().get(module, ()))
    known = IMPORT_TO_DISTRIBUTION.get(module, ())
    return next(iter((*installed, *known)), None)
