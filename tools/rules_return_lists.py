"""Rewrite ``@rule`` checks that yield into plain functions returning a list.

    python tools/rules_return_lists.py rules/*/m*.py

A one-off migration kept for merges: a branch that still writes a rule as
a generator can take its own version of the module and run this on it.
Before the first top-level statement that yields, a bare ``return``
becomes ``return None``; from there on, problems go to a list
``problems`` (``yield x`` -> ``problems.append(x)``, ``yield from x`` ->
``problems.extend(x)``), every return gives it back, and the return
annotation becomes ``list[Problem] | None``. Helpers that are not
``@rule`` checks are left alone. Run ``ruff check --fix`` and ``ruff
format`` afterwards (an unused ``Iterator`` import, long lines).
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from pathlib import Path

NAME = "problems"


def _has_yield(node: ast.AST) -> bool:
    return any(isinstance(n, (ast.Yield, ast.YieldFrom)) for n in _own_nodes(node))


def _own_nodes(node: ast.AST) -> Iterator[ast.AST]:
    """``node`` and what it holds, not descending into nested functions or classes."""
    stack = [node]
    while stack:
        n = stack.pop()
        yield n
        for c in ast.iter_child_nodes(n):
            if not isinstance(c, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
                stack.append(c)


def _is_rule(fn: ast.FunctionDef) -> bool:
    return any(
        isinstance(d, ast.Call) and getattr(d.func, "id", "") == "rule" for d in fn.decorator_list
    )


def convert(path: Path) -> list[str]:
    """Rewrite the generator checks of one module in place; the names rewritten."""
    src = path.read_text()
    tree = ast.parse(src)
    lines = src.splitlines(keepends=True)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))

    def pos(lineno: int, col: int) -> int:  # ast columns count UTF-8 bytes
        return starts[lineno - 1] + len(lines[lineno - 1].encode()[:col].decode())

    edits: list[tuple[int, int, str]] = []
    done: list[str] = []
    for fn in tree.body:
        if not (isinstance(fn, ast.FunctionDef) and _is_rule(fn) and _has_yield(fn)):
            continue
        if any(isinstance(n, ast.Name) and n.id == NAME for n in ast.walk(fn)):
            raise SystemExit(f"{path}: {fn.name} already uses the name {NAME!r}")
        body = fn.body
        first_stmt = body[0]
        docstring = (
            isinstance(first_stmt, ast.Expr)
            and isinstance(first_stmt.value, ast.Constant)
            and isinstance(first_stmt.value.value, str)
        )
        begin = 1 if docstring else 0
        statements = {
            id(n.value)
            for n in _own_nodes(fn)
            if isinstance(n, ast.Expr) and isinstance(n.value, (ast.Yield, ast.YieldFrom))
        }
        first = next(i for i in range(begin, len(body)) if _has_yield(body[i]))
        for index, stmt in enumerate(body[begin:], begin):
            for n in _own_nodes(stmt):
                if isinstance(n, ast.Return):
                    if n.value is not None:
                        raise SystemExit(f"{path}: {fn.name} returns a value from a generator")
                    text = "return None" if index < first else f"return {NAME}"
                    edits.append(
                        (
                            pos(n.lineno, n.col_offset),
                            pos(n.end_lineno or n.lineno, n.end_col_offset or 0),
                            text,
                        )
                    )
                elif isinstance(n, (ast.Yield, ast.YieldFrom)) and id(n) not in statements:
                    raise SystemExit(f"{path}: {fn.name} uses yield as a value")
                elif isinstance(n, ast.Expr) and isinstance(n.value, (ast.Yield, ast.YieldFrom)):
                    value = n.value.value
                    inner = "" if value is None else ast.get_source_segment(src, value)
                    method = "append" if isinstance(n.value, ast.Yield) else "extend"
                    edits.append(
                        (
                            pos(n.lineno, n.col_offset),
                            pos(n.end_lineno or n.lineno, n.end_col_offset or 0),
                            f"{NAME}.{method}({inner})",
                        )
                    )
        at = starts[body[first].lineno - 1]
        indent = " " * body[first].col_offset
        edits.append((at, at, f"{indent}{NAME}: list[Problem] = []\n"))
        if not isinstance(body[-1], ast.Return):
            end = starts[body[-1].end_lineno or body[-1].lineno]
            edits.append((end, end, f"{indent}return {NAME}\n"))
        if fn.returns is not None:
            r = fn.returns
            edits.append(
                (
                    pos(r.lineno, r.col_offset),
                    pos(r.end_lineno or r.lineno, r.end_col_offset or 0),
                    "list[Problem] | None",
                )
            )
        done.append(fn.name)
    out: list[str] = []
    cursor = 0
    for start, end, text in sorted(edits):
        out += [src[cursor:start], text]
        cursor = end
    out.append(src[cursor:])
    if done:
        path.write_text("".join(out))
    return done


def main() -> None:
    for name in sys.argv[1:]:
        done = convert(Path(name))
        if done:
            print(f"{name}: {', '.join(done)}")


if __name__ == "__main__":
    main()
