"""M411 envelope-non-ascii-local-part: an envelope address whose local part is not ASCII."""

from __future__ import annotations

from mimelint.mime.addresses import read_single_address
from mimelint.mime.domains import check_domain
from mimelint.mime.quoting import quoted
from mimelint.mime.tree import Message
from mimelint.rule import Context, Problem, message, rule

from .values import envelope_values


@rule(
    code="M411",
    name="envelope-non-ascii-local-part",
    severity="error",
    summary="An envelope address whose local part is not ASCII",
    visits=message(envelope=True),
)
def envelope_non_ascii_local_part(message: Message, context: Context) -> list[Problem] | None:
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
    problems: list[Problem] = []
    for label, value in envelope_values(context):
        address, data, _ = read_single_address(value)
        if address is None:
            continue
        local = data[address.local_start : address.local_end]
        if local.isascii():
            continue
        try:
            puny = "xn--" + local.decode("utf-8").encode("punycode").decode("ascii")
        except UnicodeError:
            problems.append(
                Problem(
                    0, 0, f"{label} has a local part that is not valid UTF-8; use an ASCII address"
                )
            )
            continue
        suggestion = f"{puny}@{check_domain(data[address.domain_start : address.domain_end]).ascii_form or address.domain}"
        problems.append(
            Problem(
                0,
                0,
                f"{label} has a non-ASCII local part {quoted(address.local_part)}; SES takes only ASCII "
                f"envelope addresses. Use an ASCII address, or the Punycode form {quoted(suggestion)} that the "
                "SES SendRawEmail page gives (another SES page refuses Punycode local parts)",
            )
        )
    return problems
