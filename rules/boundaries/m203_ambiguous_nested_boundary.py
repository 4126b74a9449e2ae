"""M203 ambiguous-nested-boundary: a nested boundary that is a prefix or an extension of an enclosing one."""

from __future__ import annotations

from mimelint.mime.boundaries import enclosing_prefix
from mimelint.mime.quoting import quoted
from mimelint.mime.tree import Part
from mimelint.rule import Context, Problem, parts, rule

from .shared import boundary_span, repair_fix, reuses_enclosing


@rule(
    code="M203",
    name="ambiguous-nested-boundary",
    severity="error",
    summary="A nested boundary is a prefix or an extension of an enclosing one",
    fix_safety="safe",
    visits=parts(multipart=True),
)
def ambiguous_nested_boundary(part: Part, context: Context) -> list[Problem] | None:
    """## What it does
    Flags a nested multipart whose boundary begins with an enclosing
    multipart's boundary, or is the beginning of it (``b1`` inside ``b1-x``,
    or ``b1-x`` inside ``b1``).

    ## Why is this bad?
    RFC 2046 §5.1.1 asks that a boundary not occur in the parts it
    delimits. ``--b1-x`` starts with ``--b1``: parsers that match delimiter
    lines by prefix (many do) split the outer body at the inner delimiters.

    ## Example
    ```
    Content-Type: multipart/mixed; boundary="part"
    --part
    Content-Type: multipart/alternative; boundary="part-alt"
    ```

    ## Use instead
    ```
    Content-Type: multipart/mixed; boundary="part"
    --part
    Content-Type: multipart/alternative; boundary="=_ml_3f2a..."
    ```

    ## Fix safety
    Safe: the nested multipart gets a fresh boundary, rewritten in its
    Content-Type and every one of its delimiter lines; content is untouched.

    ## References
    RFC 2046 §5.1.1.
    """
    if part.boundary is None or reuses_enclosing(part):
        return None  # a reused boundary is M202's
    other = enclosing_prefix(part)
    if other is None:
        return None
    assert other.boundary is not None
    relation = "an extension" if part.boundary.startswith(other.boundary) else "a prefix"
    start, end = boundary_span(part)
    return [
        Problem(
            start,
            end,
            f"boundary {quoted(part.boundary)} is {relation} of the enclosing boundary "
            f"{quoted(other.boundary)}, so delimiter lines are ambiguous; use an unrelated boundary",
            part.path,
            repair_fix(part),
        )
    ]
