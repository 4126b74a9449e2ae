"""M202 reused-boundary: a nested multipart that reuses the boundary of an enclosing one."""

from __future__ import annotations

import bisect

from mimelint.mime.boundaries import boundary_param, delimiter_tail
from mimelint.mime.quoting import quoted
from mimelint.mime.tree import Part
from mimelint.rule import Context, Edit, Fix, Problem, Safety, parts, rule

from .shared import boundary_span, reuses_enclosing


@rule(
    code="M202",
    name="reused-boundary",
    severity="error",
    summary="A nested multipart reuses the boundary of an enclosing one",
    fix_safety="unsafe",
    visits=parts(multipart=True),
)
def reused_boundary(part: Part, context: Context) -> list[Problem] | None:
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
    Unsafe: the fix takes the reading the author declared. The nested
    multipart gets a fresh boundary, written in its Content-Type and on
    the delimiter lines from its header section up to the first close
    delimiter after it (those lines were written for it: it is the
    innermost multipart open there); the enclosing multipart keeps the
    rest. It cannot be safe: every reader today (this one, and Python's
    ``email``) splits the enclosing body at every ``--b1`` line, so the
    fix changes which parts they see, and whether the author meant the
    first close delimiter for the nested multipart is a guess the bytes
    cannot settle. It is offered only when that reading exists (the
    nested multipart opens with a delimiter and is closed) and no other
    multipart reuses the same boundary. Better still, fix the program
    that generates the message.

    ## References
    RFC 2046 §5.1.1, §5.1.2.
    """
    if part.boundary is None or not reuses_enclosing(part):
        return None
    start, end = boundary_span(part)
    return [
        Problem(
            start,
            end,
            f"this multipart reuses the boundary {quoted(part.boundary)} of an enclosing "
            "multipart, so receivers cannot tell where its parts are; give each nested "
            "multipart its own boundary",
            part.path,
            _declared_reading_fix(part),
        )
    ]


def _declared_reading_fix(part: Part) -> Fix | None:
    """A fresh boundary for the nested multipart on the lines written for it.

    Its delimiter lines are those of its boundary from its own body on, up
    to and including the first close delimiter, within the enclosing
    multipart of the same boundary.
    """
    from mimelint.mime.writers import NoFreeBoundary, fresh_boundary  # fixes only (start-up)

    message = part.message
    assert part.boundary is not None
    param = boundary_param(part)
    if param is None or "*" in param.raw_name:
        return None
    if param.unterminated:
        return None
    shape = message.multipart_shape
    parts = message.parts()
    same = [parts[i] for i in shape.multiparts if parts[i].start in shape.reusing]
    if sum(p.boundary == part.boundary for p in same) != 1:
        return None  # several levels reuse it: which close is whose is a guess too far
    outer = next(a for a in part.ancestors() if a.boundary == part.boundary)
    raw = part.boundary.encode("utf-8", "surrogateescape")
    data = message.data
    lines = message.dash_lines()
    own: list[int] = []
    closed = False
    i = bisect.bisect_left(lines, part.body_start)
    while i < len(lines) and lines[i] < outer.body_end:
        dash = lines[i]
        i += 1
        tail = delimiter_tail(data, dash, raw, outer.body_end)
        if tail is None:
            continue
        own.append(dash)
        if tail[1]:
            closed = True
            break
    if not closed or len(own) < 2:
        return None  # never opened or never closed: no declared reading to take
    try:
        new = fresh_boundary(message).encode("ascii")
    except NoFreeBoundary:
        return None
    edits = [Edit(param.value_start, param.value_end, b'"' + new + b'"')]
    edits.extend(Edit(dash + 2, dash + 2 + len(raw), new) for dash in own)
    return Fix(
        tuple(edits),
        Safety.UNSAFE,
        "give the nested multipart a fresh boundary on its own delimiter lines",
    )
