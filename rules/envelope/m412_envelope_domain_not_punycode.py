"""M412 envelope-domain-not-punycode: an envelope domain not in A-label form."""

from __future__ import annotations

from mimelint.mime.addresses import read_single_address
from mimelint.mime.domains import check_domain
from mimelint.mime.quoting import quoted
from mimelint.mime.tree import Message
from mimelint.rule import Context, Problem, message, rule

from .values import envelope_values


@rule(
    code="M412",
    name="envelope-domain-not-punycode",
    severity="error",
    summary="An envelope address whose domain is not in IDNA A-label (Punycode) form",
    visits=message(envelope=True),
)
def envelope_domain_not_punycode(message: Message, context: Context) -> list[Problem] | None:
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
    problems: list[Problem] = []
    for label, value in envelope_values(context):
        address, data, _ = read_single_address(value)
        if address is None:
            continue
        domain = data[address.domain_start : address.domain_end]
        if domain.isascii() and b"xn--" not in domain.lower():
            continue
        result = check_domain(domain)
        if result.error is not None:
            problems.append(
                Problem(0, 0, f"{label}: in the domain {quoted(address.domain)}, {result.error}")
            )
        elif result.ascii_form is not None:
            problems.append(
                Problem(
                    0,
                    0,
                    f"{label} has the non-ASCII domain {quoted(address.domain)}; SES needs its Punycode "
                    f"(IDNA A-label) form {quoted(result.ascii_form)}",
                )
            )
    return problems
