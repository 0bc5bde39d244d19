"""`--fix --unsafe-fixes` killed at random points on a copy of real notebooks: every file is
its old or its new content, and every package of every install line removed is recorded in
requirements.txt (or still in its notebook). SIGKILL may leave a temporary file; SIGTERM
must not."""

from __future__ import annotations

import json
import random
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from packaging.utils import canonicalize_name

NOTEBOOKS = (  # corpus notebooks with `!pip install` lines
    "AnkitNigam1985__Data-Science-Projects/HR_Attrition_using_Pycaret.ipynb",
    "serkannpolatt__REAL-LIFE-DATA-SCIENCE-PROJECTS/Movie Data Sentiment/"
    "Movie Data Sentiment.ipynb",
    "serkannpolatt__REAL-LIFE-DATA-SCIENCE-PROJECTS/Regular Expressions/"
    "Regular Expressions Practice.ipynb",
    "AnkitNigam1985__Data-Science-Projects/Movie_and_Book_Recommendation_Systems.ipynb",
)
INSTALL = re.compile(r"^\s*[!%]?pip3? install\s+(.*)$", re.MULTILINE)
FIX = (sys.executable, "-m", "mlpizza_lint", "check", "--fix", "--unsafe-fixes", "-q", ".")
KILLS, TERMS = 10, 3


def make_project(corpus: Path, folder: Path) -> dict[str, bytes]:
    """A git project of the notebooks (made writable: the corpus is read-only)."""
    (folder / ".git").mkdir(parents=True)
    for name in NOTEBOOKS:
        target = folder / Path(name).name
        shutil.copyfile(corpus / "notebooks" / name, target)
    return {path.name: path.read_bytes() for path in folder.glob("*.ipynb")}


def installs(raw: bytes) -> list[str]:
    cells = json.loads(raw)["cells"]
    sources = ["".join(cell["source"]) for cell in cells if cell["cell_type"] == "code"]
    return [line for source in sources for line in INSTALL.findall(source)]


def packages(install: str) -> set[str]:
    return {
        canonicalize_name(re.split(r"[=<>~!\[;]", word)[0])
        for word in install.split()
        if not word.startswith("-")
    }


def fix(folder: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(FIX, cwd=folder, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def check_state(folder: Path, old: dict[str, bytes], new: dict[str, bytes], killed: bool) -> None:
    requirements = folder / "requirements.txt"
    recorded = {
        canonicalize_name(re.split(r"[=<>~!\[;\s]", line)[0])
        for line in (requirements.read_text().splitlines() if requirements.exists() else ())
        if line.strip()
    }
    for name, before in old.items():
        now = (folder / name).read_bytes()
        assert now in (before, new[name]), name
        removed = [line for line in installs(before) if line not in installs(now)]
        for install in removed:
            assert packages(install) <= recorded, (name, install, recorded)
    if requirements.exists():
        assert requirements.read_bytes() == new["requirements.txt"]
    left = {path.name for path in folder.iterdir()} - {*old, "requirements.txt", ".git"}
    assert all(name.endswith(".tmp") for name in left), left
    assert killed or not left, left


@pytest.mark.slow
def test_killed_fix_runs_lose_nothing(corpus: Path, tmp_path: Path) -> None:
    reference = tmp_path / "reference"
    old = make_project(corpus, reference)
    started = time.time()
    assert fix(reference).wait(timeout=120) == 1
    took = time.time() - started
    new = {path.name: path.read_bytes() for path in reference.iterdir() if path.is_file()}
    assert set(new) == {*old, "requirements.txt"}
    assert all(new[name] != old[name] for name in old if installs(old[name]))

    chance = random.Random(12)
    for trial in range(KILLS + TERMS):
        folder = tmp_path / str(trial)
        make_project(corpus, folder)
        process = fix(folder)
        if trial % 3:  # most kills land while files are written: a few milliseconds
            wait_for_staging(folder, process)
            time.sleep(chance.uniform(0, 0.03))
        else:
            time.sleep(chance.uniform(0, took))
        killed = trial < KILLS
        process.send_signal(signal.SIGKILL if killed else signal.SIGTERM)
        process.wait(timeout=60)
        check_state(folder, old, new, killed)


def wait_for_staging(folder: Path, process: subprocess.Popen[bytes]) -> None:
    """Until the first file is created (the first temporary file), or the run ends."""
    files = set(folder.iterdir())
    while process.poll() is None and set(folder.iterdir()) == files:
        time.sleep(0.001)
