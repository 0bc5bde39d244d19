"""What each IPython magic means, in one table that every stage reads.

The translator, the name model, the install and path rules, `extract` and the language
server all need to know what a magic does; each used to keep its own list. A magic not in
the table is a line magic whose argument is a command line, or a cell magic whose body is
not Python.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Body(str, Enum):
    """The language of a cell magic's body."""

    PYTHON = "python"  # run in the user namespace (`%%time`, `%%capture`)
    SHELL = "shell"  # each line a shell command (`%%bash`)
    OTHER = "other"  # text, another language or a file's content (`%%html`, `%%writefile`)


@dataclass(frozen=True)
class MagicSpec:
    name: str
    cell_body: Body = Body.OTHER  # what `%%name` holds
    runs_code: bool = False  # `%name` takes a Python statement (`%time x = f()`)
    automagic: bool = False  # IPython runs `name args` without `%`; never valid Python
    installs: bool = False  # installs packages (`%pip install`)
    shell_argument: bool = False  # `%name` takes a shell command line
    line_binds_any: bool = False  # `%name` may bind any name (`%run x.py`, `%pylab`)
    cell_binds_any: bool = False  # `%%name` may bind any name (`%%R -o x`)
    local_scope: bool = False  # `%%name`'s body runs in a function scope of its own
    writes_file: bool = False  # `%%name path` writes its body to `path`
    binds_argument: str | None = None  # `%%capture out`: which positional argument
    # ("first" or "last") names the variable that receives the cell's result
    takes_paths: bool = True  # its argument may name a file or folder
    alias: bool = False  # one of IPython's shell aliases: automagic even with no argument


# IPython's default aliases on POSIX systems (`%alias` lists them) and `%pwd`: a one-line
# cell `ls -l data` or `pwd` runs them.
SHELL_ALIASES = (
    "cat",
    "cp",
    "ldir",
    "lf",
    "lk",
    "ll",
    "ls",
    "lx",
    "mkdir",
    "mv",
    "rm",
    "rmdir",
    "pwd",
)


# IPython's own cell magics that show their body or run it in another program: they bind
# nothing in the namespace.
DISPLAY_CELL_MAGICS = (
    *("html", "HTML", "javascript", "js", "latex", "markdown", "svg"),
    *("perl", "ruby", "python", "python2", "python3", "pypy"),
)


def _timer(name: str, automagic: bool = False) -> MagicSpec:
    return MagicSpec(name, Body.PYTHON, runs_code=True, automagic=automagic, takes_paths=False)


MAGICS: dict[str, MagicSpec] = {
    spec.name: spec
    for spec in (
        *(MagicSpec(name, installs=True, automagic=True) for name in ("pip", "conda")),
        *(MagicSpec(name, installs=True, automagic=True) for name in ("mamba", "micromamba")),
        MagicSpec("uv", installs=True),
        _timer("time", automagic=True),
        MagicSpec(
            "timeit",
            Body.PYTHON,
            runs_code=True,
            automagic=True,
            local_scope=True,
            takes_paths=False,
        ),
        *(_timer(name) for name in ("prun", "memit", "mprun", "lprun", "debug")),
        MagicSpec("capture", Body.PYTHON, binds_argument="last"),
        MagicSpec("bigquery", binds_argument="first"),  # `%%bigquery df`: SQL, result in df
        MagicSpec("tensorflow_version", Body.PYTHON),
        *(MagicSpec(name, Body.SHELL) for name in ("bash", "sh", "script")),
        *(MagicSpec(name, Body.SHELL, shell_argument=True) for name in ("system", "sx")),
        *(MagicSpec(name, writes_file=True) for name in ("writefile", "file")),
        *(
            MagicSpec(lang, cell_binds_any=True)
            for lang in ("cython", "R", "sql", "julia", "octave")
        ),
        MagicSpec("run", automagic=True, line_binds_any=True),
        MagicSpec("pylab", automagic=True, line_binds_any=True, takes_paths=False),
        MagicSpec("cd", automagic=True, takes_paths=False),  # MLP302 reports it on its own
        *(
            MagicSpec(name, automagic=True, takes_paths=False)
            for name in ("load_ext", "matplotlib")
        ),
        MagicSpec("config", takes_paths=False),
        *(MagicSpec(name, automagic=True) for name in ("env", "store", "reset", "who", "whos")),
        *(MagicSpec(name, automagic=True, alias=True) for name in SHELL_ALIASES),
        *(MagicSpec(name) for name in DISPLAY_CELL_MAGICS),
    )
}
# A magic the table does not know comes from an extension (`%%mysql`, `%%kql`): what its
# cell form stores in the namespace (`df`, `_`) cannot be known.
UNKNOWN = MagicSpec("", cell_binds_any=True)


def spec(name: str) -> MagicSpec:
    return MAGICS.get(name, UNKNOWN)


def names(**wanted: object) -> frozenset[str]:
    """The magics whose spec has every field as given: `names(installs=True)`."""
    return frozenset(
        name
        for name, magic in MAGICS.items()
        if all(getattr(magic, field) == value for field, value in wanted.items())
    )
