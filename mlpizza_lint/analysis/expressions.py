"""What an expression says when it can be read without running it: a dotted name, a string."""

from __future__ import annotations

import ast


def dotted_name(node: ast.expr) -> str | None:
    """`os.path.join` for the expression `os.path.join`, `get_ipython().system` likewise."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Call) and not node.args and isinstance(node.func, ast.Name):
        parts.append(f"{node.func.id}()")  # get_ipython().system(...)
    elif isinstance(node, ast.Name):
        parts.append(node.id)
    else:
        return None
    return ".".join(reversed(parts))


def string_value(node: ast.expr) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(
            part.value if isinstance(part, ast.Constant) and isinstance(part.value, str) else "{}"
            for part in node.values
        )
    return None
