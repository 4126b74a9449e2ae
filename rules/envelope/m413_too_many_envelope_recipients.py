"""M413 too-many-envelope-recipients: more envelope recipients than the provider accepts."""

from __future__ import annotations

from mimelint.mime.tree import Message
from mimelint.rule import Context, Problem, message, rule


@rule(
    code="M413",
    name="too-many-envelope-recipients",
    severity="error",
    summary="More envelope recipients (Destinations) than the provider accepts per call",
    visits=message(envelope=True),
)
def too_many_envelope_recipients(message: Message, context: Context) -> list[Problem] | None:
    """## What it does
    Flags an envelope with more recipients (``--envelope-to``, SES
    ``Destinations``) than the profile allows: 50 under the ``ses``
    profiles, no limit under ``rfc``.

    ## Why is this bad?
    SES refuses a call with more than 50 destinations (SES API reference,
    SendRawEmail: "no more than 50 recipients").

    ## Example
    ```
    mimelint check --envelope-to a1@example.com ... --envelope-to a51@example.com message.eml
    ```

    ## Use instead
    Split the recipients over several calls of at most 50 each.

    ## Fix safety
    Not fixable.

    ## References
    SES API reference, SendRawEmail; SES quotas page.
    """
    limit = context.profile.max_recipients
    count = len(context.envelope_to)
    problems: list[Problem] = []
    if limit is not None and count > limit:
        first = context.envelope_to[limit]
        problems.append(
            Problem(
                0,
                0,
                f"{count} envelope recipients; {context.profile.name} accepts at most {limit} per "
                f"message (envelope recipient {limit + 1} <{first}> is the first one over). "
                "Split the recipients over several sends",
            )
        )
    return problems
