"""M402 non-ascii-local-part: an address whose local part is not ASCII."""

from __future__ import annotations

from mimelint.mime.quoting import quoted
from mimelint.mime.tree import Message
from mimelint.rule import Context, Fact, Problem, message, rule

from .fieldwise import one_per_field


@rule(
    code="M402",
    name="non-ascii-local-part",
    severity="error",
    summary="An address whose local part is not ASCII (needs SMTPUTF8)",
    visits=message(requires=[Fact.ADDRESS_NOT_ASCII]),
)
def non_ascii_local_part(message: Message, context: Context) -> list[Problem] | None:
    """## What it does
    Flags an address in From, Sender, Reply-To, To, Cc or Bcc whose local
    part (before the ``@``) holds non-ASCII characters.

    ## Why is this bad?
    A UTF-8 local part is legal only with SMTPUTF8 (RFC 6531, RFC 6532) on
    every hop. Amazon SES does not offer SMTPUTF8 and refuses such
    addresses; RFC 2047 encoded-words are not allowed in an addr-spec
    (RFC 2047 §5), so there is no ASCII spelling of the same mailbox.

    ## Example
    ```
    To: 张伟@example.com
    ```

    ## Use instead
    ```
    To: =?utf-8?b?5byg5Lyf?= <zhang.wei@example.com>
    ```
    (an ASCII address of the same person, the name in the display name)

    ## Fix safety
    Not fixable: only the recipient's mail provider knows an ASCII alias.

    ## References
    RFC 6531 §3.3; RFC 6532 §3.2; RFC 2047 §5; SES developer guide,
    "Sending raw email using the Amazon SES API" (email addresses).
    """
    read = message.address_fields
    problems: list[Problem] = []
    for field in read.fields:
        if field.ascii:
            continue
        header = field.header
        found: list[Problem] = []
        for address in field.addresses:
            if (
                address.error is None
                and not message.data[address.local_start : address.local_end].isascii()
            ):
                found.append(
                    Problem(
                        address.local_start,
                        address.local_end,
                        f"{header.name}: the local part {quoted(address.local_part)} of "
                        f"{quoted(address.addr_spec)} is not ASCII; SES and relays without SMTPUTF8 "
                        "refuse it. Use an ASCII address (not fixable automatically)",
                    )
                )
        problems.extend(one_per_field(found))
    return problems
