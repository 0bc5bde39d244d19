"""`--format text`: one line per finding, `path:cell N:line:col CODE message`, and a frame.

Colour comes from rich and switches off by itself when the output is not a terminal or
`NO_COLOR` is set, so pipes and CI logs get plain text. Paths, messages, notes and code are
the user's: they are printed escaped (`escaping.printable`), never as raw control codes.
"""

from __future__ import annotations

from collections import Counter
from typing import TextIO

from rich.console import Console
from rich.text import Text

from mlpizza_lint.api import Report
from mlpizza_lint.diagnostics import Applicability, Diagnostic, FileResult, Severity
from mlpizza_lint.reporters.escaping import encoding_of, json_text, printable
from mlpizza_lint.reporters.frames import frame_lines

SEVERITY_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "bold yellow"}


def console_for(stream: TextIO) -> Console:
    return Console(file=stream, highlight=False, soft_wrap=True, emoji=False)


def location(diagnostic: Diagnostic) -> str:
    cell = f"cell {diagnostic.cell}:" if diagnostic.cell is not None else ""
    return f"{diagnostic.path}:{cell}{diagnostic.span.line}:{diagnostic.span.column}"


def write(report: Report, stream: TextIO, *, frames: bool = True) -> None:
    console = console_for(stream)
    encoding = encoding_of(stream)
    about_projects: set[Diagnostic] = set()  # each file of the project reports it
    for result in report.results:
        for diagnostic in result.diagnostics:
            if diagnostic.path != result.path:
                if diagnostic in about_projects:
                    continue
                about_projects.add(diagnostic)
            line = Text()
            line.append(printable(location(diagnostic), encoding), style="bold")
            line.append(" ")
            line.append(diagnostic.code, style=SEVERITY_STYLE[diagnostic.severity])
            line.append(" [*]" if _safely_fixable(diagnostic) else "", style="cyan")
            line.append(" " + printable(diagnostic.message, encoding))
            console.print(line)
            if frames:
                console.print(_frame(result, diagnostic, encoding))


def _frame(result: FileResult, diagnostic: Diagnostic, encoding: str) -> Text:
    """The offending lines with a caret underline, numbered as the message counts them."""
    source = result.sources.get(diagnostic.cell)
    frame = Text()
    if source is None:
        return frame
    lines = frame_lines(source, diagnostic.span, encoding)
    width = len(str(lines[-1].number)) if lines else 0
    for line in lines:
        frame.append(f"{line.number:>{width}} | ", style="dim")
        frame.append(line.text + "\n")
        frame.append(" " * width + " | " + " " * line.caret_start, style="dim")
        frame.append("^" * line.caret_width + "\n", style=SEVERITY_STYLE[diagnostic.severity])
    return frame


def write_statistics(report: Report, stream: TextIO, as_json: bool = False) -> None:
    """`--statistics`: one line per rule, `count  code  name`, as ruff prints them; with
    `--format json`, ruff's objects (`code`, `name`, `count`, `fixable`)."""
    counts = Counter((d.code, d.name) for d in report.diagnostics)
    fixable = {d.code for d in report.diagnostics if d.fix is not None}
    if as_json:
        rows = [
            {"code": code, "name": name, "count": count, "fixable": code in fixable}
            for (code, name), count in sorted(counts.items())
        ]
        stream.write(json_text(rows, encoding_of(stream)) + "\n")
        return
    console = console_for(stream)
    for (code, name), count in sorted(counts.items()):
        console.print(Text(f"{count:>6}  {code}  {name}"))


def write_fixes_applied(fixed: dict[str, Counter[str]], stream: TextIO) -> None:
    """`--show-fixes`: what `--fix` changed, per file and rule, as ruff lists it."""
    from mlpizza_lint.rules import Rule  # the catalogue; fixing has loaded it already

    console = console_for(stream)
    total = sum(sum(counts.values()) for counts in fixed.values())
    if not total:
        console.print(Text("No fixes applied."))
        return
    console.print(Text(f"Fixed {total} problem(s):"))
    for path, counts in sorted(fixed.items()):
        console.print(Text(f"- {printable(path, encoding_of(stream))}:"))
        for code, count in sorted(counts.items()):
            name = Rule.registry[code].name if code in Rule.registry else ""
            console.print(Text(f"    {count} x {code} ({name})"))


def write_notes(report: Report, stream: TextIO) -> None:
    console = console_for(stream)
    for note in report.notes:
        console.print(Text(f"note: {printable(note, encoding_of(stream))}", style="dim"))


def write_summary(report: Report, stream: TextIO) -> None:
    """Notes, then one line counting the problems, for a person reading a terminal."""
    write_notes(report, stream)
    console = console_for(stream)
    diagnostics = report.diagnostics
    if not diagnostics:
        console.print(Text(f"All checks passed ({len(report.results)} files).", style="green"))
        return
    errors = sum(d.severity is Severity.ERROR for d in diagnostics)
    files = sum(bool(result.diagnostics) for result in report.results)
    console.print(
        Text(
            f"Found {_count(len(diagnostics), 'problem')} ({_count(errors, 'error')}, "
            f"{_count(len(diagnostics) - errors, 'warning')}) "
            f"in {files} of {len(report.results)} files."
        )
    )
    safe = sum(map(_safely_fixable, diagnostics))
    unsafe = sum(d.fix is not None for d in diagnostics) - safe
    if safe:
        console.print(Text(f"[*] {safe} fixable with the `--fix` option."))
    if unsafe:
        hidden = f"{unsafe} hidden fix{'' if unsafe == 1 else 'es'}"
        console.print(Text(f"({hidden} can be enabled with the `--unsafe-fixes` option.)"))


def _safely_fixable(diagnostic: Diagnostic) -> bool:
    """What `--fix` applies on its own, marked `[*]` as ruff marks it."""
    return diagnostic.fix is not None and diagnostic.fix.applicability is Applicability.SAFE


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"
