"""mlpizza-lint beside ruff, in one run: wall and CPU time of the same command lines on
the same notebooks (a benchmark, not a test). Each tool runs as a fresh process, the two
alternating, and the medians are compared. ruff runs without its cache; mlpizza-lint runs
cold (`--no-cache`) and warm (its result cache filled by a first run, nothing changed).

python benchmarks/versus_ruff.py [CORPUS] [--repeat N]
"""

from __future__ import annotations

import argparse
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CASES = {
    "whole corpus, default rules": "notebooks",
    "one small notebook": "notebooks/guipsamora__pandas_exercises/"
    "01_Getting_&_Knowing_Your_Data/Chipotle/Exercise_with_Solutions.ipynb",
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "corpus", nargs="?", default=str(Path(__file__).parents[2] / "shared/corpus")
    )
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    ruff = shutil.which("ruff") or str(Path(sys.executable).with_name("ruff"))
    ours = str(Path(sys.executable).with_name("mlpizza-lint"))
    print("| case | mlpizza-lint wall / CPU | ruff wall / CPU | ratio wall / CPU |")
    print("| --- | --- | --- | --- |")
    cache = tempfile.mkdtemp(prefix="mlpizza-bench-cache-")
    for case, relative in CASES.items():
        target = str(Path(args.corpus) / relative)
        ruff_command = [ruff, "check", "--no-cache", "--exit-zero", "-q", target]
        ours_command = [ours, "check", target, "--exit-zero", "-q"]
        commands = {
            "cold": [*ours_command, "--no-cache"],
            "warm": [*ours_command, "--cache-dir", cache],
            "ruff": ruff_command,
        }
        _timed(commands["warm"])  # fills the cache
        timings: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
        for _ in range(args.repeat):
            for name, command in commands.items():
                timings[name].append(_timed(command))
        ruff_wall, ruff_cpu = _medians(timings["ruff"])
        for name in ("cold", "warm"):
            wall, cpu = _medians(timings[name])
            print(
                f"| {case}, {name} | {wall:.2f} s / {cpu:.2f} s | {ruff_wall:.3f} s / "
                f"{ruff_cpu:.3f} s | {wall / ruff_wall:.1f}x / {cpu / ruff_cpu:.1f}x |"
            )


def _timed(command: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds (user + system, the child and its workers) of one run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def _medians(runs: list[tuple[float, float]]) -> tuple[float, float]:
    return statistics.median(w for w, _ in runs), statistics.median(c for _, c in runs)


if __name__ == "__main__":
    main()
