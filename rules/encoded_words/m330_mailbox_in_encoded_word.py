"""M330 mailbox-in-encoded-word: a whole mailbox, address included, inside encoded-words."""

from __future__ import annotations

from mimelint.mime.encoded_words import EncodedMailbox, mailbox_in_encoded_word
from mimelint.mime.fields import FieldKind, field_kind
from mimelint.mime.quoting import quoted
from mimelint.mime.tree import Header, Part
from mimelint.rule import Context, Edit, Fact, Fix, Problem, Safety, parts, rule


@rule(
    code="M330",
    name="mailbox-in-encoded-word",
    severity="error",
    summary="An address field whose whole mailbox, address included, is encoded-words",
    fix_safety="unsafe",
    visits=parts(encoded_words=True, requires=[Fact.WORD_IN_ADDRESS]),
)
def mailbox_in_encoded_word_rule(part: Part, context: Context) -> list[Problem] | None:
    """## What it does
    Flags an address field (From, To, Reply-To...) whose value is only
    encoded-words that decode to a whole mailbox, display name *and*
    address: ``From: =?utf-8?b?U8OpbmRlciA8c2VuZGVyQGV4YW1wbGUuY29tPg==?=``
    (``Sénder <sender@example.com>``). The address rules stay quiet about
    such a field (M401 would say it has no ``@domain``); this is the one
    finding.

    ## Why is this bad?
    An encoded-word may stand for a display name, never for an addr-spec
    (RFC 2047 §5(3)), so to every reader the field holds a name and no
    address. Amazon SES refuses the message (``Missing final '@domain'``),
    replies go nowhere, and DMARC cannot align a From without a domain.
    The usual source is the Python example on the SES page: with the
    ``compat32`` policy of ``MIMEMultipart`` and ``MIMEText``,
    ``msg["From"] = "Sénder <sender@example.com>"`` encodes the whole
    string as soon as the name is not ASCII. Build the field with
    ``email.utils.formataddr(("Sénder", "sender@example.com"))``, or build
    the message as ``EmailMessage(policy=email.policy.SMTP)``, which
    encodes only the name (both tried in this rule's tests).

    ## Example
    ```
    From: =?utf-8?b?U8OpbmRlciA8c2VuZGVyQGV4YW1wbGUuY29tPg==?=
    ```

    ## Use instead
    ```
    From: =?utf-8?q?S=C3=A9nder?= <sender@example.com>
    ```

    ## Fix safety
    Unsafe: the fix writes the display name as encoded-words and the
    address in the clear, which is what the sender meant; but it changes
    what every reader sees (an address appears where there was none).

    ## References
    RFC 2047 §5; RFC 5322 §3.4; SES developer guide, sending raw email
    (the Python example).
    """
    problems: list[Problem] = []
    for header, _words in part.worded_fields:
        if field_kind(header.lname) is not FieldKind.ADDRESS:
            continue
        found = mailbox_in_encoded_word(header)
        if found is None:
            continue
        problems.append(
            Problem(
                found.start,
                found.end,
                f"{header.name} is encoded-words holding the whole mailbox {quoted(found.decoded)}, "
                "address included, so readers see no address (SES: Missing final '@domain'); "
                "encode only the display name: in Python, email.utils.formataddr((name, "
                "address)), or build the message with policy=email.policy.SMTP",
                fix=_fix(part, header, found),
            )
        )
    return problems


def _fix(part: Part, header: Header, found: EncodedMailbox) -> Fix:
    """The display name as encoded-words (if any), the address in the clear."""
    from mimelint.mime.writers import encode_phrase, fold_field  # fixes only (start-up)

    linesep = part.message.line_separator
    value = found.addr_spec
    if found.display_name:
        value = f"{encode_phrase(found.display_name)} <{found.addr_spec}>"
    data = part.data
    new = data[header.start : header.value_start] + b" " + value.encode("ascii") + linesep
    return Fix(
        (Edit(header.start, header.end, fold_field(new, linesep)),),
        Safety.UNSAFE,
        f"encode only the display name of {header.name}, the address in the clear",
    )
