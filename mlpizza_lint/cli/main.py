"""The `mlpizza-lint` command: check paths, explain rules, write the rule catalogue."""

from __future__ import annotations

import importlib
import io
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, TextIO, TypeVar

import click

from mlpizza_lint.api import (
    Overrides,
    Report,
    Search,
    check_paths,
    check_source,
    fix_paths,
    noqa_paths,
)
from mlpizza_lint.cli.exits import EXIT_CLEAN, EXIT_ERROR, EXIT_FINDINGS, fail, guarded, run, warn
from mlpizza_lint.config import (
    ConfigError,
    Settings,
    find_settings,
    load_config_file,
    setting_override,
)
from mlpizza_lint.diagnostics import Applicability, Diagnostic, Severity
from mlpizza_lint.discovery import changes
from mlpizza_lint.notebook.documents import DocumentError, load_document
from mlpizza_lint.notebook.staging import StagingError
from mlpizza_lint.reporters import FORMATS, reporter, text
from mlpizza_lint.reporters.baseline import BaselineError, compared, read_baseline
from mlpizza_lint.reporters.baseline import write_baseline as record_baseline
from mlpizza_lint.reporters.text import (
    console_for,
    write_fixes_applied,
    write_notes,
    write_statistics,
    write_summary,
)
from mlpizza_lint.result_cache import (
    CACHE_DIR_ENV,
    DEFAULT_FOLDER,
    NO_CACHE_ENV,
    ResultCache,
    clean,
)

if TYPE_CHECKING:  # the rules and the fixer load when a command needs them: a `check`
    # answered from the result cache needs neither
    from mlpizza_lint.fixing.rounds import FixOutcome

Command = TypeVar("Command", bound=Callable[..., None])
T = TypeVar("T")

# Commands whose modules load libcst or pygls: imported only when they run.
LAZY_COMMANDS = {
    "extract": "mlpizza_lint.extract.command",
    "lsp": "mlpizza_lint.lsp.command",
    "verify": "mlpizza_lint.verify.command",
}


def _names_a_path(args: list[str]) -> bool:
    """`mlpizza-lint rules` beside a folder `rules` that holds something to lint, with
    none of the command's options: the user may have meant the folder."""
    from mlpizza_lint.discovery.files import iter_files

    path = Path(args[0])
    if any(arg.startswith("-") for arg in args[1:]) or not path.exists():
        return False
    return next(iter(iter_files([path])), None) is not None


class DefaultToCheck(click.Group):
    """`mlpizza-lint nb.ipynb` means `mlpizza-lint check nb.ipynb`, as with ruff; the heavy
    commands are imported when used, so `check` starts without them."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        commands = (*self.commands, *LAZY_COMMANDS)
        if args and args[0] not in (*commands, "--help", "-h", "--version"):
            args = ["check", *args]
        elif args and args[0] in commands and _names_a_path(args):
            click.echo(
                f"mlpizza-lint: note: `{args[0]}` is run as the command; to lint the "
                f"{'folder' if Path(args[0]).is_dir() else 'file'} of that name, run "
                f"`mlpizza-lint check {args[0]}` or `mlpizza-lint ./{args[0]}`",
                err=True,
            )
        return super().parse_args(ctx, args)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *LAZY_COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in LAZY_COMMANDS and cmd_name not in self.commands:
            command = getattr(importlib.import_module(LAZY_COMMANDS[cmd_name]), cmd_name)
            self.add_command(command)
        return super().get_command(ctx, cmd_name)


def _selectors(values: tuple[str, ...]) -> tuple[str, ...]:
    """`--select MLP1,MLP301 --select MLP2` -> ("MLP1", "MLP301", "MLP2")."""
    return tuple(
        part.strip().upper() for value in values for part in value.split(",") if part.strip()
    )


def _names_file(config: str) -> bool:
    """ruff's reading of `--config`: a file when one is there or when it is no `key = value`."""
    return Path(config).is_file() or "=" not in config


def _config_file(configs: tuple[str, ...], isolated: bool) -> Settings | None:
    """The settings every file uses instead of its nearest configuration, if any."""
    files = [config for config in configs if _names_file(config)]
    if len(files) > 1:
        raise ConfigError("--config: give one configuration file (and any `key = value`s)")
    if files and isolated:
        raise ConfigError(
            f"--config {files[0]}: a configuration file and --isolated exclude each other"
        )
    if isolated:
        return Settings()
    return load_config_file(Path(files[0])) if files else None


def report_options(command: Command) -> Command:
    """`--format` (ruff's `--output-format`), `-o`, `--exit-zero`, `--fail-on` and `--quiet`,
    shared by the commands that report findings."""
    options = (
        click.option(
            "--format",
            "--output-format",
            "output_format",
            type=click.Choice(sorted(FORMATS)),
            default="text",
            show_default=True,
        ),
        click.option(
            "-o",
            "--output-file",
            type=click.Path(dir_okay=False, path_type=Path),
            help="Write the findings to this file instead of stdout.",
        ),
        click.option("--exit-zero", is_flag=True, help="Exit with 0 even when problems are found."),
        click.option(
            "--fail-on",
            type=click.Choice([severity.value for severity in reversed(Severity)]),
            default=Severity.WARNING.value,
            show_default=True,
            help="The least severe finding that makes the exit code 1 (`error`: warnings are "
            "reported and pass).",
        ),
        click.option(
            "-q", "--quiet", is_flag=True, help="Print findings only: no summary, notes or frames."
        ),
    )
    for option in reversed(options):
        command = option(command)
    return command


CACHE_DIR_OPTION = click.option(
    "--cache-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=DEFAULT_FOLDER,
    envvar=CACHE_DIR_ENV,
    show_default=True,
    help="Where results are kept between runs.",
)


def cache_options(command: Command) -> Command:
    """`--no-cache` and `--cache-dir`, with ruff's meaning."""
    return click.option(
        "--no-cache",
        is_flag=True,
        envvar=NO_CACHE_ENV,
        help="Lint every file again, ignoring and not writing the result cache.",
    )(CACHE_DIR_OPTION(command))


def console_script() -> None:
    """The `mlpizza-lint` executable."""
    run(main)


@click.group(cls=DefaultToCheck, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="mlpizza-lint")
def main() -> None:
    """Lint notebooks until they run top to bottom, install reproducibly and import cleanly."""


@main.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option(
    "--select", multiple=True, help="Rule codes or prefixes to enable (replaces the default set)."
)
@click.option("--ignore", multiple=True, help="Rule codes or prefixes to disable.")
@click.option(
    "--extend-select", multiple=True, help="Rule codes or prefixes to enable in addition."
)
@click.option(
    "--config",
    "configs",
    multiple=True,
    metavar="FILE|KEY=VALUE",
    help="A configuration file used for every file (pyproject.toml, or a TOML file holding "
    "the table's keys), or one `key = value` over any configuration.",
)
@click.option(
    "--isolated", is_flag=True, help="Ignore every configuration file (the defaults apply)."
)
@report_options
@click.option("--statistics", is_flag=True, help="Print the number of findings per rule instead.")
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    default=lambda: os.cpu_count() or 1,
    show_default="the number of CPUs",
    help="Worker processes (used when there are many files).",
)
@click.option(
    "--changed-since",
    metavar="REF",
    help="Only lint files changed since this git ref (and untracked ones), e.g. origin/main.",
)
@click.option(
    "--pylint",
    "with_pylint",
    is_flag=True,
    help="Also run pylint on the cells and report its messages as PL:<id>.",
)
@click.option(
    "--pylint-trust-config",
    is_flag=True,
    help="Let the repository's pylint configuration run code (init-hook, load-plugins).",
)
@cache_options
@click.option(
    "--stdin-filename",
    metavar="PATH",
    help="With `-` as the path: the name of the file read from stdin (its kind, settings, "
    "project).",
)
@click.option(
    "--force-exclude",
    is_flag=True,
    help="Apply the excludes to files named on the command line too (for pre-commit).",
)
@click.option(
    "--respect-gitignore/--no-respect-gitignore",
    default=True,
    show_default=True,
    help="Skip what git ignores when searching folders.",
)
@click.option(
    "--baseline",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Report and fail only on findings that this baseline file does not hold.",
)
@click.option(
    "--write-baseline",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Record today's findings in this file (for --baseline) and exit 0.",
)
@click.option(
    "--add-noqa",
    is_flag=True,
    help="Add a `# noqa: CODE` to every line with a finding, and report nothing.",
)
@click.option("--fix", is_flag=True, help="Apply safe fixes, then report what is left.")
@click.option("--unsafe-fixes", is_flag=True, help="Also apply unsafe fixes (with --fix/--diff).")
@click.option("--diff", is_flag=True, help="Print the changes fixes would make; write nothing.")
@click.option(
    "--show-fixes", is_flag=True, help="List the fixes applied (with --fix) per file and rule."
)
@click.option(
    "--verify",
    "verify_fixes",
    is_flag=True,
    help="With --fix: run each fixed notebook before and after (this RUNS IT) and write "
    "its fixes only when every cell shows the same output.",
)
def check(
    paths: tuple[str, ...],
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    extend_select: tuple[str, ...],
    configs: tuple[str, ...],
    isolated: bool,
    output_format: str,
    output_file: Path | None,
    exit_zero: bool,
    fail_on: str,
    statistics: bool,
    quiet: bool,
    jobs: int,
    changed_since: str | None,
    with_pylint: bool,
    pylint_trust_config: bool,
    fix: bool,
    unsafe_fixes: bool,
    diff: bool,
    show_fixes: bool,
    verify_fixes: bool,
    no_cache: bool,
    cache_dir: Path,
    stdin_filename: str | None,
    force_exclude: bool,
    respect_gitignore: bool,
    baseline: Path | None,
    write_baseline: Path | None,
    add_noqa: bool,
) -> None:
    """Check notebooks and Python files (folders are searched)."""
    search = Search(force_exclude, respect_gitignore)
    paths = paths or (".",)
    overrides = guarded(
        lambda: Overrides(
            select=_selectors(select) or None,
            ignore=_selectors(ignore),
            extend_select=_selectors(extend_select),
            config=_config_file(configs, isolated),
            values=tuple(setting_override(value) for value in configs if not _names_file(value)),
        )
    )
    only = (
        guarded(lambda: changes.changed_since(changed_since, Path.cwd())) if changed_since else None
    )
    if verify_fixes and not fix:
        fail("--verify proves fixes by running the notebook: give it with --fix")
    if add_noqa and (fix or diff or write_baseline):
        fail("--add-noqa writes comments only: give it without --fix, --diff or --write-baseline")
    if "-" in paths:
        if len(paths) > 1 or fix or diff or add_noqa:
            fail("`-` (stdin) is linted alone, without --fix, --diff or --add-noqa")
        name = stdin_filename or "stdin.py"
        data = sys.stdin.buffer.read()
        report = guarded(lambda: check_source(name, data, overrides))
        write_report(report, output_format, quiet, output_file, statistics)
        sys.exit(exit_code(False, failing(report, fail_on, exit_zero)))
    refuse = _behaviour_check(overrides, unsafe_fixes) if verify_fixes else None
    failed = False
    kept_back: dict[str, str] = {}
    if diff or fix:
        run = guarded(
            lambda: fix_paths(
                paths, overrides, unsafe=unsafe_fixes, only=only, refuse=refuse, search=search
            )
        )
        for failure in run.failures:
            warn(failure)
        kept_back = run.refused
        for reason in kept_back.values():
            click.echo(reason, err=True)
        if diff:
            changed = [outcome for outcome in run.outcomes if outcome.changed]
            sys.stdout.write("".join(outcome.diff() for outcome in changed))
            sys.exit(exit_code(bool(run.failures), bool(changed) and not exit_zero))
        skipped = guarded(lambda: _write_fixes(run.outcomes, show_fixes, quiet))
        failed = bool(run.failures or skipped)
    report = guarded(
        lambda: check_paths(
            paths,
            overrides,
            jobs=jobs,
            only=only,
            pylint=with_pylint,
            trust_pylint_config=pylint_trust_config,
            cache=None if no_cache else ResultCache(cache_dir),
            search=search,
        )
    )
    if add_noqa:
        sys.exit(_add_noqa(report, quiet))
    if write_baseline is not None:
        recorded = _with_baseline(lambda: record_baseline(report, write_baseline))
        click.echo(f"Wrote {recorded} finding(s) to the baseline {write_baseline}.", err=True)
        sys.exit(EXIT_CLEAN)
    if baseline is not None:
        report = _new_findings(report, baseline, quiet)
    write_report(report, output_format, quiet, output_file, statistics)
    if fix and not quiet:
        _say_still_fixable([d for d in report.diagnostics if d.path not in kept_back], unsafe_fixes)
    sys.exit(exit_code(failed, failing(report, fail_on, exit_zero)))


def write_report(
    report: Report,
    output_format: str,
    quiet: bool,
    output_file: Path | None = None,
    statistics: bool = False,
) -> None:
    """The findings in `output_format` on stdout, or in `output_file`; the summary and
    notes for a person."""
    with _output(output_file) as stream:
        if statistics:
            write_statistics(report, stream, as_json=output_format == "json")
        elif output_format == "text":
            text.write(report, stream, frames=not quiet)
        else:
            reporter(output_format)(report, stream)
        if output_format == "text" and not quiet and not statistics:
            write_summary(report, stream)
    if (output_format != "text" or statistics) and not quiet:
        write_notes(report, sys.stderr)


@contextmanager
def _output(path: Path | None) -> Iterator[TextIO]:
    """stdout, or the file `-o` names (written whole or not at all)."""
    if path is None:
        yield sys.stdout
        return
    buffer = io.StringIO()
    yield buffer
    try:
        path.write_text(buffer.getvalue(), encoding="utf-8")
    except OSError as error:
        fail(f"{path}: cannot write the findings ({error.strerror or error})")


def _new_findings(report: Report, baseline: Path, quiet: bool) -> Report:
    """The findings `baseline` does not hold; how many it does, and its stale entries."""
    result = _with_baseline(lambda: compared(report, read_baseline(baseline)))
    if result.known and not quiet:
        click.echo(
            f"{result.known} finding(s) left out: the baseline {baseline} holds them.", err=True
        )
    if result.stale:
        click.echo(
            f"{len(result.stale)} entr{'y' if len(result.stale) == 1 else 'ies'} of the baseline "
            f"{baseline} no longer found (fixed, or the code moved): run with "
            f"--write-baseline {baseline} to drop them.",
            err=True,
        )
    return result.report


def _with_baseline(action: Callable[[], T]) -> T:
    try:
        return action()
    except BaselineError as error:
        fail(str(error))


def failing(report: Report, fail_on: str, exit_zero: bool) -> bool:
    """Whether the findings fail the run: any as severe as `--fail-on`, unless `--exit-zero`."""
    least = list(Severity).index(Severity(fail_on))
    return not exit_zero and any(
        list(Severity).index(d.severity) <= least for d in report.diagnostics
    )


def exit_code(failed: bool, found: bool) -> int:
    return EXIT_ERROR if failed else EXIT_FINDINGS if found else EXIT_CLEAN


def _behaviour_check(overrides: Overrides, unsafe: bool) -> Callable[[FixOutcome], str | None]:
    """`--verify`: the verify package (which runs code) is imported only when asked for."""
    from mlpizza_lint.verify.proofs import fix_refusal

    return lambda outcome: fix_refusal(outcome, overrides, unsafe)


def _write_fixes(outcomes: list[FixOutcome], show_fixes: bool, quiet: bool) -> bool:
    """Write the fixes; True when a file was left as it was (each named on stderr)."""
    from mlpizza_lint.fixing.rounds import MAX_ROUNDS, fixed_counts, write_fixes

    try:
        applied, skipped = write_fixes(outcomes)
    except StagingError as error:
        warn(str(error))
        return True
    for line in skipped.values():
        warn(line)
    kept = [outcome for outcome in outcomes if outcome.path not in skipped]
    if show_fixes:
        write_fixes_applied(fixed_counts(kept), sys.stderr)
    elif applied and not quiet:
        written = sum(outcome.changed for outcome in kept)
        click.echo(f"Fixed {applied} problem(s) in {written} file(s).", err=True)
    for outcome in outcomes:
        if not outcome.converged:
            click.echo(
                f"{outcome.path}: fixes did not converge (they undo each other or "
                f"need over {MAX_ROUNDS} rounds); please report",
                err=True,
            )
    return bool(skipped)


def _add_noqa(report: Report, quiet: bool) -> int:
    """Write the comments; the exit code: 0, or EXIT_ERROR when a file was left as it was."""
    from mlpizza_lint.fixing.rounds import write_fixes

    run = noqa_paths(report)
    for failure in run.failures:
        warn(failure)
    try:
        added, skipped = write_fixes([outcome for outcome in run.outcomes if outcome.changed])
    except StagingError as error:
        fail(str(error))
    for line in skipped.values():
        warn(line)
    if not quiet:
        click.echo(f"Added {added} noqa directive(s).", err=True)
    return EXIT_ERROR if run.failures or skipped else EXIT_CLEAN


def _say_still_fixable(diagnostics: list[Diagnostic], unsafe: bool) -> None:
    """Fixes can bring findings to light (a requirements file created by one fix makes the
    next run check imports against it): say so rather than look finished."""
    fixable = [
        d
        for d in diagnostics
        if d.fix is not None and (unsafe or d.fix.applicability is Applicability.SAFE)
    ]
    if fixable:
        flags = "--fix --unsafe-fixes" if unsafe else "--fix"
        click.echo(f"{len(fixable)} more problem(s) fixable: run with {flags} again.", err=True)


@main.command()
@click.argument("notebook", type=click.Path(dir_okay=False))
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["dot", "mermaid"]),
    default="dot",
    show_default=True,
)
def graph(notebook: str, output_format: str) -> None:
    """Print which cell defines the names each cell uses (Graphviz DOT or Mermaid)."""
    from mlpizza_lint.analysis.context import LintContext
    from mlpizza_lint.reporters.graph import dependency_graph, to_dot, to_mermaid

    try:
        document = load_document(notebook)
    except (DocumentError, FileNotFoundError) as error:
        fail(f"{notebook}: {error}")
    context = LintContext(document, find_settings(Path(notebook)))
    nodes, edges = dependency_graph(context)
    if output_format == "dot":
        click.echo(to_dot(Path(notebook).name, nodes, edges), nl=False)
    else:
        click.echo(to_mermaid(nodes, edges), nl=False)


@main.command()
@click.argument("code", required=False)
@click.option("--all", "every", is_flag=True, help="Explain every rule, one page after another.")
def rule(code: str | None, every: bool) -> None:
    """Explain one rule (or, with --all, every rule)."""
    from rich.markdown import Markdown

    from mlpizza_lint.rules import Rule, all_rules
    from mlpizza_lint.rules.catalogue import rule_page

    if every == (code is not None):
        fail("give a rule code, or --all")
    chosen = all_rules() if every else [Rule.registry.get((code or "").upper())]
    if None in chosen:
        fail(f"unknown rule `{code}`; `mlpizza-lint rules` lists them")
    console = console_for(sys.stdout)
    page = "\n".join(rule_page(found) for found in chosen if found is not None)
    console.print(Markdown(page) if console.is_terminal else page, end="")


@main.command()
@click.option(
    "--markdown",
    "folder",
    type=click.Path(file_okay=False, path_type=Path),
    help="Write the rule catalogue (README.md and one page per rule) to this folder.",
)
def rules(folder: Path | None) -> None:
    """List every rule, or write the rule catalogue."""
    from mlpizza_lint.rules import all_rules
    from mlpizza_lint.rules.catalogue import write_catalogue

    if folder is not None:
        for written in write_catalogue(folder):
            click.echo(str(written))
        return
    for found in all_rules():
        default = "" if found.enabled_by_default else " (off by default)"
        click.echo(f"{found.code}  {found.name:<28} {found.summary()}{default}")


@main.command(name="clean")
@CACHE_DIR_OPTION
def clean_cache(cache_dir: Path) -> None:
    """Remove the result cache."""
    try:
        removed = clean(cache_dir)
    except OSError as error:
        fail(str(error))
    click.echo(f"Removed {cache_dir}" if removed else f"No cache at {cache_dir}", err=True)
