"""M201 missing-boundary: a multipart Content-Type without a boundary parameter."""

from __future__ import annotations

from mimelint.mime.boundaries import boundary_param
from mimelint.mime.tree import DefectKind, Message
from mimelint.rule import Context, Problem, message, rule

from .shared import type_span


@rule(
    code="M201",
    name="missing-boundary",
    severity="error",
    summary="A multipart Content-Type without a boundary parameter",
    visits=message(defects=[DefectKind.NO_BOUNDARY]),
)
def missing_boundary(message: Message, context: Context) -> list[Problem] | None:
    """## What it does
    Flags a ``multipart/*`` part whose Content-Type has no ``boundary``
    parameter, or an empty one.

    ## Why is this bad?
    The boundary is required for every multipart type (RFC 2046 §5.1.1):
    without it no receiver can find the parts, and the whole body is shown
    as one blob of text or dropped. Amazon SES asks for multipart parts to
    be well formed (SES API v2 reference, RawMessage).

    ## Example
    ```
    Content-Type: multipart/mixed
    ```

    ## Use instead
    ```
    Content-Type: multipart/mixed; boundary="=_part_1"
    ```

    ## Fix safety
    Not fixable: which lines of the body were meant as delimiters is unknown.

    ## References
    RFC 2046 §5.1.1; RFC 2045 §5.1.
    """
    found = message.parts_with_defect[DefectKind.NO_BOUNDARY]
    parts = message.parts()
    problems: list[Problem] = []
    for i in found:
        part = parts[i]
        start, end = type_span(part)
        param = boundary_param(part)
        if param is not None:
            start, end = param.start, param.end
            text = "has an empty boundary parameter"
        else:
            text = "has no boundary parameter"
        problems.append(
            Problem(
                start,
                end,
                f"{part.content_type} {text}, so its parts cannot be found; add "
                'boundary="..." naming the delimiter lines of its body',
                part.path,
            )
        )
    return problems
