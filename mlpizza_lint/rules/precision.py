"""How often each rule is right, measured by hand on notebooks it was not written against.

Each figure comes from findings drawn at random (seed 1234) from public repositories that
neither the tests nor the tuning corpus contain, each judged by reading the notebook and its
project. Every set was fetched after the previous one was judged, so the rules were fixed
against one set and measured on the next; the false positives of each set became the
fixtures of `tests/test_false_positive_classes.py` and `tests/test_execution_record.py`.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FreshSet:
    notebooks: str
    rules: str  # the state of the rules that was measured


SETS = (
    FreshSet(
        "1,078 notebooks of 23 repositories (books, Kaggle solutions, course homework, "
        "capstones, AWS, Azure, Google Cloud, Databricks and Colab samples)",
        "before this round (a7e1ba7)",
    ),
    FreshSet(
        "536 notebooks of 14 other repositories (a book, Kaggle solutions, course homework, "
        "a capstone, research notebooks, AWS, Azure, Google Cloud, Databricks and Colab "
        "samples)",
        "692b0f6, fixed against the first set",
    ),
    FreshSet(
        "404 notebooks of 16 other repositories (MIT and NYU courses, research code, two "
        "books, Kaggle solutions, student homework and a capstone, AWS, Azure and Google "
        "Cloud samples)",
        "ea3cd1e, fixed against the second set",
    ),
    FreshSet(
        "370 notebooks of 10 other repositories (three books, two courses' homework, "
        "research code, Kaggle kernels, AWS and Google Cloud samples)",
        "1a14475, fixed against the third set",
    ),
    FreshSet(
        "405 notebooks of 11 other repositories (course homework and exercises, two books, "
        "a Kaggle solution, research code, Pinecone, W&B, IBM and Google Cloud samples)",
        "dadbb87, fixed against the fourth set",
    ),
    FreshSet(
        "36 other repositories (student homework, CS231n assignments, Kaggle solutions, "
        "portfolios and notebook collections), each linted as a clone",
        "f0add08, the rule's first version",
    ),
    FreshSet(
        "32 other repositories of older notebooks (TensorFlow 1 tutorials, books and course "
        "material from 2015-2020), each linted as a clone",
        "674de1f, the rule's first version",
    ),
    FreshSet(
        "58 other repositories of notebooks with dependency files (data-science and MLOps "
        "projects, course repositories, Kaggle solutions), each linted as a clone",
        "674de1f, the rules' first version",
    ),
    FreshSet(
        "547 notebooks of 13 other repositories (a Kaggle solution, a Harvard course, a "
        "book, fastai, TransformerLens, Anthropic, Mistral, Google Cloud, AWS, Azure and "
        "Databricks samples, two capstones)",
        "44901ce, after the fifth set's fixes and this round's new rules",
    ),
    FreshSet(
        "40 notebooks of 16 other repositories, run by `verify` (no network, a scientific "
        'stack): its "predicted by" claims judged',
        "f0add08, the rule's first version",
    ),
    FreshSet(
        "1,262 notebooks of 21 other repositories (Kaggle solutions, courses of 2013-2020, "
        "two books, DeepMind and Lucid research code, Python 2 notebooks, two capstones, "
        "AWS, Azure, Google Cloud, NVIDIA and Oracle samples)",
        "d6f7390, after the previous set's fixes",
    ),
    FreshSet(
        "1,425 notebooks of 24 other repositories (data journalism, two finance books, a "
        "deep-learning book, EPFL and HSE courses, geoscience, bioinformatics, Kaggle "
        "solutions, portfolios, Hugging Face, TensorFlow, Unsloth, Snowflake, Intel, W&B "
        "and IBM samples)",
        "0b49288, fixed against the previous set",
    ),
    FreshSet(
        "1,011 notebooks of 20 other repositories (Cornell, Columbia and DTU courses, "
        "medical imaging, astronomy, climate and neutron-imaging research notebooks, a "
        "computer-vision book, Kaggle solutions, a portfolio, Elastic, Amazon Bedrock, "
        "Weaviate, Meta, LangChain and Google DeepMind samples)",
        "0965461, fixed against the previous set",
    ),
    FreshSet(
        "1,222 notebooks of 21 other repositories (quantum-computing and numerical-methods "
        "textbooks, reinforcement-learning, NLP, economics and MLOps courses, music "
        "information retrieval, recommender systems, soccer analytics, remote sensing, "
        "cheminformatics, a trading book, Kaggle solutions, a capstone template, NVIDIA, "
        "Cohere, Qdrant and Roboflow samples)",
        "b5516a4, fixed against the previous set",
    ),
    FreshSet(
        "928 notebooks of 23 other repositories (single-cell and neuroscience tutorials, a "
        "causal-inference handbook, Bayesian and deep-learning books, graph ML, astronomy, "
        "climate, epidemiology, SHAP and darts examples, UBC and UCLA courses, data "
        "journalism, Kaggle competition kernels, Haystack, Together, Groq and Fireworks "
        "cookbooks)",
        "ba5508b, fixed against the previous set",
    ),
    FreshSet(
        "the 8 Dockerfiles of the previous set's 23 repositories",
        "68daf9e, the rules' first version",
    ),
    FreshSet(
        "the 23 Dockerfiles that `pip install -r` of 17 other repositories of notebooks "
        "(model-serving demos, MLOps course projects, capstones)",
        "20f86f5, the rule's first version after the previous set",
    ),
    FreshSet(
        "698 notebooks of 19 other repositories (signal processing and process-control "
        "courses, quant finance, geospatial, survival statistics, a robotics book, OCR, NLP, "
        "PySpark tutorials, stock-prediction models, a Coursera specialisation, a Kaggle "
        "solution, Guidance, DSPy, CrewAI and MLflow samples, Databricks exports)",
        "ee6d0a6, fixed against the two sets before",
    ),
    FreshSet(
        "801 notebooks of 21 other repositories (Snowflake, Gemini, Hugging Face, RAPIDS, "
        "Microsoft NLP and Databricks samples, Kaggle solutions including a first place, "
        "CS231n homework, Brazilian and US courses, data journalism, research code)",
        "3b882d0, fixed against the set before",
    ),
    FreshSet(
        "712 notebooks of 20 other repositories (Keras, pandas, NLP-with-transformers, "
        "finance and machine-learning books, geostatistics and genomics courses, NYU deep "
        "learning, bootcamp capstones and portfolios); two findings on data files over "
        "4 MiB that the measurement did not extract are not counted",
        "36eb54f, the rules' first version",
    ),
    FreshSet(
        "the same 712 notebooks, for the rules fixed against the set before it",
        "cc675da, fixed against the set before",
    ),
)


@dataclass(frozen=True)
class Sample:
    judged: int
    true: int

    def __str__(self) -> str:
        return f"{self.true} of {self.judged} ({self.true / self.judged:.0%})"


# Not measured on that set: the rule did not exist yet, or was not changed since.
UNMEASURED = "unmeasured"
# One sample per set of `SETS`, in order; None where a set had no finding of the rule.
MEASURED: dict[str, tuple[Sample | str | None, ...]] = {
    "MLP000": (
        Sample(25, 16),
        Sample(25, 17),
        Sample(25, 3),
        Sample(25, 1),
        Sample(22, 20),
        *(UNMEASURED,) * 3,
        Sample(25, 7),
        UNMEASURED,
        Sample(25, 7),
        Sample(25, 4),
        Sample(25, 16),
        Sample(25, 23),
        Sample(25, 6),
        *(UNMEASURED,) * 2,
        Sample(25, 22),
        Sample(25, 19),
        UNMEASURED,
        Sample(25, 21),
    ),
    "MLP001": (
        Sample(25, 16),
        Sample(25, 22),
        Sample(25, 25),
        Sample(25, 25),
        Sample(25, 25),
        *(UNMEASURED,) * 3,
        Sample(25, 25),
        UNMEASURED,
        Sample(25, 25),
        Sample(25, 23),
        Sample(25, 22),
        Sample(25, 25),
        Sample(25, 25),
        *(UNMEASURED,) * 2,
        Sample(25, 25),
        Sample(25, 24),
        UNMEASURED,
        Sample(25, 25),
    ),
    "MLP002": (
        Sample(25, 16),
        Sample(25, 15),
        Sample(25, 13),
        Sample(25, 0),
        Sample(25, 6),
        *(UNMEASURED,) * 3,
        Sample(25, 11),
        UNMEASURED,
        Sample(25, 23),
        Sample(24, 4),
        Sample(25, 9),
        Sample(25, 8),
        Sample(25, 15),
        *(UNMEASURED,) * 2,
        Sample(13, 3),
        Sample(25, 4),
        UNMEASURED,
        Sample(25, 14),
    ),
    "MLP003": (
        Sample(25, 23),
        Sample(25, 16),
        Sample(25, 22),
        Sample(25, 17),
        Sample(25, 23),
        *(UNMEASURED,) * 3,
        Sample(25, 25),
        UNMEASURED,
        Sample(25, 23),
        Sample(25, 19),
        Sample(25, 25),
        Sample(25, 22),
        Sample(25, 24),
        *(UNMEASURED,) * 2,
        Sample(25, 23),
        Sample(25, 25),
        UNMEASURED,
        Sample(25, 24),
    ),
    "MLP004": (
        Sample(25, 16),
        Sample(7, 3),
        Sample(20, 15),
        Sample(17, 13),
        Sample(25, 8),
        *(UNMEASURED,) * 3,
        Sample(25, 14),
        UNMEASURED,
        Sample(25, 24),
        Sample(25, 24),
        Sample(25, 24),
        Sample(25, 23),
        Sample(19, 13),
        *(UNMEASURED,) * 2,
        Sample(16, 15),
        Sample(25, 23),
        UNMEASURED,
        Sample(25, 25),
    ),
    "MLP101": (
        Sample(25, 21),
        Sample(9, 5),
        Sample(5, 5),
        Sample(1, 1),
        Sample(4, 2),
        *(UNMEASURED,) * 3,
        Sample(7, 3),
        UNMEASURED,
        Sample(25, 13),
        Sample(24, 15),
        Sample(25, 25),
        Sample(20, 16),
        Sample(25, 24),
        *(UNMEASURED,) * 2,
        Sample(7, 5),
        Sample(14, 13),
        UNMEASURED,
        Sample(25, 21),
    ),
    "MLP102": (
        Sample(25, 10),
        Sample(25, 11),
        Sample(25, 13),
        Sample(25, 13),
        Sample(25, 9),
        *(UNMEASURED,) * 3,
        Sample(25, 3),
        UNMEASURED,
        Sample(25, 16),
        Sample(25, 13),
        Sample(25, 25),
        Sample(25, 14),
        Sample(25, 12),
        *(UNMEASURED,) * 2,
        Sample(25, 6),
        Sample(25, 11),
        UNMEASURED,
        Sample(25, 18),
    ),
    "MLP103": (
        Sample(1, 1),
        Sample(2, 0),
        Sample(2, 0),
        None,
        Sample(1, 1),
        *(UNMEASURED,) * 5,
        Sample(3, 0),
        Sample(3, 1),
        Sample(7, 7),
        Sample(5, 5),
        None,
        *(UNMEASURED,) * 2,
        None,
        *(UNMEASURED,) * 2,
        Sample(1, 1),
    ),
    "MLP201": (
        Sample(25, 23),
        Sample(25, 24),
        Sample(25, 15),
        Sample(25, 25),
        Sample(25, 25),
        *(UNMEASURED,) * 3,
        Sample(25, 25),
        UNMEASURED,
        Sample(25, 24),
        Sample(25, 23),
        Sample(25, 25),
        Sample(25, 23),
        Sample(25, 22),
        *(UNMEASURED,) * 2,
        Sample(25, 15),
        Sample(25, 25),
        UNMEASURED,
        Sample(25, 15),
    ),
    "MLP202": (
        Sample(25, 22),
        Sample(25, 24),
        Sample(25, 23),
        Sample(25, 24),
        Sample(25, 25),
        *(UNMEASURED,) * 3,
        Sample(25, 18),
        UNMEASURED,
        Sample(25, 23),
        Sample(25, 25),
        Sample(25, 25),
        Sample(25, 25),
        Sample(25, 23),
        *(UNMEASURED,) * 2,
        Sample(25, 20),
        Sample(25, 25),
        UNMEASURED,
        Sample(25, 25),
    ),
    "MLP203": (
        Sample(25, 17),
        Sample(25, 24),
        Sample(25, 21),
        Sample(25, 23),
        Sample(7, 7),
        *(UNMEASURED,) * 3,
        Sample(25, 25),
        UNMEASURED,
        Sample(25, 23),
        Sample(25, 25),
        Sample(25, 22),
        Sample(25, 25),
        Sample(25, 19),
        *(UNMEASURED,) * 2,
        Sample(25, 10),
        Sample(25, 14),
        UNMEASURED,
        Sample(25, 24),
    ),
    "MLP205": (
        *(UNMEASURED,) * 5,
        Sample(25, 24),
        *(UNMEASURED,) * 2,
        Sample(7, 6),
        UNMEASURED,
        Sample(9, 8),
        Sample(9, 6),
        Sample(7, 6),
        Sample(10, 4),
        Sample(8, 2),
        *(UNMEASURED,) * 2,
        Sample(8, 5),
        Sample(25, 6),
    ),
    "MLP206": (
        *(UNMEASURED,) * 7,
        Sample(25, 24),
        *(UNMEASURED,) * 2,
        Sample(11, 8),
        Sample(10, 9),
        Sample(10, 7),
        Sample(7, 7),
        None,
        *(UNMEASURED,) * 2,
        None,
        Sample(7, 6),
        UNMEASURED,
        Sample(13, 13),
    ),
    "MLP208": (
        *(UNMEASURED,) * 6,
        Sample(25, 22),
        UNMEASURED,
        Sample(25, 23),
        UNMEASURED,
        Sample(25, 12),
        Sample(25, 18),
        Sample(25, 24),
        Sample(25, 24),
        Sample(20, 8),
        *(UNMEASURED,) * 2,
        Sample(25, 25),
        Sample(25, 20),
        UNMEASURED,
        Sample(25, 25),
    ),
    "MLP501": (*(UNMEASURED,) * 9, Sample(10, 9)),
    "MLP601": (
        *(UNMEASURED,) * 8,
        Sample(1, 1),
        UNMEASURED,
        Sample(8, 7),
        Sample(5, 5),
        None,
        Sample(5, 2),
        None,
        *(UNMEASURED,) * 2,
        Sample(2, 2),
        Sample(2, 1),
        UNMEASURED,
        Sample(7, 7),
    ),
    "MLP602": (
        *(UNMEASURED,) * 8,
        Sample(6, 5),
        UNMEASURED,
        Sample(7, 5),
        Sample(7, 7),
        Sample(5, 5),
        Sample(25, 18),
        Sample(6, 4),
        *(UNMEASURED,) * 2,
        Sample(3, 3),
        Sample(9, 8),
        UNMEASURED,
        Sample(22, 14),
    ),
    "MLP603": (
        *(UNMEASURED,) * 8,
        Sample(1, 1),
        UNMEASURED,
        Sample(5, 5),
        Sample(2, 2),
        Sample(1, 1),
        Sample(2, 2),
        None,
        *(UNMEASURED,) * 2,
        None,
        *(UNMEASURED,) * 2,
        Sample(10, 0),
    ),
    "MLP604": (
        *(UNMEASURED,) * 8,
        Sample(2, 2),
        UNMEASURED,
        Sample(4, 3),
        Sample(4, 3),
        Sample(4, 3),
        Sample(25, 24),
        Sample(6, 6),
        *(UNMEASURED,) * 2,
        Sample(10, 10),
        Sample(6, 5),
        UNMEASURED,
        Sample(16, 6),
    ),
    "MLP209": (
        *(UNMEASURED,) * 7,
        Sample(25, 5),
        *(UNMEASURED,) * 2,
        Sample(10, 3),
        Sample(25, 7),
        Sample(3, 0),
        Sample(7, 3),
        Sample(4, 0),
        *(UNMEASURED,) * 2,
        Sample(2, 0),
        Sample(5, 2),
        UNMEASURED,
        Sample(4, 4),
    ),
    "MLP204": (
        Sample(25, 20),
        Sample(25, 22),
        Sample(25, 21),
        Sample(25, 24),
        Sample(25, 24),
        *(UNMEASURED,) * 3,
        Sample(25, 13),
        UNMEASURED,
        Sample(25, 20),
        Sample(25, 10),
        Sample(25, 18),
        Sample(25, 18),
        Sample(25, 17),
        *(UNMEASURED,) * 2,
        Sample(25, 13),
        Sample(25, 17),
        UNMEASURED,
        Sample(25, 22),
    ),
    "MLP301": (
        Sample(25, 9),
        Sample(25, 23),
        Sample(25, 25),
        Sample(25, 25),
        Sample(25, 25),
        *(UNMEASURED,) * 3,
        Sample(25, 23),
        UNMEASURED,
        Sample(25, 21),
        Sample(25, 15),
        Sample(25, 24),
        Sample(25, 21),
        Sample(25, 4),
        *(UNMEASURED,) * 2,
        Sample(25, 14),
        Sample(25, 17),
        UNMEASURED,
        Sample(25, 17),
    ),
    "MLP302": (
        Sample(25, 7),
        Sample(12, 5),
        None,
        None,
        None,
        *(UNMEASURED,) * 3,
        Sample(25, 25),
        UNMEASURED,
        Sample(19, 17),
        Sample(18, 6),
        Sample(25, 25),
        Sample(25, 15),
        Sample(8, 0),
        *(UNMEASURED,) * 2,
        Sample(25, 14),
        Sample(9, 6),
        UNMEASURED,
        Sample(25, 21),
    ),
    "MLP207": (
        *(UNMEASURED,) * 10,
        Sample(25, 17),
        Sample(25, 7),
        Sample(25, 10),
        Sample(25, 6),
        Sample(25, 7),
        *(UNMEASURED,) * 2,
        Sample(25, 4),
        Sample(25, 6),
        UNMEASURED,
        Sample(25, 12),
    ),
    "MLP606": (
        *(UNMEASURED,) * 10,
        Sample(4, 3),
        Sample(3, 2),
        Sample(2, 1),
        Sample(6, 4),
        None,
        *(UNMEASURED,) * 2,
        Sample(1, 0),
        *(UNMEASURED,) * 2,
        Sample(1, 1),
    ),
    "MLP605": (
        *(UNMEASURED,) * 15,
        None,
        Sample(16, 16),
        None,
        Sample(1, 1),
        UNMEASURED,
        Sample(3, 3),
    ),
    "MLP607": (
        *(UNMEASURED,) * 15,
        Sample(7, 7),
        UNMEASURED,
        Sample(2, 1),
        Sample(5, 4),
        UNMEASURED,
        Sample(17, 16),
    ),
    # No public repository suppresses this tool's codes yet: nothing to judge.
    "MLP900": (
        *(UNMEASURED,) * 17,
        None,
    ),
    "MLP303": (
        *(UNMEASURED,) * 19,
        Sample(23, 22),
    ),
    "MLP304": (
        *(UNMEASURED,) * 19,
        Sample(25, 24),
    ),
    "MLP401": (
        *(UNMEASURED,) * 19,
        Sample(25, 24),
    ),
    "MLP402": (
        *(UNMEASURED,) * 19,
        Sample(25, 19),
    ),
    "MLP403": (
        *(UNMEASURED,) * 19,
        Sample(25, 23),
    ),
    "MLP105": (
        *(UNMEASURED,) * 19,
        Sample(25, 16),
    ),
    "MLP106": (
        *(UNMEASURED,) * 19,
        Sample(25, 8),
    ),
}


def precision_section(code: str) -> str | None:
    """The rule page's table of measured precision; None when never measured."""
    samples = MEASURED.get(code)
    if samples is None:
        return None
    rows = "\n".join(
        f"| {fresh.notebooks} | {fresh.rules} | {sample or 'no finding'} |"
        for fresh, sample in zip(SETS, samples, strict=False)
        if sample != UNMEASURED
    )
    return (
        "## Precision\n"
        "Findings drawn at random from public notebooks that neither the tests nor the "
        "tuning corpus contain (all of them where fewer than 25), judged by hand.\n\n"
        "| notebooks | rules as of | right |\n| --- | --- | --- |\n" + rows
    )
