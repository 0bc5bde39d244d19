"""One extraction from start to finish, computed in memory: nothing is written until every
output is known to be good, so a refusal or an error leaves every file as it was."""

from __future__ import annotations

import json
import os
import textwrap
import warnings
from collections.abc import Iterator
from pathlib import Path

from mlpizza_lint.analysis.context import CellView, LintContext
from mlpizza_lint.analysis.namespace import NotebookNames
from mlpizza_lint.config import find_settings
from mlpizza_lint.extract import requirements
from mlpizza_lint.extract.analysis import analyse
from mlpizza_lint.extract.cells import module_code, top_level
from mlpizza_lint.extract.choice import choose_cells
from mlpizza_lint.extract.dockerfile import dockerfile_output
from mlpizza_lint.extract.imports import ImportedName
from mlpizza_lint.extract.magics import left_out
from mlpizza_lint.extract.model import (
    ExtractError,
    Extraction,
    ExtractOptions,
    Message,
    NotebookProblem,
    Output,
    cells_text,
)
from mlpizza_lint.extract.module import Body, build_module, parse_cell, without_definitions
from mlpizza_lint.extract.naming import default_module_path, import_path
from mlpizza_lint.extract.redefinitions import superseded
from mlpizza_lint.extract.rewrite import import_cell, rewritten
from mlpizza_lint.extract.script import Script, build_script
from mlpizza_lint.notebook.documents import Document, DocumentError, load_document
from mlpizza_lint.notebook.reading import read_regular_file

CURRENT_FORMAT = 4  # older notebooks are read upgraded; their JSON has no `cells` to edit
OUTSIDE = "is not below the notebook's folder: install it (pip install -e .) to import it"
NOTHING_TO_EXTRACT = (
    "nothing to extract: no cell is marked `export` (cell tag, or `#| export` as its first "
    "line) and no cell holds only imports, definitions and constants"
)


def plan_extraction(options: ExtractOptions) -> Extraction:
    """Everything `extract` would write, or why it refuses; raises ExtractError on bad input."""
    try:
        return _plan(options)
    except NotebookProblem as problem:
        raise ExtractError(f"{options.notebook}: {problem}") from None


def _plan(options: ExtractOptions) -> Extraction:
    notebook = options.notebook
    document = _load(notebook)
    context = LintContext(document, find_settings(notebook))
    imported = {i.target.split(".")[0] for view in context.code_cells for i in view.facts.imports}
    module_path = options.output or default_module_path(notebook, imported)
    _check_targets(options, module_path)
    module = import_path(module_path, notebook) if options.rewrite else module_path.stem
    names = NotebookNames(context)
    choice = choose_cells(context, module.split(".")[0])
    if not choice.cells:
        return Extraction(problems=(Message(0, NOTHING_TO_EXTRACT),), notes=choice.notes)
    chosen = [view for view in context.code_cells if view.cell.index in choice.cells]
    _check_syntax(chosen)
    analysis = analyse(names, choice.cells, choice.marked, options.rewrite)
    magics = left_out(context, chosen, options.requirements, options.rewrite)
    notes = (*choice.notes, *analysis.notes, *magics.notes)
    if analysis.problems:
        return Extraction(problems=analysis.problems, notes=notes)
    dropped, redefined = superseded(chosen)
    notes = (*notes, *redefined)
    body = Body()
    for view in chosen:
        cell = parse_cell(module_code(view.cell))
        body.add_cell(without_definitions(cell, dropped.get(view.cell.index)), lambda _: None)
    imports = [name for view in chosen for name in _imports(view)] + list(analysis.pulled)
    defined = {name for view in chosen for name in view.facts.names.bound}
    script = (
        build_script(context, names, frozenset(choice.cells), defined, frozenset(imports))
        if options.script
        else None
    )
    docstring = _docstring(notebook.name, choice.cells, script)
    text = build_module(
        docstring,
        [*imports, *(script.imports if script else ())],
        body,
        script.statements if script else (),
    )
    _check_compiles(text, module_path)
    summary = _summary(module_path, chosen, body, script)
    outputs = [Output(module_path, text, summary, _existing_text(module_path))]
    if options.requirements is not None:
        found, more_notes = _requirements(magics.packages, imports, options, module_path)
        outputs.append(found)
        notes = (*notes, *more_notes)
    if options.dockerfile:
        outputs.append(dockerfile_output(module_path, options.requirements, options.force))
    if options.rewrite:
        source = import_cell(context, choice.cells, module, magics.notebook_lines)
        needs = tuple(output.path for output in outputs if output.text is not None)
        outputs.append(_rewrite(document, choice.cells, source, module, notebook, needs))
        if not module_path.resolve().is_relative_to(notebook.parent.resolve()):
            notes = (*notes, Message(0, f"`{module}` {OUTSIDE}"))
    return Extraction(tuple(outputs), notes=(*notes, *(script.notes if script else ())))


def _load(notebook: Path) -> Document:
    try:
        document = load_document(str(notebook))
    except DocumentError as error:
        raise ExtractError(f"{notebook}: {error}") from None
    if not document.is_notebook:
        raise ExtractError(f"{notebook}: not a notebook (.ipynb)")
    if not document.is_python:
        raise ExtractError(f"{notebook}: a {document.language} notebook; only Python is extracted")
    return document


def _imports(view: CellView) -> Iterator[ImportedName]:
    return (name for name, _ in top_level(view.cell.source).imports)


def _check_targets(options: ExtractOptions, module: Path) -> None:
    """Each file to write is a file of its own: not a folder, not the notebook, not the other
    (a symlink to one included)."""
    if module.is_dir():
        raise ExtractError(f"{module}: is a folder; -o takes the module's file name")
    if module.suffix != ".py":
        raise ExtractError(f"{module}: the module must be a .py file")
    if os.path.realpath(module) == os.path.realpath(options.notebook):
        raise ExtractError(f"{module}: is the notebook; -o takes another file")
    if module.exists() and not options.force:
        raise ExtractError(f"{module}: already exists; pass --force to overwrite it")
    requirements = options.requirements
    if requirements is None:
        return
    if requirements.is_dir():
        raise ExtractError(f"{requirements}: is a folder; --requirements takes a file name")
    for other, what in ((options.notebook, "the notebook"), (module, "the module")):
        if os.path.realpath(requirements) == os.path.realpath(other):
            raise ExtractError(f"{requirements}: is {what}; --requirements takes another file")


def _existing_text(path: Path) -> str | None:
    """What a file to be overwritten holds (it must still when replaced); regular files only."""
    try:
        return read_regular_file(path).decode("utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as error:
        reason = "not UTF-8" if isinstance(error, UnicodeDecodeError) else error.strerror
        raise ExtractError(f"{path}: cannot overwrite: {reason}") from None


def _check_syntax(chosen: list[CellView]) -> None:
    for view in chosen:
        problem = view.facts.syntax_error
        if problem is not None:
            raise NotebookProblem(
                f"cell {view.cell.index}: {problem.message} (line {problem.span.line}); "
                "fix it before extracting the cell"
            )


def _check_compiles(text: str, path: Path) -> None:
    """The notebook's own warnings (invalid escapes) are not ours to print."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            compile(text, str(path), "exec", dont_inherit=True)
    except SyntaxError as error:
        raise ExtractError(
            f"{path}: the module would not compile ({error.msg}, line {error.lineno}); "
            "nothing written"
        ) from None


def _docstring(notebook: str, cells: tuple[int, ...], script: Script | None) -> str:
    text = f"Code from the notebook `{notebook}` ({cells_text(cells)})."
    if script is not None:
        other = f" ({cells_text(script.cells)})" if script.cells else ""
        text += f"\n\nRun as a script, main() runs the notebook's other code{other}."
    return "\n\n".join(textwrap.fill(paragraph, 88) for paragraph in text.split("\n\n"))


def _summary(module: Path, chosen: list[CellView], body: Body, script: Script | None) -> str:
    definitions = body.definitions
    summary = f"Wrote {module} from {cells_text([view.cell.index for view in chosen])}"
    summary += f": {definitions} definition{'' if definitions == 1 else 's'}"
    if script is not None:
        summary += f"; main() runs {cells_text(script.cells)}" if script.cells else ""
        flags = ", ".join(option.flag for option in script.options)
        summary += f" with options {flags}" if flags else ""
    return summary


def _requirements(
    packages: tuple[str, ...],
    imports: list[ImportedName],
    options: ExtractOptions,
    module: Path,
) -> tuple[Output, list[Message]]:
    assert options.requirements is not None
    folders = {options.notebook.parent, module.parent}

    def is_local(name: str) -> bool:
        return name == module.stem or any(
            (folder / f"{name}.py").exists() or (folder / name).is_dir() for folder in folders
        )

    installed, rejected = requirements.from_installs(packages)
    found = requirements.merged(requirements.from_imports(imports, is_local), installed)
    text, added, before = requirements.requirements_text(options.requirements, found)
    notes = [
        Message(0, f"`{package}` is not a pip requirement: not written") for package in rejected
    ]
    notes += [
        Message(0, f"`{line.split()[0]}` is not installed here: written without a version")
        for line in added
        if line.endswith(requirements.NOT_INSTALLED)
    ]
    summary = (
        f"Wrote {options.requirements}: {', '.join(line.split()[0] for line in added)}"
        if added
        else f"{options.requirements} already declares every requirement"
    )
    return Output(options.requirements, text if added else None, summary, before), notes


def _rewrite(
    document: Document,
    cells: tuple[int, ...],
    source: str,
    module: str,
    notebook: Path,
    needs: tuple[Path, ...],
) -> Output:
    if json.loads(document.raw).get("nbformat") != CURRENT_FORMAT:
        raise ExtractError(f"{notebook}: --rewrite edits nbformat 4 notebooks only")
    try:
        text = rewritten(document.raw, cells, source)
        json.loads(text)
    except ValueError as error:
        raise ExtractError(f"{notebook}: cannot rewrite the notebook: {error}") from None
    first, *rest = sorted(cells)
    removed = f", {cells_text(rest)} removed" if rest else ""
    return Output(
        notebook,
        text,
        f"Rewrote {notebook}: cell {first} imports from {module}{removed}; "
        "run it again to refresh its outputs",
        document.raw,
        needs,
    )
