"""M414 several-authors-without-sender: a From of several mailboxes and no Sender."""

from __future__ import annotations

from mimelint.mime.address_fields import resent_blocks
from mimelint.mime.addresses import AddressField
from mimelint.mime.tree import Message
from mimelint.rule import Context, Problem, rule


@rule(
    code="M414",
    name="several-authors-without-sender",
    severity="error",
    summary="A From (or Resent-From) with several mailboxes and no Sender to say who sent it",
)
def several_authors_without_sender(message: Message, context: Context) -> list[Problem] | None:
    """## What it does
    Flags a From field that names more than one mailbox when the header
    section has no Sender field, and likewise a Resent-From with several
    mailboxes in a resent block (the ``Resent-*`` fields added by one
    resending, see :func:`mimelint.mime.address_fields.resent_blocks`) without a
    Resent-Sender. The finding points at the
    second mailbox. Mailboxes that cannot be read are M401's and are not
    counted.

    ## Why is this bad?
    RFC 5322 §3.6.2 lets From name several authors, but then "the sender
    field MUST appear in the message": the one mailbox that actually sent
    it, the address that bounces and DMARC checks are about. §3.6.6 asks
    the same of Resent-From and Resent-Sender. Receivers that verify the
    author (DMARC aligns on the From domain, and with several From
    mailboxes many refuse or quarantine the message) and readers that show
    one sender have no answer without it.

    ## Example
    ```
    From: ann@example.com, bob@example.org
    To: team@example.net
    ```

    ## Use instead
    ```
    From: ann@example.com, bob@example.org
    Sender: ann@example.com
    To: team@example.net
    ```

    ## Fix safety
    Not fixable: which author sent the message is the sender's choice.

    ## References
    RFC 5322 §3.6.2 (originator fields), §3.6.6 (resent fields);
    RFC 7489 §6.6.1 (DMARC and messages with several From addresses).
    """
    read = message.address_fields
    names = message.fields_by_name
    if "resent-from" not in names and (
        "sender" in names or all(read.raws[i].count(b"@") < 2 for i in read.froms)
    ):
        return None  # a Sender, or no From with two '@' (a readable mailbox has one)
    by_start = {field.header.start: field for field in read.fields}
    problems: list[Problem] = []
    if "sender" not in names:
        for header in names.get("from", ()):
            found = _second(by_start[header.start])
            if found is not None:
                problems.append(
                    Problem(
                        found[0],
                        found[1],
                        f"From names {found[2]} mailboxes and there is no Sender field; "
                        "RFC 5322 §3.6.2 requires one naming who sent the message: add "
                        "Sender: with one of them",
                    )
                )
    if "resent-from" not in names:
        return problems
    for block in resent_blocks(message.headers):
        if any(h.lname == "resent-sender" for h in block):
            continue
        for header in block:
            if header.lname != "resent-from":
                continue
            found = _second(by_start[header.start])
            if found is not None:
                problems.append(
                    Problem(
                        found[0],
                        found[1],
                        f"Resent-From names {found[2]} mailboxes and its resent block has no "
                        "Resent-Sender; RFC 5322 §3.6.6 requires one naming who resent the "
                        "message: add Resent-Sender: with one of them",
                    )
                )
    return problems


def _second(field: AddressField) -> tuple[int, int, int] | None:
    """The span of the second readable mailbox of ``field`` and how many there
    are, or None when there are fewer than two."""
    if field.raw.count(b"@") < 2:
        return None  # every readable mailbox has an '@'
    readable = [a for a in field.addresses if a.ok]
    if len(readable) < 2:
        return None
    return readable[1].start, readable[1].end, len(readable)
