"""Finding files under the given paths: what is searched, what is skipped, in which order."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from mlpizza_lint.discovery.files import DEFAULT_EXCLUDES, iter_files

TREE = (
    "a.ipynb",
    "b.py",
    "notes.txt",
    "sub/c.ipynb",
    "sub/scratch_1.ipynb",
    "sub/.ipynb_checkpoints/c-checkpoint.ipynb",
    "sub/__pycache__/c.py",
    ".git/hooks/hook.py",
    "node_modules/pkg/setup.py",
    "venv/lib/site.py",
    "myenv/pyvenv.cfg",
    "myenv/lib/python3.11/site-packages/pkg.py",
    "gen/generated.py",
    "build/lib/pkg/copy.py",
    "data/raw/d.ipynb",
    "data/e.ipynb",
)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project folder `project/` with TREE in it; the working folder is its parent."""
    for name in TREE:
        path = tmp_path / "project" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("")
    monkeypatch.chdir(tmp_path)
    return Path("project")


def found(*paths: Path, exclude: tuple[str, ...] = ()) -> list[str]:
    return [path.as_posix() for path in iter_files(paths, exclude)]


def test_folders_yield_notebooks_and_python_files_in_name_order(project: Path) -> None:
    assert found(project) == [
        "project/a.ipynb",
        "project/b.py",
        "project/data/e.ipynb",
        "project/data/raw/d.ipynb",
        "project/gen/generated.py",
        "project/sub/c.ipynb",
        "project/sub/scratch_1.ipynb",
    ]


def test_relative_paths_stay_relative_and_absolute_stay_absolute(project: Path) -> None:
    assert all(not path.is_absolute() for path in iter_files([project]))
    assert all(path.is_absolute() for path in iter_files([project.absolute()]))
    assert found(Path("project/sub")) == ["project/sub/c.ipynb", "project/sub/scratch_1.ipynb"]


def test_any_folder_holding_pyvenv_cfg_is_skipped(project: Path) -> None:
    assert "myenv" not in DEFAULT_EXCLUDES
    assert not any("myenv" in path for path in found(project))


def test_extend_exclude_matches_names(project: Path) -> None:
    assert found(project, exclude=("gen", "scratch_*.ipynb")) == [
        "project/a.ipynb",
        "project/b.py",
        "project/data/e.ipynb",
        "project/data/raw/d.ipynb",
        "project/sub/c.ipynb",
    ]


def test_extend_exclude_matches_paths_relative_to_the_searched_folder(project: Path) -> None:
    assert found(project, exclude=("data/raw", "sub/*.ipynb")) == [
        "project/a.ipynb",
        "project/b.py",
        "project/data/e.ipynb",
        "project/gen/generated.py",
    ]
    assert found(project, exclude=("project/data",)) == found(project)


def test_explicit_files_are_yielded_whatever_their_folder_or_suffix(project: Path) -> None:
    checkpoint = project / "sub/.ipynb_checkpoints/c-checkpoint.ipynb"
    in_venv = project / "myenv/lib/python3.11/site-packages/pkg.py"
    excluded = project / "gen/generated.py"
    text = project / "notes.txt"
    assert list(iter_files([checkpoint, in_venv, excluded, text], ["gen"])) == [
        checkpoint,
        in_venv,
        excluded,
        text,
    ]


def test_an_explicit_folder_is_searched_even_if_its_name_is_excluded(project: Path) -> None:
    assert found(project / "node_modules") == ["project/node_modules/pkg/setup.py"]


def test_a_missing_path_raises_before_anything_is_yielded(project: Path) -> None:
    with pytest.raises(
        FileNotFoundError, match=r"^project/missing\.ipynb: no such file or directory$"
    ):
        iter_files([project, project / "missing.ipynb"])


def test_each_file_is_yielded_once(project: Path) -> None:
    sub = project / "sub"
    once = found(sub / "c.ipynb", project, sub, project, Path("project/sub/../a.ipynb"))
    assert once == [
        "project/sub/c.ipynb",
        *(path for path in found(project) if path != "project/sub/c.ipynb"),
    ]


def test_symlinked_folders_are_not_entered(project: Path) -> None:
    (project / "sub" / "loop").symlink_to(project.absolute(), target_is_directory=True)
    (project / "sub" / "link.ipynb").symlink_to(Path("..") / "a.ipynb")
    assert (project / "sub" / "loop" / "sub" / "loop").is_dir()
    assert found(project / "sub") == [
        "project/sub/c.ipynb",
        "project/sub/link.ipynb",
        "project/sub/scratch_1.ipynb",
    ]


def test_unreadable_folders_are_skipped(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Patched rather than chmod, which does not stop root (as in many containers)."""
    real_scandir = os.scandir

    def scandir(folder: Path) -> Iterator[os.DirEntry[str]]:
        if Path(folder).name == "sub":
            raise PermissionError(13, "Permission denied", str(folder))
        return real_scandir(folder)

    monkeypatch.setattr("mlpizza_lint.discovery.files.os.scandir", scandir)
    assert found(project) == [
        "project/a.ipynb",
        "project/b.py",
        "project/data/e.ipynb",
        "project/data/raw/d.ipynb",
        "project/gen/generated.py",
    ]
