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
    "mpl_toolkits": ("matplotlib",),
    "pylab": ("matplotlib",),
    "osgeo": ("GDAL",),
    "googleapiclient": ("google-api-python-client",),
    "grpc": ("grpcio",),
    "box": ("python-box",),
    "bayes_opt": ("bayesian-optimization",),
    "ignite": ("pytorch-ignite",),
    "surprise": ("scikit-surprise",),
    "autosklearn": ("auto-sklearn",),
    "skopt": ("scikit-optimize",),
    "talib": ("TA-Lib",),
    "Bio": ("biopython",),
    "OpenGL": ("PyOpenGL",),
    "wx": ("wxPython",),
    "gi": ("PyGObject",),
    "zmq": ("pyzmq",),
    "usb": ("pyusb",),
    "faiss": ("faiss-cpu", "faiss-gpu"),
    "pptx": ("python-pptx",),
    "slugify": ("python-slugify",),
    "git": ("GitPython",),
    "github": ("PyGithub",),
    "kafka": ("kafka-python",),
    "nacl": ("PyNaCl",),
    "speech_recognition": ("SpeechRecognition",),
    "shapefile": ("pyshp",),
    "dns": ("dnspython",),
    "pkg_resources": ("setuptools",),
    "win32api": ("pywin32",),
    "win32com": ("pywin32",),
    "community": ("python-louvain",),
    "cairo": ("pycairo",),
    "newspaper": ("newspaper3k",),
    "pdfminer": ("pdfminer.six",),
    "absl": ("absl-py",),
    "hydra": ("hydra-core",),
    "haiku": ("dm-haiku",),
    "tree": ("dm-tree",),
    "gin": ("gin-config",),
    "pydantic_settings": ("pydantic-settings",),
    "sentencepiece": ("sentencepiece",),
    "lightning_fabric": ("lightning",),
    "tensorflow_datasets": ("tensorflow-datasets", "tfds-nightly"),
    "fbprophet": ("fbprophet", "prophet"),
    "igraph": ("igraph", "python-igraph"),
    "jose": ("python-jose",),
    "multipart": ("python-multipart",),
    "ruamel": ("ruamel.yaml",),
    "Xlib": ("python-xlib",),
}
# Python 2's standard library: a Python 2 notebook needs porting, not these as packages.
PYTHON2_STANDARD_LIBRARY = frozenset(
    [
        "StringIO",
        "cStringIO",
        "cPickle",
        "urllib2",
        "urlparse",
        "ConfigParser",
        "Queue",
        "Tkinter",
        "tkMessageBox",
        "HTMLParser",
        "httplib",
        "commands",
        "__builtin__",
        "SocketServer",
        "SimpleHTTPServer",
        "cookielib",
    ]
)
# Modules that come with Jupyter itself: a notebook can always import them.
ALWAYS_AVAILABLE = frozenset(
    {"IPython", "ipykernel", "ipywidgets", "google", "__future__", "pip"}
    | {"kaggle_secrets", "kaggle_datasets"}  # provided by Kaggle's kernels, not installable
)


def is_standard_library(module: str) -> bool:
    return (
        module in sys.stdlib_module_names
        or module in ALWAYS_AVAILABLE
        or module in PYTHON2_STANDARD_LIBRARY
    )


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
