"""M207 empty-multipart: a multipart with no parts."""

from __future__ import annotations

from mimelint.mime.tree import DefectKind, Message
from mimelint.rule import Context, Problem, message, rule

from .shared import reuses_enclosing, type_span


@rule(
    code="M207",
    name="empty-multipart",
    severity="error",
    summary="A multipart with no parts",
    visits=message(defects=[DefectKind.NO_PARTS]),
)
def empty_multipart(message: Message, context: Context) -> list[Problem] | None:
    """## What it does
    Flags a multipart whose body holds no part: no delimiter line
    ``--boundary`` at all (often the body was written with another
    boundary than the one declared), or only a close delimiter.

    ## Why is this bad?
    RFC 2046 §5.1.1 requires at least one body part. Receivers show an
    empty message or the raw body, and Amazon SES asks for multipart parts
    to be well formed (SES API v2 reference, RawMessage).

    ## Example
    ```
    Content-Type: multipart/mixed; boundary="b1"

    --b2
    Content-Type: text/plain
    ```

    ## Use instead
    ```
    Content-Type: multipart/mixed; boundary="b2"

    --b2
    Content-Type: text/plain
    ```

    ## Fix safety
    Not fixable: which boundary was meant, or whether content was lost, is
    unknown.

    ## References
    RFC 2046 §5.1.1.
    """
    found = message.parts_with_defect[DefectKind.NO_PARTS]
    parts = message.parts()
    problems: list[Problem] = []
    for i in found:
        part = parts[i]
        if part.boundary is None or part.children or reuses_enclosing(part):
            continue
        start, end = type_span(part)
        if part.delimiters:
            text = "has only a close delimiter and no parts"
        else:
            text = f"has no delimiter line --{part.boundary} in its body, so no parts"
        problems.append(
            Problem(
                start,
                end,
                f"{part.content_type} {text}; check the boundary parameter against the body",
                part.path,
            )
        )
    return problems
