"""The envelope: the SES ``Source`` and ``Destinations`` (SMTP MAIL FROM, RCPT TO).

These addresses are not in the message bytes. They come from the command
line (``--envelope-from``, ``--envelope-to``) or the library
(``lint(..., envelope_from=..., envelope_to=[...])``), and from the SES
client guard (:mod:`mimelint.integrations.ses`), which passes the call's own
parameters. Findings about them have no place in the message: they carry
an empty span at the start (line 1, column 1), the top-level part, and a
message that names the value (``envelope sender <...>``,
``envelope recipient 3 <...>``).

SES's rules for envelope addresses (developer guide, "Sending raw email
using the Amazon SES API"): 7-bit ASCII only, the domain in IDNA A-label
(Punycode) form, a display name (allowed in ``Source``) encoded as RFC 2047
encoded-words. The error texts of SES (``Missing final '@domain'``, ``Local
address contains control or whitespace``, ``Domain contains illegal
character``) are reused so that people recognise them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from mimelint.rule import Context, Problem, rule
from mimelint.tree import Message

from .address_syntax import AddressSpan, check_domain, parse_addresses

#: RFC 5321 §4.1.2: a sub-domain is letters, digits and inner hyphens.
_LDH_LABEL = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
#: RFC 5321 §4.5.3.1.1-3 (see the header address rules).
MAX_LOCAL, MAX_DOMAIN, MAX_ADDRESS = 64, 255, 254


def _values(context: Context) -> Iterator[tuple[str, str]]:
    """(label for a person, value) of each envelope address given."""
    if context.envelope_from is None and not context.envelope_to:
        return  # the usual case: no envelope to check
    if context.envelope_from is not None:
        yield f"envelope sender <{context.envelope_from}>", context.envelope_from
    for number, value in enumerate(context.envelope_to, 1):
        yield f"envelope recipient {number} <{value}>", value


def _single(value: str) -> tuple[AddressSpan | None, bytes, str | None]:
    """The one mailbox of an envelope value, its bytes, or why there is none."""
    data = value.encode("utf-8", "surrogateescape")
    addresses = parse_addresses(data)
    if not addresses:
        return None, data, "is empty; give one address, local@domain"
    if len(addresses) > 1:
        return None, data, "holds more than one address; give one address per value"
    address = addresses[0]
    if address.error is not None:
        if _CONTROL.search(value):
            return None, data, "cannot be read: Local address contains control or whitespace"
        return None, data, f"cannot be read: {address.error}"
    return address, data, None


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
                    f"cannot be used: Domain contains illegal character (label {label!r}; "
                    "RFC 5321 allows letters, digits and inner hyphens)"
                )
    local = len(data[address.local_start : address.local_end])
    form = check_domain(domain).ascii_form if not domain.isascii() else None
    domain_len = len(form) if form is not None else len(domain)
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
)
def invalid_envelope_address(message: Message, context: Context) -> Iterator[Problem]:
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
    if context.envelope_from is None and not context.envelope_to:
        return  # the usual case: no envelope to check (no generator started)
    for label, value in _values(context):
        address, data, why = _single(value)
        if address is not None:
            why = _syntax_problem(address, data)
        if why is not None:
            yield Problem(0, 0, f"{label} {why}")


@rule(
    code="M411",
    name="envelope-non-ascii-local-part",
    severity="error",
    summary="An envelope address whose local part is not ASCII",
)
def envelope_non_ascii_local_part(message: Message, context: Context) -> Iterator[Problem]:
    """## What it does
    Flags an envelope address whose local part holds non-ASCII characters
    and gives the Punycode form that the SES SendRawEmail page asks for
    (``张伟@example.com`` becomes ``xn--cpqy30b@example.com``; RFC 3492).

    ## Why is this bad?
    SES takes only 7-bit ASCII envelope addresses. Its developer guide
    ("Sending raw email using the Amazon SES API", email addresses) says to
    Punycode a non-ASCII local part. **Another SES page disagrees**: the
    API reference for ``Destination`` says Punycode is not permitted in
    the local part. A Punycoded local part is also a different mailbox to
    every receiver that does not know the convention, so the safe course
    is an ASCII address; the Punycode form is given because it is what SES
    documents for ``Source`` and ``Destinations``.

    ## Example
    ```
    mimelint check --envelope-to 张伟@example.com message.eml
    ```

    ## Use instead
    ```
    mimelint check --envelope-to zhang.wei@example.com message.eml
    ```
    or, following the SendRawEmail page, ``xn--cpqy30b@example.com``.

    ## Fix safety
    Not fixable: the envelope is not part of the message.

    ## References
    SES developer guide, "Sending raw email using the Amazon SES API";
    SES API reference, Destination; RFC 3492; RFC 6531.
    """
    if context.envelope_from is None and not context.envelope_to:
        return  # the usual case: no envelope to check (no generator started)
    for label, value in _values(context):
        address, data, _ = _single(value)
        if address is None:
            continue
        local = data[address.local_start : address.local_end]
        if local.isascii():
            continue
        try:
            puny = "xn--" + local.decode("utf-8").encode("punycode").decode("ascii")
        except UnicodeError:
            yield Problem(
                0, 0, f"{label} has a local part that is not valid UTF-8; use an ASCII address"
            )
            continue
        suggestion = f"{puny}@{check_domain(data[address.domain_start : address.domain_end]).ascii_form or address.domain}"
        yield Problem(
            0,
            0,
            f"{label} has a non-ASCII local part {address.local_part!r}; SES takes only ASCII "
            f"envelope addresses. Use an ASCII address, or the Punycode form {suggestion!r} that the "
            "SES SendRawEmail page gives (another SES page refuses Punycode local parts)",
        )


@rule(
    code="M412",
    name="envelope-domain-not-punycode",
    severity="error",
    summary="An envelope address whose domain is not in IDNA A-label (Punycode) form",
)
def envelope_domain_not_punycode(message: Message, context: Context) -> Iterator[Problem]:
    """## What it does
    Flags an envelope address whose domain holds non-ASCII characters and
    gives its IDNA A-label form (``idna``, IDNA 2008 with UTS #46 mapping),
    or says which label IDNA refuses; an ASCII label that starts with
    ``xn--`` must decode to a valid U-label.

    ## Why is this bad?
    SES takes only 7-bit ASCII envelope addresses and asks for domains in
    Punycode (both SES pages agree on the domain); SMTP without SMTPUTF8
    needs the A-label form (RFC 5890, RFC 5891).

    ## Example
    ```
    mimelint check --envelope-to joerg@bücher.example message.eml
    ```

    ## Use instead
    ```
    mimelint check --envelope-to joerg@xn--bcher-kva.example message.eml
    ```

    ## Fix safety
    Not fixable: the envelope is not part of the message (the SES client
    guard passes it as the caller gave it).

    ## References
    RFC 5890 §2.3.2.1; RFC 5891 §4, §5; SES developer guide, "Sending raw
    email using the Amazon SES API"; SES API reference, Destination.
    """
    if context.envelope_from is None and not context.envelope_to:
        return  # the usual case: no envelope to check (no generator started)
    for label, value in _values(context):
        address, data, _ = _single(value)
        if address is None:
            continue
        domain = data[address.domain_start : address.domain_end]
        if domain.isascii() and b"xn--" not in domain.lower():
            continue
        result = check_domain(domain)
        if result.error is not None:
            yield Problem(0, 0, f"{label}: in the domain {address.domain!r}, {result.error}")
        elif result.ascii_form is not None:
            yield Problem(
                0,
                0,
                f"{label} has the non-ASCII domain {address.domain!r}; SES needs its Punycode "
                f"(IDNA A-label) form {result.ascii_form!r}",
            )


@rule(
    code="M413",
    name="too-many-envelope-recipients",
    severity="error",
    summary="More envelope recipients (Destinations) than the provider accepts per call",
)
def too_many_envelope_recipients(message: Message, context: Context) -> Iterator[Problem]:
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
    if limit is not None and count > limit:
        first = context.envelope_to[limit]
        yield Problem(
            0,
            0,
            f"{count} envelope recipients; {context.profile.name} accepts at most {limit} per "
            f"message (envelope recipient {limit + 1} <{first}> is the first one over). "
            "Split the recipients over several sends",
        )


RULES = [
    invalid_envelope_address,
    envelope_non_ascii_local_part,
    envelope_domain_not_punycode,
    too_many_envelope_recipients,
]
