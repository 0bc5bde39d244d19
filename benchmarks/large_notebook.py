"""Time linting one large notebook assembled from real corpus cells (a benchmark, not a test).

python benchmarks/large_notebook.py [CORPUS] [--cells 2000]
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from mlpizza_lint.analysis.facts import forget_facts
from mlpizza_lint.config import Settings
from mlpizza_lint.engine import lint_file


def build(corpus: Path, cells: int) -> dict[str, object]:
    sources: list[object] = []
    for path in sorted((corpus / "notebooks").rglob("*.ipynb")):
        notebook = json.loads(path.read_text(encoding="utf-8"))
        sources += [c for c in notebook.get("cells", []) if c.get("cell_type") == "code"]
        if len(sources) >= cells:
            break
    return {"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": sources[:cells]}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "corpus", nargs="?", default=str(Path(__file__).parents[2] / "shared/corpus")
    )
    parser.add_argument("--cells", type=int, default=2000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "large.ipynb"
        path.write_text(json.dumps(build(Path(args.corpus), args.cells)), encoding="utf-8")
        for label in ("cold (every cell parsed)", "warm (cell facts cached)"):
            start = time.perf_counter()
            result = lint_file(str(path), Settings())
            elapsed = time.perf_counter() - start
            print(
                f"{args.cells} cells, {label}: {elapsed * 1000:.0f} ms, "
                f"{len(result.diagnostics)} findings"
            )
        forget_facts()


if __name__ == "__main__":
    main()
