"""M407 too-many-recipients: more recipients than the provider accepts."""

from __future__ import annotations

from mimelint.mime.address_fields import RECIPIENT_FIELDS
from mimelint.mime.tree import Message
from mimelint.rule import Context, Problem, rule


@rule(
    code="M407",
    name="too-many-recipients",
    severity="error",
    summary="More recipients in To, Cc and Bcc than the provider accepts per message",
)
def too_many_recipients(message: Message, context: Context) -> list[Problem] | None:
    """## What it does
    Counts the addresses in To, Cc and Bcc together and flags the first one
    beyond the profile's limit (50 under the ``ses`` profiles; no limit
    under ``rfc``). Empty groups such as ``undisclosed-recipients:;`` count
    nothing.

    ## Why is this bad?
    SES refuses a message with more than 50 recipients, To, Cc and Bcc
    together (SES API reference, SendRawEmail).

    ## Example
    ```
    To: a1@example.com, a2@example.com, ..., a51@example.com
    ```

    ## Use instead
    Send several messages of at most 50 recipients each, or one per
    recipient.

    ## Fix safety
    Not fixable.

    ## References
    SES API reference, SendRawEmail (Destinations); SES quotas page.
    """
    limit = context.profile.max_recipients
    if limit is None:
        return None
    read = message.address_fields
    if read.simple and read.joined.count(b"@") <= limit:
        # a simple list has one '@' per mailbox (more if a display name
        # holds one), and these are every address field, not only To, Cc, Bcc
        return None
    recipients = 0
    fields = read.fields
    for index in read.recipients:
        recipients += fields[index].count()
    if recipients <= limit:
        return None
    problems: list[Problem] = []
    for count, (header, address) in enumerate(read.mailboxes(RECIPIENT_FIELDS), 1):
        if count == limit + 1:
            total = sum(1 for _ in read.mailboxes(RECIPIENT_FIELDS))
            problems.append(
                Problem(
                    address.start,
                    address.end,
                    f"{total} recipients in To, Cc and Bcc; {context.profile.name} accepts at most "
                    f"{limit} per message: this is recipient {limit + 1} (in {header.name}). "
                    "Split the recipients over several messages",
                )
            )
            return problems
    return problems
