"""M416 empty-recipient-field: a To or Cc (or Resent-To, Resent-Cc) with no address."""

from __future__ import annotations

from mimelint.mime.tree import Message, uncomment
from mimelint.rule import Context, Problem, rule

#: The recipient fields that must hold an address when present (RFC 5322
#: §3.6.3, §3.6.6); Bcc and Resent-Bcc may be empty.
_MUST_HOLD = ("to", "cc", "resent-to", "resent-cc")


@rule(
    code="M416",
    name="empty-recipient-field",
    severity="warning",
    summary="A To, Cc, Resent-To or Resent-Cc field that holds no address",
)
def empty_recipient_field(message: Message, context: Context) -> list[Problem] | None:
    """## What it does
    Flags a To, Cc, Resent-To or Resent-Cc field of the top-level message
    that holds no address at all: an empty value, only white space, only a
    comment, or only commas. A group, even an empty one
    (``To: undisclosed-recipients:;``), is an address and is not flagged;
    neither is an empty Bcc, which RFC 5322 allows. A mailbox that cannot be
    read is M401's.

    ## Why is this bad?
    RFC 5322 §3.6.3 (and §3.6.6 for the resent fields) defines these fields
    as an ``address-list``: at least one address. An empty one usually
    comes from a template whose recipient variable was empty, so the
    message may not go where it was meant to; strict readers flag the
    field, others show an empty recipient line.

    ## Example
    ```
    From: ann@example.com
    To:
    Bcc: bob@example.org
    ```

    ## Use instead
    ```
    From: ann@example.com
    To: undisclosed-recipients:;
    Bcc: bob@example.org
    ```

    ## Fix safety
    Not fixable: the missing recipient is unknown, and leaving the field out
    changes what every reader shows.

    ## References
    RFC 5322 §3.6.3 (destination fields), §3.6.6 (resent fields), §3.4
    (address-list, group).
    """
    read = message.address_fields
    problems: list[Problem] = []
    for index, header in enumerate(read.headers):
        if header.lname not in _MUST_HOLD:
            continue
        raw = read.raws[index]
        if read.plain and raw.strip(b" \t\r\n"):
            continue  # a plain list (mailboxes and commas only) with a byte in it
        field = read.fields[index]
        advice = (
            f"give the recipients, or write {header.name}: undisclosed-recipients:; when all "
            "of them are in Bcc"
            if header.lname.endswith("to")
            else "give the recipients, or leave the field out"
        )
        if not raw.strip(b" \t\r\n"):
            problems.append(
                Problem(
                    header.start,
                    header.colon + 1,
                    f"{header.name} is empty; RFC 5322 requires at least one address there: {advice}",
                )
            )
        elif not field.addresses:
            bare = uncomment(header.value)
            if bare is not None and ":" in bare:
                continue  # a group, even an empty one, is an address
            start = header.value_start + len(raw) - len(raw.lstrip(b" \t\r\n"))
            problems.append(
                Problem(
                    start,
                    header.value_end,
                    f"{header.name} holds no address, only "
                    f"{'a comment' if '(' in header.value else 'separators'}; RFC 5322 requires "
                    f"at least one address there: {advice}",
                )
            )
    return problems
