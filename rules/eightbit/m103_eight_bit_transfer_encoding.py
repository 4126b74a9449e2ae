"""M103 eight-bit-transfer-encoding: 8bit or binary over content that needs it."""

from __future__ import annotations

from mimelint.mime.tree import Part
from mimelint.rule import Context, Problem, parts, rule

from ._reencode import reencode_fix


@rule(
    code="M103",
    name="eight-bit-transfer-encoding",
    severity="warning",
    summary="Content-Transfer-Encoding 8bit or binary over content that needs it",
    fix_safety="safe",
    visits=parts(transfer_encoding=["8bit", "binary"]),
)
def eight_bit_transfer_encoding(part: Part, context: Context) -> list[Problem] | None:
    """## What it does
    Flags a Content-Transfer-Encoding of ``8bit`` or ``binary``, at the
    field's value, when the content under it really is 8-bit: bytes outside
    US-ASCII, NUL, bare CR or lines over the SMTP limit (a multipart's
    children included). The same label over content that is entirely 7-bit
    is M108's (informational): nothing there can be damaged. On a multipart
    or ``message/rfc822`` part only its own preamble and epilogue count: an
    8-bit child has its own finding where its content is, and the
    container's ``8bit`` label is then what RFC 2045 §6.4 asks for (PHPMailer
    labels both the multipart and its parts ``8bit``).

    ## Why is this bad?
    ``8bit`` needs the 8BITMIME extension on every SMTP hop (RFC 6152) and
    ``binary`` needs BINARYMIME and CHUNKING (RFC 3030); a hop without them
    must re-encode or bounce. Amazon SES accepts 8bit but may damage it when
    it rewrites the message (open and click tracking): encode instead.

    ## Example
    ```
    Content-Type: text/plain; charset=utf-8
    Content-Transfer-Encoding: 8bit

    Grüße
    ```

    ## Use instead
    ```
    Content-Type: text/plain; charset=utf-8
    Content-Transfer-Encoding: quoted-printable

    Gr=C3=BC=C3=9Fe
    ```

    ## Fix safety
    Safe. A leaf part is re-encoded as quoted-printable or base64 (see
    M102). A multipart or message part is never re-encoded (RFC 2045 §6.4):
    its children are fixed, and then M108 relabels it ``7bit``; an 8-bit
    preamble or epilogue has no fix.

    ## References
    RFC 2045 §2.8, §2.9, §6.2, §6.4; RFC 6152; RFC 3030.
    """
    header = part.header("content-transfer-encoding")
    limit = context.profile.max_line_octets
    if header is None or part.body_scan.seven_bit(limit):
        return None
    if (part.children or part.delimiters or part.embedded is not None) and all(
        scan.seven_bit(limit) for _, scan in part.content_scans
    ):
        return None
    start, end = header.value_span
    risk = (
        f"and {context.profile.provider_label} may damage it when rewriting the message"
        if context.profile.rewrites_messages
        else "and relays or filters that rewrite the message may damage it"
    )
    return [
        Problem(
            start,
            end,
            f"Content-Transfer-Encoding {part.transfer_encoding} over 8-bit content needs "
            f"8-bit-clean relays {risk}; use quoted-printable or base64",
            part.path,
            reencode_fix(part),
        )
    ]
