"""Where the static rules are blind: run corpus notebooks for real, classify each first
failure, and count how many of each kind a static finding predicted (a benchmark, not a
test: it runs the notebooks' code, in copies of their folders, without network).

The list is fixed: a seeded sample of the corpus's Python notebooks (checkpoints left
out). The kernel is a Python with a standard scientific stack, for instance:

    python3 -m venv /tmp/stack
    /tmp/stack/bin/pip install numpy pandas scipy scikit-learn matplotlib seaborn ipykernel
    .venv/bin/python benchmarks/oracle.py --python /tmp/stack/bin/python
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections import Counter
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path

from mlpizza_lint.config import Settings
from mlpizza_lint.verify.failures import TIMEOUT, kind_of
from mlpizza_lint.verify.kernels import KernelLaunch, python_kernel
from mlpizza_lint.verify.network import NetworkIsolationError
from mlpizza_lint.verify.predictions import declared_but_missing, predicting
from mlpizza_lint.verify.running import Limits
from mlpizza_lint.verify.verification import VerifyOptions, verify_run

DECLARED = "declared module the kernel lacks"
UNCOUNTED = ("ran to the end", "not run", DECLARED)


@dataclass(frozen=True)
class Outcome:
    path: str
    kind: str  # "ran to the end", "not run", or the failure's kind
    predicted_by: str | None = None
    seconds: float = 0.0
    detail: str = ""  # the exception, for reading the list


def notebooks(corpus: Path, sample: int, seed: int) -> list[str]:
    found = sorted(
        str(path)
        for path in (corpus / "notebooks").rglob("*.ipynb")
        if ".ipynb_checkpoints" not in path.parts
    )
    return sorted(random.Random(seed).sample(found, min(sample, len(found))))


def outcome(path: str, kernel: KernelLaunch, limits: Limits) -> Outcome:
    began = time.monotonic()
    verified = verify_run(path, Settings(), VerifyOptions(kernel, limits, sandbox=True))
    seconds = time.monotonic() - began
    if not hasattr(verified, "run"):
        return Outcome(path, "not run", None, seconds)
    stopped = verified.run.stopped_at
    if stopped is None:
        return Outcome(path, "ran to the end", None, seconds)
    if stopped.timed_out or stopped.failure is None:
        return Outcome(path, TIMEOUT.name, None, seconds)
    found = predicting(stopped.failure, stopped.index, verified.static)
    kind = kind_of(stopped.failure).name
    if found is None and declared_but_missing(stopped.failure, path):
        kind = DECLARED  # the oracle's kernel lacks it, not the project
    detail = f"{stopped.failure.name}: {stopped.failure.value}".splitlines()[0][:100]
    return Outcome(path, kind, found and found.code, seconds, detail)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=Path(__file__).parents[2] / "shared/corpus")
    parser.add_argument("--python", default=sys.executable, help="the kernel's Python")
    parser.add_argument("--sample", type=int, default=120)
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--cell-timeout", type=float, default=60)
    parser.add_argument("--timeout", type=float, default=300, help="seconds per notebook")
    parser.add_argument("--budget", type=float, default=45, help="minutes for the whole run")
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    kernel = python_kernel(args.python)
    try:
        kernel = kernel.without_network()
    except NetworkIsolationError as error:
        print(f"warning: {error}; notebooks run with the network", file=sys.stderr)
    limits = Limits(args.cell_timeout, args.timeout)
    pending = notebooks(args.corpus, args.sample, args.seed)
    deadline = time.monotonic() + args.budget * 60
    outcomes: list[Outcome] = []
    with ProcessPoolExecutor(args.jobs) as pool:
        running = {pool.submit(outcome, path, kernel, limits) for path in pending[: args.jobs]}
        queued = pending[args.jobs :]
        while running:
            done, running = wait(running, return_when=FIRST_COMPLETED)
            for future in done:
                outcomes.append(future.result())
                last = outcomes[-1]
                print(
                    f"{last.kind:>15}  {last.predicted_by or '-':6}  {last.path}  {last.detail}",
                    file=sys.stderr,
                )
            while queued and len(running) < args.jobs and time.monotonic() < deadline:
                running.add(pool.submit(outcome, queued.pop(0), kernel, limits))
    report(outcomes, len(pending))


def report(outcomes: list[Outcome], planned: int) -> None:
    kinds = Counter(o.kind for o in outcomes)
    failures = [o for o in outcomes if o.kind not in UNCOUNTED]
    predicted = [o for o in failures if o.predicted_by]
    print(
        f"{len(outcomes)} of {planned} notebooks run: {kinds['ran to the end']} ran to the end, "
        f"{len(failures)} failed, {kinds[DECLARED]} stopped on a declared package the kernel "
        f"lacks, {kinds['not run']} not run (unreadable or not Python); "
        f"a static finding predicted {len(predicted)} of the {len(failures)} failures.\n"
    )
    print("| first failure | notebooks | predicted | by |")
    print("| --- | --- | --- | --- |")
    for kind, count in kinds.most_common():
        if kind in UNCOUNTED:
            continue
        these = [o for o in failures if o.kind == kind]
        rules = Counter(o.predicted_by for o in these if o.predicted_by)
        by = ", ".join(f"{code} {n}" for code, n in rules.most_common()) or "-"
        print(f"| {kind} | {count} | {sum(rules.values())} | {by} |")


if __name__ == "__main__":
    main()
