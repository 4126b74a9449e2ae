"""M108 eight-bit-label-on-seven-bit-content: 8bit or binary over all-7-bit content."""

from __future__ import annotations

from mimelint.mime.tree import Part
from mimelint.rule import Context, Edit, Fix, Problem, Safety, parts, rule


@rule(
    code="M108",
    name="eight-bit-label-on-seven-bit-content",
    severity="info",
    summary="Content-Transfer-Encoding 8bit or binary over content that is all 7-bit",
    fix_safety="safe",
    visits=parts(transfer_encoding=["8bit", "binary"]),
)
def eight_bit_label_on_seven_bit_content(part: Part, context: Context) -> list[Problem] | None:
    """## What it does
    Flags a Content-Transfer-Encoding of ``8bit`` or ``binary`` over
    content that is entirely 7-bit: US-ASCII, no NUL, no bare CR, no line
    over the SMTP limit (for a multipart or message part, everything inside
    it). PHPMailer labels its top-level multipart ``8bit`` this way, and
    Postfix DSNs label their ``multipart/report`` and ``message/rfc822``
    parts ``8bit`` over ASCII content.

    ## Why is this bad?
    It is harmless to the content: only 8-bit bytes can be damaged by a
    hop without 8BITMIME, and there are none. But the label is untrue (RFC
    2045 §2.7, §2.8 define 7bit and 8bit data by their content), it makes
    relays without 8BITMIME treat the message as needing conversion (RFC
    6152 §3), and it hides real 8-bit content added later. Informational.

    ## Example
    ```
    Content-Type: multipart/alternative; boundary="b1"
    Content-Transfer-Encoding: 8bit
    ```
    with every part inside encoded as quoted-printable or base64.

    ## Use instead
    ```
    Content-Type: multipart/alternative; boundary="b1"
    Content-Transfer-Encoding: 7bit
    ```

    ## Fix safety
    Safe: only the label changes to ``7bit``; the content is already 7-bit,
    so every decoder reads the same bytes.

    ## References
    RFC 2045 §2.7, §2.8, §6.2; RFC 6152 §3.
    """
    header = part.header("content-transfer-encoding")
    if header is None or not part.body_scan.seven_bit(context.profile.max_line_octets):
        return None
    start, end = header.value_span
    return [
        Problem(
            start,
            end,
            f"Content-Transfer-Encoding declares {part.transfer_encoding} but the content is "
            "7-bit (nothing here can be damaged in transit); label it 7bit",
            part.path,
            Fix(
                edits=(Edit(header.value_start, header.value_end, b" 7bit"),),
                safety=Safety.SAFE,
                description="declare 7bit: the content is already 7-bit",
            ),
        )
    ]
