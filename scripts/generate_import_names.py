#!/usr/bin/env python3
"""Generate mlpizza_lint/analysis/import_names.json: which distributions provide an import name.

MLP204 judges a notebook's imports without asking the environment the linter happens to run in,
so this knowledge ships as data.  The table merges public sources, most trusted first:

1. `MANUAL_MODULES` below, a hand-kept list of well-known cases;
2. the file lists of PyPI wheels, read from the zip central directory with HTTP Range requests,
   for the few seeds that no data set covers (`--wheel-lookups`);
3. replit/upm's `pkgs.json`, module lists found by installing each popular distribution;
4. the `mapping` file shipped in the pipreqs package, for distributions nothing above covers.

hugovk/top-pypi-packages gives the seed distributions and orders every name's distributions,
most downloaded first: the first is the one a fix suggests.

The two data sets live in Git repositories, so they are given as files: top-pypi-packages.min.json
from github.com/hugovk/top-pypi-packages, and internal/backends/python/pkgs.json from
github.com/replit/upm (its last version small enough to fetch is at commit a5fa4e22):

    python scripts/generate_import_names.py \\
        --top-packages top-pypi-packages.min.json --upm-packages pkgs.json
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import re
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import zipfile
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from packaging.utils import InvalidWheelFilename, canonicalize_name, parse_wheel_filename

OUTPUT = Path(__file__).resolve().parent.parent / "mlpizza_lint" / "analysis" / "import_names.json"
CACHE = Path("/tmp/mlpizza-import-names-cache")
PYPI = "https://pypi.org/pypi/{}/json"

# Import name -> distributions, kept by hand: cases the data sets miss or get wrong.
MANUAL_MODULES: dict[str, tuple[str, ...]] = {
    "sklearn": ("scikit-learn",),
    "iterstrat": ("iterative-stratification",),
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
    "mpl_toolkits": ("matplotlib", "matplotlib-base"),
    "pylab": ("matplotlib", "matplotlib-base"),
    "matplotlib": ("matplotlib", "matplotlib-base"),  # conda-forge's build without Qt
    "haystack": ("haystack-ai", "farm-haystack", "django-haystack"),  # deepset's, then Django's
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
    # Builds of one project published under other names, and conda's names for them.
    "tensorflow": (
        "tensorflow",
        "tensorflow-gpu",
        "tensorflow-cpu",
        "tensorflow-macos",
        "tensorflow-intel",
        "tf-nightly",
        "intel-tensorflow",
    ),
    "torch": ("torch", "pytorch"),
    "torchvision": ("torchvision", "pytorch-vision"),
    "mxnet": ("mxnet", "mxnet-cu112", "mxnet-mkl"),
    "onnxruntime": ("onnxruntime", "onnxruntime-gpu"),
    "jax": ("jax", "jax-cuda12-plugin"),
    "xgboost": ("xgboost", "py-xgboost", "xgboost-cpu"),
}
# Distributions common in data-science notebooks, read from their wheels when no data set has them.
NOTEBOOK_DISTRIBUTIONS = (
    "tensorflow",
    "torch",
    "lightgbm",
    "segment-geospatial",
    "earthengine-api",
    "opencv-python",
)
# Shared namespace roots: claiming the bare root for one of their many distributions is wrong.
NAMESPACE_ROOTS = frozenset({"azure", "backports", "google", "jaraco", "nvidia", "sphinxcontrib"})
# Top-level folders that sloppy wheels and source trees ship by mistake.
JUNK = frozenset(
    {"bench", "benchmark", "benchmarks", "bin", "build", "demo", "demos", "doc", "docs", "example"}
    | {"examples", "sample", "samples", "script", "scripts", "src", "test", "testing", "tests"}
    | {"tools", "util", "utils"}
)
# A distribution with more modules than this keeps a name only where it is its main provider.
FEW_MODULES = 1
MAX_DISTRIBUTIONS = 20
TAIL = 64 * 1024
_EXTENSION = re.compile(r"^([A-Za-z_]\w*)(\.[\w-]+)?\.(so|pyd)$")


@dataclass(frozen=True)
class Claim:
    """One source's word that `distribution` provides `module`."""

    module: str
    distribution: str
    source: str


@dataclass
class Table:
    """Claims gathered from every source, and each distribution's spelling on PyPI."""

    claims: list[Claim] = field(default_factory=list)
    spelling: dict[str, str] = field(default_factory=dict)
    covered: set[str] = field(default_factory=set)

    def add(self, distribution: str, modules: Iterable[str], source: str = "upm") -> None:
        """Record claims; the first source to name a distribution decides its spelling, and
        only a source that lists all its modules (not the manual list) covers it."""
        key = canonicalize_name(distribution)
        self.spelling.setdefault(key, distribution)
        if source in ("upm", "wheel"):
            self.covered.add(key)
        self.claims.extend(Claim(module, key, source) for module in modules)


# --- network, with retries and an on-disk cache so reruns need no network -------------------


def fetch(url: str, byte_range: tuple[int, int] | None = None, attempts: int = 4) -> bytes:
    """The body at `url` (or its bytes `byte_range`, inclusive), cached under CACHE."""
    header = {} if byte_range is None else {"Range": "bytes={}-{}".format(*byte_range)}
    path = CACHE / hashlib.sha256(f"{url} {header}".encode()).hexdigest()
    if path.exists():
        return path.read_bytes()
    request = urllib.request.Request(url, headers={"User-Agent": "generate_import_names", **header})
    for attempt in range(1, attempts + 1):
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                body: bytes = response.read()
        except urllib.error.HTTPError as error:
            if attempt == attempts or (error.code < 500 and error.code != 429):
                raise
        except (urllib.error.URLError, TimeoutError):
            if attempt == attempts:
                raise
        else:
            CACHE.mkdir(parents=True, exist_ok=True)
            path.write_bytes(body)
            return body
        time.sleep(2**attempt)
    raise AssertionError("unreachable")


class RemoteFile:
    """A read-only, seekable view of a remote file, so `zipfile` can read a wheel's central
    directory and single members without the whole (possibly multi-GB) download."""

    def __init__(self, url: str, size: int) -> None:
        self.url, self.size, self.position = url, size, 0
        start = max(0, size - TAIL)
        self.window = (start, fetch(url, (start, size - 1)))

    def seek(self, offset: int, whence: int = 0) -> int:
        self.position = (0, self.position, self.size)[whence] + offset
        return self.position

    def tell(self) -> int:
        return self.position

    def seekable(self) -> bool:
        return True

    def read(self, n: int = -1) -> bytes:
        end = self.size if n < 0 else min(self.size, self.position + n)
        start, data = self.window
        if not start <= self.position <= end <= start + len(data):
            start = self.position
            data = fetch(self.url, (start, max(end, min(self.size, start + TAIL)) - 1))
            self.window = (start, data)
        chunk = data[self.position - start : end - start]
        self.position = end
        return chunk


def pick_wheel(files: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The pure wheel if there is one, else the smallest: its file list is the cheapest."""

    def is_pure(filename: str) -> bool:
        try:
            tags = parse_wheel_filename(filename)[3]
        except InvalidWheelFilename:
            return False
        return any(tag.abi == "none" and tag.platform == "any" for tag in tags)

    wheels = [file for file in files if file["filename"].endswith(".whl")]
    ranked = sorted(wheels, key=lambda f: (not is_pure(f["filename"]), f["size"], f["filename"]))
    return ranked[0] if ranked else None


def wheel_modules(distribution: str) -> tuple[str, list[str]] | None:
    """PyPI's spelling of `distribution` and the import names in its latest wheel, or None
    when the project has no wheel or cannot be read."""
    try:
        project_url = PYPI.format(distribution)
        project = json.loads(fetch(project_url))
        wheel = pick_wheel(project["urls"])
        if wheel is None:
            return None
        wheel_url = urllib.parse.urljoin(project_url, wheel["url"])
        with zipfile.ZipFile(RemoteFile(wheel_url, wheel["size"])) as archive:
            names = archive.namelist()
            roots = pth_folders(archive)
    except (urllib.error.URLError, TimeoutError, zipfile.BadZipFile, KeyError):
        return None
    return str(project["info"]["name"]), sorted(importable_names(names, roots))


def pth_folders(archive: zipfile.ZipFile) -> list[str]:
    """The folders that the wheel's .pth files put on sys.path (pywin32's win32/lib, say)."""
    pth_files = [name for name in archive.namelist() if "/" not in name and name.endswith(".pth")]
    lines = [line.strip() for name in pth_files for line in archive.read(name).decode().split("\n")]
    return [line for line in lines if line and not line.startswith(("#", "import"))]


# --- import names from a wheel's file list -------------------------------------------------


def module_name(filename: str) -> str | None:
    """`name` for name.py, name.cpython-311-x86_64-linux-gnu.so, name.pyd; else None."""
    if filename.endswith(".py"):
        return filename[:-3]
    match = _EXTENSION.match(filename)
    return match.group(1) if match else None


def importable_names(paths: Iterable[str], pth_roots: Iterable[str] = ()) -> set[str]:
    """Top-level import names in a wheel, dotted where a namespace package (a folder with no
    `__init__` and no modules of its own, such as google/ or azure/) is shared with others."""
    roots = {root.replace("\\", "/").strip("/").lower() for root in pth_roots}
    files: set[tuple[str, ...]] = set()
    moved: set[tuple[str, ...]] = set()
    for path in paths:
        parts = tuple(path.split("/"))
        if len(parts) > 3 and parts[0].endswith(".data") and parts[1] in ("purelib", "platlib"):
            parts = parts[2:]
        if parts[0].endswith((".dist-info", ".data")):
            continue
        files.add(parts)
        moved.update(
            parts[depth:]
            for depth in range(1, len(parts))
            if "/".join(parts[:depth]).lower() in roots
        )
    files.update(path for path in moved if len(path) == 1 or (path[0], "__init__.py") in moved)
    return {
        name
        for name in _names_under(files, ())
        if name.split(".")[0] not in JUNK and valid_module(name)
    }


def _names_under(files: set[tuple[str, ...]], prefix: tuple[str, ...]) -> Iterator[str]:
    depth = len(prefix)
    inside = [path[depth:] for path in files if path[:depth] == prefix and len(path) > depth]
    modules = {module_name(path[0]) for path in inside if len(path) == 1} - {None}
    if prefix and (modules or depth == 3):
        yield ".".join(prefix)
        return
    yield from (".".join((*prefix, name)) for name in modules if name and name != "__init__")
    for folder in sorted({path[0] for path in inside if len(path) > 1}):
        if not folder.isidentifier():
            continue
        nested = (*prefix, folder)
        if any(
            len(path) == depth + 2 and module_name(path[-1]) == "__init__"
            for path in files
            if path[: depth + 1] == nested
        ):
            yield ".".join(nested)
        else:
            yield from _names_under(files, nested)


def valid_module(name: str) -> bool:
    """A dotted name of identifiers, none private (a leading underscore)."""
    return all(part.isidentifier() and not part.startswith("_") for part in name.split("."))


# --- the data sets --------------------------------------------------------------------------


def read_top_packages(path: Path) -> tuple[list[str], str]:
    """Projects by downloads, most first, and the data set's date."""
    data = json.loads(path.read_text())
    return [row["project"] for row in data["rows"]], str(data["last_update"])


def read_upm_packages(path: Path) -> dict[str, tuple[str, list[str]]]:
    """Canonical name -> (PyPI's spelling, modules) from replit/upm's JSON-lines pkgs.json."""
    records = (json.loads(line) for line in path.read_text().splitlines() if line.strip())
    return {
        canonicalize_name(record["name"]): (record["name"], record["modules"])
        for record in records
        if record.get("modules") and "error" not in record
    }


def read_pipreqs_mapping() -> tuple[str, list[tuple[str, str]]]:
    """The version of pipreqs and its `import_name:distribution` lines."""
    project_url = PYPI.format("pipreqs")
    project = json.loads(fetch(project_url))
    wheel = pick_wheel(project["urls"])
    if wheel is None:
        sys.exit("pipreqs has no wheel to read its mapping from")
    wheel_url = urllib.parse.urljoin(project_url, wheel["url"])
    with zipfile.ZipFile(io.BytesIO(fetch(wheel_url))) as archive:
        text = archive.read("pipreqs/mapping").decode()
    pairs = [tuple(line.strip().split(":", 1)) for line in text.splitlines() if ":" in line]
    return str(project["info"]["version"]), [(module, dist) for module, dist in pairs]


# --- merging --------------------------------------------------------------------------------


def collect_wheels(table: Table, wanted: list[str], workers: int) -> list[str]:
    """Add the wheel-derived modules of `wanted`; return the ones that had a readable wheel."""
    with ThreadPoolExecutor(max_workers=workers) as pool:
        results = list(pool.map(wheel_modules, wanted))
    found = []
    for distribution, result in zip(wanted, results, strict=True):
        if result and result[1]:
            table.add(result[0], result[1], "wheel")
            found.append(distribution)
    return found


def resolve(table: Table, ranking: Mapping[str, int]) -> dict[str, list[str]]:
    """Import name -> distributions by popularity, dropping claims that look like vendoring:
    a distribution that lists many modules keeps a name only where it is its main provider."""
    claimants: dict[str, set[str]] = defaultdict(set)
    listed: dict[tuple[str, str], set[str]] = defaultdict(set)
    for claim in table.claims:
        claimants[claim.module].add(claim.distribution)
        listed[(claim.distribution, claim.source)].add(claim.module)

    fewest: dict[str, int] = {}
    for (distribution, _), names in listed.items():
        fewest[distribution] = min(len(names), fewest.get(distribution, len(names)))

    def trusted(module: str, distribution: str, main: str) -> bool:
        return (
            distribution == main
            or module in listed[(distribution, "manual")]
            or distribution == canonicalize_name(module)
            or fewest[distribution] <= FEW_MODULES
        )

    result: dict[str, list[str]] = {}
    for module, distributions in sorted(claimants.items()):
        if module in NAMESPACE_ROOTS and not any(
            module in listed[(d, "manual")] for d in distributions
        ):
            continue
        ordered = sorted(distributions, key=lambda d: (ranking.get(d, len(ranking)), d))
        kept = [d for d in ordered if trusted(module, d, ordered[0])]
        result[module] = [table.spelling[d] for d in kept[:MAX_DISTRIBUTIONS]]
    return result


def upm_claims(table: Table, upm: Mapping[str, tuple[str, list[str]]], seeds: list[str]) -> int:
    """Add upm's module lists of the seeds; return how many it had."""
    found = [upm[key] for key in map(canonicalize_name, seeds) if key in upm]
    for spelling, modules in found:
        table.add(spelling, [m for m in modules if m.split(".")[0] not in JUNK and valid_module(m)])
    return len(found)


def build(args: argparse.Namespace) -> tuple[dict[str, list[str]], list[str], dict[str, int]]:
    """Merge the sources; return the table, the sources' descriptions and counts for a report."""
    top, top_date = read_top_packages(args.top_packages)
    pipreqs_version, pipreqs = read_pipreqs_mapping()
    manual = sorted({d for distributions in MANUAL_MODULES.values() for d in distributions})
    # pipreqs also maps long-dead projects: keep those still among the most downloaded.
    ranking: dict[str, int] = {canonicalize_name(name): rank for rank, name in enumerate(top)}
    pipreqs = [(module, dist) for module, dist in pipreqs if canonicalize_name(dist) in ranking]
    named = [*manual, *NOTEBOOK_DISTRIBUTIONS, *top[: args.limit], *(d for _, d in pipreqs)]
    first_spelling: dict[str, str] = {}
    for name in named:
        first_spelling.setdefault(canonicalize_name(name), name)
    seeds = list(first_spelling.values())

    table = Table()
    from_upm = upm_claims(table, read_upm_packages(args.upm_packages), seeds)
    uncovered = [seed for seed in seeds if canonicalize_name(seed) not in table.covered]
    looked_up = collect_wheels(table, uncovered[: args.wheel_lookups], args.workers)
    for module, distributions in MANUAL_MODULES.items():
        for distribution in distributions:
            table.add(distribution, [module], "manual")
    fallback = [(m, d) for m, d in pipreqs if canonicalize_name(d) not in table.covered]
    for module, distribution in fallback:
        if module.split(".")[0] not in JUNK and valid_module(module):
            table.add(distribution, [module], "pipreqs")
    for name in top:
        table.spelling.setdefault(canonicalize_name(name), name)

    modules = resolve(table, ranking)
    counts = {
        "seed distributions": len(seeds),
        "covered by upm": from_upm,
        "wheel lookups tried": len(uncovered[: args.wheel_lookups]),
        "wheels with import names": len(looked_up),
        "pipreqs fallback entries": len(fallback),
        "import names": len(modules),
        "distributions named": len({d for ds in modules.values() for d in ds}),
    }
    sources = [
        f"hugovk/top-pypi-packages top-pypi-packages.min.json (last_update {top_date}): the "
        f"{args.limit} most downloaded projects seed the table and order each name's list",
        f"replit/upm internal/backends/python/pkgs.json (sha256 {digest(args.upm_packages)}): "
        "modules found by installing each distribution",
        "PyPI JSON API and wheel central directories on files.pythonhosted.org: "
        + ", ".join(looked_up),
        f"pipreqs {pipreqs_version} on PyPI, pipreqs/mapping: distributions nothing else covers",
        "MANUAL_MODULES in scripts/generate_import_names.py",
    ]
    return modules, sources, counts


def digest(path: Path) -> str:
    """Names the exact input file, whose repository holds many versions of it."""
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


def render(modules: Mapping[str, list[str]], sources: list[str], date: str | None) -> str:
    """Compact JSON, one import name a line so that regenerating gives readable diffs."""
    lines = ['{"generated_by": "scripts/generate_import_names.py",']
    if date:
        lines.append(f'"date": {json.dumps(date)},')
    lines.append('"sources": [')
    lines.append(",\n".join(json.dumps(source) for source in sources))
    lines.append('],\n"modules": {')
    lines.append(",\n".join(f"{json.dumps(k)}: {json.dumps(v)}" for k, v in modules.items()))
    lines.append("}}")
    return "\n".join(lines) + "\n"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--top-packages", type=Path, required=True, help="top-pypi-packages JSON")
    parser.add_argument("--upm-packages", type=Path, required=True, help="replit/upm pkgs.json")
    parser.add_argument("--limit", type=int, default=5000, help="top projects to seed")
    parser.add_argument(
        "--wheel-lookups", type=int, default=30, help="uncovered seeds to read from PyPI wheels"
    )
    parser.add_argument("--workers", type=int, default=16, help="parallel PyPI requests")
    parser.add_argument("--date", help="a date to record in the output")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    modules, sources, counts = build(args)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(render(modules, sources, args.date))
    for name, count in counts.items():
        print(f"{name}: {count}", file=sys.stderr)
    print(f"wrote {args.output} ({args.output.stat().st_size} bytes)", file=sys.stderr)


if __name__ == "__main__":
    main()
