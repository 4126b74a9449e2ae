"""M601 missing-mime-version: MIME header fields used without MIME-Version: 1.0."""

from __future__ import annotations

from mimelint.mime.tree import FIELD, Header, Message
from mimelint.rule import Context, Edit, Fix, Problem, Safety, Severity, rule

from .shared import name_span

#: The fields that make a message a MIME message.
_MIME_USED = ("content-type", "content-transfer-encoding", "content-disposition")
#: Transfer encodings that leave the body as it is written.
_PLAIN_ENCODINGS = frozenset({"7bit", "8bit"})


@rule(
    code="M601",
    name="missing-mime-version",
    severity="error",
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
    message; without it a reader may treat the message as plain RFC 822
    text and show the raw MIME structure. Spam filters score a Content-Type
    without MIME-Version (SpamAssassin ``MISSING_MIMEOLE``-style rules).

    It is an error where MIME is used for something: a multipart or any
    other type than ``text/plain``, a transfer encoding other than ``7bit``
    or ``8bit``, a Content-Disposition, or a body that is not ASCII (whose
    charset only a MIME reader applies). On a ``text/plain`` message whose
    body is ASCII it is a warning: a reader that ignores MIME shows exactly
    what a MIME reader shows, so adding the field changes nothing anyone
    sees.

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
    harmless = _reads_the_same_without_mime(message)
    return [
        Problem(
            start,
            end,
            f"the message uses {first.name} but has no MIME-Version field; add "
            "'MIME-Version: 1.0' to its header (RFC 2045 §4)"
            + (" (the ASCII text/plain body reads the same either way)" if harmless else ""),
            "",
            fix,
            Severity.WARNING if harmless else None,
        )
    ]


def _reads_the_same_without_mime(message: Message) -> bool:
    """A text/plain message with an ASCII body and no MIME field that changes how it is shown."""
    if message.content_type != "text/plain" or message.transfer_encoding not in _PLAIN_ENCODINGS:
        return False
    if message.headers_named("content-disposition"):
        return False
    return message.data[message.body_start : message.body_end].isascii()
