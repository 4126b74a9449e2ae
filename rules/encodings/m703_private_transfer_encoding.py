"""M703 private-transfer-encoding: an x- Content-Transfer-Encoding such as x-uuencode."""

from __future__ import annotations

from mimelint.mime.quoting import quoted
from mimelint.mime.transfer_encodings import is_private
from mimelint.mime.tree import Header, Part
from mimelint.rule import Context, Fact, Problem, fields, rule

from ._common import in_effect, is_composite


@rule(
    code="M703",
    name="private-transfer-encoding",
    severity="warning",
    summary="A private x- Content-Transfer-Encoding such as x-uuencode",
    visits=fields("content-transfer-encoding", requires=[Fact.UNKNOWN_TRANSFER_ENCODING]),
)
def private_transfer_encoding(header: Header, part: Part, context: Context) -> list[Problem] | None:
    """## What it does
    Flags a private Content-Transfer-Encoding: an ``x-`` token such as
    ``x-uuencode``, or the bare ``uuencode`` that old mailers write.

    ## Why is this bad?
    RFC 2045 §6.3 allows ``x-`` encodings only by private agreement between
    sender and receiver, and §6.4 has everyone else treat the body as opaque
    data. A few clients decode uuencode; most show an attachment that cannot
    be opened. It is a warning, not an error, because the syntax is legal.

    ## Example
    ```
    Content-Type: application/pdf; name="report.pdf"
    Content-Transfer-Encoding: x-uuencode
    ```

    ## Use instead
    ```
    Content-Type: application/pdf; name="report.pdf"
    Content-Transfer-Encoding: base64
    ```

    ## Fix safety
    Not fixed: decoding a private encoding is outside what mimelint can prove.

    ## References
    RFC 2045 §6.3, §6.4.
    """
    cte = part.transfer_encoding
    if is_composite(part) or not is_private(cte):
        return None
    if header is not in_effect(part, header):
        return None
    start, end = header.value_span
    return [
        Problem(
            start,
            end,
            f"Content-Transfer-Encoding {quoted(cte)} is a private encoding (RFC 2045 §6.3): "
            "most clients will show the raw body as an opaque attachment; use base64",
            part.path,
        )
    ]
