"""What library APIs need that reading the imports cannot see: tables with their sources.

`REMOVED_APIS`: APIs their libraries removed, each row with where the removal is documented.

A row names the API as code reaches it after imports are resolved (`numpy.float`, the
keyword `error_bad_lines` of `pandas.read_csv`, the module `sklearn.cross_validation`),
the distribution and the first version without it, and what to use instead; `rename` is
the dotted name that replaces it one for one, when the replacement is mechanical.

`OPTIONAL_DEPENDENCIES`: pandas APIs that import another distribution only when called.
"""

from __future__ import annotations

from dataclasses import dataclass

NUMPY_1_24 = "https://numpy.org/doc/stable/release/1.24.0-notes.html#expired-deprecations"
NUMPY_2_0 = "https://numpy.org/doc/stable/numpy_2_0_migration_guide.html#main-namespace"
PANDAS_2_0 = "https://pandas.pydata.org/docs/whatsnew/v2.0.0.html#removal-of-prior-version-deprecations-changes"
SKLEARN_0_20 = "https://scikit-learn.org/stable/whats_new/v0.20.html#id5"
SKLEARN_0_23 = "https://scikit-learn.org/stable/whats_new/v0.23.html#miscellaneous"
SKLEARN_1_2 = "https://scikit-learn.org/stable/whats_new/v1.2.html#sklearn-datasets"
TENSORFLOW_2_0 = "https://www.tensorflow.org/guide/migrate/tf1_vs_tf2"
MATPLOTLIB_3_6 = "https://matplotlib.org/stable/api/prev_api_changes/api_changes_3.6.0.html"
MATPLOTLIB_3_1 = "https://matplotlib.org/stable/api/prev_api_changes/api_changes_3.1.0.html"
MATPLOTLIB_2_2 = "https://matplotlib.org/stable/api/prev_api_changes/api_changes_2.2.0.html"
PANDAS_1_0 = "https://pandas.pydata.org/docs/whatsnew/v1.0.0.html#removal-of-prior-version-deprecations-changes"


@dataclass(frozen=True)
class RemovedApi:
    api: str  # qualified: `numpy.float`, `pandas.read_csv`, `sklearn.cross_validation`
    distribution: str
    removed_in: str
    instead: str  # what the message advises
    source: str
    keyword: str | None = None  # the removed keyword argument of the call `api`
    rename: str | None = None  # the one-for-one replacement of `api`, for the fix
    argument: str | None = None  # a pattern the call's first argument matches (a value)


def _numpy(name: str, instead: str, removed_in: str, source: str, rename: bool) -> RemovedApi:
    return RemovedApi(
        f"numpy.{name}", "numpy", removed_in, instead, source, rename=instead if rename else None
    )


def _tensorflow_1(name: str) -> RemovedApi:
    compat = f"tensorflow.compat.v1.{name}"
    return RemovedApi(
        f"tensorflow.{name}",
        "tensorflow",
        "2.0",
        f"`tf.compat.v1.{name}`, or its TF 2 form",
        TENSORFLOW_2_0,
        rename=compat,
    )


REMOVED_APIS: tuple[RemovedApi, ...] = (
    # NumPy 1.24: the aliases of builtin types, deprecated in 1.20 (`bool` and `long` came
    # back in 2.0 with other meanings, so they are not listed).
    *(
        _numpy(alias, builtin, "1.24", NUMPY_1_24, rename=True)
        for alias, builtin in (
            ("float", "float"),
            ("int", "int"),
            ("object", "object"),
            ("str", "str"),
            ("unicode", "str"),
        )
    ),
    # NumPy 2.0: members of the main namespace removed by NEP 52.
    *(
        _numpy(alias, f"numpy.{new}", "2.0", NUMPY_2_0, rename=True)
        for alias, new in (
            ("NaN", "nan"),
            ("NAN", "nan"),
            ("Inf", "inf"),
            ("Infinity", "inf"),
            ("infty", "inf"),
            ("PINF", "inf"),
            ("float_", "float64"),
            ("complex_", "complex128"),
            ("cfloat", "complex128"),
            ("string_", "bytes_"),
            ("unicode_", "str_"),
            ("round_", "round"),
            ("product", "prod"),
            ("cumproduct", "cumprod"),
            ("sometrue", "any"),
            ("alltrue", "all"),
            ("mat", "asmatrix"),
            ("longfloat", "longdouble"),
            ("singlecomplex", "complex64"),
        )
    ),
    _numpy("NINF", "-numpy.inf", "2.0", NUMPY_2_0, rename=False),
    _numpy("asfarray", "numpy.asarray(x, dtype=float)", "2.0", NUMPY_2_0, rename=False),
    _numpy("cast", "numpy.asarray(x, dtype=...)", "2.0", NUMPY_2_0, rename=False),
    # pandas 2.0
    *(
        RemovedApi(api, "pandas", "2.0", "`on_bad_lines=`", PANDAS_2_0, keyword=keyword)
        for api, keyword in (
            ("pandas.read_csv", "error_bad_lines"),
            ("pandas.read_csv", "warn_bad_lines"),
            ("pandas.read_table", "error_bad_lines"),
        )
    ),
    RemovedApi("pandas.np", "pandas", "2.0", "`import numpy as np`", PANDAS_2_0),
    RemovedApi("pandas.datetime", "pandas", "2.0", "`import datetime`", PANDAS_2_0),
    *(
        RemovedApi(
            f"pandas.{index}", "pandas", "2.0", "`pandas.Index`", PANDAS_2_0, rename="pandas.Index"
        )
        for index in ("Int64Index", "Float64Index", "UInt64Index")
    ),
    RemovedApi(
        "pandas.util.testing",
        "pandas",
        "2.0",
        "`pandas.testing`",
        PANDAS_2_0,
        rename="pandas.testing",
    ),
    RemovedApi("pandas.MultiIndex", "pandas", "1.0", "`codes=`", PANDAS_1_0, keyword="labels"),
    # matplotlib: the seaborn styles it shipped were renamed `seaborn-v0_8-*` in 3.6 and the
    # old names removed in 3.8; `normed=` of hist removed in 3.1; `axisbg=` in 2.2.
    *(
        RemovedApi(
            api,
            "matplotlib",
            "3.8",
            "the style's new name, `seaborn-v0_8-...` (or seaborn's own `sns.set_theme()`)",
            MATPLOTLIB_3_6,
            argument=r"seaborn(-(?!v0_8)[\w-]+)?$",
        )
        for api in ("matplotlib.pyplot.style.use", "matplotlib.style.use")
    ),
    RemovedApi(
        "matplotlib.pyplot.hist",
        "matplotlib",
        "3.1",
        "`density=`",
        MATPLOTLIB_3_1,
        keyword="normed",
    ),
    *(
        RemovedApi(api, "matplotlib", "2.2", "`facecolor=`", MATPLOTLIB_2_2, keyword="axisbg")
        for api in ("matplotlib.pyplot.axes", "matplotlib.pyplot.subplot")
    ),
    # scikit-learn
    *(
        RemovedApi(
            f"sklearn.{module}",
            "scikit-learn",
            "0.20",
            "`sklearn.model_selection`",
            SKLEARN_0_20,
            rename="sklearn.model_selection",
        )
        for module in ("cross_validation", "grid_search", "learning_curve")
    ),
    RemovedApi("sklearn.externals.joblib", "scikit-learn", "0.23", "`import joblib`", SKLEARN_0_23),
    RemovedApi("sklearn.externals.six", "scikit-learn", "0.23", "`import six`", SKLEARN_0_23),
    RemovedApi(
        "sklearn.datasets.load_boston",
        "scikit-learn",
        "1.2",
        "another dataset (`fetch_california_housing`), or the data from its source",
        SKLEARN_1_2,
    ),
    # TensorFlow 2.0: the TF 1 graph API, kept under tf.compat.v1.
    *(
        _tensorflow_1(name)
        for name in (
            "Session",
            "placeholder",
            "global_variables_initializer",
            "get_variable",
            "variable_scope",
            "set_random_seed",
            "InteractiveSession",
            "reset_default_graph",
            "local_variables_initializer",
            "train.AdamOptimizer",
            "train.GradientDescentOptimizer",
            "train.Saver",
            "layers.dense",
        )
    ),
    RemovedApi(
        "tensorflow.contrib",
        "tensorflow",
        "2.0",
        "its TF 2 replacement (`tf.contrib` has no `compat.v1` form)",
        TENSORFLOW_2_0,
    ),
)


# Every attribute name a removed API's path goes through (`float`, `train`, `Session`): the
# facts layer records only attribute reads ending in one of them.
REMOVED_NAMES = frozenset(part for row in REMOVED_APIS for part in row.api.split(".")[1:])


@dataclass(frozen=True)
class OptionalDependency:
    """A pandas API that imports another distribution only when called: `to_excel` needs
    openpyxl. `api` is a method name (any object's, as pandas objects are not typed here)
    or, with `function`, a qualified function; `distributions` are the alternatives, the
    first the one to declare."""

    api: str
    distributions: tuple[str, ...]
    purpose: str
    function: bool = False


PANDAS_OPTIONAL = (
    "https://pandas.pydata.org/docs/getting_started/install.html#optional-dependencies"
)
OPTIONAL_DEPENDENCIES: tuple[OptionalDependency, ...] = (
    OptionalDependency(
        "pandas.read_excel",
        ("openpyxl", "xlrd", "calamine", "odfpy", "pyxlsb"),
        "reading Excel files",
        function=True,
    ),
    OptionalDependency("to_excel", ("openpyxl", "xlsxwriter", "odfpy"), "writing Excel files"),
    OptionalDependency(
        "pandas.read_parquet", ("pyarrow", "fastparquet"), "reading Parquet", function=True
    ),
    OptionalDependency("to_parquet", ("pyarrow", "fastparquet"), "writing Parquet"),
    OptionalDependency("pandas.read_feather", ("pyarrow",), "reading Feather", function=True),
    OptionalDependency("to_feather", ("pyarrow",), "writing Feather"),
    OptionalDependency("pandas.read_orc", ("pyarrow",), "reading ORC", function=True),
    OptionalDependency("pandas.read_hdf", ("tables",), "reading HDF5", function=True),
    OptionalDependency("to_hdf", ("tables",), "writing HDF5"),
    OptionalDependency(
        "pandas.read_html", ("lxml", "html5lib"), "reading HTML tables", function=True
    ),
    OptionalDependency("pandas.read_xml", ("lxml",), "reading XML", function=True),
    OptionalDependency("to_xml", ("lxml",), "writing XML"),
    OptionalDependency("to_markdown", ("tabulate",), "writing Markdown tables"),
)
