"""M102 eight-bit-body: 8-bit bytes in a body labelled 7bit or quoted-printable."""

from __future__ import annotations

import binascii
import functools
import re
from collections.abc import Iterator

from mimelint.mime.scan import RegionKind
from mimelint.mime.tree import Message, Part
from mimelint.rule import Context, Edit, Fact, Fix, Problem, Safety, Severity, message, rule

from ._reencode import reencode_fix, where

_NON_ASCII = re.compile(rb"[\x80-\xff]+")
_ASCII_BYTES = bytes(range(0x80))


# Compiled on first use: only an 8-bit byte in a quoted-printable body needs it.
@functools.cache
def _stray_equals_before_8bit() -> re.Pattern[bytes]:
    """An "=" with at most one hex digit before an 8-bit byte."""
    return re.compile(rb"=[0-9A-Fa-f]?[\x80-\xff]")


@rule(
    code="M102",
    name="eight-bit-body",
    severity="error",
    summary="8-bit bytes in a body whose transfer encoding is 7bit, quoted-printable or absent",
    fix_safety="safe",
    visits=message(requires=[Fact.EIGHT_BIT]),
)
def eight_bit_body(message: Message, context: Context) -> list[Problem] | None:
    """## What it does
    Flags bytes outside US-ASCII in a body (or a multipart's preamble or
    epilogue) whose Content-Transfer-Encoding is ``7bit``, or absent, which
    means ``7bit``, and raw 8-bit bytes in a ``quoted-printable`` body (a
    sender that labels the part but never encodes it). One finding per
    part, at the first 8-bit byte, with the count of 8-bit bytes. In a
    multipart's preamble or epilogue, which no reader shows (Windows Live
    Mail writes a localized "This is a multi-part message" there in 8-bit),
    it is a warning.

    ## Why is this bad?
    ``7bit`` promises lines of US-ASCII (RFC 2045 §2.7), and so does
    quoted-printable: its output is 7-bit, every octet outside printable
    ASCII is written as an ``=XX`` escape (RFC 2045 §6.7, rules 1 and 2).
    Relays that trust the label may strip the high bit or bounce the
    message; those that do not may guess a wrong charset. Amazon SES asks
    for content outside 7-bit ASCII to be encoded (SES API v2 reference,
    RawMessage).

    ## Example
    ```
    Content-Type: text/plain; charset=utf-8

    Grüße
    ```

    ## Use instead
    ```
    Content-Type: text/plain; charset=utf-8
    Content-Transfer-Encoding: quoted-printable

    Gr=C3=BC=C3=9Fe
    ```

    ## Fix safety
    Safe for a leaf part's body: it is re-encoded as quoted-printable
    (mostly-ASCII content) or base64 (anything else), so the decoded bytes
    are identical. In a quoted-printable body only the raw bytes are
    escaped (``\xc3`` becomes ``=C3``), which a decoder turns back into the
    same byte; the rest of the body is left as written (a line may then
    exceed 76 characters, which M722 re-wraps). A preamble or epilogue has
    no transfer encoding of its own: not fixable, remove the 8-bit text
    (readers do not show it).

    ## References
    RFC 2045 §2.7, §6, §6.7; RFC 6152 (8BITMIME); SES API v2 RawMessage.
    """
    problems: list[Problem] = []
    for part in message.parts():
        if part.transfer_encoding in ("7bit", "quoted-printable"):
            problems.extend(_eight_bit_problems(part))
    return problems


def _eight_bit_problems(part: Part) -> Iterator[Problem]:
    cte = part.transfer_encoding
    for region, scan in part.content_scans:
        quoted = cte == "quoted-printable" and region.kind is RegionKind.BODY
        if cte != "7bit" and not quoted:
            continue
        first = scan.first_eight_bit
        if first < 0:
            continue
        m = _NON_ASCII.match(part.data, first)
        assert m is not None
        count = scan.eight_bit_count()
        plural = "s" if count != 1 else ""
        if quoted:
            yield Problem(
                m.start(),
                m.end(),
                f"{where(region.kind)} is labelled quoted-printable but holds {count} raw "
                f"8-bit byte{plural}, the first here; quoted-printable is 7-bit, every such "
                "byte must be written as an =XX escape (RFC 2045 §6.7)",
                part.path,
                _escape_fix(part, m.start()),
            )
            continue
        if region.kind is not RegionKind.BODY:
            # Text no reader shows (Windows Live Mail writes its localized
            # "This is a multi-part message" in 8-bit): a warning, and the
            # advice fits a region that has no transfer encoding of its own.
            yield Problem(
                m.start(),
                m.end(),
                f"{where(region.kind)} holds {count} 8-bit byte{plural}, the first here; "
                "readers do not show it, but a 7-bit relay may damage it: write it in "
                "US-ASCII or remove it",
                part.path,
                severity=Severity.WARNING,
            )
            continue
        declared = (
            "declares 7bit"
            if part.header("content-transfer-encoding")
            else "declares no transfer encoding (so 7bit)"
        )
        yield Problem(
            m.start(),
            m.end(),
            f"{where(region.kind)} {declared} but holds {count} 8-bit byte{plural}, the "
            f"first here; encode it as quoted-printable or base64",
            part.path,
            reencode_fix(part),
        )


def _escape(match: re.Match[bytes]) -> bytes:
    """``=XX`` for each byte of a run, at C speed (``C3 BC`` -> ``=C3=BC``)."""
    return b"=" + binascii.hexlify(match.group(), b"=").upper()


def _escape_fix(part: Part, first: int) -> Fix | None:
    """Escape the raw 8-bit bytes of a quoted-printable body as ``=XX``.

    A decoder reads ``=C3`` as the byte C3, as it read the raw byte. Not
    offered when a raw byte follows a stray ``=`` (or ``=`` and one hex
    digit): decoders disagree on such text (Python reads ``==`` as one
    ``=``), so escaping next to it could change what is decoded; M720
    reports those escapes.
    """
    if _stray_equals_before_8bit().search(part.data, first - 2, part.body_end):
        return None
    span = part.data[first : part.body_end]
    stop = first + len(span.rstrip(_ASCII_BYTES))  # after the last 8-bit byte
    escaped = _NON_ASCII.sub(_escape, span[: stop - first])
    return Fix(
        edits=(Edit(first, stop, escaped),),
        safety=Safety.SAFE,
        description="escape the raw 8-bit bytes as =XX",
    )
