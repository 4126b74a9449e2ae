"""Non-7-bit content: bytes that SES and SMTP relays will not carry intact.

RFC 5321 SMTP is a 7-bit protocol unless both ends negotiate 8BITMIME, and
Amazon SES may re-encode a message it rewrites (open and click tracking),
damaging raw 8-bit content. Everything outside US-ASCII must be encoded.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from mimelint.rule import Context, Problem, rule
from mimelint.tree import Message

_NON_ASCII = re.compile(rb"[\x80-\xff]+")


@rule(
    code="M101",
    name="eight-bit-header",
    severity="error",
    summary="Raw 8-bit bytes in a header field",
)
def eight_bit_header(message: Message, context: Context) -> Iterator[Problem]:
    """## What it does
    Flags header fields that contain bytes outside US-ASCII written as they
    are, instead of as RFC 2047 encoded-words (``=?utf-8?q?...?=``).

    ## Why is this bad?
    RFC 5322 §2.2 allows only US-ASCII in header fields; non-ASCII text must
    be encoded as RFC 2047 encoded-words. Without SMTPUTF8 (RFC 6532) on
    every hop, raw 8-bit headers are refused or mangled. Amazon SES asks for
    non-ASCII header text to be encoded (SES developer guide, "Sending raw
    email": header fields).

    ## Example
    ```
    Subject: Grüße
    ```

    ## Use instead
    ```
    Subject: =?utf-8?q?Gr=C3=BC=C3=9Fe?=
    ```

    ## Fix safety
    Not fixed by this rule; see the header-encoding rules, which re-encode
    unstructured text and display names safely.

    ## References
    RFC 5322 §2.2; RFC 2047 §2, §5; RFC 6532.
    """
    for part in message.parts():
        for header in part.headers:
            if header.raw.isascii():
                continue
            m = _NON_ASCII.search(message.data, header.start, header.end)
            if m is None:
                continue
            name = header.name or "header line"
            yield Problem(
                m.start(),
                m.end(),
                f"{name} holds raw 8-bit bytes; encode non-ASCII text as RFC 2047 encoded-words",
                part.path,
            )


RULES = [eight_bit_header]
