"""M305 continuation-first-line: the header section starts with white space."""

from __future__ import annotations

from mimelint.mime.lines import line_end
from mimelint.mime.tree import CONTINUATION_FIRST, Header, Part
from mimelint.rule import Context, Edit, Fix, Problem, Safety, fields, rule


@rule(
    code="M305",
    name="continuation-first-line",
    severity="error",
    summary="The header section starts with a folded continuation line",
    fix_safety="safe",
    visits=fields(kinds=[CONTINUATION_FIRST]),
)
def continuation_first_line(header: Header, part: Part, context: Context) -> list[Problem] | None:
    """## What it does
    Flags a header section whose first line starts with white space, so it
    continues a field that does not exist.

    ## Why is this bad?
    A line starting with white space is the continuation of the previous
    field (RFC 5322 §2.2.3); as the first line it belongs to nothing.
    Parsers drop it or take the whole header section for body text (Python's
    ``email`` records ``FirstHeaderLineIsContinuationDefect``). It is often
    a sign of stray white space before the message, left by a template.

    ## Example
    ```
     Subject: Report
    From: ann@example.com
    ```

    ## Use instead
    ```
    Subject: Report
    From: ann@example.com
    ```

    ## Fix safety
    Safe when the lines hold nothing but white space (a copy of a message
    that starts with a line of spaces, as in flanker's test messages): they
    are removed, and no field or body byte changes. Otherwise not fixable:
    removing the white space may turn the line into a field nobody meant
    to send.

    ## References
    RFC 5322 §2.2.3; RFC 7103 §7.
    """
    blank = not part.data[header.start : header.end].strip(b" \t\r\n")
    return [
        Problem(
            header.start,
            line_end(part.data, header.start, header.end),
            "the header section starts with white space, so this line continues no "
            "field; remove the leading white space or the line",
            fix=Fix(
                (Edit(header.start, header.end, b""),),
                Safety.SAFE,
                "remove the white-space-only line before the first field",
            )
            if blank
            else None,
        )
    ]
