"""MLP303-MLP304: the data a notebook needs and where it comes from."""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable, Iterator, Mapping

from mlpizza_lint.analysis.context import LintContext
from mlpizza_lint.analysis.data_calls import DataCall
from mlpizza_lint.analysis.data_io import READERS, URL, data_reads, path_constants
from mlpizza_lint.analysis.path_expressions import PathExpression, resolve
from mlpizza_lint.diagnostics import Severity
from mlpizza_lint.ipython.translation import MagicKind
from mlpizza_lint.rules.base import Finding, Rule

CHECKSUM = re.compile(r"hashlib|sha256|sha1sum|md5|checksum|file_hash|hash_prefix", re.I)
# A URL whose content cannot change: a commit, a release asset, an archive record.
PINNED_URL = re.compile(
    r"[0-9a-f]{40}|/releases/download/|zenodo\.org/records?/|figshare\.com/ndownloader/"
    r"|doi\.org/|[?&]version=|/v\d+(?:\.\d+)+/",
    re.IGNORECASE,
)
DATA_FILE = re.compile(
    r"\.(?:csv|tsv|zip|gz|tgz|tar|bz2|xz|7z|parquet|feather|xlsx?|json|jsonl|npy|npz|h5|hdf5"
    r"|pkl|pickle|pt|pth|ckpt|bin|onnx|safetensors|txt|mat|nc|tif|tiff)$",
    re.IGNORECASE,
)
# Qualified function -> (argument position, keyword) of the URL it downloads.
URL_DOWNLOADS = {
    "urllib.request.urlretrieve": (0, "url"),
    "wget.download": (0, "url"),
    "gdown.download": (0, "url"),
    "requests.get": (0, "url"),
}
# Downloads that verify a hash when given one: function -> the hash keywords.
HASHED_DOWNLOADS = {
    "tensorflow.keras.utils.get_file": ("file_hash", "md5_hash"),
    "keras.utils.get_file": ("file_hash", "md5_hash"),
    "torch.hub.download_url_to_file": ("hash_prefix",),
    "torch.hub.load_state_dict_from_url": ("check_hash",),
}
HUB_DOWNLOADS = frozenset(
    {"datasets.load_dataset", "huggingface_hub.hf_hub_download", "hf_hub_download"}
    | {"huggingface_hub.snapshot_download", "snapshot_download"}
)
LOCAL_BUILDERS = frozenset(
    {"csv", "json", "parquet", "text", "imagefolder", "audiofolder", "arrow", "pandas"}
    | {"webdataset", "sql", "xml", "generator"}
)
# What a shell fetch downloads that is set-up, not data: signing keys, install scripts.
NOT_DATA = re.compile(r"\.(?:gpg|asc|key|pub|sh|py|deb|rpm|whl|repo|list)$", re.IGNORECASE)
HUB_NAME = re.compile(r"^[A-Za-z0-9][\w.-]*(?:/[\w.-]+)?$")
SAVERS = frozenset({"save_pretrained", "save_model", "save", "push_to_hub"})


class MissingDataInput(Rule):
    """A relative path read that the project does not contain and nothing writes.

    ## What it does
    Follows the notebook from the top and reports the first read of each relative path
    (`pd.read_csv`, `open(...)`, `np.load`, `joblib.load`, `torch.load`, `Image.open`,
    `image_dataset_from_directory`, `!unzip`, ...) that the project does not hold and that
    no cell above writes: `to_csv`, `np.save`, `open(..., "w")`, `savefig`, `!wget -O`,
    `urlretrieve`, an extraction or `git clone` into its folder, or a function of the
    notebook given the path. Paths built from constants are resolved (`DATA_DIR /
    "train.csv"`, f-strings of constants, `os.path.join`), and `os.chdir`/`%cd` are
    followed; a path that cannot be read statically is not reported. Nothing is reported
    after a command whose effect cannot be read (`!python prepare.py`, `%run`, an
    `!unzip` or `kaggle ... --unzip` into the current folder), nor reads inside a function
    body, under an `if` or in a `try`, nor Kaggle's attached `../input/`, nor files that
    DVC tracks (`train.csv.dvc`) or that another file of the project writes or downloads
    (a script, another notebook, a Makefile). A path the repository's `.gitignore` leaves
    out is reported with that said. Databricks notebooks read their workspace's storage
    and are not checked.

    ## Why is this bad?
    A clean checkout fails on this line: the file lives only on the author's machine.
    Run in a fresh environment, a missing data file is the most common first failure of
    a public notebook.

    ## Fix
    None: commit the file if it is small, or add a cell (or a documented script) that
    downloads it, with a checksum (see MLP304).
    """

    code = "MLP303"
    name = "missing-data-input"
    severity = Severity.ERROR
    needs_project = True
    reads_data_files = True
    bad = (
        "import pandas as pd\n"
        "from pathlib import Path\n"
        "DATA_DIR = Path('datasets')\n"
        "train = pd.read_csv(DATA_DIR / 'train.csv')  # error: [MLP303]\n",
    )
    good = (
        "import pandas as pd\n"
        "from pathlib import Path\n"
        "import urllib.request\n"
        "DATA_DIR = Path('datasets')\n"
        "urllib.request.urlretrieve('https://example.com/train.csv', DATA_DIR / 'train.csv')\n"
        "train = pd.read_csv(DATA_DIR / 'train.csv')\n",
    )

    def check(self, context: LintContext) -> Iterator[Finding]:
        files = context.project.data if context.project is not None else {}
        reported: set[str] = set()
        for read in context.shared(data_reads):
            state = files.get(read.path)
            if state is None or state.held or state.made_by or read.path in reported:
                continue
            reported.add(read.path)
            if read.written_below is not None:
                why = (
                    f"cell {read.written_below} below writes it: run top to bottom, "
                    "this read comes first"
                )
            elif state.ignored_by is not None:
                why = (
                    f"the repository ignores it (`.gitignore`: `{state.ignored_by}`): "
                    "say where the data comes from, with a cell that downloads it"
                )
            else:
                why = "the project does not contain it and no cell above writes it"
            yield Finding(read.cell, read.span, f"`{read.path}` is read here, but {why}")


class UnpinnedDownload(Rule):
    """Data or a model fetched at run time with no pinned version or checksum.

    ## What it does
    Reports downloads whose content may change under the notebook:
    - a file fetched by URL (`!wget`, `!curl`, `urlretrieve`, `wget.download`,
      `gdown`, `requests.get` of a data file, `pd.read_csv("https://...")`) when the URL
      names no fixed version (a commit hash, a release asset, a Zenodo or figshare
      record) and the notebook checks no checksum (`hashlib`, `sha256sum`, `md5sum`);
    - `get_file` and `download_url_to_file` without their hash argument;
    - Hugging Face `from_pretrained`, `load_dataset`, `hf_hub_download` and
      `snapshot_download` of a hub name without `revision=`;
    - `torch.hub.load` of a repository without a `:tag`, `kagglehub` handles without
      `/versions/N`, and
      `!kaggle datasets download` (a competition's data does not change, and is not
      reported);
    - `nltk.download`, whose data has no versions.

    Datasets that check their own checksums, at a version the installed library fixes
    (torchvision's `download=True`, Keras' `load_data()`, `tfds.load`), are not
    reported, nor local loaders (`load_dataset("csv", ...)`, `from_pretrained("./model")`),
    nor downloads inside a function body, nor shell fetches of set-up files (signing
    keys, install scripts piped into a shell).

    ## Why is this bad?
    The notebook's results silently change when the file, the dataset or the model
    behind the name is updated, and nobody can tell which version produced the numbers
    in the saved outputs.

    ## Fix
    None: pass `revision="<commit hash>"` (Hugging Face), a tag or version, or download
    a fixed release and check its SHA-256 after downloading.
    """

    code = "MLP304"
    name = "unpinned-download"
    bad = (
        "import urllib.request\n"
        "from transformers import AutoModel\n"
        "urllib.request.urlretrieve(  # error: [MLP304]\n"
        "    'https://example.com/data/train.csv', 'train.csv')\n"
        "model = AutoModel.from_pretrained('bert-base-uncased')  # error: [MLP304]\n",
    )
    good = (
        "import hashlib\n"
        "import urllib.request\n"
        "from transformers import AutoModel\n"
        "urllib.request.urlretrieve(\n"
        "    'https://example.com/data/train.csv', 'train.csv')\n"
        "digest = hashlib.sha256(open('train.csv', 'rb').read()).hexdigest()\n"
        "assert digest == 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'\n"
        "model = AutoModel.from_pretrained(\n"
        "    'bert-base-uncased', revision='86b5e0934494bd15c9632b12f734a8a67f723594')\n",
    )

    def check(self, context: LintContext) -> Iterator[Finding]:
        checked = any(CHECKSUM.search(view.cell.source) for view in context.code_cells)
        constants = context.shared(path_constants)
        saved = _saved_models(context, constants)
        for view in context.python_cells():
            for call in view.facts.data_calls:
                if call.in_function:
                    continue
                name = context.qualified(call.name) if call.name else call.method
                problem = _unpinned_call(call, name, constants, checked, saved)
                if problem:
                    yield Finding(view.cell.index, call.span, problem)
            for magic in view.facts.magics:
                if magic.kind is MagicKind.SHELL:
                    problem = _unpinned_command(magic.args, checked)
                    if problem:
                        yield Finding(view.cell.index, magic.span, problem)


def _saved_models(context: LintContext, constants: Mapping[str, PathExpression]) -> set[str]:
    """What the notebook saves models to: `from_pretrained` of it loads its own."""
    return {
        text
        for view in context.python_cells()
        for call in view.facts.data_calls
        if call.method in SAVERS
        for argument in call.arguments[:1]
        if argument is not None and (text := resolve(argument, constants))
    }


def _unpinned_call(
    call: DataCall,
    name: str,
    constants: Mapping[str, PathExpression],
    checked: bool,
    saved: set[str],
) -> str | None:
    def text(position: int, keyword: str) -> str | None:
        argument = call.argument(position, keyword)
        return None if argument is None else resolve(argument, constants)

    given = {key for key, _ in call.keywords}
    if name in HASHED_DOWNLOADS:
        if given & set(HASHED_DOWNLOADS[name]):
            return None
        return f"`{call.method}` downloads a file without its hash argument: pass " + (
            " or ".join(f"`{key}=`" for key in HASHED_DOWNLOADS[name])
        )
    if name in URL_DOWNLOADS or name in READERS:
        url = text(*URL_DOWNLOADS.get(name, (0, "url")))
        if url is None or not URL.match(url) or not url.lower().startswith(("http", "ftp")):
            return None
        if checked or PINNED_URL.search(url):
            return None
        if name == "requests.get" and not DATA_FILE.search(url.split("?")[0]):
            return None
        return _fetches(call.method, url)
    if call.method == "from_pretrained" or name in HUB_DOWNLOADS:
        hub = text(0, "repo_id") or text(0, "pretrained_model_name_or_path") or text(0, "path")
        if hub is None or "revision" in given or not HUB_NAME.match(hub) or hub in saved:
            return None
        if hub in LOCAL_BUILDERS or hub in ("model", "models", "output", "outputs"):
            return None
        return (
            f"`{call.method}('{hub}')` downloads the newest revision of a hub repository: "
            'pass `revision="<commit hash>"` so that a later upload cannot change it'
        )
    return _versioned_name(name, text)


def _versioned_name(name: str, text: Callable[[int, str], str | None]) -> str | None:
    if name == "torch.hub.load":
        repository = text(0, "repo_or_dir")
        if repository and "/" in repository and ":" not in repository:
            return (
                f"`torch.hub.load('{repository}')` runs the newest code of its default "
                "branch: add a `:tag`"
            )
    elif name in ("kagglehub.dataset_download", "kagglehub.model_download"):
        handle = text(0, "handle")
        if handle and "/versions/" not in handle:
            return f"`{name}('{handle}')` gets the newest version: add `/versions/N` to the handle"
    elif name == "nltk.download":
        return (
            "`nltk.download` fetches data that has no versions: keep the data the "
            "results depend on with the project, or record its checksum"
        )
    return None


def _fetches(what: str, url: str) -> str:
    return (
        f"`{what}` fetches `{url}` at run time with no pinned version and no checksum: "
        "download a fixed release, or check its SHA-256 after downloading"
    )


def _unpinned_command(command: str, checked: bool) -> str | None:
    try:
        words = shlex.split(command, comments=True)
    except ValueError:
        words = command.split()
    if words[:1] == ["sudo"]:
        words = words[1:]
    if not words:
        return None
    program = words[0]
    if program in ("wget", "curl", "gdown") and not checked:
        url = next((word for word in words[1:] if URL.match(word)), None)
        if program == "gdown" and url is None:
            url = next((word for word in words[1:] if not word.startswith("-")), None)
        piped = re.search(r"\|\s*(?:sudo\s+)?(?:sh|bash|apt-key|gpg|tee)\b", command)
        if url and not PINNED_URL.search(url) and not NOT_DATA.search(url.split("?")[0]):
            return None if piped else _fetches(program, url)
    if words[:3] == ["kaggle", "datasets", "download"]:
        return (
            "`kaggle datasets download` gets the newest version of the dataset: "
            "record the version used, or fetch it with `kagglehub` and `/versions/N`"
        )
    return None
