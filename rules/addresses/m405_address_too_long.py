"""M405 address-too-long: an address over the RFC 5321 length limits."""

from __future__ import annotations

from mimelint.mime.addresses import MAX_ADDRESS, MAX_DOMAIN, MAX_LOCAL, smtp_octets
from mimelint.mime.quoting import quoted
from mimelint.mime.tree import Message
from mimelint.rule import Context, Fact, Problem, message, rule

from .fieldwise import one_per_field

#: A run of 65 bytes that cannot end an addr-spec in a simple list: without
#: one, no local part or address there is over 64 octets.


@rule(
    code="M405",
    name="address-too-long",
    severity="error",
    summary="Local part over 64 octets, domain over 255, or address over 254",
    visits=message(requires=[Fact.ADDRESS_MAY_BE_LONG]),
)
def address_too_long(message: Message, context: Context) -> list[Problem] | None:
    """## What it does
    Flags an address whose local part is longer than 64 octets, whose
    domain (in its A-label form) is longer than 255 octets, or which as a
    whole is longer than 254 octets.

    ## Why is this bad?
    RFC 5321 §4.5.3.1 sets these as the sizes every SMTP server must
    accept; longer ones may be refused (the path limit of 256 octets
    includes the two angle brackets, leaving 254 for the address).

    ## Example
    ```
    To: a-local-part-of-sixty-five-characters-xxxxxxxxxxxxxxxxxxxxxxxxx@example.com
    ```

    ## Use instead
    ```
    To: a-shorter-local-part@example.com
    ```

    ## Fix safety
    Not fixable.

    ## References
    RFC 5321 §4.5.3.1.1, §4.5.3.1.2, §4.5.3.1.3.
    """
    read = message.address_fields
    problems: list[Problem] = []
    for field in read.fields:
        if field.short():
            continue
        header = field.header
        ascii_value = field.ascii
        found: list[Problem] = []
        for address in field.addresses:
            if address.error is not None:
                continue
            if ascii_value and address.domain_end - address.local_start <= MAX_LOCAL:
                # ASCII: the local part, '@' and domain (its own A-label) are at
                # most the bytes as written, which are within every limit
                continue
            local, domain = smtp_octets(address, read.check_domain)
            if local > MAX_LOCAL:
                found.append(
                    Problem(
                        address.local_start,
                        address.local_end,
                        f"{header.name}: the local part of {quoted(address.addr_spec)} is {local} octets; "
                        f"the limit is {MAX_LOCAL} (RFC 5321 §4.5.3.1.1)",
                    )
                )
            elif domain > MAX_DOMAIN:
                found.append(
                    Problem(
                        address.domain_start,
                        address.domain_end,
                        f"{header.name}: the domain of this address is {domain} octets; "
                        f"the limit is {MAX_DOMAIN} (RFC 5321 §4.5.3.1.2)",
                    )
                )
            elif local + 1 + domain > MAX_ADDRESS:
                found.append(
                    Problem(
                        address.local_start,
                        address.domain_end,
                        f"{header.name}: the address is {local + 1 + domain} octets; the limit is "
                        f"{MAX_ADDRESS} (RFC 5321 §4.5.3.1.3: 256 with the angle brackets)",
                    )
                )
        problems.extend(one_per_field(found))
    return problems
