"""Which files a notebook reads and writes, in the order a run from the top does it.

The cells' calls (`data_calls`) and shell commands are replayed top to bottom: `os.chdir`
and `%cd` move the folder relative paths start from; `open(..., "w")`, `!wget -O`,
`!curl -o` and any call given the path that is not a known reader and does more than look
at it (`to_csv`, `np.save`, `ModelCheckpoint`, the notebook's own `download(url, path)`)
add files; extractions and clones add folders; and a command whose effect cannot be
read (`!python prepare.py`, `%run`, an `!unzip` into the current folder) may have
written anything. What remains is each read of
a relative path that nothing above it wrote: the project decides whether it holds it.
"""

from __future__ import annotations

import posixpath
import re
import shlex
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from mlpizza_lint.analysis.context import CellView, LintContext
from mlpizza_lint.analysis.data_calls import DataCall
from mlpizza_lint.analysis.path_expressions import PathExpression, resolve
from mlpizza_lint.ipython.translation import Magic, MagicKind
from mlpizza_lint.spans import Span

FILE_ARGUMENTS = ("filepath_or_buffer", "io", "path", "path_or_buf", "fname", "file")
FILE_ARGUMENTS_TOO = ("filename", "fp", "f", "source", "filepath", "uri", "directory")
PATH_KEYWORDS = FILE_ARGUMENTS + FILE_ARGUMENTS_TOO
# Functions (qualified) whose first argument is a file they read.
READERS = frozenset(
    {f"pandas.read_{kind}" for kind in ("csv", "table", "excel", "parquet", "feather", "json")}
    | {f"pandas.read_{kind}" for kind in ("pickle", "hdf", "stata", "sas", "spss", "fwf", "orc")}
    | {f"polars.{verb}_{kind}" for verb in ("read", "scan") for kind in ("csv", "parquet")}
    | {"numpy.load", "numpy.loadtxt", "numpy.genfromtxt", "numpy.fromfile", "joblib.load"}
    | {"torch.load", "PIL.Image.open", "cv2.imread", "matplotlib.pyplot.imread", "scipy.io.loadmat"}
    | {"imageio.imread", "imageio.v2.imread", "skimage.io.imread", "geopandas.read_file"}
    | {"xarray.open_dataset", "librosa.load", "soundfile.read", "h5py.File"}
    | {"tensorflow.keras.models.load_model", "keras.models.load_model", "datasets.load_from_disk"}
)
# Readers of a folder: any path counts, not only one with a file extension.
FOLDER_READERS = frozenset(
    {
        f"{package}.utils.{kind}_dataset_from_directory"
        for kind in ("image", "text", "audio")
        for package in ("tensorflow.keras", "keras")
    }
    | {"tensorflow.keras.preprocessing.image_dataset_from_directory"}
)
OPENERS = frozenset({"open", "io.open", "codecs.open"})
WRITE_MODES = re.compile(r"[wax+]")
EXTRACTORS = {"extractall": 0, "unpack_archive": 1}  # the folder they extract into
# Calls that run other programs: what they write cannot be read.
RUNNERS = frozenset(
    {"os.system", "subprocess.run", "subprocess.call", "subprocess.check_call"}
    | {"subprocess.Popen", "subprocess.check_output", "exec", "runpy.run_path"}
)
CHDIR = frozenset({"os.chdir"})
# Calls that only look at a path or build one: any other call given a path may write it
# (`ModelCheckpoint("best.h5")`, `download(url, "data/x.csv")`).
LOOKS_ONLY = frozenset(
    {"print", "len", "str", "repr", "sorted", "list", "isinstance", "type", "format", "display"}
    | {"Path", "PurePath", "join", "int", "float", "hash", "enumerate", "zip", "exists"}
    | {"isfile", "isdir", "listdir", "glob", "iglob", "basename", "dirname", "splitext"}
    | {"abspath", "normpath", "relpath", "expanduser", "fspath", "getsize", "stat", "joinpath"}
    | {"is_file", "is_dir", "iterdir", "rglob", "startswith", "endswith", "split"}
    | {"info", "debug", "warning", "error", "write", "append", "makedirs", "mkdir", "walk"}
)
# Shell programs that write nothing a later cell reads.
QUIET_PROGRAMS = frozenset(
    {"pip", "pip3", "conda", "mamba", "ls", "echo", "cat", "head", "tail", "pwd", "which"}
    | {"nvidia-smi", "wc", "du", "df", "free", "nproc", "lscpu", "uname", "env", "date"}
    | {"apt", "apt-get", "mkdir", "rm", "tree", "file", "find", "grep", "sort", "uniq"}
    | {"whoami", "hostname", "sleep", "export", "nvcc", "jupyter", "sudo", "rmdir", "uv"}
)
ARCHIVE_READERS = frozenset({"unzip", "tar", "7z", "gunzip"})
URL = re.compile(r"^[a-z][a-z0-9+.-]*://", re.IGNORECASE)
FILE_NAME = re.compile(r"\.[A-Za-z][A-Za-z0-9]{0,7}$")
GLOB = re.compile(r"[*?\[\]{}]")
HOSTED_INPUTS = ("../input/", "input/", "/kaggle/")  # Kaggle's attached datasets
ANYWHERE = "*"  # a command that may have written any file under the current folder


@dataclass(frozen=True)
class DataRead:
    """A relative path a run from the top reads before anything above writes it."""

    cell: int
    span: Span
    path: str  # normalised, relative to the notebook's folder
    written_below: int | None = None  # a later cell that writes it


@dataclass
class _Run:
    """What a replay has seen so far."""

    folder: str | None = ""  # the current folder relative to the notebook's; None: unknown
    written: set[str] = field(default_factory=set)  # files and folders
    reads: list[DataRead] = field(default_factory=list)
    writers: dict[str, int] = field(default_factory=dict)  # every write -> its first cell

    def is_written(self, path: str) -> bool:
        return any(
            path == done or done == ANYWHERE or path.startswith(done.rstrip("/") + "/")
            for done in self.written
        )


def data_reads(context: LintContext) -> tuple[DataRead, ...]:
    """The reads of relative paths that no cell above writes, in notebook order."""
    if context.platform == "databricks":
        return ()
    constants = context.shared(path_constants)
    run = _Run()
    for view in context.python_cells():
        for event in _events(view):
            if isinstance(event, Magic):
                _shell(event, view.cell.index, run)
            else:
                _call(event, view.cell.index, context, constants, run)
    return tuple(
        DataRead(read.cell, read.span, read.path, _writer_below(read, run)) for read in run.reads
    )


def _writer_below(read: DataRead, run: _Run) -> int | None:
    cell = run.writers.get(read.path)
    return cell if cell is not None and cell > read.cell else None


def _events(view: CellView) -> list[DataCall | Magic]:
    events: list[DataCall | Magic] = [*view.facts.data_calls]
    events.extend(
        magic
        for magic in view.facts.magics
        if magic.kind is MagicKind.SHELL or magic.name in ("cd", "run", "writefile")
    )
    return sorted(events, key=lambda event: (event.span.line, event.span.column))


def path_constants(context: LintContext) -> dict[str, PathExpression]:
    """Path constants bound exactly once in the whole notebook."""
    bindings: dict[str, int] = {}
    found: dict[str, PathExpression] = {}
    for view in context.python_cells():
        for name in view.facts.names.bound:
            bindings[name] = bindings.get(name, 0) + 1
        for constant in view.facts.path_constants:
            bindings[constant.name] = bindings.get(constant.name, 0) + (constant.name in found)
            found[constant.name] = constant.value
    return {name: value for name, value in found.items() if bindings.get(name) == 1}


Resolve = Callable[[PathExpression | None], str | None]


def _call(
    call: DataCall,
    cell: int,
    context: LintContext,
    constants: dict[str, PathExpression],
    run: _Run,
) -> None:
    name = context.qualified(call.name) if call.name else ""

    def text(expression: PathExpression | None) -> str | None:
        return None if expression is None else resolve(expression, constants)

    if name in CHDIR:
        run.folder = _moved(run.folder, text(call.argument(0, "path")))
        return
    opened = _opened(call, name, text)
    if opened is not None:
        path, writes = opened
        if writes:
            _write(run, cell, path)
        elif not (call.conditional or call.in_function):
            _read(run, cell, call.span, path, folder_reader=False)
        return
    if name in READERS or name in FOLDER_READERS:
        read = text(call.argument(0, *PATH_KEYWORDS))
        if read is not None and not (call.conditional or call.in_function):
            _read(run, cell, call.span, read, folder_reader=name in FOLDER_READERS)
        return
    for path in _written_by(call, name, text):
        _write(run, cell, path)


def _opened(call: DataCall, name: str, text: Resolve) -> tuple[str, bool] | None:
    """(path, whether it is written) for `open`, `Path.open`, `Path.read_text` and
    `h5py.File`; None for other calls or a path that cannot be read."""
    on_path = call.receiver is not None
    if name in OPENERS or name == "h5py.File" or (on_path and call.method == "open"):
        target = call.receiver if on_path else call.argument(0, "file", "name")
        mode = text(call.argument(0 if on_path else 1, "mode")) or ""
    elif on_path and call.method in ("read_text", "read_bytes"):
        target, mode = call.receiver, ""
    else:
        return None
    path = text(target)
    return None if path is None else (path, WRITE_MODES.search(mode) is not None)


def _written_by(call: DataCall, name: str, text: Resolve) -> list[str]:
    """The paths a call may write; `ANYWHERE` for one whose effect cannot be read."""
    if name in RUNNERS:
        return [ANYWHERE]
    if call.method in EXTRACTORS:
        folder = text(call.argument(EXTRACTORS[call.method], "path", "extract_dir"))
        return [folder] if folder and folder != "." else [ANYWHERE]
    if call.method not in LOOKS_ONLY:
        given = (call.receiver, *call.arguments, *(value for _, value in call.keywords))
        return [path for path in map(text, given) if path]
    return []


def _read(run: _Run, cell: int, span: Span, path: str, folder_reader: bool) -> None:
    if run.folder is None or not _is_relative_file(path, folder_reader):
        return
    where = _normal(posixpath.join(run.folder, path))
    if not run.is_written(where):
        run.reads.append(DataRead(cell, span, where))


def _write(run: _Run, cell: int, path: str) -> None:
    if run.folder is None:
        run.written.add(ANYWHERE)
        return
    if path == ANYWHERE:
        run.written.add(ANYWHERE if not run.folder else run.folder + "/")
        return
    if URL.match(path) or path.startswith(("/", "~")):
        return
    where = _normal(posixpath.join(run.folder, path))
    if where == ".":
        run.written.add(ANYWHERE if not run.folder else run.folder + "/")
        return
    run.written.add(where)
    run.writers.setdefault(where, cell)


def _is_relative_file(path: str, folder_reader: bool) -> bool:
    if not path or URL.match(path) or GLOB.search(path) or path.startswith(("/", "~", "\\")):
        return False
    if re.match(r"^[A-Za-z]:", path) or path.startswith(HOSTED_INPUTS) or "$" in path:
        return False
    return folder_reader or FILE_NAME.search(path) is not None


def _normal(path: str) -> str:
    """`./data/../x.csv` -> `x.csv`, with Windows separators read as `/`."""
    return posixpath.normpath(path.replace("\\", "/"))


def _moved(folder: str | None, target: str | None) -> str | None:
    if folder is None or target is None or target.startswith(("/", "~")) or "$" in target:
        return None
    return _normal(posixpath.join(folder, target)) if target else folder


def _shell(magic: Magic, cell: int, run: _Run) -> None:
    """`%cd`, `%run`, `%%writefile` and shell commands: what they move to, read, write."""
    if magic.name == "cd":
        run.folder = _moved(run.folder, magic.args.strip().strip("\"'") or None)
        return
    if magic.name == "writefile":
        words = magic.args.split()
        _write(run, cell, words[-1] if words else ANYWHERE)
        return
    if magic.name == "run":
        _write(run, cell, ANYWHERE)
        return
    for command in re.split(r"&&|\|\||;|\|", magic.args):
        _command(command, magic.span, cell, run)


def _command(command: str, span: Span, cell: int, run: _Run) -> None:
    try:
        words = shlex.split(command, comments=True)
    except ValueError:
        words = command.split()
    if not words:
        return
    redirect = re.search(r">{1,2}\s*([^\s|;&]+)", command)
    if redirect:
        _write(run, cell, redirect.group(1))
    program, arguments = words[0], words[1:]
    for written in _shell_writes(program, arguments):
        _write(run, cell, written)
    if program in ARCHIVE_READERS:
        archive = next((word for word in arguments if not word.startswith("-")), None)
        if archive is not None and program != "tar":
            _read(run, cell, span, archive, folder_reader=False)


def _shell_writes(program: str, arguments: list[str]) -> Iterator[str]:
    if program in QUIET_PROGRAMS or program.startswith("#"):
        return
    if program == "wget":
        folder = _option(arguments, "-P", "--directory-prefix")
        named = _url_name(arguments)
        yield _option(arguments, "-O", "--output-document") or (
            folder if folder and named == ANYWHERE else posixpath.join(folder or "", named)
        )
    elif program == "curl":
        output = _option(arguments, "-o", "--output")
        if output:
            yield output
        elif "-O" in arguments or "--remote-name" in arguments:
            yield _url_name(arguments)
    elif program == "git" and arguments[:1] == ["clone"]:
        places = [word for word in arguments[1:] if not word.startswith("-")]
        yield places[1] if len(places) > 1 else ANYWHERE
    elif program in ("cp", "mv") and len(arguments) >= 2:
        yield arguments[-1]
    else:
        yield ANYWHERE  # unzip, tar, kaggle, python, make, dvc...: anything may appear


def _option(arguments: list[str], short: str, long: str) -> str | None:
    for position, word in enumerate(arguments):
        if word in (short, long) and position + 1 < len(arguments):
            return arguments[position + 1]
        if word.startswith(long + "="):
            return word.partition("=")[2]
    return None


def _url_name(arguments: list[str]) -> str:
    url = next((word for word in arguments if URL.match(word)), None)
    if url is None:
        return ANYWHERE
    name = url.split("?")[0].rstrip("/").rsplit("/", 1)[-1]
    return name or ANYWHERE
