"""M701 composite-transfer-encoding: a multipart or message part that is encoded."""

from __future__ import annotations

from mimelint.mime.quoting import quoted
from mimelint.mime.transfer_encodings import IDENTITY
from mimelint.mime.tree import Header, Part
from mimelint.rule import Context, Problem, fields, rule

from ._common import in_effect, is_composite


@rule(
    code="M701",
    name="composite-transfer-encoding",
    severity="error",
    summary="A multipart or message/rfc822 part with an encoding other than 7bit, 8bit, binary",
    visits=fields("content-transfer-encoding"),
)
def composite_transfer_encoding(
    header: Header, part: Part, context: Context
) -> list[Problem] | None:
    """## What it does
    Flags a ``multipart/*``, ``message/rfc822``, ``message/partial`` or
    ``message/external-body`` part whose Content-Transfer-Encoding is not
    ``7bit``, ``8bit`` or ``binary``.

    ## Why is this bad?
    RFC 2045 §6.4 forbids any other encoding on a multipart entity, and RFC
    2046 §5.2 on these message types: the parts inside are encoded one by
    one instead. Clients disagree on such a message: some decode the whole
    body first, others split it as it stands, others show one opaque
    attachment. ``message/global`` (RFC 6532 §3.5) may be encoded and is
    not flagged.

    ## Example
    ```
    Content-Type: multipart/mixed; boundary="b1"
    Content-Transfer-Encoding: base64
    ```

    ## Use instead
    ```
    Content-Type: multipart/mixed; boundary="b1"
    Content-Transfer-Encoding: 7bit
    ```
    with each part inside encoded on its own.

    ## Fix safety
    Not fixed: what the body means depends on which client reads it.

    ## References
    RFC 2045 §6.4; RFC 2046 §5.1, §5.2.1-5.2.3; RFC 6532 §3.5.
    """
    cte = part.transfer_encoding
    if cte in IDENTITY or not is_composite(part) or header is not in_effect(part, header):
        return None
    start, end = header.value_span
    kind = "multipart" if part.is_multipart else part.content_type
    return [
        Problem(
            start,
            end,
            f"a {kind} part must not use Content-Transfer-Encoding {quoted(cte)} (RFC 2045 §6.4); "
            "declare 7bit (or 8bit/binary) and encode the parts inside it instead",
            part.path,
        )
    ]
