"""M205 invalid-boundary: a boundary longer than 70 characters or with characters RFC 2046 forbids."""

from __future__ import annotations

from mimelint.mime.boundaries import boundary_problem
from mimelint.mime.tree import Part
from mimelint.rule import Context, Problem, parts, rule

from .shared import boundary_span, repair_fix


@rule(
    code="M205",
    name="invalid-boundary",
    severity="warning",
    summary="A boundary longer than 70 characters or with characters RFC 2046 forbids",
    fix_safety="safe",
    visits=parts(multipart=True),
)
def invalid_boundary(part: Part, context: Context) -> list[Problem] | None:
    """## What it does
    Flags a boundary longer than 70 characters, holding a character outside
    RFC 2046's set (letters, digits, space and ``'()+_,-./:=?``), or ending
    with a space.

    ## Why is this bad?
    RFC 2046 §5.1.1 defines the boundary's grammar. Parsers written to it
    cut long boundaries, stop at other characters or strip the trailing
    space, then find no delimiter lines and show no parts. Most mailers
    accept such boundaries, so this is a warning.

    ## Example
    ```
    Content-Type: multipart/mixed; boundary="#part#1"
    ```

    ## Use instead
    ```
    Content-Type: multipart/mixed; boundary="=_part_1"
    ```

    ## Fix safety
    Safe: the multipart gets a fresh boundary (rewritten in its Content-Type
    and every delimiter line); content is untouched.

    ## References
    RFC 2046 §5.1.1 (boundary, bchars, bcharsnospace).
    """
    if part.boundary is None:
        return None
    problem = boundary_problem(part.boundary)
    if problem is None:
        return None
    start, end = boundary_span(part)
    return [
        Problem(
            start,
            end,
            f"boundary {problem}; use 1 to 70 characters from A-Z a-z 0-9 '()+_,-./:=? "
            "and space, not ending in a space",
            part.path,
            repair_fix(part),
        )
    ]
