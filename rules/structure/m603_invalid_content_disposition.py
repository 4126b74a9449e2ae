"""M603 invalid-content-disposition: a Content-Disposition without a valid disposition type."""

from __future__ import annotations

from mimelint.mime.params import TOKEN_RE
from mimelint.mime.quoting import quoted
from mimelint.mime.tree import Header, Part
from mimelint.rule import Context, Problem, fields, rule

from .shared import main_span, structured


@rule(
    code="M603",
    name="invalid-content-disposition",
    severity="warning",
    summary="A Content-Disposition without a valid disposition type",
    visits=fields("content-disposition"),
)
def invalid_content_disposition(
    header: Header, part: Part, context: Context
) -> list[Problem] | None:
    """## What it does
    Flags a Content-Disposition field whose value does not start with a
    disposition type token (``inline``, ``attachment`` or an extension
    token): an empty value, a parameter with no type before it
    (``filename=a.pdf``) or a stray character. Parameter syntax is M604's
    business.

    ## Why is this bad?
    RFC 2183 §2 makes the disposition type mandatory. Readers that cannot
    parse the field ignore it, parameters included: the file name is lost
    and the part may be shown inline, or hidden.

    ## Example
    ```
    Content-Disposition: filename="report.pdf"
    ```

    ## Use instead
    ```
    Content-Disposition: attachment; filename="report.pdf"
    ```

    ## Fix safety
    Not fixable: inline or attachment is the sender's choice.

    ## References
    RFC 2183 §2, §2.8.
    """
    sv = structured(part, header)
    if sv is None or (sv.main and TOKEN_RE.match(sv.main)):
        return None
    why = (
        "is empty" if not sv.main else f"does not start with a disposition type ({quoted(sv.main)})"
    )
    start, end = main_span(header, sv)
    return [
        Problem(
            start,
            end,
            f"the Content-Disposition {why}; readers may ignore the whole "
            "field: start it with 'attachment' or 'inline'",
            part.path,
        )
    ]
