"""M403 non-ascii-domain: a domain written in Unicode instead of its A-label form."""

from __future__ import annotations

from mimelint.mime.quoting import quoted
from mimelint.mime.tree import Message
from mimelint.rule import Context, Edit, Fact, Fix, Problem, Safety, message, rule

from .fieldwise import one_per_field


@rule(
    code="M403",
    name="non-ascii-domain",
    severity="error",
    summary="A domain written in Unicode instead of its IDNA A-label form",
    fix_safety="safe",
    visits=message(requires=[Fact.ADDRESS_NOT_ASCII]),
)
def non_ascii_domain(message: Message, context: Context) -> list[Problem] | None:
    """## What it does
    Flags an address whose domain holds non-ASCII characters (U-labels, as
    in ``bücher.example``) and offers its IDNA A-label form
    (``xn--bcher-kva.example``), computed with the ``idna`` package
    (IDNA 2008 with UTS #46 mapping, non-transitional).

    ## Why is this bad?
    Without SMTPUTF8 (RFC 6531) a domain in a header must be ASCII; IDNA
    (RFC 5890, RFC 5891) gives every internationalised domain an ASCII
    form. SES asks for Punycoded domains.

    ## Example
    ```
    To: Jörg <joerg@bücher.example>
    ```

    ## Use instead
    ```
    To: =?utf-8?q?J=C3=B6rg?= <joerg@xn--bcher-kva.example>
    ```
    (the display name is the header-encoding rules' concern)

    ## Fix safety
    Safe: the A-label names the same domain; only the domain's bytes are
    replaced. No fix is offered when comments or white space sit inside the
    domain.

    ## References
    RFC 5890 §2.3.2.1; RFC 5891 §4, §5; UTS #46; RFC 6531.
    """
    read = message.address_fields
    data = message.data
    problems: list[Problem] = []
    for field in read.fields:
        if field.ascii:
            continue
        header = field.header
        found: list[Problem] = []
        for address in field.addresses:
            raw = data[address.domain_start : address.domain_end]
            if address.error is not None or raw.isascii():
                continue
            result = read.check_domain(address.domain.encode("utf-8", "surrogateescape"))
            if result.ascii_form is None:
                continue  # invalid: M404 reports it
            fix = None
            if raw.decode("utf-8", "surrogateescape") == address.domain:  # no comment inside
                fix = Fix(
                    (
                        Edit(
                            address.domain_start,
                            address.domain_end,
                            result.ascii_form.encode("ascii"),
                        ),
                    ),
                    Safety.SAFE,
                    f"write the domain as {result.ascii_form}",
                )
            found.append(
                Problem(
                    address.domain_start,
                    address.domain_end,
                    f"{header.name}: the domain {quoted(address.domain)} is not ASCII; write its IDNA A-label "
                    f"form {quoted(result.ascii_form)}",
                    "",
                    fix,
                )
            )
        problems.extend(one_per_field(found))
    return problems
