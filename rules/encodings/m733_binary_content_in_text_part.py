"""M733 binary-content-in-text-part: a text/* part that holds binary data."""

from __future__ import annotations

from mimelint.mime.transfer_encodings import MECHANISMS
from mimelint.mime.tree import Part
from mimelint.rule import Context, Fact, Problem, Severity, parts, rule

from ._common import is_attachment


@rule(
    code="M733",
    name="binary-content-in-text-part",
    severity="error",
    summary="A text/* part whose content is binary: NUL bytes or a file signature",
    visits=parts(leaf=True, maintype=["text"], requires=[Fact.BINARY_CONTENT]),
)
def binary_content_in_text_part(part: Part, context: Context) -> list[Problem] | None:
    """## What it does
    Flags a ``text/*`` part whose content (after transfer decoding) is
    plainly not text: it starts with the signature of a known file format
    (PNG, GIF, JPEG, PDF, ZIP and Office documents, gzip, 7-Zip, RAR, OLE2,
    ELF, TIFF), or it holds NUL bytes as binary data does: at least four,
    and at least one in 512 bytes (random bytes hold one in 256; UTF-16 and
    UTF-32 text, where NUL bytes are part of every ASCII character, are
    exempt; a stray NUL in text is M105's when it is raw). It points at the
    media type. A warning when the part is a transfer-encoded attachment,
    which the reader saves as a file; an error inline.

    This is a content-type problem, not a charset problem: M731 and M732
    stay silent on such a part instead of blaming its charset.

    ## Why is this bad?
    RFC 2046 §4.1 defines ``text`` as textual information: a reader decodes
    the bytes with the charset and shows them. An image or an archive
    labelled ``text/plain`` is shown as a screen of garbled characters, or
    cut at the first NUL, instead of being offered as the file it is; some
    clients refuse to open it. A program that built the message from bytes
    without knowing their type usually made this mistake (Python's
    ``add_attachment()`` with an explicit ``text/*`` maintype, a template
    that hard-codes ``text/plain``).

    ## Example
    ```
    Content-Type: text/plain; name="logo.png"
    Content-Disposition: inline; filename="logo.png"
    Content-Transfer-Encoding: base64

    iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==
    ```

    ## Use instead
    ```
    Content-Type: image/png; name="logo.png"
    Content-Disposition: inline; filename="logo.png"
    Content-Transfer-Encoding: base64

    iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==
    ```

    ## Fix safety
    Not fixed: the message names the likely type, but changing the type
    changes what every reader does with the part.

    ## References
    RFC 2046 §4.1, §4.1.2; RFC 2045 §5; PNG (ISO 15948) §5.2; PDF (ISO
    32000-1) §7.5.2; ZIP APPNOTE §4.3.7.
    """
    if part.transfer_encoding not in MECHANISMS:
        return None  # opaque: M702's or M703's
    found = part.sniffed_format
    assert found is not None  # Fact.BINARY_CONTENT
    ct = part.content_type_value
    if part.header("content-type") is not None and ct is not None:
        start, end = ct.main_start, ct.main_end
    else:
        start = end = part.header_end
    saved = is_attachment(part) and part.transfer_encoding in ("base64", "quoted-printable")
    return [
        Problem(
            start,
            end,
            f"this {part.content_type} part holds {found.name}, not text ({found.evidence}): "
            f"readers show it as garbled characters; declare its real type, such as "
            f"{found.media_type}",
            part.path,
            severity=Severity.WARNING if saved else None,
        )
    ]
