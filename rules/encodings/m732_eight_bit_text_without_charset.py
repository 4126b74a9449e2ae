"""M732 eight-bit-text-without-charset: 8-bit text in a part that declares no charset."""

from __future__ import annotations

from mimelint.mime.charsets import implied_charset
from mimelint.mime.params import ParamDefectKind
from mimelint.mime.transfer_encodings import MECHANISMS
from mimelint.mime.tree import Part
from mimelint.rule import Context, Edit, Fix, Problem, Safety, Severity, parts, rule

from ._common import first_undecodable, is_attachment


@rule(
    code="M732",
    name="eight-bit-text-without-charset",
    severity="error",
    summary="8-bit text in a part that declares no charset",
    fix_safety="unsafe",
    visits=parts(leaf=True, maintype=["text"]),
)
def eight_bit_text_without_charset(part: Part, context: Context) -> list[Problem] | None:
    """## What it does
    Flags a ``text/*`` part whose content (after transfer decoding) holds
    bytes outside US-ASCII while its Content-Type has no ``charset``
    parameter (or there is no Content-Type at all). A ``text/vcard`` or
    ``text/calendar`` part whose content is valid UTF-8 passes: its own
    RFC makes UTF-8 the charset when none is declared. An error for inline
    text; a warning for a transfer-encoded attachment
    (``Content-Disposition: attachment`` with base64 or quoted-printable),
    which arrives intact and is saved as a file (Python's
    ``add_attachment()`` of a ``text/csv`` given as bytes and nodemailer's
    text attachments write these). Binary content (NUL bytes, a file
    signature) is M733's, not a missing charset.

    ## Why is this bad?
    RFC 2045 §5.2 and RFC 2046 §4.1.2: without a charset, text is
    ``us-ascii``, so 8-bit bytes are undefined (except where the media
    type's own RFC says otherwise: RFC 6350 §3.1 for vCard, RFC 5545
    §3.1.4 for iCalendar). Each client guesses
    (Latin-1, Windows-1252, UTF-8, the reader's locale) and many show
    mojibake. Spam filters score a missing charset.

    ## Example
    ```
    Content-Type: text/plain
    Content-Transfer-Encoding: quoted-printable

    Gr=C3=BC=C3=9Fe
    ```

    ## Use instead
    ```
    Content-Type: text/plain; charset=utf-8
    Content-Transfer-Encoding: quoted-printable

    Gr=C3=BC=C3=9Fe
    ```

    ## Fix safety
    Unsafe, and offered only when the content is valid UTF-8: the fix
    declares ``charset=utf-8``. Text that decodes as UTF-8 almost always is
    UTF-8, but the sender may have meant another charset.

    ## References
    RFC 2045 §5.2; RFC 2046 §4.1.2; RFC 6350 §3.1; RFC 5545 §3.1.4.
    """
    if part.body_end <= part.body_start or part.transfer_encoding not in MECHANISMS:
        return None
    ct = part.content_type_value
    if ct is not None and ct.get("charset") is not None:
        return None  # M730/M731 read the declared charset
    payload = part.payload
    if payload.isascii() or part.sniffed_format is not None:
        return None  # ASCII needs no charset; binary content is M733's
    implied = implied_charset(part.content_type)
    if implied != "us-ascii" and first_undecodable(payload, implied) is None:
        return None  # a vCard or iCalendar part is UTF-8 by its own RFC
    header = part.header("content-type")
    fix = None
    utf8 = first_undecodable(payload, "utf-8") is None
    if header is not None and ct is not None:
        start, end = ct.main_start, ct.main_end
        if (
            utf8
            and ct.main.lower() == part.content_type
            # An unclosed quote would swallow the appended parameter.
            and not any(d.kind is ParamDefectKind.UNTERMINATED_QUOTE for d in ct.defects)
        ):
            edit = Edit(header.value_end, header.value_end, b"; charset=utf-8")
            fix = Fix((edit,), Safety.UNSAFE, "declare charset=utf-8")
    else:
        start = end = part.header_end
        if part.separator is not None and utf8:
            line = b"Content-Type: text/plain; charset=utf-8" + part.message.line_separator
            fix = Fix(
                (Edit(part.header_end, part.header_end, line),),
                Safety.UNSAFE,
                "declare charset=utf-8",
            )
    # A transfer-encoded attachment arrives intact and is saved as a file;
    # only a program that reads it as text must guess (a warning). Inline,
    # every reader shows the guess (an error).
    saved = is_attachment(part) and part.transfer_encoding in ("base64", "quoted-printable")
    return [
        Problem(
            start,
            end,
            f"this {part.content_type} part holds 8-bit text but declares no charset, so "
            "readers must guess it (RFC 2045 §5.2); add the charset parameter, e.g. "
            "charset=utf-8",
            part.path,
            fix,
            Severity.WARNING if saved else None,
        )
    ]
