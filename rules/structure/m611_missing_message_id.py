"""M611 missing-message-id: no Message-ID field (RFC 5322 says it should have one; SES adds its own)."""

from __future__ import annotations

from mimelint.mime.tree import Message
from mimelint.rule import Context, Problem, rule

from .shared import missing_field


@rule(
    code="M611",
    name="missing-message-id",
    severity="warning",
    summary="No Message-ID field (RFC 5322 says it should have one; SES adds its own)",
)
def missing_message_id(message: Message, context: Context) -> list[Problem] | None:
    """## What it does
    Flags a message without a Message-ID field in its top-level header. Not
    reported under the SES profiles: Amazon SES sets its own Message-ID. The
    finding points at the end of the header section.

    ## Why is this bad?
    RFC 5322 §3.6.4 says every message should have a Message-ID. Replies
    thread by it (In-Reply-To, References), duplicate suppression keys on
    it, and spam filters score its absence.

    ## Example
    ```
    From: Ann <ann@example.com>
    Date: Mon, 2 Mar 2026 10:00:00 +0000
    ```

    ## Use instead
    ```
    From: Ann <ann@example.com>
    Date: Mon, 2 Mar 2026 10:00:00 +0000
    Message-ID: <20260302100000.42@example.com>
    ```

    ## Fix safety
    Not fixable: the identifier must be unique and belongs to the sending
    domain; let the sending code create it.

    ## References
    RFC 5322 §3.6.4; SES developer guide, "Amazon SES header fields".
    """
    if not missing_field(message, context, "message-id"):
        return None
    at = message.header_end
    return [
        Problem(
            at,
            at,
            "the message has no Message-ID field (RFC 5322 §3.6.4 says it should); add "
            "one such as '<unique-id@your-domain>'",
            "",
        )
    ]
