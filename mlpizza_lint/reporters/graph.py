"""The cells' dependency graph: which cell defines each name another cell uses.

Edges point from the cell that binds a name to the cell that reads it, labelled with the
names. In a notebook that runs top to bottom every edge points down the notebook; an edge
pointing up is a use before definition (MLP101) and is drawn dashed and red.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from mlpizza_lint.analysis.context import LintContext
from mlpizza_lint.analysis.namespace import Found, NotebookNames

MAX_LABEL = 40


@dataclass(frozen=True)
class Edge:
    source: int
    target: int
    names: tuple[str, ...]

    @property
    def backwards(self) -> bool:
        return self.source > self.target


@dataclass(frozen=True)
class Node:
    cell: int
    first_line: str


def dependency_graph(context: LintContext) -> tuple[list[Node], list[Edge]]:
    names = context.shared(NotebookNames)
    uses: dict[tuple[int, int], set[str]] = defaultdict(set)
    for lookup in names.lookups():
        if lookup.binder is not None and lookup.found in (Found.DEFINED, Found.LATER):
            uses[(lookup.binder, lookup.cell.index)].add(lookup.use.name)
    nodes = [Node(cell.index, _first_line(cell.view.cell.source)) for cell in names.cells]
    edges = [
        Edge(source, target, tuple(sorted(used)))
        for (source, target), used in sorted(uses.items())
        if source != target
    ]
    return nodes, edges


def _first_line(source: str) -> str:
    line = next((line.strip() for line in source.splitlines() if line.strip()), "")
    return line if len(line) <= MAX_LABEL else line[: MAX_LABEL - 1] + "…"


def to_dot(title: str, nodes: list[Node], edges: list[Edge]) -> str:
    lines = [f"digraph {_dot_string(title)} {{", "  node [shape=box, fontname=monospace];"]
    lines += [
        f"  c{node.cell} [label={_dot_string(f'cell {node.cell}: {node.first_line}')}];"
        for node in nodes
    ]
    for edge in edges:
        style = ", style=dashed, color=red" if edge.backwards else ""
        label = _dot_string(", ".join(edge.names))
        lines.append(f"  c{edge.source} -> c{edge.target} [label={label}{style}];")
    return "\n".join([*lines, "}"]) + "\n"


def _dot_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def to_mermaid(nodes: list[Node], edges: list[Edge]) -> str:
    lines = ["flowchart TD"]
    lines += [
        f'  c{node.cell}["{_mermaid_text(f"cell {node.cell}: {node.first_line}")}"]'
        for node in nodes
    ]
    for edge in edges:
        arrow = "-.->" if edge.backwards else "-->"
        lines.append(
            f'  c{edge.source} {arrow}|"{_mermaid_text(", ".join(edge.names))}"| c{edge.target}'
        )
    backwards = [str(n) for n, edge in enumerate(edges) if edge.backwards]
    if backwards:
        lines.append(f"  linkStyle {','.join(backwards)} stroke:red")
    return "\n".join(lines) + "\n"


def _mermaid_text(text: str) -> str:
    """Mermaid labels take HTML entities for the characters that end them."""
    for char, entity in (("&", "#amp;"), ('"', "#quot;"), ("<", "#lt;"), (">", "#gt;")):
        text = text.replace(char, entity)
    return text
