"""M306 envelope-from-line: an mbox "From " line at the top of a message."""

from __future__ import annotations

from mimelint.mime.lines import line_end
from mimelint.mime.tree import ENVELOPE, Header, Part
from mimelint.rule import Context, Edit, Fix, Problem, Safety, Severity, fields, rule


@rule(
    code="M306",
    name="envelope-from-line",
    severity="error",
    summary="An mbox 'From ' envelope line at the top of the message",
    fix_safety="safe",
    visits=fields(kinds=[ENVELOPE]),
)
def envelope_from_line(header: Header, part: Part, context: Context) -> list[Problem] | None:
    """## What it does
    Flags an mbox ``From sender date`` line (no colon) at the very top of a
    message, a leftover of storage in an mbox file. Inside a forwarded
    message (``message/rfc822``) it is a warning: the sender forwards that
    content as it was and cannot repair it.

    ## Why is this bad?
    The ``From `` line is mbox framing (RFC 4155), not a header field: RFC
    5322 §2.2 has no place for it. Amazon SES refuses the message
    (``Illegal header``) and other receivers show it as garbage or end the
    header section there.

    ## Example
    ```
    From ann@example.com Wed Nov 25 10:00:00 2026
    From: Ann <ann@example.com>
    ```

    ## Use instead
    ```
    From: Ann <ann@example.com>
    ```

    ## Fix safety
    Safe: the line is removed; it is storage framing, not part of the
    message, and no header field or body byte changes.

    ## References
    RFC 4155; RFC 5322 §2.2; RFC 7103 §7.
    """
    forwarded = part.in_embedded_message
    return [
        Problem(
            header.start,
            line_end(part.data, header.start, header.end),
            "the message starts with an mbox 'From ' envelope line, which is not a "
            "header field; remove it before sending",
            fix=Fix(
                (Edit(header.start, header.end, b""),), Safety.SAFE, "remove the mbox 'From ' line"
            ),
            severity=Severity.WARNING if forwarded else None,
        )
    ]
