"""How often each rule is right, measured by hand on notebooks it was not written against.

Each figure comes from findings drawn at random (seed 1234) from public repositories that
neither the tests nor the tuning corpus contain, each judged by reading the notebook and
its project. `FIRST_SET` measured the rules as they were before this round's fixes; its
false positives became the fixtures of `tests/test_false_positive_classes.py` and
`tests/test_execution_record.py`. `SECOND_SET`, fetched afterwards, measured the rules as
they are now, on notebooks nobody had looked at while fixing them.
"""

from __future__ import annotations

from dataclasses import dataclass

FIRST_SET = (
    "1,078 notebooks of 23 public repositories (books, Kaggle solutions, course homework, "
    "student capstones, AWS, Azure, Google Cloud, Databricks and Colab samples), 2026-12-01"
)
SECOND_SET = (
    "536 notebooks of 14 other public repositories (books, Kaggle solutions, course "
    "homework, a capstone, research notebooks, AWS, Azure, Google Cloud, Databricks and "
    "Colab samples), 2026-12-01"
)


@dataclass(frozen=True)
class Sample:
    judged: int
    true: int

    def __str__(self) -> str:
        return f"{self.true} of {self.judged} findings right ({self.true / self.judged:.0%})"


@dataclass(frozen=True)
class Measured:
    before: Sample  # the first set, before this round's fixes
    now: Sample | None  # the second set, with the rules as of 692b0f6


MEASURED: dict[str, Measured] = {
    "MLP000": Measured(Sample(25, 16), Sample(25, 17)),
    "MLP001": Measured(Sample(25, 16), Sample(25, 22)),
    "MLP002": Measured(Sample(25, 16), Sample(25, 15)),
    "MLP003": Measured(Sample(25, 23), Sample(25, 16)),
    "MLP004": Measured(Sample(25, 16), Sample(7, 3)),
    "MLP101": Measured(Sample(25, 21), Sample(9, 5)),
    "MLP102": Measured(Sample(25, 10), Sample(25, 11)),
    "MLP103": Measured(Sample(1, 1), Sample(2, 0)),
    "MLP201": Measured(Sample(25, 23), Sample(25, 24)),
    "MLP202": Measured(Sample(25, 22), Sample(25, 24)),
    "MLP203": Measured(Sample(25, 17), Sample(25, 24)),
    "MLP204": Measured(Sample(25, 20), Sample(25, 22)),
    "MLP301": Measured(Sample(25, 9), Sample(25, 23)),
    "MLP302": Measured(Sample(25, 7), Sample(12, 5)),
}


def precision_section(code: str) -> str | None:
    """The rule page's account of its measured precision; None when never measured."""
    measured = MEASURED.get(code)
    if measured is None:
        return None
    now = (
        f"Now: {measured.now} on {SECOND_SET} (the rules as of commit 692b0f6)."
        if measured.now
        else "Now: not measured again yet."
    )
    return f"## Precision\n{now}\n\nBefore this round's fixes: {measured.before} on {FIRST_SET}."
