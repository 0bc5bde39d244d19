"""The Python API: lint paths the way the command line does, without global state.

Inputs and outputs are plain picklable values, so a large corpus can be fanned out over
processes (`jobs`) or over machines by calling `lint_file` on each path.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mlpizza_lint.config import Settings, find_settings
from mlpizza_lint.diagnostics import Diagnostic, FileResult
from mlpizza_lint.discovery.files import iter_files
from mlpizza_lint.file_cache import one_pass, start_pass
from mlpizza_lint.result_cache import Linted, ResultCache, recorded

if TYPE_CHECKING:  # the rules and the fixer load only when a file is linted or fixed:
    # a run whose results are all in the cache needs neither
    from mlpizza_lint.fixing.rounds import FixOutcome
    from mlpizza_lint.notebook.documents import Document

FILES_PER_WORKER = 16
CHUNK = 4  # files a worker takes at a time: small, so that both finish together
LintTask = tuple[str, Settings, bool, bool]  # path, settings, pylint, trust its config


@dataclass(frozen=True)
class Overrides:
    """What the command line says about settings: `config` (`--config FILE`, or the
    defaults with `--isolated`) replaces every file's nearest configuration; `values`
    (`--config KEY=VALUE`, as Settings fields) and the rule selection apply on top."""

    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    config: Settings | None = None
    values: tuple[tuple[str, Any], ...] = ()

    def settings_for(self, path: Path, settings: Settings | None = None) -> Settings:
        """The settings of the file or folder `path`; `settings` given wins over any file."""
        return self.apply(settings or self.config or find_settings(path))

    def apply(self, settings: Settings) -> Settings:
        return replace(settings, **dict(self.values)).with_overrides(
            select=self.select, ignore=self.ignore, extend_select=self.extend_select
        )


@dataclass(frozen=True)
class Report:
    results: tuple[FileResult, ...]

    @property
    def diagnostics(self) -> list[Diagnostic]:
        """Sorted; a finding about the project, which each of its files reports, once."""
        about_projects = {d for r in self.results for d in r.diagnostics if d.path != r.path}
        own = (d for r in self.results for d in r.diagnostics if d.path == r.path)
        return sorted((*own, *about_projects), key=lambda d: d.sort_key)

    @property
    def notes(self) -> list[str]:
        return [note for result in self.results for note in result.notes]


@dataclass(frozen=True)
class Search:
    """How paths given are searched: `force_exclude` applies the excludes to files named
    explicitly too (pre-commit names every file); `respect_gitignore` skips what git
    ignores, as ruff does."""

    force_exclude: bool = False
    respect_gitignore: bool = False


def discover(
    paths: Sequence[str], search: Search = Search(), overrides: Overrides = Overrides()
) -> Iterator[str]:
    """Files under `paths`, honouring each path's `extend-exclude` setting."""
    seen: set[str] = set()
    for path in paths:
        exclude = overrides.settings_for(Path(path)).extend_exclude
        found = iter_files([Path(path)], exclude, search.force_exclude, search.respect_gitignore)
        for file in found:
            if str(file) not in seen:
                seen.add(str(file))
                yield str(file)


def check_paths(
    paths: Sequence[str],
    overrides: Overrides = Overrides(),
    settings: Settings | None = None,
    jobs: int = 1,
    only: frozenset[Path] | None = None,
    pylint: bool = False,
    trust_pylint_config: bool = False,
    cache: ResultCache | None = None,
    search: Search = Search(),
) -> Report:
    """Lint every file under `paths` (or only those of them in `only`, resolved paths);
    `settings` None means each file's nearest config. With `pylint`, the repository's pylint
    configuration is used without what runs code (`init-hook`, `load-plugins`) unless
    `trust_pylint_config`. With a `cache`, unchanged files are not linted again (pylint's
    messages, which depend on its own configuration files, are never kept)."""
    files = [
        file
        for file in discover(paths, search, overrides)
        if only is None or Path(file).resolve() in only
    ]
    tasks = [
        (file, overrides.settings_for(Path(file), settings), pylint, trust_pylint_config)
        for file in files
    ]
    cache = None if pylint else cache
    if cache is not None:
        cache.prepare()
    with one_pass():
        results = {task[0]: kept for task in tasks if cache and (kept := cache.get(*task[:2]))}
    missing = [task for task in tasks if task[0] not in results]
    for task, linted in zip(missing, _lint(missing, jobs, cache is not None), strict=True):
        if cache is not None:
            cache.put(task[0], task[1], linted)
        results[task[0]] = linted.result
    return Report(tuple(results[task[0]] for task in tasks))


def _lint(tasks: list[LintTask], jobs: int, record: bool) -> list[Linted]:
    """Each file's result; with `record`, what the cache needs to keep it too."""
    lint = partial(_lint_task, record=record)
    workers = min(jobs, len(tasks) // FILES_PER_WORKER)
    if workers <= 1:
        with _collector_paused(), one_pass():
            return [lint(task) for task in tasks]
    from concurrent.futures import ProcessPoolExecutor  # 30 ms of imports a small run skips

    from mlpizza_lint import engine  # noqa: F401  imported before the fork: once, not per worker

    with ProcessPoolExecutor(workers, initializer=_start_worker) as pool:
        return list(pool.map(lint, tasks, chunksize=CHUNK))


def _start_worker() -> None:
    gc.disable()  # see `_collector_paused`
    start_pass()


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Trees and facts hold no reference cycles, so the cyclic collector would only walk
    a growing heap, a tenth of a corpus run; memory stays the same without it."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def check_source(
    path: str, data: bytes, overrides: Overrides = Overrides(), settings: Settings | None = None
) -> Report:
    """Lint content read from stdin as the file `path` (`--stdin-filename`)."""
    from mlpizza_lint.engine import lint_source

    chosen = overrides.settings_for(Path(path), settings)
    return Report((lint_source(path, data, chosen),))


@dataclass(frozen=True)
class FixRun:
    """What fixing would change, and a line per file whose fixing failed (left alone)."""

    outcomes: list[FixOutcome]
    failures: tuple[str, ...] = ()
    refused: dict[str, str] = field(default_factory=dict)  # path -> why `refuse` kept it back


def fix_paths(
    paths: Sequence[str],
    overrides: Overrides = Overrides(),
    settings: Settings | None = None,
    unsafe: bool = False,
    only: frozenset[Path] | None = None,
    refuse: Callable[[FixOutcome], str | None] | None = None,
    search: Search = Search(),
) -> FixRun:
    """What fixing every file under `paths` would change, including the files those fixes
    add requirements to; nothing is written here. A file whose fixing fails is left out,
    with a line saying so, and the others are fixed; so is a file whose outcome `refuse`
    gives a reason for (`--verify`: running it showed the fixes change its outputs)."""
    from mlpizza_lint.fixing.rounds import other_file_outcomes

    outcomes, failures, refused = [], [], {}
    for file in discover(paths, search, overrides):
        if only is not None and Path(file).resolve() not in only:
            continue
        try:
            outcome = _fix_file(file, overrides, settings, unsafe)
        except Exception as error:  # one file's bug must not stop fixing the others
            failures.append(
                f"{file}: internal error while fixing it ({type(error).__name__}: {error}); "
                "not fixed, please report"
            )
            continue
        reason = refuse(outcome) if refuse is not None and outcome is not None else None
        if reason is not None:
            refused[file] = reason
        elif outcome is not None:
            outcomes.append(outcome)
    return FixRun(other_file_outcomes(outcomes), tuple(failures), refused)


def noqa_paths(report: Report) -> FixRun:
    """`--add-noqa`: every file of `report` with a `# noqa` on each line it has findings on;
    nothing is written here. A file that cannot be written back as read is left out."""
    from mlpizza_lint.fixing.noqa import with_noqa
    from mlpizza_lint.notebook.documents import DocumentError, load_document

    outcomes, failures = [], []
    for result in report.results:
        if not any(d.path == result.path for d in result.diagnostics):
            continue
        try:
            document = load_document(result.path)
        except DocumentError as error:
            failures.append(f"{result.path}: cannot be read ({error}); no noqa added")
            continue
        if _round_trips(result.path, document):
            outcomes.append(with_noqa(document, result.diagnostics))
    return FixRun(outcomes, tuple(failures))


def _fix_file(
    file: str, overrides: Overrides, settings: Settings | None, unsafe: bool
) -> FixOutcome | None:
    from mlpizza_lint.fixing.rounds import fix_document
    from mlpizza_lint.notebook.documents import DocumentError, load_document

    try:
        document = load_document(file)
    except DocumentError:
        return None  # reported as MLP000 by the check that follows
    if not document.is_python or not _round_trips(file, document):
        return None
    return fix_document(document, overrides.settings_for(Path(file), settings), unsafe)


def _round_trips(path: str, document: Document) -> bool:
    """Fixes are written back as UTF-8: a file in another encoding, or with a byte order
    mark, is left alone rather than having its untouched bytes changed."""
    try:
        return Path(path).read_bytes() == document.raw.encode("utf-8")
    except OSError:
        return False


def lint_paths(paths: Sequence[str], settings: Settings | None = None) -> list[Diagnostic]:
    return check_paths(paths, settings=settings).diagnostics


def _lint_task(task: LintTask, record: bool) -> Linted:
    """Without a cache, the file is not read again for its digest nor its inputs kept."""
    from mlpizza_lint.engine import lint_file

    if not record:
        return Linted(lint_file(*task), None, {}, 0)
    return recorded(task[0], lambda: lint_file(*task))
