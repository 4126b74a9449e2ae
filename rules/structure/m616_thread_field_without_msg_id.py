"""M616 thread-field-without-msg-id: an In-Reply-To or References field that holds no msg-id."""

from __future__ import annotations

from mimelint.mime.message_ids import has_msg_id
from mimelint.mime.quoting import quoted
from mimelint.mime.tree import Header, Part, uncomment
from mimelint.rule import Context, Problem, fields, rule


@rule(
    code="M616",
    name="thread-field-without-msg-id",
    severity="warning",
    summary="An In-Reply-To or References field that holds no <id-left@id-right>",
    visits=fields("in-reply-to", "references"),
)
def thread_field_without_msg_id(
    header: Header, part: Part, context: Context
) -> list[Problem] | None:
    """## What it does
    Flags a top-level In-Reply-To or References field that holds no
    message identifier ``<id-left@id-right>`` at all: an empty value, an
    identifier without its angle brackets (``abc@example.com``), a subject
    or a URL. A field that holds at least one identifier passes, even with
    obsolete words beside it (RFC 5322 §4.5.4 lets readers skip those).

    ## Why is this bad?
    RFC 5322 §3.6.4 makes both fields lists of ``msg-id``: replies are
    threaded by matching them against the Message-ID of earlier messages.
    Providers rewrite Message-ID but never these fields, so a value with
    no identifier reaches every reader as is, and the reply is shown on
    its own instead of in its conversation.

    ## Example
    ```
    In-Reply-To: 20260302100000.42@example.com
    ```

    ## Use instead
    ```
    In-Reply-To: <20260302100000.42@example.com>
    ```

    ## Fix safety
    Not fixable: adding brackets guesses at an identifier that the
    original message may have written differently; take it from the
    Message-ID of the message replied to (Python:
    ``msg["In-Reply-To"] = original["Message-ID"]``).

    ## References
    RFC 5322 §3.6.4, §4.5.4.
    """
    if part.parent is not None:
        return None  # an attached message's threading is someone else's
    text = uncomment(header.unfolded.decode("latin-1"))
    if text is not None and has_msg_id(text):
        return None
    start, end = header.value_span
    what = "is empty" if start == end else f"is {quoted(part.data[start:end], 40)}"
    return [
        Problem(
            start,
            end,
            f"{header.name} {what}, which holds no message identifier '<id-left@id-right>' "
            "(RFC 5322 §3.6.4), so replies cannot be threaded: copy the Message-ID of the "
            "message replied to, angle brackets included",
        )
    ]
