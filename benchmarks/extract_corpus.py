"""`extract` over the shared corpus: how many notebooks it extracts, refuses, and why
(a benchmark and a report, not a test; the notebooks are read, never written).

python benchmarks/extract_corpus.py [CORPUS] [--script] [--rewrite]
"""

from __future__ import annotations

import argparse
import re
import tempfile
import time
from collections import Counter
from pathlib import Path

from mlpizza_lint.extract import ExtractError, ExtractOptions, plan_extraction

# A refusal's message with the names and cell numbers taken out: its reason.
SPECIFICS = re.compile(r"`[^`]*`|\bcells? \d+(?:(?:, |-)\d+)*|\bline \d+")


def main() -> None:
    parser = argparse.ArgumentParser()
    default = Path(__file__).resolve().parents[2] / "shared/corpus/notebooks"
    parser.add_argument("corpus", nargs="?", default=str(default))
    parser.add_argument("--script", action="store_true")
    parser.add_argument("--rewrite", action="store_true")
    args = parser.parse_args()
    notebooks = sorted(Path(args.corpus).rglob("*.ipynb"))
    outcomes: Counter[str] = Counter()
    reasons: Counter[str] = Counter()
    errors: Counter[str] = Counter()
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        for number, notebook in enumerate(notebooks):
            module = Path(folder) / f"module_{number}.py"
            options = ExtractOptions(
                notebook, module, script=args.script, rewrite=args.rewrite, force=True
            )
            try:
                extraction = plan_extraction(options)
            except ExtractError as error:
                outcomes["error"] += 1
                errors[SPECIFICS.sub("…", str(error).split(": ", 1)[-1])] += 1
                continue
            if extraction.problems:
                outcomes["refused"] += 1
                for reason in {SPECIFICS.sub("…", p.message) for p in extraction.problems}:
                    reasons[reason] += 1
            else:
                outcomes["extracted"] += 1
    elapsed = time.perf_counter() - start
    print(
        f"{len(notebooks)} notebooks in {elapsed:.1f} s: "
        + ", ".join(f"{count} {outcome}" for outcome, count in outcomes.most_common())
    )
    print("\nrefusals (notebooks per reason):")
    for reason, count in reasons.most_common():
        print(f"{count:5}  {reason}")
    print("\nerrors (notebooks per reason):")
    for reason, count in errors.most_common():
        print(f"{count:5}  {reason}")


if __name__ == "__main__":
    main()
