"""M202 reused-boundary: a nested multipart that reuses the boundary of an enclosing one."""

from __future__ import annotations

from collections.abc import Iterator

from mimelint.mime.quoting import quoted
from mimelint.rule import Context, Problem, parts, rule
from mimelint.tree import Part

from .shared import reuses_enclosing, value_span


@rule(
    code="M202",
    name="reused-boundary",
    severity="error",
    summary="A nested multipart reuses the boundary of an enclosing one",
    visits=parts(multipart=True),
)
def reused_boundary(part: Part, context: Context) -> Iterator[Problem]:
    """## What it does
    Flags a multipart nested inside another (directly, or inside an
    attached message) that declares the same boundary as an enclosing one.

    ## Why is this bad?
    RFC 2046 §5.1.1 requires a nested multipart to use a different
    boundary. Receivers split the outer body at every ``--boundary`` line,
    including the inner multipart's, so the inner parts become parts of the
    outer one, the inner multipart is empty and its close delimiter ends the
    outer body early. Different clients show different structures.

    ## Example
    ```
    Content-Type: multipart/mixed; boundary="b1"

    --b1
    Content-Type: multipart/alternative; boundary="b1"
    ```

    ## Use instead
    ```
    Content-Type: multipart/mixed; boundary="b1"

    --b1
    Content-Type: multipart/alternative; boundary="b2"
    ```

    ## Fix safety
    Not fixable: the message itself does not say which delimiter lines
    belong to which multipart, so any repair is a guess at the structure.
    Fix the program that generates the message.

    ## References
    RFC 2046 §5.1.1, §5.1.2.
    """
    if part.boundary is None or not reuses_enclosing(part):
        return
    start, end = value_span(part)
    yield Problem(
        start,
        end,
        f"this multipart reuses the boundary {quoted(part.boundary)} of an enclosing "
        "multipart, so receivers cannot tell where its parts are; give each nested "
        "multipart its own boundary",
        part.path,
    )
