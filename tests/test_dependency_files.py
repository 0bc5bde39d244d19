"""Dependency files are read with their installers' rules, at exact places, and never raise."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from mlpizza_lint.dependency_files import (
    DEPENDENCY_FILE_PATTERNS,
    Declared,
    DependencyFile,
    Pin,
    is_dependency_file,
    read_dependency_file,
)

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "requirements"
NONE, LOOSE, EXACT = Pin.NONE, Pin.LOOSE, Pin.EXACT


def read(tmp_path: Path, name: str, text: str | bytes) -> DependencyFile:
    """Write `text` to tmp_path/name (bytes as they are) and read it."""
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    return read_dependency_file(str(path))


def only(result: DependencyFile) -> Declared:
    assert result.problems == ()
    assert len(result.declared) == 1, result.declared
    return result.declared[0]


def summary(result: DependencyFile) -> list[tuple[str | None, Pin, int, int]]:
    return [(entry.name, entry.pin, entry.line, entry.column) for entry in result.declared]


def messages(result: DependencyFile) -> list[tuple[int, int, str]]:
    return [(problem.line, problem.column, problem.message) for problem in result.problems]


# --- file names -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "requirements.txt",
        "requirements-dev.txt",
        "Requirements.txt",
        "requirements.in",
        "dev-requirements.txt",
        "test_requirements.txt",
        "constraints.txt",
        "pyproject.toml",
        "setup.cfg",
        "Pipfile",
        "environment.yml",
        "environment.yaml",
        "environment-gpu.yml",
        "Dockerfile",
        "api.Dockerfile",
        "Dockerfile.gpu",
        "requirements/base.txt",
        "requirements/dev.in",
    ],
)
def test_dependency_file_names(path: str) -> None:
    assert is_dependency_file(Path(path))


@pytest.mark.parametrize(
    "path", ["notes.txt", "setup.py", "Pipfile.lock", "docs/base.txt", "requirements.md"]
)
def test_other_file_names(path: str) -> None:
    assert not is_dependency_file(Path(path))


def test_patterns_include_every_documented_name() -> None:
    for pattern in ("requirements*.txt", "pyproject.toml", "Pipfile", "*.Dockerfile"):
        assert pattern in DEPENDENCY_FILE_PATTERNS


@pytest.mark.parametrize(
    ("name", "kind", "lock_input"),
    [
        ("requirements.txt", "requirements", False),
        ("requirements-dev.in", "requirements", True),
        ("requirements/prod.in", "requirements", True),
        ("pyproject.toml", "pyproject", False),
        ("setup.cfg", "setup.cfg", False),
        ("Pipfile", "pipfile", False),
        ("environment.yml", "conda", False),
        ("Dockerfile", "dockerfile", False),
        ("base.txt", "requirements", False),  # a `-r` target of any name is a requirements file
    ],
)
def test_kind_and_lock_input(tmp_path: Path, name: str, kind: str, lock_input: bool) -> None:
    result = read(tmp_path, name, "")
    assert (result.kind, result.lock_input, result.problems) == (kind, lock_input, ())


# --- requirements files: what each line asks for -----------------------------------------------


@pytest.mark.parametrize(
    ("line", "name", "pin"),
    [
        ("numpy", "numpy", NONE),
        ("NumPy_Extra.Thing", "numpy-extra-thing", NONE),
        ("numpy==1.22.0", "numpy", EXACT),
        ("numpy === 1.22.0", "numpy", EXACT),
        ("numpy==1.*", "numpy", LOOSE),
        ("numpy>=1.2", "numpy", LOOSE),
        ("numpy~=1.2", "numpy", LOOSE),
        ("numpy!=1.3", "numpy", LOOSE),
        ("numpy<2", "numpy", LOOSE),
        ("numpy>=1,<2", "numpy", LOOSE),
        ("pkg[a,b]==1.0", "pkg", EXACT),
        ("pkg [a] >= 1.0", "pkg", LOOSE),
        ('numpy==1.2; python_version < "3.8"', "numpy", EXACT),
        ("numpy ;sys_platform == 'win32'", "numpy", NONE),
        ("numpy --hash=sha256:abcd", "numpy", EXACT),
        ("numpy==1.2 --hash sha256:abcd --hash=sha256:ef01", "numpy", EXACT),
        ("pkg>=1 --config-settings=key=value", "pkg", LOOSE),
        ("pkg @ https://host/pkg-1.2.3.tar.gz", "pkg", EXACT),
        ("pkg @ https://host/pkg-1.2.3-py3-none-any.whl", "pkg", EXACT),
        ("pkg @ https://host/archive/main.zip", "pkg", NONE),
        ("pkg @ https://host/archive/v1.2.zip", "pkg", EXACT),
        ("pkg @ https://host/archive/0123456789abcdef0123456789abcdef01234567.zip", "pkg", EXACT),
        ("pkg @ git+https://host/a/pkg.git@v1.2", "pkg", EXACT),
        ("pkg @ git+https://host/a/pkg.git@0123abcd", "pkg", EXACT),
        ("pkg @ git+https://host/a/pkg.git@main", "pkg", NONE),
        ("pkg @ git+https://host/a/pkg.git@refs/heads/master", "pkg", NONE),
        ("pkg @ git+https://host/a/pkg.git", "pkg", NONE),
        ("pkg @ git+ssh://git@host/a/pkg.git", "pkg", NONE),
        ("pkg @ file:///srv/pkg", "pkg", NONE),
        ("https://x/y.zip", None, NONE),
        ("https://x/pkg-2.0.tar.gz", "pkg", EXACT),
        ("https://x/pkg-2.0-py3-none-any.whl", "pkg", EXACT),
        ("https://x/y.zip#egg=why", "why", NONE),
        ('https://x/pkg-2.0.tar.gz; python_version < "3.8"', "pkg", EXACT),
        ("git+https://github.com/a/b.git@v1.2#egg=b", "b", EXACT),
        ("git+https://github.com/a/b.git#egg=b", "b", NONE),
        ("git+https://github.com/a/b.git", None, NONE),
        ("git+https://host/repo.git#egg=sub&subdirectory=src/sub", "sub", NONE),
        ("hg+https://host/repo@da39a3ee5e6b#egg=Repo", "repo", EXACT),
        ("svn+https://host/repo/trunk@2019#egg=repo", "repo", EXACT),
        ("./libs/pkg", None, NONE),
        ("libs/pkg", None, NONE),
        (".", None, NONE),
        (".[dev]", None, NONE),
        ("./dist/pkg-1.0-py3-none-any.whl", "pkg", EXACT),
        ("./dist/pkg-1.0-py3-none-any.whl[extra]", "pkg", EXACT),
        ("pkg-1.0.tar.gz", "pkg", EXACT),
    ],
)
def test_requirement_line(tmp_path: Path, line: str, name: str | None, pin: Pin) -> None:
    declared = only(read(tmp_path, "requirements.txt", line + "\n"))
    assert (declared.name, declared.pin, declared.source) == (name, pin, "requirements")


def test_requirement_text_place_and_end(tmp_path: Path) -> None:
    result = read(tmp_path, "requirements.txt", "# deps\n\n   numpy >= 1.2  # fast arrays\n")
    assert only(result) == Declared("numpy", "numpy >= 1.2", 3, 4, 16, LOOSE, "requirements")


@pytest.mark.parametrize(
    ("line", "name", "pin", "column", "text"),
    [
        ("-e .", None, NONE, 4, "."),
        ("-e.", None, NONE, 3, "."),
        ("--editable=./libs/pkg", None, NONE, 12, "./libs/pkg"),
        ("-e ./libs/pkg[dev]", None, NONE, 4, "./libs/pkg[dev]"),
        ("-e git+https://host/a/b.git#egg=b", "b", NONE, 4, "git+https://host/a/b.git#egg=b"),
        (
            "-e git+https://host/a/b.git@v1#egg=b",
            "b",
            EXACT,
            4,
            "git+https://host/a/b.git@v1#egg=b",
        ),
        ('-e "git+https://host/a/b.git#egg=b"', "b", NONE, 4, '"git+https://host/a/b.git#egg=b"'),
    ],
)
def test_editable(
    tmp_path: Path, line: str, name: str | None, pin: Pin, column: int, text: str
) -> None:
    declared = only(read(tmp_path, "requirements.txt", line))
    assert (declared.name, declared.pin, declared.column, declared.text) == (
        name,
        pin,
        column,
        text,
    )


@pytest.mark.parametrize(
    "line", ["-e git+https://host/a/b.git", "-e https://host/pkg-1.0.tar.gz#egg=pkg"]
)
def test_editable_pip_rejects(tmp_path: Path, line: str) -> None:
    result = read(tmp_path, "requirements.txt", line)
    assert result.declared == ()
    assert "as editable" in result.problems[0].message


def test_comments_blank_lines_and_crlf(tmp_path: Path) -> None:
    text = "# header\r\n\r\nnumpy==1.0 # pinned\r\n  # indented comment\r\npandas#not-a-comment\r\n"
    result = read(tmp_path, "requirements.txt", text)
    assert summary(result) == [("numpy", EXACT, 3, 1)]
    assert [problem.line for problem in result.problems] == [5]
    assert result.problems[0].message.startswith("invalid requirement `pandas#not-a-comment`: ")


def test_continuation_lines_keep_the_first_line(tmp_path: Path) -> None:
    text = (
        "alpha==1.0 \\\n"
        "    --hash=sha256:aaaa \\\n"
        "    --hash=sha256:bbbb\n"
        "beta\\\n"
        ">=2\n"
        "gamma==1 \\\n"
        "# a comment ends the continuation\n"
        "delta\n"
        "epsilon \\"
    )
    result = read(tmp_path, "requirements.txt", text)
    assert summary(result) == [
        ("alpha", EXACT, 1, 1),
        ("beta", LOOSE, 4, 1),
        ("gamma", EXACT, 6, 1),
        ("delta", NONE, 8, 1),
        ("epsilon", NONE, 9, 1),
    ]
    assert [entry.text for entry in result.declared][:2] == ["alpha==1.0", "beta>=2"]
    assert result.declared[1].end_column == 5  # `beta` on its own line; the rest is on line 5
    assert result.problems == ()


@pytest.mark.parametrize(
    "line",
    [
        "--index-url https://pypi.example/simple",
        "-i https://pypi.example/simple",
        "--index-url=https://pypi.example/simple",
        "--extra-index-url https://x/simple",
        "--extra-index https://x/simple",  # optparse accepts unambiguous prefixes
        "--find-links ./wheels",
        "-f ./wheels",
        "-f./wheels",
        "--trusted-host pypi.example",
        "--pre",
        "--no-index",
        "--no-binary :all:",
        "--only-binary=:all:",
        "--prefer-binary",
        "--require-hashes",
        "--use-feature=truststore",
        "--no-index --find-links=/local/dir/",
    ],
)
def test_option_lines_are_ignored(tmp_path: Path, line: str) -> None:
    result = read(tmp_path, "requirements.txt", line + "\n")
    assert (result.declared, result.problems) == ((), ())


@pytest.mark.parametrize(
    ("line", "column", "message"),
    [
        ("--no-use-wheel", 1, "unknown pip option `--no-use-wheel`"),
        ("-x", 1, "unknown pip option `-x`"),
        ("--no-", 1, "unknown pip option `--no-`"),  # ambiguous prefix
        ("--index-url", 1, "`--index-url` needs a value"),
        ("--pre=yes", 1, "`--pre` takes no value"),
        ("--pre numpy", 7, "`numpy` after an option is ignored by pip: put it on its own line"),
        (
            "numpy --no-binary :all:",
            7,
            "`--no-binary` on a requirement line is ignored by pip: put it on its own line",
        ),
        ("--hash=sha256:abcd", 1, "`--hash` applies to no requirement"),
        (
            'pkg>=1 --install-option="--prefix=/x"',
            8,
            "`--install-option` was removed in pip 23.1: use `--config-settings`",
        ),
        (
            "pkg>=1 --global-option build_ext",
            8,
            "`--global-option` is refused by current pip: use `--config-settings`",
        ),
        ('numpy --hash="sha256:abc', 7, "cannot split options: No closing quotation"),
        (
            "-r a.txt -r b.txt",
            10,
            "`-r b.txt` is ignored by pip: it reads one `-e`, `-r` or `-c` a line",
        ),
    ],
)
def test_option_problems(tmp_path: Path, line: str, column: int, message: str) -> None:
    (tmp_path / "a.txt").write_text("")
    (tmp_path / "b.txt").write_text("")
    result = read(tmp_path, "requirements.txt", "numpy\n" + line + "\n")
    assert messages(result)[-1] == (2, column, message)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("numpy>==1", "invalid requirement `numpy>==1`: Expected "),
        ("numpy=1.2", "(`=` is not a version operator: did you mean `==`?)"),
        ("numpy ; python_version <", "invalid marker `python_version <`: "),
        ("https://x/y.zip; python_version <<< '3'", "invalid marker `python_version <<< '3'`: "),
        ("git+https://host/a/b.git#egg=b==1.0", "`#egg=b==1.0` is not a project name"),
        ("git+https://host/a/b.git#egg=b[x]", "`#egg=b[x]` is not a project name"),
        ("git://host/a/b.git@v1#egg=b", "pip does not install from `git://` links: write"),
        ("novcs+http://example.com#egg=a", "pip does not install from `novcs+http://` links"),
        ("./dist/pkg.whl", "invalid wheel file name `pkg.whl`"),
        ("SomePackage1 SomePackage2", "invalid requirement `SomePackage1 SomePackage2`: "),
    ],
)
def test_invalid_requirements_are_problems(tmp_path: Path, line: str, message: str) -> None:
    result = read(tmp_path, "requirements.txt", f"before\n{line}\nafter\n")
    assert [entry.name for entry in result.declared] == ["before", "after"]
    assert len(result.problems) == 1
    assert result.problems[0].line == 2
    assert message in result.problems[0].message
    assert "\n" not in result.problems[0].message


def test_constraints_file_source(tmp_path: Path) -> None:
    declared = only(read(tmp_path, "constraints.txt", "urllib3<2\n"))
    assert (declared.source, declared.pin) == ("constraints", LOOSE)


# --- requirements files: includes -------------------------------------------------------------


def test_includes_are_followed_but_not_merged(tmp_path: Path) -> None:
    (tmp_path / "base.txt").write_text("requests==2.31.0\n")
    (tmp_path / "pins").mkdir()
    (tmp_path / "pins" / "c.txt").write_text("urllib3<2\n")
    result = read(tmp_path, "requirements.txt", "-r base.txt\n-c pins/c.txt\nnumpy\n")
    assert summary(result) == [("numpy", NONE, 3, 1)]
    assert result.problems == ()
    assert result.includes == (str(tmp_path / "base.txt"), str(tmp_path / "pins" / "c.txt"))
    assert summary(read_dependency_file(result.includes[0])) == [("requests", EXACT, 1, 1)]


def test_include_is_relative_to_the_including_file(tmp_path: Path) -> None:
    (tmp_path / "reqs").mkdir()
    (tmp_path / "reqs" / "common.txt").write_text("-r ../extra.txt\n")
    result = read(tmp_path, "reqs/requirements.txt", "--requirement=common.txt\n")
    assert result.problems == ()
    nested = read_dependency_file(result.includes[0])
    assert messages(nested) == [(1, 4, "included file `../extra.txt` does not exist")]


def test_missing_include_is_reported_at_the_include(tmp_path: Path) -> None:
    result = read(tmp_path, "requirements.txt", "numpy\n  -r missing.txt\n-c other/pins.txt\n")
    assert messages(result) == [
        (2, 6, "included file `missing.txt` does not exist"),
        (3, 4, "included file `other/pins.txt` does not exist"),
    ]
    assert summary(result) == [("numpy", NONE, 1, 1)]


def test_include_of_a_folder(tmp_path: Path) -> None:
    (tmp_path / "deps").mkdir()
    result = read(tmp_path, "requirements.txt", "-r deps\n")
    assert messages(result) == [(1, 4, "included file `deps` is not a file")]


def test_remote_include_is_not_checked(tmp_path: Path) -> None:
    result = read(tmp_path, "requirements.txt", "-r https://example.com/reqs.txt\n")
    assert (result.problems, result.includes) == ((), ())


def test_include_cycle_is_reported_once_by_each_file_on_it(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("numpy\n-r b.txt\n")
    (tmp_path / "b.txt").write_text("-r c.txt\n-r a.txt\n")
    (tmp_path / "c.txt").write_text("-r b.txt\n")
    a = read_dependency_file(str(tmp_path / "a.txt"))
    assert messages(a) == [(2, 4, "include cycle: a.txt -> b.txt -> a.txt")]
    b = read_dependency_file(str(tmp_path / "b.txt"))
    assert messages(b) == [
        (1, 4, "include cycle: b.txt -> c.txt -> b.txt"),
        (2, 4, "include cycle: b.txt -> a.txt -> b.txt"),
    ]


def test_self_include(tmp_path: Path) -> None:
    result = read(tmp_path, "requirements.txt", "-r requirements.txt\n")
    assert messages(result) == [(1, 4, "include cycle: requirements.txt -> requirements.txt")]


def test_longer_cycle_through_folders(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "one.txt").write_text("-r ../two.txt\n")
    (tmp_path / "two.txt").write_text("-c requirements.txt\n")
    result = read(tmp_path, "requirements.txt", "-r sub/one.txt\n")
    assert messages(result) == [
        (1, 4, "include cycle: requirements.txt -> sub/one.txt -> two.txt -> requirements.txt")
    ]


def test_shared_include_is_no_cycle(tmp_path: Path) -> None:
    (tmp_path / "left.txt").write_text("-r common.txt\n")
    (tmp_path / "right.txt").write_text("-r common.txt\n")
    (tmp_path / "common.txt").write_text("six\n")
    result = read(tmp_path, "requirements.txt", "-r left.txt\n-r right.txt\n")
    assert result.problems == ()


def test_cycle_elsewhere_belongs_to_its_files(tmp_path: Path) -> None:
    (tmp_path / "x.txt").write_text("-r y.txt\n")
    (tmp_path / "y.txt").write_text("-r x.txt\n")
    assert read(tmp_path, "requirements.txt", "-r x.txt\n").problems == ()


# --- reading the bytes --------------------------------------------------------------------------


def test_utf16_with_byte_order_mark(tmp_path: Path) -> None:
    """What `pip freeze > requirements.txt` writes in Windows PowerShell."""
    result = read(tmp_path, "requirements.txt", "numpy==1.0\r\npandas==2.0\r\n".encode("utf-16"))
    assert summary(result) == [("numpy", EXACT, 1, 1), ("pandas", EXACT, 2, 1)]


def test_utf8_byte_order_mark(tmp_path: Path) -> None:
    result = read(tmp_path, "requirements.txt", b"\xef\xbb\xbfnumpy\n")
    assert summary(result) == [("numpy", NONE, 1, 1)]


def test_undecodable_file(tmp_path: Path) -> None:
    result = read(tmp_path, "requirements.txt", b"numpy\n\xff\xfe\xfa\n")
    assert result.declared == ()
    assert messages(result) == [(1, 1, "cannot read the file: not UTF-8 text (byte 6 is 0xff)")]


def test_missing_file(tmp_path: Path) -> None:
    result = read_dependency_file(str(tmp_path / "requirements.txt"))
    assert (result.declared, len(result.problems), result.problems[0].line) == ((), 1, 1)
    assert result.problems[0].message.startswith("cannot read the file: ")


# --- pyproject.toml -----------------------------------------------------------------------------

PYPROJECT = """\
[build-system]
requires = ["setuptools>=69", "numpy"]

[project]
name = "demo"
keywords = ["numpy", "pandas"]
dependencies = [
    "numpy>=1.22",  # arrays
    'pandas==2.1.0',
    "numpy>=1.22",
]

[project.optional-dependencies]
dev = ["pytest>=8", "numpy>=1.22"]
docs = [
  "sphinx ; python_version >= \\"3.9\\"",
]

[dependency-groups]
test = ["coverage", {include-group = "dev"}]
"""


def test_pyproject_pep621_and_pep735(tmp_path: Path) -> None:
    result = read(tmp_path, "pyproject.toml", PYPROJECT)
    assert result.problems == ()
    assert summary(result) == [
        ("numpy", LOOSE, 8, 6),
        ("pandas", EXACT, 9, 6),
        ("numpy", LOOSE, 10, 6),  # the same string again: its own line, not the first's
        ("pytest", LOOSE, 14, 9),
        ("numpy", LOOSE, 14, 22),
        ("sphinx", NONE, 16, 4),
        ("coverage", NONE, 20, 10),
    ]
    assert {entry.source for entry in result.declared} == {"pyproject"}
    assert result.declared[1].text == "pandas==2.1.0"
    assert result.declared[1].end_column == 19


POETRY = """\
[tool.poetry]
name = "demo"

[tool.poetry.dependencies]
python = "^3.10"
numpy = "^1.22"  # caret
pandas = "2.1.0"
scipy = "*"
"Requests" = { version = ">=2", extras = ["socks"] }
tool = { git = "https://github.com/a/tool.git", rev = "0a1b2c3" }
edge = { git = "https://github.com/a/edge.git", branch = "main" }
tagged = { git = "https://github.com/a/t.git", tag = "v1.0" }
local = { path = "../local", develop = true }
wheel = { url = "https://host/wheel-1.0-py3-none-any.whl" }
split = [
    { version = "1.0", python = "<3.9" },
    { version = "^2.0", python = ">=3.9" },
]

[tool.poetry.group.dev.dependencies]
pytest = "==8.0.0"

[tool.poetry.dev-dependencies]
black = "~23.1"

[tool.poetry.dependencies.big]
version = "1.0"
"""


def test_pyproject_poetry(tmp_path: Path) -> None:
    result = read(tmp_path, "pyproject.toml", POETRY)
    assert result.problems == ()
    assert summary(result) == [
        ("numpy", LOOSE, 6, 1),
        ("pandas", EXACT, 7, 1),
        ("scipy", NONE, 8, 1),
        ("requests", LOOSE, 9, 1),
        ("tool", EXACT, 10, 1),
        ("edge", NONE, 11, 1),
        ("tagged", EXACT, 12, 1),
        ("local", NONE, 13, 1),
        ("wheel", EXACT, 14, 1),
        ("split", LOOSE, 15, 1),
        ("pytest", EXACT, 21, 1),
        ("black", LOOSE, 24, 1),
        ("big", EXACT, 26, 1),
    ]
    assert {entry.source for entry in result.declared} == {"poetry"}
    assert result.declared[0].text == 'numpy = "^1.22"'


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        (
            "[project]\ndependencies = [\n  'numpy',\n  'x>==1',\n]\n",
            4,
            "invalid requirement `x>==1`",
        ),
        ("[project]\ndependencies = 'numpy'\n", 2, "`dependencies` is not a list"),
        ("[project]\ndependencies = [1]\n", 2, "`dependencies` holds 1, not a requirement string"),
        ("[project]\ndependencies = [\n", 2, "invalid TOML: "),
        (
            "[tool.poetry.dependencies]\nnumpy = 1\n",
            2,
            "`numpy` has 1: expected a version or a table",
        ),
        ("[tool.poetry]\ndependencies = []\n", 2, "`dependencies` is not a table"),
    ],
)
def test_pyproject_problems(tmp_path: Path, text: str, line: int, message: str) -> None:
    result = read(tmp_path, "pyproject.toml", text)
    assert [(problem.line, message in problem.message) for problem in result.problems] == [
        (line, True)
    ]


def test_pyproject_without_dependencies(tmp_path: Path) -> None:
    result = read(tmp_path, "pyproject.toml", "[tool.black]\nline-length = 100\n")
    assert (result.declared, result.problems) == ((), ())


def test_pyproject_dotted_and_inline_keys(tmp_path: Path) -> None:
    text = 'project.name = "x"\nproject.dependencies = ["a", "b"]\n'
    text += '[tool]\npoetry = { dependencies = { c = "1.0" } }\n'
    result = read(tmp_path, "pyproject.toml", text)
    assert summary(result) == [("a", NONE, 2, 26), ("b", NONE, 2, 31), ("c", EXACT, 4, 29)]


# --- setup.cfg --------------------------------------------------------------------------------

SETUP_CFG = """\
[metadata]
name = demo
description = numpy and friends

[options]
packages = find:
install_requires =
    numpy>=1.22
    # a comment line
    pandas==2.1.0  # inline comment
    requests
python_requires = >=3.10

[options.extras_require]
dev = pytest; mypy==1.8
docs =
    sphinx
"""


def test_setup_cfg(tmp_path: Path) -> None:
    result = read(tmp_path, "setup.cfg", SETUP_CFG)
    assert result.problems == ()
    assert summary(result) == [
        ("numpy", LOOSE, 8, 5),
        ("pandas", EXACT, 10, 5),
        ("requests", NONE, 11, 5),
        ("pytest", NONE, 15, 7),
        ("mypy", EXACT, 15, 15),
        ("sphinx", NONE, 17, 5),
    ]
    assert {entry.source for entry in result.declared} == {"setup.cfg"}


def test_setup_cfg_file_directive(tmp_path: Path) -> None:
    (tmp_path / "requirements.in").write_text("numpy\n")
    text = "[options]\ninstall_requires = file: requirements.in, missing.txt\n"
    result = read(tmp_path, "setup.cfg", text)
    assert result.includes == (str(tmp_path / "requirements.in"),)
    assert messages(result) == [(2, 1, "included file `missing.txt` does not exist")]


def test_setup_cfg_problems(tmp_path: Path) -> None:
    text = "[options]\ninstall_requires =\n    numpy>==1\n    six\n[options]\n"
    result = read(tmp_path, "setup.cfg", text)
    assert summary(result) == [("six", NONE, 4, 5)]
    assert [(problem.line, problem.message.split(":")[0]) for problem in result.problems] == [
        (3, "invalid requirement `numpy>==1`"),
        (5, "invalid setup.cfg"),
    ]


def test_setup_cfg_without_sections(tmp_path: Path) -> None:
    result = read(tmp_path, "setup.cfg", "install_requires = numpy\n")
    assert result.declared == ()
    assert result.problems[0].message.startswith("invalid setup.cfg: File contains no section")


# --- Pipfile ----------------------------------------------------------------------------------

PIPFILE = """\
[[source]]
url = "https://pypi.org/simple"

[packages]
requests = "*"
numpy = "==1.26.0"
pandas = ">=2"
flask = {version = "~=3.0", extras = ["async"]}
tool = {git = "https://github.com/a/tool.git", ref = "v1.2"}
edge = {git = "https://github.com/a/edge.git"}
local = {path = ".", editable = true}

[dev-packages]
pytest = "8.0.0"
bad = "=>1"

[requires]
python_version = "3.11"
"""


def test_pipfile(tmp_path: Path) -> None:
    result = read(tmp_path, "Pipfile", PIPFILE)
    assert summary(result) == [
        ("requests", NONE, 5, 1),
        ("numpy", EXACT, 6, 1),
        ("pandas", LOOSE, 7, 1),
        ("flask", LOOSE, 8, 1),
        ("tool", EXACT, 9, 1),
        ("edge", NONE, 10, 1),
        ("local", NONE, 11, 1),
        ("pytest", EXACT, 14, 1),
    ]
    assert {entry.source for entry in result.declared} == {"pipfile"}
    assert [(problem.line, problem.message.split(":")[0]) for problem in result.problems] == [
        (15, "invalid version specifier `=>1`")
    ]


# --- environment.yml --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("spec", "name", "pin"),
    [
        ("numpy", "numpy", NONE),
        ("numpy=1.22", "numpy", LOOSE),
        ("numpy=1.22", "numpy", LOOSE),  # conda's single `=` is a prefix match
        ("numpy=1.22.0", "numpy", EXACT),  # ... which leaves only builds of 1.22.0 open
        ("numpy==1.22.0", "numpy", EXACT),
        ("numpy=1.22.0=py39h_0", "numpy", EXACT),
        ("numpy 1.22.0", "numpy", EXACT),
        ("numpy 1.22.0 py39h_0", "numpy", EXACT),
        ("numpy 1.22.*", "numpy", LOOSE),
        ("numpy>=1.2", "numpy", LOOSE),
        ("numpy >=1.2,<2", "numpy", LOOSE),
        ("numpy=1.22|1.23", "numpy", LOOSE),
        ("numpy==1.*", "numpy", LOOSE),
        ("numpy *", "numpy", NONE),
        ("conda-forge::numpy=1.22", "numpy", LOOSE),
        ("conda-forge/label/dev::numpy==1.22.0", "numpy", EXACT),
        ("numpy[version='>=1.2']", "numpy", LOOSE),
        ('numpy[version="1.22.0", build=py39_0]', "numpy", EXACT),
        ("numpy[build=py39_0]", "numpy", NONE),
        ("_libgcc_mutex=0.1=main", "-libgcc-mutex", EXACT),  # packaging's canonical form
        ("jpeg=9b=vc14_0", "jpeg", EXACT),
    ],
)
def test_conda_specs(tmp_path: Path, spec: str, name: str, pin: Pin) -> None:
    result = read(tmp_path, "environment.yml", f"dependencies:\n  - {spec}\n")
    declared = only(result)
    assert (declared.name, declared.pin, declared.source) == (name, pin, "conda")
    assert (declared.line, declared.column, declared.text) == (2, 5, spec)


ENVIRONMENT = """\
name: demo
channels: !!python/tuple
  - conda-forge
dependencies:
  - python=3.11
  - pip
  - numpy=1.26  # comment
  - "pandas >=2"
  - 'scipy'
  - bad spec with words
  -
  - pip:
    - requests==2.31.0
    - "torch>=2 ; sys_platform != 'darwin'"
    - -r requirements.txt
    - --extra-index-url https://download.example/whl
    - -e ./src
  - {other: 1}
"""


def test_environment_yml(tmp_path: Path) -> None:
    result = read(tmp_path, "environment.yml", ENVIRONMENT)
    assert [(e.name, e.pin, e.line, e.column, e.source) for e in result.declared] == [
        ("numpy", LOOSE, 7, 5, "conda"),
        ("pandas", LOOSE, 8, 6, "conda"),
        ("scipy", NONE, 9, 6, "conda"),
        ("requests", EXACT, 13, 7, "conda-pip"),
        ("torch", LOOSE, 14, 8, "conda-pip"),
        (None, NONE, 17, 10, "conda-pip"),
    ]
    assert messages(result) == [
        (10, 5, "invalid conda package spec `bad spec with words`"),
        (11, 4, "invalid conda package spec ``"),
        (15, 10, "included file `requirements.txt` does not exist"),
        (18, 5, "a dependency must be a package spec or a `pip:` list"),
    ]


def test_environment_pip_include(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("numpy\n")
    result = read(
        tmp_path, "environment.yml", "dependencies:\n  - pip:\n    - -r requirements.txt\n"
    )
    assert (result.declared, result.problems) == ((), ())
    assert result.includes == (str(tmp_path / "requirements.txt"),)


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("dependencies:\n  - numpy\n - bad: [\n", 3, "invalid YAML: "),
        ("dependencies: numpy\n", 1, "`dependencies` is not a list"),
        ("a: 1\n---\nb: 2\n", 2, "invalid YAML: "),
    ],
)
def test_environment_problems(tmp_path: Path, text: str, line: int, message: str) -> None:
    result = read(tmp_path, "environment.yml", text)
    assert [(problem.line, message in problem.message) for problem in result.problems] == [
        (line, True)
    ]


def test_environment_without_dependencies(tmp_path: Path) -> None:
    for text in ("", "name: x\n", "- a\n- b\n", "just text"):
        result = read(tmp_path, "environment.yml", text)
        assert (result.declared, result.problems) == ((), ())


# --- Dockerfile -------------------------------------------------------------------------------

DOCKERFILE = """\
FROM python:3.11-slim
# RUN pip install commented-out
RUN apt-get update && apt-get install -y gcc
RUN pip install --no-cache-dir -r requirements.txt && \\
    pip install -U "numpy>=1.26" pandas==2.1.0 \\
    # a comment line inside the instruction
        scikit-learn
run python -m pip install --upgrade pip && pip3 install torch
RUN ["pip", "install", "flask==3.0.0"]
RUN --mount=type=cache,target=/root/.cache pip install 'fastapi[all]~=0.110'
ARG TORCH_VERSION=2.2.0
RUN pip install torchvision==${TORCH_VERSION} $EXTRA_PACKAGES
RUN <<EOF
pip install uvicorn
EOF
RUN pip install -e . git+https://github.com/a/b.git@v1.0#egg=b
RUN conda install -y -c conda-forge lightgbm=4.1
RUN echo "pip install not-an-install"
"""


def test_dockerfile(tmp_path: Path) -> None:
    result = read(tmp_path, "Dockerfile", DOCKERFILE)
    assert result.problems == ()
    assert [(e.name, e.pin, e.line, e.column, e.text) for e in result.declared] == [
        ("numpy", LOOSE, 5, 21, "numpy>=1.26"),
        ("pandas", EXACT, 5, 34, "pandas==2.1.0"),
        ("scikit-learn", NONE, 7, 9, "scikit-learn"),
        ("torch", NONE, 8, 57, "torch"),
        ("flask", EXACT, 9, 25, "flask==3.0.0"),
        ("fastapi", LOOSE, 10, 57, "fastapi[all]~=0.110"),
        ("torchvision", EXACT, 12, 17, "torchvision==${TORCH_VERSION}"),
        ("uvicorn", NONE, 14, 13, "uvicorn"),
        (None, NONE, 16, 20, "."),
        ("b", EXACT, 16, 22, "git+https://github.com/a/b.git@v1.0#egg=b"),
        ("lightgbm", LOOSE, 17, 37, "lightgbm=4.1"),
    ]
    conda = {entry.name for entry in result.declared if entry.source == "conda"}
    assert conda == {"lightgbm"}  # `conda install`: conda's names, not pip's
    assert {entry.source for entry in result.declared} == {"dockerfile", "conda"}


def test_dockerfile_escape_directive(tmp_path: Path) -> None:
    text = "# escape=`\nFROM python\nRUN pip install numpy `\n    pandas\n"
    result = read(tmp_path, "Dockerfile", text)
    assert summary(result) == [("numpy", NONE, 3, 17), ("pandas", NONE, 4, 5)]


def test_dockerfile_repeated_package_gets_each_place(tmp_path: Path) -> None:
    result = read(tmp_path, "Dockerfile", "RUN pip install six && pip3 install -U six\n")
    assert summary(result) == [("six", NONE, 1, 17), ("six", NONE, 1, 40)]


def test_dockerfile_invalid_package(tmp_path: Path) -> None:
    result = read(tmp_path, "api.Dockerfile", "FROM x\nRUN pip install 'numpy>==1' six\n")
    assert summary(result) == [("six", NONE, 2, 29)]
    assert [(p.line, p.column) for p in result.problems] == [(2, 18)]
    assert result.problems[0].message.startswith("invalid requirement `numpy>==1`")


# --- never raise ------------------------------------------------------------------------------

_SAMPLES = {
    "requirements.txt": "numpy==1.0 \\\n  --hash=sha256:00\n-e git+https://h/r.git@v1#egg=r\n",
    "pyproject.toml": PYPROJECT + POETRY.replace("[tool.poetry]\n", "[tool.poetry]\nx = 1\n"),
    "setup.cfg": SETUP_CFG,
    "Pipfile": PIPFILE,
    "environment.yml": ENVIRONMENT,
    "Dockerfile": DOCKERFILE,
}
_NOISE = [*"\\\"'#[]{}=<>~!@;:-., \t\n\r/$`*|&()^+\x00é", "-r ", "-e ", "git+", "<<EOF\n"]


def _line_count(path: Path) -> int:
    text = path.read_bytes().decode("utf-8", "replace").replace("\r\n", "\n").replace("\r", "\n")
    return len(text.split("\n"))


def _assert_sane(result: DependencyFile, lines: int) -> None:
    for entry in result.declared:
        assert 1 <= entry.line <= lines and 1 <= entry.column <= entry.end_column, entry
    for problem in result.problems:
        assert 1 <= problem.line <= lines and problem.column >= 1, problem
        assert "\n" not in problem.message


@pytest.mark.parametrize("name", sorted(_SAMPLES))
def test_mangled_files_never_raise(tmp_path: Path, name: str) -> None:
    """Random edits of a valid file: whatever they break becomes problems, never an exception."""
    generator = random.Random(name)
    for attempt in range(150):
        text = _SAMPLES[name]
        for _ in range(generator.randint(1, 6)):
            cut = generator.randint(0, len(text))
            if generator.random() < 0.5:
                text = text[:cut] + generator.choice(_NOISE) + text[cut:]
            else:
                text = text[:cut] + text[cut + generator.randint(1, 15) :]
        path = tmp_path / str(attempt) / name
        path.parent.mkdir()
        path.write_text(text, encoding="utf-8", newline="")
        _assert_sane(read_dependency_file(str(path)), _line_count(path))


def test_corpus_files_are_read(tmp_path: Path) -> None:
    """Every real dependency file of the shared corpus reads without an exception."""
    if not CORPUS.is_dir():
        pytest.skip("the shared corpus is not available")
    paths = sorted(path for path in CORPUS.rglob("*") if path.is_file())
    accepted = [path for path in paths if is_dependency_file(path)]
    assert len(accepted) >= 100
    declared = 0
    for path in accepted:
        result = read_dependency_file(str(path))
        _assert_sane(result, _line_count(path))
        declared += len(result.declared)
    assert declared >= 1000
