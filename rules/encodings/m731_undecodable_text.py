"""M731 undecodable-text: text that does not decode in its declared charset."""

from __future__ import annotations

import binascii
import re

from mimelint.mime import charsets
from mimelint.mime.transfer_encodings import IDENTITY, MECHANISMS
from mimelint.mime.tree import Part
from mimelint.rule import Context, Problem, parts, rule

from ._common import first_undecodable


@rule(
    code="M731",
    name="undecodable-text",
    severity="error",
    summary="Text that does not decode in its declared charset",
    visits=parts(leaf=True, maintype=["text"]),
)
def undecodable_text(part: Part, context: Context) -> list[Problem] | None:
    """## What it does
    Flags a ``text/*`` part whose content (after transfer decoding) is not
    valid in the charset it declares, such as Latin-1 bytes labelled
    ``utf-8``, or 8-bit bytes labelled ``us-ascii``. For 7bit, 8bit and
    binary bodies it points at the first bad byte; for quoted-printable
    bodies at the escape (``=FC``) that decodes to it; for base64 bodies at
    the start of the body, naming the decoded offset and line.

    The charset is read as clients read it (WHATWG Encoding Standard):
    ``ks_c_5601-1987`` and ``euc-kr`` as windows-949, ``gb2312`` and
    ``gbk`` as GB18030, ``big5`` as Big5-HKSCS, ``Shift_JIS`` as
    windows-31J. So Outlook's Korean mail with syllables outside KS X 1001
    passes; a byte no such decoder accepts is still reported.
    ``x-user-defined`` maps every byte (0x80-0xFF to U+F780-U+F7FF), so it
    is never undecodable. Labels are read through the one charset table
    (:func:`mimelint.mime.charsets.lookup`): a label it does not know is M730's.

    Not reported when the content is binary (M733: a content-type problem,
    not a charset one) or comes from damaged base64 (M710, M711: the bytes
    say nothing about the charset).

    ## Why is this bad?
    Readers show replacement characters (``�``) or mojibake where the bad
    bytes are; some refuse to display the part.

    ## Example
    ```
    Content-Type: text/plain; charset=utf-8
    Content-Transfer-Encoding: 8bit

    Caf\\xe9
    ```

    ## Use instead
    ```
    Content-Type: text/plain; charset=iso-8859-1
    Content-Transfer-Encoding: quoted-printable

    Caf=E9
    ```

    ## Fix safety
    Not fixed: which charset the bytes are really in is a guess.

    ## References
    RFC 2046 §4.1.2; RFC 3629 (UTF-8); WHATWG Encoding Standard §4.2
    (labels), §10-§13 (the legacy CJK decoders).
    """
    cte = part.transfer_encoding
    if part.body_end <= part.body_start or cte not in MECHANISMS or part.charset is None:
        return None  # nothing to read, opaque (M702/M703), or no charset (M732)
    charset = charsets.lookup(part.charset)
    if charset is None or part.sniffed_format is not None:
        return None  # an unknown label is M730's, binary content M733's
    b64 = part.base64_scan
    if b64 is not None and (b64.junk_at >= 0 or b64.pad_start >= 0):
        return None  # the base64 is damaged (M710, M711): its bytes say nothing of the charset
    payload = part.payload
    if payload.isascii() and charset.ascii_compatible:
        return None
    error = first_undecodable(payload, charset.codec)
    if error is None:
        return None
    line = payload.count(b"\n", 0, error.start) + 1
    bad = payload[error.start : error.end][:4]
    spot = _qp_source(part, error.start) if cte == "quoted-printable" else None
    if cte in IDENTITY:
        start, end = (
            part.body_start + error.start,
            part.body_start + max(error.end, error.start + 1),
        )
        where = ""
    elif spot is not None:
        start, end = spot
        written = part.data[start:end]
        where = (
            f" (the escape {written.decode('ascii')})"
            if written.isascii()
            else " (a raw 8-bit byte in the quoted-printable body)"
        )
    else:
        start = end = part.body_start
        where = f" (in the {cte} body: decoded byte {error.start}, line {line} of the decoded text)"
    return [
        Problem(
            start,
            end,
            f"{'byte' if len(bad) == 1 else 'bytes'} {bad.hex(' ')} {'is' if len(bad) == 1 else 'are'} "
            f"not valid {part.charset}{where}; readers will show "
            "replacement characters. Declare the charset the text is really in, or re-encode the text",
            part.path,
        )
    ]


def _qp_source(part: Part, decoded: int) -> tuple[int, int] | None:
    """The span of the escape (or raw byte) that decodes to payload byte ``decoded``.

    Candidates are every ``=XX`` for that byte value and the raw byte itself;
    the decoded length of the body up to a candidate grows with it, so a
    bisection finds the one with exactly ``decoded`` bytes before it, with
    a few C-speed decodes. None when no candidate checks out.
    """
    value = part.payload[decoded]
    pattern = re.compile(b"=(?i:%02X)|" % value + re.escape(bytes([value])))
    data, start, end = part.data, part.body_start, part.body_end
    spots = [m.span() for m in pattern.finditer(data, start, end)]
    lo, hi = 0, len(spots)
    while lo < hi:
        mid = (lo + hi) // 2
        if len(binascii.a2b_qp(data[start : spots[mid][0]])) < decoded:
            lo = mid + 1
        else:
            hi = mid
    if lo < len(spots) and len(binascii.a2b_qp(data[start : spots[lo][0]])) == decoded:
        return spots[lo]
    return None
