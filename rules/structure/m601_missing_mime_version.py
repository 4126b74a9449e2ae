"""M601 missing-mime-version: MIME header fields used without MIME-Version: 1.0."""

from __future__ import annotations

from mimelint.mime.tree import FIELD, Header, Message
from mimelint.rule import Context, Edit, Fix, Problem, Safety, rule

from .shared import name_span

#: The fields that make a message a MIME message.
_MIME_USED = ("content-type", "content-transfer-encoding", "content-disposition")


@rule(
    code="M601",
    name="missing-mime-version",
    severity="warning",
    summary="MIME header fields used without MIME-Version: 1.0",
    fix_safety="safe",
)
def missing_mime_version(message: Message, context: Context) -> list[Problem] | None:
    """## What it does
    Flags a message whose top-level header section has a Content-Type,
    Content-Transfer-Encoding or Content-Disposition field but no
    MIME-Version field. Embedded messages (``message/rfc822``) and body
    parts are not checked: RFC 2045 §4 requires the field only at the top.

    ## Why is this bad?
    RFC 2045 §4 requires ``MIME-Version: 1.0`` in the header of every MIME
    message. Readers apply the Content-Type without it (Python's ``email``,
    mutt and Thunderbird do not look at the field; Gmail's own delivery
    status reports, multipart/report, are sent without it), so nothing
    shows differently: a warning, not an error. Spam filters score the
    omission: rspamd adds ``MISSING_MIME_VERSION`` (2.0 points) and
    SpamAssassin ``MIME_HEADER_CTYPE_ONLY`` for a type other than
    ``text/plain``.

    ## Example
    ```
    From: ann@example.com
    Content-Type: text/plain; charset=utf-8
    ```

    ## Use instead
    ```
    From: ann@example.com
    MIME-Version: 1.0
    Content-Type: text/plain; charset=utf-8
    ```

    ## Fix safety
    Safe: ``MIME-Version: 1.0`` is inserted before the first MIME field,
    with the message's own line separator; no content changes.

    ## References
    RFC 2045 §4; RFC 2049 §2.
    """
    if message.headers_named("mime-version"):
        return None
    first: Header | None = None
    for h in message.headers:
        if h.kind == FIELD and h.lname in _MIME_USED:
            first = h
            break
    if first is None:
        return None
    linesep = message.line_separator
    fix = Fix(
        (Edit(first.start, first.start, b"MIME-Version: 1.0" + linesep),),
        Safety.SAFE,
        "insert MIME-Version: 1.0",
    )
    start, end = name_span(first)
    return [
        Problem(
            start,
            end,
            f"the message uses {first.name} but has no MIME-Version field; add "
            "'MIME-Version: 1.0' to its header (RFC 2045 §4)",
            "",
            fix,
        )
    ]
