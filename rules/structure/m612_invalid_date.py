"""M612 invalid-date: a Date field that is not an RFC 5322 date-time."""

from __future__ import annotations

from mimelint.mime.dates import date_problem
from mimelint.mime.tree import FIELD, Message
from mimelint.rule import Context, Problem, rule


@rule(
    code="M612",
    name="invalid-date",
    severity="error",
    summary="A Date field that is not an RFC 5322 date-time",
)
def invalid_date(message: Message, context: Context) -> list[Problem] | None:
    """## What it does
    Flags a top-level Date field whose value is not an RFC 5322 date-time
    (``Date: yesterday``, ISO 8601 ``2026-03-02T10:00:00Z``, no time zone,
    a day that does not exist, a day name that does not match the date).
    The obsolete forms every reader must accept (RFC 5322 §4.3) pass:
    comments, two-digit years, ``GMT``/``EST``-style and military zones,
    no seconds; so does ``UTC`` (not in the grammar, but every date parser
    reads it). Other zone names (``CET``) are flagged: RFC 5322 §4.3 has
    readers take an unknown zone as ``-0000``, so the time shown is wrong.
    Not reported under the SES profiles: Amazon SES replaces the Date of
    every message it accepts with its own time stamp, so the value never
    reaches a reader (``--profile rfc`` reports it).

    ## Why is this bad?
    RFC 5322 §3.3 defines the date-time syntax and §3.6.1 requires the
    origination date in it. Clients that cannot parse the Date sort the
    message at 1970 or at the time received, and spam filters score an
    invalid date (SpamAssassin ``INVALID_DATE``).

    ## Example
    ```
    Date: 2026-03-02T10:00:00Z
    ```

    ## Use instead
    ```
    Date: Mon, 2 Mar 2026 10:00:00 +0000
    ```

    ## Fix safety
    Not fixable: the date must be the time of sending, which a linter does
    not know; have the sending code write it (Python:
    ``email.utils.format_datetime``).

    ## References
    RFC 5322 §3.3, §3.6.1, §4.3; SES developer guide, "Amazon SES header
    fields" (SES overwrites Date).
    """
    if context.profile.overwrites_date_and_message_id:
        return None
    problems: list[Problem] = []
    for h in message.headers_named("date"):
        if h.kind != FIELD:
            continue
        why = date_problem(h.unfolded.decode("latin-1"))
        if why is not None:
            start, end = h.value_span
            problems.append(
                Problem(
                    start,
                    end,
                    f"the Date field is not an RFC 5322 date-time: {why}; write it like "
                    "'Mon, 2 Mar 2026 10:00:00 +0000' (RFC 5322 §3.3)",
                    "",
                )
            )
    return problems
