"""M406 missing-from: no From field, or an empty one."""

from __future__ import annotations

from mimelint.mime.address_fields import RESENT_BLOCK_FIELDS, resent_blocks
from mimelint.mime.tree import Message, uncomment
from mimelint.rule import Context, Problem, Severity, rule


@rule(
    code="M406",
    name="missing-from",
    severity="error",
    summary="The message has no From field, or an empty one",
)
def missing_from(message: Message, context: Context) -> list[Problem] | None:
    """## What it does
    Flags a top-level message without a From field, or whose From holds no
    address. Embedded ``message/rfc822`` parts are not checked: they are
    content the recipient opens (drafts and forwarded fragments often lack
    From), not messages being sent.

    A From that holds no mailbox at all counts as empty: only a comment
    (``From: (nobody)``), an empty group (``From: undisclosed:;``) or
    commas. A mailbox the reader cannot parse is M401's.

    Resent blocks are read the same way: a block of ``Resent-*`` fields
    (one resending) without a Resent-From is flagged too, as a warning
    (the message was already sent once; nothing refuses it for that).

    ## Why is this bad?
    RFC 5322 §3.6 requires exactly one From field, and §3.6.2 the author's
    mailbox in it. SES refuses a message without one, and receivers treat it
    as spam or reject it (DMARC aligns on the From domain). RFC 6854 lets
    From hold group syntax in limited cases, but an empty group still names
    no one to reply to or to authenticate.

    ## Example
    ```
    To: bob@example.com
    Subject: Hello
    ```

    ## Use instead
    ```
    From: Ann <ann@example.com>
    To: bob@example.com
    Subject: Hello
    ```

    ## Fix safety
    Not fixable: the sender is unknown.

    ## References
    RFC 5322 §3.6, §3.6.2, §3.6.6 (resent fields); SES API reference,
    RawMessage (required headers).
    """
    read = message.address_fields
    problems: list[Problem] = []
    if not RESENT_BLOCK_FIELDS.isdisjoint(message.fields_by_name):
        for block in resent_blocks(message.headers):
            if not any(h.lname == "resent-from" for h in block):
                first = block[0]
                problems.append(
                    Problem(
                        first.start,
                        first.colon + 1,
                        f"this resent block ({', '.join(h.name for h in block)}) has no "
                        "Resent-From; RFC 5322 §3.6.6 requires one in each block: add "
                        "Resent-From: with who resent the message",
                        severity=Severity.WARNING,
                    )
                )
    if not read.froms:
        problems.append(
            Problem(
                message.header_end,
                message.header_end,
                "the message has no From field; add one, for example From: Name <sender@example.com>",
            )
        )
        return problems
    for index in read.froms:
        if read.plain and read.raws[index].strip(b" \t\r\n"):
            continue  # a plain list (mailboxes and commas only) with a byte in it
        field = read.fields[index]
        header = field.header
        if not field.count() and not header.unfolded:
            problems.append(
                Problem(
                    header.start,
                    header.colon + 1,
                    "From is empty; give the sender's address, for example From: Name <sender@example.com>",
                )
            )
        elif not field.addresses:  # not even a mailbox in error (M401's)
            value = header.value
            bare = uncomment(value)  # a ':' inside a comment opens no group
            if bare is not None and ":" in bare:
                what = "an empty group"
            elif "(" in value:
                what = "a comment"
            else:
                what = "separators"
            raw = read.raws[index]
            problems.append(
                Problem(
                    header.value_start + len(raw) - len(raw.lstrip(b" \t\r\n")),
                    header.value_end,
                    f"From holds no address, only {what}; give the sender's address, for "
                    "example From: Name <sender@example.com>",
                )
            )
    return problems
