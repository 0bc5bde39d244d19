"""`mlpizza-lint verify PATH...`: run notebooks top to bottom, report what broke and which
static finding predicted it. The one command that runs the user's code."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from mlpizza_lint.api import Report, discover
from mlpizza_lint.cli.exits import fail, guarded, warn
from mlpizza_lint.cli.main import exit_code, failing, report_options, write_report
from mlpizza_lint.config import find_settings
from mlpizza_lint.diagnostics import Diagnostic, FileResult
from mlpizza_lint.rules.running import InstallFails
from mlpizza_lint.spans import Span
from mlpizza_lint.verify.environments import InstallError, fresh_kernel
from mlpizza_lint.verify.kernels import KernelError, KernelLaunch, named_kernel, this_environment
from mlpizza_lint.verify.network import NetworkIsolationError
from mlpizza_lint.verify.progress import progress_display
from mlpizza_lint.verify.running import Limits
from mlpizza_lint.verify.sandbox import SandboxError
from mlpizza_lint.verify.verification import VerifyOptions, verify_file

SECONDS = click.FloatRange(min=1)


def default_cache() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "mlpizza-lint" / "environments"


@click.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option(
    "--kernel",
    "kernel_name",
    metavar="NAME",
    help="A Jupyter kernel to run in.  [default: this environment's Python]",
)
@click.option(
    "--env",
    "environment",
    type=click.Choice(["current", "fresh"]),
    default="current",
    show_default=True,
    help="fresh: a new virtualenv of what the project declares (cached).",
)
@click.option(
    "--env-cache",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Where fresh environments are kept.  [default: ~/.cache/mlpizza-lint]",
)
@click.option(
    "--cell-timeout", type=SECONDS, default=600, show_default=True, help="Seconds one cell may run."
)
@click.option(
    "--timeout", type=SECONDS, default=3600, show_default=True, help="Seconds one notebook may run."
)
@click.option(
    "--compare-outputs",
    is_flag=True,
    help="Also report the first cell whose output differs from the saved one.",
)
@click.option(
    "--sandbox",
    is_flag=True,
    help="Run a temporary copy of the project, so the notebook cannot change your files.",
)
@click.option("--no-network", is_flag=True, help="Run the kernel without network (Linux).")
@report_options
def verify(
    paths: tuple[str, ...],
    kernel_name: str | None,
    environment: str,
    env_cache: Path | None,
    cell_timeout: float,
    timeout: float,
    compare_outputs: bool,
    sandbox: bool,
    no_network: bool,
    output_format: str,
    output_file: Path | None,
    exit_zero: bool,
    fail_on: str,
    quiet: bool,
) -> None:
    """Run notebooks top to bottom in a fresh kernel. This RUNS THEIR CODE.

    Each failure is reported as MLP501 with the static finding that predicted it; a cell
    past its time limit as MLP503; with --compare-outputs, the first output that differs
    from the saved one as MLP502. Exit code 0 when every notebook ran, 1 when one did not.
    """
    if kernel_name and environment == "fresh":
        fail("--kernel and --env fresh each choose the kernel; give one of them")
    notebooks = [
        path
        for path in guarded(lambda: list(discover(paths or (".",))))
        if path.endswith(".ipynb") or (Path(path).is_file() and path in paths)
    ]
    limits = Limits(cell_timeout, timeout)
    results: list[FileResult] = []
    failed = False
    for path in notebooks:
        try:
            kernel, notes = _kernel(path, kernel_name, environment, env_cache, no_network)
        except InstallError as error:
            results.append(_install_failures(path, error))
            continue
        options = VerifyOptions(kernel, limits, compare_outputs, sandbox)
        try:
            with progress_display(path) as progress:
                result = verify_file(path, find_settings(Path(path)), options, progress)
        except (SandboxError, KernelError, OSError, RuntimeError) as error:
            warn(f"{path}: {error}")
            failed = True
            continue
        except Exception as error:  # never a traceback; the other notebooks still run
            warn(f"{path}: internal error while verifying it ({type(error).__name__}: {error})")
            failed = True
            continue
        results.append(
            FileResult(result.path, result.diagnostics, (*notes, *result.notes), result.sources)
        )
    report = Report(tuple(results))
    write_report(report, output_format, quiet, output_file)
    sys.exit(exit_code(failed, failing(report, fail_on, exit_zero)))


def _kernel(
    path: str, name: str | None, environment: str, cache: Path | None, no_network: bool
) -> tuple[KernelLaunch, tuple[str, ...]]:
    notes: tuple[str, ...] = ()
    try:
        if environment == "fresh":
            kernel, notes = fresh_kernel(Path(path), cache or default_cache())
        else:
            kernel = named_kernel(name) if name else this_environment()
        return (kernel.without_network() if no_network else kernel), notes
    except (KernelError, NetworkIsolationError) as error:
        fail(str(error))


def _install_failures(path: str, error: InstallError) -> FileResult:
    """The declarations pip refused, each at its line, as MLP504."""
    diagnostics = tuple(
        Diagnostic(
            InstallFails.code,
            InstallFails.name,
            InstallFails.severity,
            f"`{Path(failure.path).name}` line {failure.line} cannot be installed in a "
            f"fresh environment: {failure.reason}; {path} was not run",
            failure.path,
            failure.cell,
            Span(failure.line, 1, failure.line, 1),
        )
        for failure in error.failures
    )
    return FileResult(path, diagnostics)
