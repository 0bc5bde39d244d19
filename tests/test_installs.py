"""Install commands are recognised by each program's grammar, never by mentioning pip."""

from __future__ import annotations

import pytest

from mlpizza_lint.analysis.installs import (
    InstallCommand,
    argv_install,
    magic_installs,
    shell_installs,
)


def words(text: str) -> list[str]:
    return text.split()


def pip(
    *packages: str, requirement_files: tuple[str, ...] = (), editables: tuple[str, ...] = ()
) -> InstallCommand:
    return InstallCommand("pip", packages, requirement_files, editables)


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        (
            "pip install -q --upgrade numpy pandas==2.0 'scikit-learn>=1.2'",
            [pip("numpy", "pandas==2.0", "scikit-learn>=1.2")],
        ),
        (
            "python -m pip install -r requirements.txt",
            [pip(requirement_files=("requirements.txt",))],
        ),
        ("{sys.executable} -m pip install torch", [pip("torch")]),
        (
            "pip install git+https://github.com/x/y.git@v1",
            [pip("git+https://github.com/x/y.git@v1")],
        ),
        ("pip install git+https://h/x/y.git#egg=y  # ok", [pip("git+https://h/x/y.git#egg=y")]),
        ("pip3 install -e .", [pip(editables=(".",))]),
        ("pip install -e. --editable=../lib", [pip(editables=(".", "../lib"))]),
        ("pip install . ./dist/pkg.whl", [pip(".", "./dist/pkg.whl")]),
        ("pip install 'transformers[torch]'", [pip("transformers[torch]")]),
        ("pip install -rrequirements.txt", [pip(requirement_files=("requirements.txt",))]),
        ("pip install --requirement=a.txt -c c.txt x", [pip("x", requirement_files=("a.txt",))]),
        ("pip install -q numpy \\\n    pandas", [pip("numpy", "pandas")]),
        ("pip install", [pip()]),
        # Interpreters and program spellings.
        ("pip3.11 install x", [pip("x")]),
        ("/usr/bin/pip3 install x", [pip("x")]),
        ("python3.10 -m pip install x", [pip("x")]),
        ("py -3.11 -m pip install x", [pip("x")]),
        ("$PYTHON -m pip install x", [pip("x")]),
        ('"{sys.executable}" -m pip install x', [pip("x")]),
        ("/opt/conda/bin/python3 -q -u -m pip install x", [pip("x")]),
        ("python -W ignore -X utf8 -m pip install x", [pip("x")]),
        ("python -mpip install x", [pip("x")]),
        # pip global options before the subcommand.
        ("pip -q install x", [pip("x")]),
        ("pip --disable-pip-version-check install x", [pip("x")]),
        ("pip --log /tmp/pip.log install x", [pip("x")]),
        # Prefixes that run the real command.
        ("sudo -H pip install x", [pip("x")]),
        ("sudo -u root -E env PIP_NO_CACHE_DIR=1 pip install x", [pip("x")]),
        ("time nohup pip install x", [pip("x")]),
        ("A=1 B=2 python -m pip install x", [pip("x")]),
        # Several commands in one line.
        ("pip install x && pip list", [pip("x")]),
        (
            "pip install -q numpy pandas && apt-get install -y ffmpeg",
            [pip("numpy", "pandas"), InstallCommand("apt-get", ("ffmpeg",))],
        ),
        ("pip install a; pip install b", [pip("a"), pip("b")]),
        ("pip install a || pip install b", [pip("a"), pip("b")]),
        ("pip install a|tail -1", [pip("a")]),
        ("pip install a\npip install b", [pip("a"), pip("b")]),
        ("pip install a  # b\napt install c", [pip("a"), InstallCommand("apt", ("c",))]),
        ("cd lib && pip install .", [pip(".")]),
        # Redirections are not arguments; unquoted `>` is one, as in the shell.
        ("pip install x > /dev/null 2>&1", [pip("x")]),
        ("pip install x &>/dev/null", [pip("x")]),
        ("pip install numpy>=1.2", [pip("numpy")]),
        ('pip install "numpy>=1.2" "a<2"', [pip("numpy>=1.2", "a<2")]),
        # Other Python managers.
        ("uv pip install --system x", [InstallCommand("uv", ("x",))]),
        ("uv pip install -r r.txt -e .", [InstallCommand("uv", (), ("r.txt",), (".",))]),
        ("uv add --dev x 'y>=1'", [InstallCommand("uv", ("x", "y>=1"))]),
        ("poetry add -G dev pytest", [InstallCommand("poetry", ("pytest",))]),
        ("pipenv install", [InstallCommand("pipenv", ())]),
        ("pipenv install --dev requests", [InstallCommand("pipenv", ("requests",))]),
        ("conda install -c conda-forge -y xgboost", [InstallCommand("conda", ("xgboost",))]),
        ("conda install --yes --file req.txt", [InstallCommand("conda", (), ("req.txt",))]),
        (
            'conda install numpy=1.22 "scipy>=1.2"',
            [InstallCommand("conda", ("numpy=1.22", "scipy>=1.2"))],
        ),
        (
            "mamba install -n base --override-channels -c conda-forge numpy",
            [InstallCommand("mamba", ("numpy",))],
        ),
        ("micromamba install -y -f env.yml", [InstallCommand("micromamba", (), ("env.yml",))]),
        # System package managers.
        (
            "sudo apt-get install -y ffmpeg libsm6",
            [InstallCommand("apt-get", ("ffmpeg", "libsm6"))],
        ),
        (
            "DEBIAN_FRONTEND=noninteractive apt-get -qq install -y graphviz",
            [InstallCommand("apt-get", ("graphviz",))],
        ),
        (
            "apt-get install -y --no-install-recommends -o Dpkg::Use-Pty=0 git",
            [InstallCommand("apt-get", ("git",))],
        ),
        ("yum -y install gcc", [InstallCommand("yum", ("gcc",))]),
        ("dnf install -y --setopt=x=1 gcc", [InstallCommand("dnf", ("gcc",))]),
        ("apk add --no-cache --virtual .deps gcc", [InstallCommand("apk", ("gcc",))]),
        ("brew install --cask libomp", [InstallCommand("brew", ("libomp",))]),
    ],
)
def test_shell_installs(command: str, expected: list[InstallCommand]) -> None:
    assert shell_installs(command) == expected


@pytest.mark.parametrize(
    "command",
    [
        "pip freeze",
        "pip freeze > requirements-lock.txt",
        "pip list",
        "pip show numpy",
        "pip uninstall -y numpy",
        "pip download numpy",
        "pip --version",
        "pip",
        "python -m pip list",
        "python -m pip",
        "python setup.py install",
        "python -c 'import pip'",
        "python -m venv env",
        "python -m apt install x",
        'echo "pip install x"',
        "# pip install x",
        "  # pip install x\n",
        "grep pip requirements.txt",
        "ls | grep pip",
        "conda create -n env numpy",
        "conda env create -f environment.yml",
        "apt-get update",
        "apk update",
        "uv pip list",
        "uv sync",
        "poetry show",
        "sudo -u pip",
        "VAR=pip",
    ],
)
def test_not_installs(command: str) -> None:
    assert shell_installs(command) == []


PIP_VALUE_OPTIONS = words(
    "-r --requirement -c --constraint -e --editable -i --index-url --extra-index-url -f"
    " --find-links -t --target --prefix --root --upgrade-strategy --platform --python-version"
    " --implementation --abi --src --progress-bar --log --cache-dir --trusted-host --proxy"
    " --retries --timeout --exists-action --global-option --install-option --config-settings -C"
    " --no-binary --only-binary --report --python"
)
PIP_FLAGS = "-q -qq -U --upgrade --user --no-deps --quiet --force-reinstall --no-cache-dir --pre -y"


@pytest.mark.parametrize("option", PIP_VALUE_OPTIONS)
def test_pip_options_with_a_value_consume_it(option: str) -> None:
    (install,) = shell_installs(f"pip install {option} VALUE numpy")
    assert install.packages == ("numpy",)
    if option.startswith("--"):
        assert shell_installs(f"pip install {option}=VALUE numpy")[0].packages == ("numpy",)


@pytest.mark.parametrize("flag", [*words(PIP_FLAGS), "--yes"])
def test_pip_flags_take_no_value(flag: str) -> None:
    assert shell_installs(f"pip install {flag} numpy") == [pip("numpy")]


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["{sys.executable}", "-m", "pip", "install", "numpy"], pip("numpy")),
        (["pip", "install", None], pip()),
        (["pip", "install", "a", None, "b"], pip("a", "b")),
        (["pip", "install", "-r", None, "x"], pip("x")),
        (["pip", "install", "x && rm -rf /"], pip("x && rm -rf /")),
        (["sudo", "apt-get", "install", "-y", "ffmpeg"], InstallCommand("apt-get", ("ffmpeg",))),
        (["uv", "pip", "install", "x"], InstallCommand("uv", ("x",))),
        (["pip", "freeze"], None),
        (["pip", None, "x"], None),
        ([None, "install", "x"], None),
        (["{sys.executable}", "-m", None, "install", "x"], None),
        (["python", "script.py", "install", "x"], None),
        (["sudo", None], None),
        ([], None),
    ],
)
def test_argv_install(argv: list[str | None], expected: InstallCommand | None) -> None:
    assert argv_install(argv) == expected


@pytest.mark.parametrize(
    ("magic", "args", "expected"),
    [
        ("pip", "install -U numpy", pip("numpy")),
        (
            "pip",
            "install -r requirements.txt  # pinned",
            pip(requirement_files=("requirements.txt",)),
        ),
        ("pip", "install x && pip install y", [pip("x"), pip("y")]),
        ("pip", "install {package}", pip("{package}")),
        ("conda", "install -c conda-forge xgboost -y", InstallCommand("conda", ("xgboost",))),
        ("mamba", "install numpy", InstallCommand("mamba", ("numpy",))),
        ("micromamba", "install -y numpy", InstallCommand("micromamba", ("numpy",))),
        ("uv", "pip install x", InstallCommand("uv", ("x",))),
        ("pip", "list", None),
        ("pip", "", None),
        ("conda", "create -n env numpy", None),
        ("time", "pip install x", None),
        ("sx", "pip install x", None),
    ],
)
def test_magic_installs(
    magic: str, args: str, expected: InstallCommand | list[InstallCommand] | None
) -> None:
    wanted = expected if isinstance(expected, list) else [expected] if expected else []
    assert magic_installs(magic, args) == wanted


@pytest.mark.parametrize(
    ("manager", "is_python"),
    [
        *((name, True) for name in words("pip conda mamba micromamba uv poetry pipenv")),
        *((name, False) for name in words("apt-get apt yum dnf apk brew")),
    ],
)
def test_is_python(manager: str, is_python: bool) -> None:
    assert InstallCommand(manager, ()).is_python is is_python


def test_unbalanced_quotes_fall_back_to_whitespace() -> None:
    assert shell_installs("pip install x 'y") == [pip("x", "'y")]


@pytest.mark.parametrize(
    "text",
    [
        "",
        " ",
        "\n\n",
        "&&",
        "&& || ; |",
        "'",
        '"',
        "pip install 'unbalanced",
        '"pip install',
        "\\",
        "pip install \\",
        "-q --upgrade",
        "pip install -r",
        "sudo",
        "sudo -u",
        "python -m",
        "python -W",
        "#",
        "><",
        "pip install >",
        "$(pip install x)",
        "{sys.executable}",
        "=",
        "\x00\t\r",
    ],
)
def test_odd_text_never_raises(text: str) -> None:
    assert isinstance(shell_installs(text), list)
    for magic in ("pip", "conda", "uv"):
        magic_installs(magic, text)
    argv_install(text.split())
    argv_install([text, None, text])
