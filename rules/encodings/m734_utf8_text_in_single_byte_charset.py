"""M734 utf8-text-in-single-byte-charset: UTF-8 text labelled Latin-1 or the like."""

from __future__ import annotations

from mimelint.mime import charsets
from mimelint.mime.quoting import quoted
from mimelint.mime.transfer_encodings import MECHANISMS
from mimelint.mime.tree import Part
from mimelint.rule import Context, Problem, parts, rule


@rule(
    code="M734",
    name="utf8-text-in-single-byte-charset",
    severity="warning",
    summary="Text that is plainly UTF-8 but declares a single-byte charset (mojibake)",
    visits=parts(leaf=True, maintype=["text"]),
)
def utf8_text_in_single_byte_charset(part: Part, context: Context) -> list[Problem] | None:
    """## What it does
    Flags a ``text/*`` part that declares a single-byte charset (ISO 8859,
    windows-125x, KOI8, Mac...) while its 8-bit content is valid UTF-8:
    every byte outside US-ASCII belongs to a well-formed multi-byte UTF-8
    sequence. It points at the charset parameter and shows how the first
    such character will look.

    ## Why is this bad?
    Any bytes "decode" in a single-byte charset, so nothing fails: readers
    show each UTF-8 sequence as two or three wrong characters (``é``
    becomes ``Ã©``), the familiar mojibake (RFC 2046 §4.1.2: the charset
    names how to read the bytes). Text in a real single-byte charset is
    almost never valid UTF-8 by accident: an accented letter there is one
    byte, which UTF-8 never allows on its own. A warning: the charset may
    be right and the text itself already garbled.

    ## Example
    ```
    Content-Type: text/plain; charset=iso-8859-1
    Content-Transfer-Encoding: quoted-printable

    Caf=C3=A9
    ```

    ## Use instead
    ```
    Content-Type: text/plain; charset=utf-8
    Content-Transfer-Encoding: quoted-printable

    Caf=C3=A9
    ```

    ## Fix safety
    Not fixed: declaring UTF-8 changes the text every reader shows (that is
    the point), so the fix proof cannot show that nothing changed; the
    program that built the message knows the real charset.

    ## References
    RFC 2046 §4.1.2; RFC 3629 §3, §4 (UTF-8 byte sequences).
    """
    if part.body_end <= part.body_start or part.transfer_encoding not in MECHANISMS:
        return None
    if part.charset is None or part.sniffed_format is not None:
        return None
    charset = charsets.lookup(part.charset)
    if charset is None or not charset.single_byte:
        return None
    payload = part.payload
    if payload.isascii():
        return None
    try:
        text = payload.decode("utf-8")
    except UnicodeDecodeError:
        return None
    ct = part.content_type_value
    params = ct.named("charset") if ct is not None else []
    if not params:
        return None
    # The example is a character that prints, as sent and as misread where
    # the text has one: a no-break space shows only as escapes (django-
    # mailbox's message_with_utf8_char.eml read "('\\xa0' as 'Â\\xa0')").
    first = shown = ""
    rank = -1
    for c in text:
        if not c.isascii():
            misread = charset.decode(c.encode("utf-8"), "replace")
            score = c.isprintable() + (c.isprintable() and misread.isprintable())
            if score > rank:
                first, shown, rank = c, misread, score
                if rank == 2:
                    break
    return [
        Problem(
            params[0].value_start,
            params[0].value_end,
            f"the text is UTF-8 but declares {part.charset}: readers show each UTF-8 character "
            f"as several ({quoted(first)} as {quoted(shown)}); declare charset=utf-8",
            part.path,
        )
    ]
