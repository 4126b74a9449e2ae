"""M404 invalid-idna-domain: a domain label that is not valid IDNA 2008."""

from __future__ import annotations

from mimelint.mime.quoting import quoted
from mimelint.mime.tree import Message
from mimelint.rule import Context, Fact, Problem, message, rule

from .fieldwise import one_per_field


@rule(
    code="M404",
    name="invalid-idna-domain",
    severity="error",
    summary="A domain label that is not valid IDNA 2008",
    visits=message(requires=[Fact.ADDRESS_IDNA]),
)
def invalid_idna_domain(message: Message, context: Context) -> list[Problem] | None:
    """## What it does
    Flags a domain label that IDNA 2008 rejects: a U-label with a character
    IDNA does not allow (symbols such as ``☃``, a misplaced joiner), or an
    ASCII label that starts with ``xn--`` but does not decode to a valid
    U-label.

    ## Why is this bad?
    Such a domain has no valid ASCII form, so it cannot be resolved or sent
    to; receivers and SES refuse it or bounce the message.

    ## Example
    ```
    To: ann@xn--zz.example
    ```

    ## Use instead
    ```
    To: ann@xn--bcher-kva.example
    ```

    ## Fix safety
    Not fixable: the intended domain is unknown.

    ## References
    RFC 5891 §4.2, §5.4 (label validation); RFC 5892 (code points);
    RFC 3492 (Punycode).
    """
    read = message.address_fields
    data = message.data
    problems: list[Problem] = []
    for field in read.fields:
        if not field.idna:
            continue
        header = field.header
        found: list[Problem] = []
        for address in field.addresses:
            if address.error is not None:
                continue
            raw = data[address.domain_start : address.domain_end]
            if raw.isascii() and b"xn--" not in raw.lower():
                continue
            result = read.check_domain(address.domain.encode("utf-8", "surrogateescape"))
            if result.error is not None:
                start, end = address.domain_start, address.domain_end
                if (
                    raw.decode("utf-8", "surrogateescape") == address.domain
                ):  # else: the whole domain
                    start, end = start + result.error_start, start + result.error_end
                found.append(
                    Problem(
                        start,
                        end,
                        f"{header.name}: in the domain {quoted(address.domain)}, {result.error}; "
                        "correct the domain",
                    )
                )
        problems.extend(one_per_field(found))
    return problems
