"""M406 missing-from: no From field, or an empty one."""

from __future__ import annotations

from collections.abc import Iterator

from mimelint.rule import Context, Problem, rule
from mimelint.tree import Message, uncomment


@rule(
    code="M406",
    name="missing-from",
    severity="error",
    summary="The message has no From field, or an empty one",
)
def missing_from(message: Message, context: Context) -> Iterator[Problem]:
    """## What it does
    Flags a top-level message without a From field, or whose From holds no
    address. Embedded ``message/rfc822`` parts are not checked: they are
    content the recipient opens (drafts and forwarded fragments often lack
    From), not messages being sent.

    A From that holds no mailbox at all counts as empty: only a comment
    (``From: (nobody)``), an empty group (``From: undisclosed:;``) or
    commas. A mailbox the reader cannot parse is M401's.

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
    RFC 5322 §3.6, §3.6.2; SES API reference, RawMessage (required headers).
    """
    read = message.address_fields
    if not read.froms:
        yield Problem(
            message.header_end,
            message.header_end,
            "the message has no From field; add one, for example From: Name <sender@example.com>",
        )
        return
    for index in read.froms:
        if read.plain and read.raws[index].strip(b" \t\r\n"):
            continue  # a plain list (mailboxes and commas only) with a byte in it
        field = read.fields[index]
        header = field.header
        if not field.count() and not header.unfolded:
            yield Problem(
                header.start,
                header.colon + 1,
                "From is empty; give the sender's address, for example From: Name <sender@example.com>",
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
            yield Problem(
                header.value_start + len(raw) - len(raw.lstrip(b" \t\r\n")),
                header.value_end,
                f"From holds no address, only {what}; give the sender's address, for "
                "example From: Name <sender@example.com>",
            )
