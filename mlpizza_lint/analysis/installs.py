"""Recognise commands that install packages: shell lines, subprocess argv lists, IPython magics.

A notebook that installs what it needs from inside itself (MLP201) only runs where that install
succeeds, and gets whatever the index serves that day unless the command pins it. The three ways
a notebook spells an install all become one `InstallCommand`, so rules can report the install and
check its requirements. Commands are read with each program's grammar (a table of its install
subcommands and of its options that take a value) rather than by searching for "pip install", so
`echo "pip install x"`, `# pip install x` and `pip list` are not installs.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from mlpizza_lint.ipython.magics import spec

PIP_MANAGERS = frozenset({"pip", "uv"})  # managers whose arguments are pip requirements
# The installer's own tools: `pip install -U pip` upgrades the installer, not the project.
PIP_TOOLING = frozenset({"pip", "setuptools", "wheel", "uv"})
# Options after which pip installs only what a local folder holds: its version is fixed.
OFFLINE_OPTIONS = frozenset({"--no-index"})


@dataclass(frozen=True)
class InstallCommand:
    """One install: who performs it and what it asks for, each argument as the user wrote it."""

    manager: str
    packages: tuple[str, ...]
    requirement_files: tuple[str, ...] = ()
    editables: tuple[str, ...] = ()

    @property
    def is_python(self) -> bool:
        """Whether this installs into the Python environment (and so belongs in requirements)."""
        return self.manager in _PYTHON_MANAGERS


@dataclass(frozen=True)
class _Grammar:
    """The options of one install subcommand that take a value, by what the value names.

    Values of `requirements` and `editables` options are reported; other values (index URLs,
    channels, targets) are dropped so they are not mistaken for packages.
    """

    values: frozenset[str] = frozenset()
    requirements: frozenset[str] = frozenset()
    editables: frozenset[str] = frozenset()

    @property
    def takes_value(self) -> frozenset[str]:
        return self.values | self.requirements | self.editables


def _options(names: str) -> frozenset[str]:
    return frozenset(names.split())


_PIP = _Grammar(
    values=_options(
        "-c --constraint -i --index-url --extra-index-url -f --find-links -t --target --prefix"
        " --root --upgrade-strategy --platform --python-version --implementation --abi --src"
        " --progress-bar --log --cache-dir --trusted-host --proxy --retries --timeout"
        " --exists-action --global-option --install-option --config-settings -C --no-binary"
        " --only-binary --report --python --cert --client-cert --keyring-provider --use-feature"
        " --use-deprecated --root-user-action"
    ),
    requirements=_options("-r --requirement"),
    editables=_options("-e --editable"),
)
# Options of uv's own commands, shared by `uv pip install` and `uv add`.
_UV_VALUES = (
    "-c --constraint --constraints --override --overrides -i --index-url --index --default-index"
    " --extra-index-url -f --find-links -p --python --index-strategy --resolution --prerelease"
    " --link-mode --cache-dir --config-file --directory --project --exclude-newer -P"
    " --upgrade-package --reinstall-package --refresh-package --keyring-provider"
    " --allow-insecure-host -C --config-setting --extra --group --color"
)
_UV_PIP = _Grammar(
    values=_options(
        _UV_VALUES + " --target --prefix --python-version --python-platform --torch-backend"
        " --no-binary --only-binary -b --build-constraint --build-constraints"
    ),
    requirements=_options("-r --requirement --requirements"),
    editables=_options("-e --editable"),
)
# `uv add --editable` and `poetry add --editable` are flags: the path stays a package.
_UV_ADD = _Grammar(
    values=_options(
        _UV_VALUES + " -m --marker --optional --rev --tag --branch --bounds --package --script"
    ),
    requirements=_options("-r --requirements"),
)
_POETRY_ADD = _Grammar(
    values=_options(
        "-G --group -E --extras --python --platform --source --markers -C --directory -P --project"
    )
)
_PIPENV_INSTALL = _Grammar(
    values=_options("--python -i --index --extra-index-url --categories"),
    requirements=_options("-r --requirements"),
    editables=_options("-e --editable"),
)
_CONDA = _Grammar(
    values=_options(
        "-c --channel -n --name -p --prefix --repodata-fn --solver --revision --subdir --platform"
        " -r --root-prefix --rc-file --channel-priority"
    ),
    requirements=_options("-f --file"),
)
_APT = _Grammar(
    values=_options("-o --option -t --target-release --default-release -c --config-file")
)
_YUM = _Grammar(
    values=_options(
        "-c --config --installroot --enablerepo --disablerepo --repo --repoid --setopt"
        " --releasever --forcearch -x --exclude -d --debuglevel -e --errorlevel"
    )
)
_APK = _Grammar(
    values=_options(
        "-X --repository -t --virtual -p --root --repositories-file --arch --cache-dir --keys-dir"
    )
)

# Program -> the subcommand words that install (`uv pip install` is two) -> how they read.
# `conda create`, `pip download`, `poetry install` and the like are deliberately absent.
_INSTALLERS: dict[str, dict[tuple[str, ...], _Grammar]] = {
    "pip": {("install",): _PIP},
    "uv": {("pip", "install"): _UV_PIP, ("add",): _UV_ADD},
    "poetry": {("add",): _POETRY_ADD},
    "pipenv": {("install",): _PIPENV_INSTALL},
    "conda": {("install",): _CONDA},
    "mamba": {("install",): _CONDA},
    "micromamba": {("install",): _CONDA},
    "apt-get": {("install",): _APT},
    "apt": {("install",): _APT},
    "yum": {("install",): _YUM},
    "dnf": {("install",): _YUM},
    "apk": {("add",): _APK},
    "brew": {("install",): _Grammar()},
}
_PYTHON_MANAGERS = frozenset({"pip", "conda", "mamba", "micromamba", "uv", "poetry", "pipenv"})
# IPython line magics that run a package manager with the magic's arguments.

# Programs that run the rest of their command line, with their options that take a value.
_WRAPPERS: dict[str, frozenset[str]] = {
    "sudo": _options(
        "-u --user -g --group -C --close-from -D --chdir -p --prompt -r --role -t --type"
        " -T --command-timeout -U --other-user --host"
    ),
    "env": _options("-u --unset -C --chdir -S --split-string"),
    "time": _options("-f --format -o --output"),
    "nohup": frozenset(),
}
_ASSIGNMENT = re.compile(r"[A-Za-z_]\w*=")
_PIP_PROGRAM = re.compile(r"pip[\d.]*")
_PYTHON_PROGRAM = re.compile(r"py|python[\d.]*")
# The running interpreter as notebooks name it: IPython expands the first two before the shell
# runs, and argv_install receives `sys.executable` as "{sys.executable}".
_INTERPRETER_EXPRESSIONS = _options("{sys.executable} $sys.executable $PYTHON ${PYTHON}")
# Interpreter options that take a value (`python -W ignore -m pip`).
_PYTHON_VALUE_OPTIONS = _options("-W -X")

# Characters that end a word outside quotes: command separators and redirections.
_OPERATOR_CHARS = ";&|()<>\n"
_CONTINUATION = re.compile(r"\\\r?\n")
# A quoted string or escaped character (matched whole so a `#` inside it survives), or a
# comment: a `#` that starts a word, up to the end of its line.
_QUOTED_OR_COMMENT = re.compile(r"""'[^']*'|"(?:\\.|[^"\\])*"|\\.|(?<![^\s;&|()<>])#[^\n]*""")


def shell_installs(command: str) -> list[InstallCommand]:
    """Every install in a shell command line, e.g. the text after `!` in a notebook.

    `pip install -q numpy pandas && apt-get install -y ffmpeg` is two installs.
    """
    installs = (_command_install(words) for words in _simple_commands(_tokens(command)))
    return [install for install in installs if install is not None]


def argv_install(argv: Sequence[str | None]) -> InstallCommand | None:
    """The install an argv list performs (as passed to `subprocess.run([...])`).

    None elements are arguments that are not literals; they are never packages. The expression
    `sys.executable` is expected as the literal string "{sys.executable}". No shell is involved,
    so each element is one argument, whatever it contains.
    """
    return _command_install(argv)


def magic_installs(magic: str, args: str) -> list[InstallCommand]:
    """The installs an IPython line magic performs: `magic_installs("pip", "install -U numpy")`.

    `%pip`, `%conda` and the like hand their whole line to a shell, so `%pip install a &&
    pip install b` installs both.
    """
    return shell_installs(f"{magic} {args}") if spec(magic).installs else []


def _tokens(command: str) -> list[str]:
    """The words and operators of a shell command line, without comments or line continuations.

    Comments are removed first, the way the shell does, because shlex's own comment handling
    would also cut `git+https://host/x.git#egg=x` and swallow the newline that ends the comment,
    joining two commands. Newlines are operator tokens: they separate commands. Text shlex
    cannot read (unbalanced quotes) is split at whitespace instead, never rejected.
    """
    text = _CONTINUATION.sub("", command)
    text = _QUOTED_OR_COMMENT.sub(lambda m: "" if m[0].startswith("#") else m[0], text)
    lexer = shlex.shlex(text, posix=True, punctuation_chars=_OPERATOR_CHARS)
    lexer.whitespace = " \t\r"
    lexer.whitespace_split = True
    lexer.commenters = ""
    try:
        return list(lexer)
    except ValueError:
        return [word for line in text.split("\n") for word in [*line.split(), "\n"]]


def _is_operator(token: str) -> bool:
    return token != "" and not token.strip(_OPERATOR_CHARS)


def _simple_commands(tokens: list[str]) -> Iterator[list[str]]:
    """The words of each simple command, split at operators, without redirections.

    As in the shell, `pip install numpy>=1.2` installs `numpy` and writes to a file `=1.2`.
    A number just before a redirection is taken as its file descriptor (the 2 of `2>&1`).
    """
    words: list[str] = []
    stream = iter(tokens)
    for token in stream:
        if not _is_operator(token):
            words.append(token)
        elif "<" in token or ">" in token:
            if words and words[-1].isdigit():
                words.pop()
            next(stream, None)
        else:
            yield words
            words = []
    yield words


def _program(word: str) -> str:
    """The program a command word runs: "pip" for `pip3.11`, "python" for `/usr/bin/python3`."""
    name = word.rsplit("/", 1)[-1]
    if word in _INTERPRETER_EXPRESSIONS or _PYTHON_PROGRAM.fullmatch(name):
        return "python"
    return "pip" if _PIP_PROGRAM.fullmatch(name) else name


def _without_prefixes(words: Sequence[str | None]) -> Sequence[str | None]:
    """The words from the program that does the work, past `VAR=value` and `sudo -H`-likes."""
    index = 0
    while index < len(words) and (word := words[index]) is not None:
        if _ASSIGNMENT.match(word):
            index += 1
        elif (value_options := _WRAPPERS.get(_program(word))) is not None:
            index += 1
            while index < len(words) and (option := words[index]) is not None:
                if not option.startswith("-"):
                    break
                index += 2 if option in value_options else 1
        else:
            break
    return words[index:]


def _python_module(args: Sequence[str | None]) -> Sequence[str | None] | None:
    """The module's command line in `python [options] -m module args`: ["pip", "install", ...].

    None when the interpreter runs a script, code or nothing instead of a module.
    """
    index = 0
    while index < len(args) and (arg := args[index]) is not None and arg.startswith("-"):
        if arg.startswith("-m"):
            return [arg[2:], *args[index + 1 :]] if arg != "-m" else args[index + 1 :]
        index += 2 if arg in _PYTHON_VALUE_OPTIONS else 1
    return None


def _command_install(words: Sequence[str | None]) -> InstallCommand | None:
    """The install one simple command performs, if any."""
    words = _without_prefixes(words)
    if words and words[0] is not None and _program(words[0]) == "python":
        module_command = _python_module(words[1:])
        if not module_command or module_command[0] not in _PYTHON_MANAGERS:
            return None
        words = module_command
    if not words or words[0] is None:
        return None
    return _install(_program(words[0]), words[1:])


def _install(manager: str, args: Sequence[str | None]) -> InstallCommand | None:
    """The install `manager args...` performs, trying each of the manager's install subcommands."""
    for subcommand, grammar in _INSTALLERS.get(manager, {}).items():
        install = _read_install(manager, subcommand, grammar, args)
        if install is not None:
            return install
    return None


def _read_install(
    manager: str, subcommand: tuple[str, ...], grammar: _Grammar, args: Sequence[str | None]
) -> InstallCommand | None:
    """`args` read as `subcommand` of `manager`; None when they are another subcommand.

    Options may come before and between the subcommand words (`pip -q install`).
    """
    expected = list(subcommand)
    packages: list[str] = []
    requirement_files: list[str] = []
    editables: list[str] = []
    for option, value in _arguments(args, grammar.takes_value):
        if expected:  # options are skipped; each word must be the next subcommand word
            if option is None and value != expected.pop(0):
                return None
        elif value is None:
            continue
        elif option is None:
            packages.append(value)
        elif option in grammar.requirements:
            requirement_files.append(value)
        elif option in grammar.editables:
            editables.append(value)
    if expected:
        return None
    return InstallCommand(manager, tuple(packages), tuple(requirement_files), tuple(editables))


def _arguments(
    args: Sequence[str | None], takes_value: frozenset[str]
) -> Iterator[tuple[str | None, str | None]]:
    """(option, value) for each option, value None for a flag; (None, word) for other arguments.

    A value is the next argument or attached to the option: `--opt=value`, `-rreqs.txt`, `-e.`.
    `.`, paths and URLs are arguments: they are what gets installed.
    """
    stream = iter(args)
    for arg in stream:
        if arg is None or arg == "-" or not arg.startswith("-"):
            yield None, arg
        elif arg.startswith("--") and "=" in arg:
            name, _, value = arg.partition("=")
            yield name, value
        elif arg in takes_value:
            yield arg, next(stream, None)
        elif arg[:2] in takes_value:
            yield arg[:2], arg[2:]
        else:
            yield arg, None


VCS_PREFIXES = ("git+", "hg+", "svn+", "bzr+")
LOCAL_PROJECT = (".", "/", "~")  # `.`, `./lib`: the project's own code


def is_local_path(requirement: str) -> bool:
    """`.`, `./lib`, `libs/shared#egg=x`: pip reads these as paths, which have no version."""
    location = requirement.split("#")[0]
    if location.startswith(LOCAL_PROJECT):
        return True
    is_link = "://" in location or " @ " in location or location.startswith(VCS_PREFIXES)
    return ("/" in location or "\\" in location) and not is_link
