"""M610 missing-date: no Date field (RFC 5322 requires one; SES adds its own)."""

from __future__ import annotations

from mimelint.mime.tree import Message
from mimelint.rule import Context, Problem, rule

from .shared import missing_field


@rule(
    code="M610",
    name="missing-date",
    severity="error",
    summary="No Date field (RFC 5322 requires one; SES adds its own)",
)
def missing_date(message: Message, context: Context) -> list[Problem] | None:
    """## What it does
    Flags a message without a Date field in its top-level header. Not
    reported under the SES profiles: Amazon SES sets its own Date on every
    message it sends. The finding points at the end of the header section.

    ## Why is this bad?
    RFC 5322 §3.6 requires exactly one Date (the origination date). Without
    it, receivers stamp the time they received the message, or sort it
    oddly, and spam filters score its absence.

    ## Example
    ```
    From: Ann <ann@example.com>
    Subject: Hello
    ```

    ## Use instead
    ```
    From: Ann <ann@example.com>
    Date: Mon, 2 Mar 2026 10:00:00 +0000
    Subject: Hello
    ```

    ## Fix safety
    Not fixable: the date must be the time of sending, which a linter run
    before the send does not know. Let the sending code add it.

    ## References
    RFC 5322 §3.3, §3.6, §3.6.1; SES developer guide, "Amazon SES header
    fields".
    """
    if not missing_field(message, context, "date"):
        return None
    at = message.header_end
    return [
        Problem(
            at,
            at,
            "the message has no Date field (RFC 5322 §3.6 requires one); add "
            "'Date: <time of sending>' to its header",
            "",
        )
    ]
