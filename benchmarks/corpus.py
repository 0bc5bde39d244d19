"""Wall time of linting the shared corpus, per process count (a benchmark, not a test).

python benchmarks/corpus.py [CORPUS] [--repeat N]
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from mlpizza_lint.analysis.facts import forget_facts
from mlpizza_lint.api import check_paths, discover
from mlpizza_lint.notebook.documents import load_document


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "corpus", nargs="?", default=str(Path(__file__).parents[2] / "shared/corpus")
    )
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    files = list(discover([args.corpus]))
    cells = sum(
        sum(cell.kind == "code" for cell in load_document(path).cells)
        for path in files
        if _readable(path)
    )
    print(f"{len(files)} files, {cells} code cells")
    for jobs in (1, 2):
        times = []
        for _ in range(args.repeat):
            forget_facts()
            start = time.perf_counter()
            report = check_paths([args.corpus], jobs=jobs)
            times.append(time.perf_counter() - start)
        median = statistics.median(times)
        print(
            f"jobs={jobs}: median {median:.2f} s over {args.repeat} runs "
            f"({len(files) / median:.0f} files/s, {cells / median:.0f} cells/s), "
            f"{len(report.diagnostics)} findings"
        )


def _readable(path: str) -> bool:
    try:
        load_document(path)
    except Exception:
        return False
    return True


if __name__ == "__main__":
    main()
