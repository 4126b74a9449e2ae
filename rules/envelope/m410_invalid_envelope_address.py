"""M410 invalid-envelope-address: an envelope sender or recipient that SES or SMTP cannot use."""

from __future__ import annotations

import re

from mimelint.mime.addresses import (
    MAX_ADDRESS,
    MAX_DOMAIN,
    MAX_LOCAL,
    AddressSpan,
    read_single_address,
    smtp_octets,
)
from mimelint.mime.quoting import quoted
from mimelint.mime.tree import Message
from mimelint.rule import Context, Problem, message, rule

from .values import envelope_values

#: RFC 5321 §4.1.2: a sub-domain is letters, digits and inner hyphens.
_LDH_LABEL = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?")


def _syntax_problem(address: AddressSpan, data: bytes) -> str | None:
    """What RFC 5321 and SES refuse in an address that parsed, besides non-ASCII."""
    if address.route_start < address.route_end:
        return (
            "cannot be used: Extra route-addr (a source route, obsolete since RFC 5321 "
            f"§4.1.1.3 and RFC 5322 §4.4); give <{address.addr_spec}>"
        )
    written = data[address.local_start : address.domain_end]
    if written != f"{address.local_part}@{address.domain}".encode("utf-8", "surrogateescape"):
        # RFC 5321 §4.1.2 has no comments or folding white space in a path
        return "cannot be used: Local address contains control or whitespace"
    if not data[address.display_start : address.display_end].isascii():
        return "has a display name with raw non-ASCII text; encode it as RFC 2047 encoded-words"
    domain = data[address.domain_start : address.domain_end]
    if domain.isascii() and not domain.startswith(b"["):
        for label in domain.decode("ascii").split("."):
            if not _LDH_LABEL.fullmatch(label):
                return (
                    f"cannot be used: Domain contains illegal character (label {quoted(label)}; "
                    "RFC 5321 allows letters, digits and inner hyphens)"
                )
    local, domain_len = smtp_octets(address)
    if local > MAX_LOCAL:
        return f"has a local part of {local} octets; the limit is {MAX_LOCAL} (RFC 5321 §4.5.3.1.1)"
    if domain_len > MAX_DOMAIN:
        return (
            f"has a domain of {domain_len} octets; the limit is {MAX_DOMAIN} (RFC 5321 §4.5.3.1.2)"
        )
    if local + 1 + domain_len > MAX_ADDRESS:
        return (
            f"is {local + 1 + domain_len} octets long; the limit is {MAX_ADDRESS} "
            "(RFC 5321 §4.5.3.1.3)"
        )
    return None


@rule(
    code="M410",
    name="invalid-envelope-address",
    severity="error",
    summary="An envelope sender or recipient that SES or SMTP cannot use",
    visits=message(envelope=True),
)
def invalid_envelope_address(message: Message, context: Context) -> list[Problem] | None:
    """## What it does
    Checks each envelope address given (``--envelope-from``,
    ``--envelope-to``; SES ``Source`` and ``Destinations``): exactly one
    address, readable as ``local@domain`` or ``Name <local@domain>``;
    no white space or control characters in the local part; a domain of
    letters, digits and inner hyphens (or an address literal); no source
    route (``<@relay.example:ann@example.com>``, which SES refuses with
    ``Extra route-addr``); a display
    name in 7-bit ASCII (RFC 2047 encoded-words); and the RFC 5321 length
    limits. Non-ASCII local parts and domains have their own rules (M411,
    M412).

    ## Why is this bad?
    SES refuses the call with ``InvalidParameterValue`` and texts such as
    ``Missing final '@domain'``, ``Local address contains control or
    whitespace`` or ``Domain contains illegal character``; an SMTP server
    refuses MAIL FROM or RCPT TO (RFC 5321 §4.1.2). Source routes are
    obsolete (RFC 5321 §4.1.1.3, RFC 5322 §4.4).

    ## Example
    ```
    mimelint check --envelope-from "ann smith@example.com" message.eml
    ```

    ## Use instead
    ```
    mimelint check --envelope-from "Ann Smith <ann.smith@example.com>" message.eml
    ```

    ## Fix safety
    Not fixable: the envelope is not part of the message.

    ## References
    RFC 5321 §4.1.2, §4.5.3.1; SES API reference, SendRawEmail (Source,
    Destinations); SES developer guide, "Sending raw email using the
    Amazon SES API".
    """
    problems: list[Problem] = []
    for label, value in envelope_values(context):
        address, data, why = read_single_address(value)
        if address is not None:
            why = _syntax_problem(address, data)
        if why is not None:
            problems.append(Problem(0, 0, f"{label} {why}"))
    return problems
