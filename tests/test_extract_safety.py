"""`extract` writes only what it was asked to: requirements into a requirements file, the
module beside the notebook (never over it), under a name Python imports as written."""

from __future__ import annotations

import os
import unicodedata
from pathlib import Path

import pytest

from .test_extract import extract, notebook

CELL = "import click\n\n\ndef greet():\n    return click.style('hi')"


@pytest.mark.parametrize("name", ["other.ipynb", "setup.py", "pyproject.toml"])
def test_requirements_go_into_a_requirements_file_only(tmp_path: Path, name: str) -> None:
    path = notebook(tmp_path / "nb.ipynb", CELL)
    target = tmp_path / name
    target.write_text("# kept as it is\n", encoding="utf-8")
    code, out, err = extract(path, "--requirements", target)
    assert (code, out) == (2, "")
    assert err == (
        f"mlpizza-lint: error: {target}: not a requirements file; --requirements writes a pip "
        "requirements file (*.txt or *.in)\n"
    )
    assert target.read_text(encoding="utf-8") == "# kept as it is\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["nb.ipynb", name])


@pytest.mark.parametrize("device", ["/dev/zero", "link.txt"])
def test_a_device_is_not_read_as_requirements(tmp_path: Path, device: str) -> None:
    path = notebook(tmp_path / "nb.ipynb", CELL)
    if device == "link.txt":
        (tmp_path / device).symlink_to("/dev/zero")
    code, _, err = extract(path, "--requirements", tmp_path / device)
    assert code == 2 and err.startswith("mlpizza-lint: error: ") and err.count("\n") == 1
    assert "not a re" in err  # not a requirements file / not a regular file
    assert not (tmp_path / "nb.py").exists()


def test_a_module_path_that_is_the_notebook_is_refused(tmp_path: Path) -> None:
    path = notebook(tmp_path / "nb.ipynb", CELL, "greet()")
    before = path.read_bytes()
    link = tmp_path / "link.py"
    link.symlink_to(path)
    code, _, err = extract(path, "--rewrite", "-o", link, "--force")
    assert code == 2
    assert err == f"mlpizza-lint: error: {link}: is the notebook; -o takes another file\n"
    assert path.read_bytes() == before and os.readlink(link) == str(path)


def test_a_notebook_name_that_is_not_nfkc_normal_gets_a_module_that_imports(
    tmp_path: Path,
) -> None:
    path = notebook(tmp_path / "\ufb01le.ipynb", CELL, "greet()")  # `ﬁle`: the fi ligature
    code, out, err = extract(path, "--rewrite")
    assert code == 0, err
    assert (tmp_path / "file.py").exists() and not (tmp_path / "\ufb01le.py").exists()
    assert "from file import greet" in path.read_text(encoding="utf-8")
    assert out.startswith(f"Wrote {tmp_path / 'file.py'} from cell 1")


def test_an_output_name_python_would_import_as_another_is_refused(tmp_path: Path) -> None:
    path = notebook(tmp_path / "nb.ipynb", CELL, "greet()")
    before = path.read_bytes()
    module = tmp_path / "\ufb01le.py"
    code, _, err = extract(path, "--rewrite", "-o", module)
    assert code == 2 and unicodedata.is_normalized("NFKC", err.split("would import")[1])
    assert err == (
        f"mlpizza-lint: error: {module}: `import \ufb01le` would import `file` (Python "
        "normalises identifiers); choose another -o path\n"
    )
    assert path.read_bytes() == before and not module.exists()
