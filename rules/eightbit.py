"""Non-7-bit content: bytes that SES and SMTP relays will not carry intact.

RFC 5321 SMTP is a 7-bit protocol unless both ends negotiate 8BITMIME, and
Amazon SES may re-encode a message it rewrites (open and click tracking),
damaging raw 8-bit content. Everything outside US-ASCII must be encoded, and
lines must stay within the SMTP limit.

Where content is looked at: the header section of every part, the body of
every leaf part, and the preamble and epilogue of every multipart (they are
content too, though readers hide them). Bodies declared ``binary`` are left
to M103 alone: NUL bytes, bare CRs and long lines are what binary means.

The fix shared by M102-M106 re-encodes one leaf part: quoted-printable when
at most a sixth of the bytes need escaping (mostly-ASCII text stays readable
and no longer than base64), base64 otherwise; see
:func:`mimelint.encode.encode_body`. Text parts keep their line breaks as
real line breaks. The Content-Transfer-Encoding field is replaced (or
inserted before the blank line) and the charset parameter is left alone.
Multipart and message parts are never re-encoded (RFC 2045 §6.4 allows them
only 7bit, 8bit or binary): their children are fixed instead.
"""

from __future__ import annotations

import binascii
import re
import weakref
from collections.abc import Iterator

from mimelint.encode import encode_body, line_separator
from mimelint.rule import Context, Edit, Fix, Problem, Safety, rule
from mimelint.tree import Header, Message, Part

from .encodings import _value_span, scan_base64, uniform_width

_NON_ASCII = re.compile(rb"[\x80-\xff]+")
_ASCII_BYTES = bytes(range(0x80))
_STRAY_EQUALS_BEFORE_8BIT = re.compile(rb"=[0-9A-Fa-f]?[\x80-\xff]")
_HIGH_BYTES = bytes(range(0x80, 0x100))
_BARE_CR = re.compile(rb"\r(?!\n)")
# A leaf body that needs no transfer encoding at all: ASCII, no NUL, no bare CR.
_NOT_SEVEN_BIT = re.compile(rb"[\x80-\xff\x00]|\r(?!\n)")
_IDENTITY = frozenset({"7bit", "8bit", "binary"})
#: Messages up to this size are checked for long lines in one pass; larger
#: ones region by region, so that uniformly wrapped base64 costs nothing.
_WHOLE_SCAN = 1 << 16
_DECODABLE = _IDENTITY | {"quoted-printable", "base64"}
#: Tests turn this off to prove the shortcuts change no finding.
FAST_PATHS = True


def _long_lines(data: bytes, start: int, end: int, limit: int) -> Iterator[tuple[int, int, int]]:
    """(line start, content end, length) of each line of ``[start, end)`` over ``limit``.

    A regex such as ``[^\n]{999}`` retries at every byte and costs about a
    thousand steps per byte of short lines. Instead, look at windows of half
    the limit: a line over the limit always covers one whole window, so
    only windows without a line feed are candidates, and each is measured
    with two C-speed finds. The loop runs once per window (~500 bytes), not
    once per line or byte.
    """
    if end - start <= limit:
        return
    stride = max(1, (limit + 1) // 2)
    p = start
    while p < end:
        stop = min(p + stride, end)
        if data.find(b"\n", p, stop) >= 0:
            p = stop
            continue
        line_start = data.rfind(b"\n", start, p) + 1 or start
        line_end = data.find(b"\n", p, end)
        content_end = end if line_end < 0 else line_end
        if line_end >= 0 and content_end > line_start and data[content_end - 1] == 13:
            content_end -= 1  # the CR of the line's CR LF
        if content_end - line_start > limit:
            yield line_start, content_end, content_end - line_start
        if line_end < 0:
            return
        p = line_end + 1


def _may_have_long_line(data: bytes, start: int, end: int, limit: int) -> bool:
    """False when no line of ``[start, end)`` exceeds ``limit``.

    Uniform wrapping (encoders' base64) is proven with strided slices,
    without reading every byte; other spans are searched window by window.
    """
    if end - start <= limit:
        return False
    width = uniform_width(data, start, end)
    if width is not None and width <= limit:
        return False
    return next(_long_lines(data, start, end, limit), None) is not None


# ------------------------------------------------------------------ regions
def _regions(message: Message) -> Iterator[tuple[Part, int, int, str]]:
    """(part, start, end, what) for every span of content in the message.

    ``what`` is ``body``, ``preamble`` or ``epilogue``. Embedded messages are
    not content here: their own headers and parts are visited instead.
    """
    for part in message.parts():
        if part.delimiters or part.children:
            for what, span in (("preamble", part.preamble), ("epilogue", part.epilogue)):
                if span is not None and span[0] < span[1]:
                    yield part, span[0], span[1], what
        elif part.embedded is None and part.body_start < part.body_end:
            yield part, part.body_start, part.body_end, "body"


def _where(part: Part, what: str) -> str:
    """A phrase naming a region for a person: 'the body of part 1.2'."""
    owner = f"part {part.path}" if part.path else "the message"
    if what != "body":
        return f"the {what} of the multipart ({owner})"
    return f"the body of {owner}"


# --------------------------------------------------------------------- fixes
def reencode_fix(part: Part) -> Fix | None:
    """The safe fix that re-encodes a leaf part's body for 7-bit transport.

    None when the part cannot be re-encoded: not a leaf, a multipart or
    message type, an unknown transfer encoding, or no blank line between
    its header section and body (inserting a field there would be a
    structural repair, which is another rule's business).
    """
    if not part.is_leaf or part.maintype in ("multipart", "message"):
        return None
    cte = part.transfer_encoding
    if cte not in _DECODABLE or part.separator is None:
        return None
    return _reencode(part)


_FIXES: weakref.WeakKeyDictionary[Part, Fix] = weakref.WeakKeyDictionary()


def _reencode(part: Part) -> Fix:
    # Several rules fix the same part: encode once, offer the very same edits.
    cached = _FIXES.get(part)
    if cached is not None:
        return cached
    message = part.message
    assert isinstance(message, Message)
    linesep = line_separator(message)
    cte, encoded = encode_body(part.payload, is_text=part.maintype == "text", linesep=linesep)
    data = part.data
    if cte == "base64" and encoded and data[part.body_end - 1 : part.body_end] != b"\n":
        # A body inside a multipart ends before the line break of the next
        # delimiter: no line break of its own (base64 would ignore it anyway).
        encoded = encoded[: -len(linesep)]
    fix = Fix(
        edits=(_cte_edit(part, cte, linesep), Edit(part.body_start, part.body_end, encoded)),
        safety=Safety.SAFE,
        description=f"re-encode {_where(part, 'body')} as {cte}",
    )
    _FIXES[part] = fix
    return fix


def _cte_edit(part: Part, cte: str, linesep: bytes) -> Edit:
    header = part.header("content-transfer-encoding")
    if header is not None:
        return Edit(header.value_start, header.value_end, b" " + cte.encode("ascii"))
    field = b"Content-Transfer-Encoding: " + cte.encode("ascii") + linesep
    return Edit(part.header_end, part.header_end, field)


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
    if _STRAY_EQUALS_BEFORE_8BIT.search(part.data, first - 2, part.body_end):
        return None
    span = part.data[first : part.body_end]
    stop = first + len(span.rstrip(_ASCII_BYTES))  # after the last 8-bit byte
    escaped = _NON_ASCII.sub(_escape, span[: stop - first])
    return Fix(
        edits=(Edit(first, stop, escaped),),
        safety=Safety.SAFE,
        description=f"escape the raw 8-bit bytes of {part.path or 'the message'} as =XX",
    )


def _relabel_fix(part: Part, header: Header) -> Fix:
    """Declare 7bit for a body that is already 7-bit clean (nothing re-encoded)."""
    return Fix(
        edits=(Edit(header.value_start, header.value_end, b" 7bit"),),
        safety=Safety.SAFE,
        description=f"declare {part.path or 'the message'} 7bit: its content is already 7-bit",
    )


def _seven_bit_clean(part: Part, limit: int) -> bool:
    """Whether a part's whole body (children included) needs no encoding."""
    data = part.data
    s, e = part.body_start, part.body_end
    return (
        _NOT_SEVEN_BIT.search(data, s, e) is None
        and next(_long_lines(data, s, e, limit), None) is None
    )


# --------------------------------------------------------------------- rules
@rule(
    code="M101",
    name="eight-bit-header",
    severity="error",
    summary="Raw 8-bit bytes in a header field that are not UTF-8, or in a field name",
)
def eight_bit_header(message: Message, context: Context) -> Iterator[Problem]:
    """## What it does
    Flags header fields holding raw bytes outside US-ASCII that are not valid
    UTF-8 (Latin-1, Windows-1252, Shift_JIS written raw...), and field
    names holding any byte outside US-ASCII. Valid UTF-8 text in a field
    value is left to M3xx's unencoded-header-text rule, which can encode it;
    the two never report the same bytes.

    ## Why is this bad?
    RFC 5322 §2.2 allows only US-ASCII in header fields; non-ASCII text must
    be written as RFC 2047 encoded-words. Without SMTPUTF8 (RFC 6532, which
    requires UTF-8) on every hop, raw 8-bit headers are refused or mangled,
    and bytes that are not UTF-8 carry no charset at all: no receiver can
    know what they meant. A field name must be printable US-ASCII
    (RFC 5322 §2.2). Amazon SES asks for non-ASCII header text to be encoded
    (SES developer guide, "Sending raw email").

    ## Example
    ```
    Subject: Gr\\xfc\\xdfe        (Latin-1 bytes FC DF written raw)
    ```

    ## Use instead
    ```
    Subject: =?iso-8859-1?q?Gr=FC=DFe?=
    ```

    ## Fix safety
    Not fixable: the bytes' charset is unknown, so any encoding would be a
    guess. Re-create the field from the text in the program that built it.

    ## References
    RFC 5322 §2.2; RFC 2047 §2, §5; RFC 6532 §3.2.
    """
    data = message.data
    if data.isascii():
        return
    for part in message.parts():
        for header in part.headers:
            if header.raw.isascii():
                continue
            name_end = header.colon if header.colon >= 0 else header.start
            m = _NON_ASCII.search(data, header.start, name_end)
            if m is not None:
                yield Problem(
                    m.start(),
                    m.end(),
                    "header field name holds bytes outside US-ASCII; a field name must be "
                    "printable ASCII: rename the field",
                    part.path,
                )
                continue
            try:
                header.raw_value.decode("utf-8")
            except UnicodeDecodeError as exc:
                bad = header.value_start + exc.start
                run = _NON_ASCII.match(data, bad)
                stop = run.end() if run is not None else bad + 1
                name = header.name or "a header line"
                yield Problem(
                    bad,
                    stop,
                    f"{name} holds raw 8-bit bytes that are not UTF-8, so their charset is "
                    "unknown; rewrite the value as RFC 2047 encoded-words with its real charset",
                    part.path,
                )


@rule(
    code="M102",
    name="eight-bit-body",
    severity="error",
    summary="8-bit bytes in a body whose transfer encoding is 7bit, quoted-printable or absent",
    fix="safe",
)
def eight_bit_body(message: Message, context: Context) -> Iterator[Problem]:
    """## What it does
    Flags bytes outside US-ASCII in a body (or a multipart's preamble or
    epilogue) whose Content-Transfer-Encoding is ``7bit``, or absent, which
    means ``7bit``, and raw 8-bit bytes in a ``quoted-printable`` body (a
    sender that labels the part but never encodes it). One finding per
    part, at the first 8-bit byte, with the count of 8-bit bytes.

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
    data = message.data
    if data.isascii():
        return
    for part, start, end, what in _regions(message):
        cte = part.transfer_encoding
        quoted = cte == "quoted-printable" and what == "body"
        if cte != "7bit" and not quoted:
            continue
        m = _NON_ASCII.search(data, start, end)
        if m is None:
            continue
        count = (end - start) - len(data[start:end].translate(None, _HIGH_BYTES))
        plural = "s" if count != 1 else ""
        if quoted:
            yield Problem(
                m.start(),
                m.end(),
                f"{_where(part, what)} is labelled quoted-printable but holds {count} raw "
                f"8-bit byte{plural}, the first here; quoted-printable is 7-bit, every such "
                "byte must be written as an =XX escape (RFC 2045 §6.7)",
                part.path,
                _escape_fix(part, m.start()),
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
            f"{_where(part, what)} {declared} but holds {count} 8-bit byte{plural}, the "
            f"first here; encode it as quoted-printable or base64",
            part.path,
            reencode_fix(part) if what == "body" else None,
        )


@rule(
    code="M103",
    name="eight-bit-transfer-encoding",
    severity="warning",
    summary="Content-Transfer-Encoding 8bit or binary over content that needs it",
    fix="safe",
)
def eight_bit_transfer_encoding(message: Message, context: Context) -> Iterator[Problem]:
    """## What it does
    Flags a Content-Transfer-Encoding of ``8bit`` or ``binary``, at the
    field's value, when the content under it really is 8-bit: bytes outside
    US-ASCII, NUL, bare CR or lines over the SMTP limit (a multipart's
    children included). The same label over content that is entirely 7-bit
    is M108's (informational): nothing there can be damaged.

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
    its children are fixed, and then M108 relabels it ``7bit``.

    ## References
    RFC 2045 §2.8, §2.9, §6.2, §6.4; RFC 6152; RFC 3030.
    """
    for part, header, clean in _eight_bit_labels(message, context):
        if clean:
            continue
        start, end = _value_span(header)
        label = part.transfer_encoding
        risk = (
            "and Amazon SES may damage it when rewriting the message"
            if context.profile.provider == "ses"
            else "and relays or filters that rewrite the message may damage it"
        )
        yield Problem(
            start,
            end,
            f"Content-Transfer-Encoding {label} over 8-bit content needs 8-bit-clean relays "
            f"{risk}; use quoted-printable or base64",
            part.path,
            reencode_fix(part),
        )


@rule(
    code="M108",
    name="eight-bit-label-on-seven-bit-content",
    severity="info",
    summary="Content-Transfer-Encoding 8bit or binary over content that is all 7-bit",
    fix="safe",
)
def eight_bit_label_on_seven_bit_content(message: Message, context: Context) -> Iterator[Problem]:
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
    for part, header, clean in _eight_bit_labels(message, context):
        if not clean:
            continue
        start, end = _value_span(header)
        label = part.transfer_encoding
        yield Problem(
            start,
            end,
            f"Content-Transfer-Encoding declares {label} but the content is 7-bit (nothing "
            "here can be damaged in transit); label it 7bit",
            part.path,
            _relabel_fix(part, header),
        )


def _eight_bit_labels(message: Message, context: Context) -> Iterator[tuple[Part, Header, bool]]:
    """(part, its CTE field, whether its content is 7-bit) for 8bit/binary labels."""
    limit = context.profile.max_line_octets
    for part in message.parts():
        if part.transfer_encoding not in ("8bit", "binary"):
            continue
        header = part.header("content-transfer-encoding")
        if header is None:
            continue
        cached = _CLEAN.get(part)
        if cached is None or cached[0] != limit:
            cached = _CLEAN[part] = (limit, _seven_bit_clean(part, limit))
        yield part, header, cached[1]


# M103 and M108 both ask, one after the other.
_CLEAN: weakref.WeakKeyDictionary[Part, tuple[int, bool]] = weakref.WeakKeyDictionary()


@rule(
    code="M104",
    name="long-body-line",
    severity="error",
    summary="A body line longer than 998 octets (the SMTP line limit)",
    fix="safe",
)
def long_body_line(message: Message, context: Context) -> Iterator[Problem]:
    """## What it does
    Flags lines of a body, preamble or epilogue longer than the profile's
    ``max_line_octets`` (998), not counting the CR LF. One finding per
    part, at the first octet past the limit, with the number of long lines.
    Header lines are the header rules' business (M3xx).

    ## Why is this bad?
    RFC 5322 §2.1.1 caps lines at 998 characters, and an SMTP text line is
    at most 1000 octets with its CR LF (RFC 5321 §4.5.3.1.6). Relays break
    or refuse longer lines, and Amazon SES refuses them ("no line longer
    than 1,000 characters including CRLF", SES API v2 RawMessage). One-line
    HTML from templating engines and unwrapped base64 are the usual causes.

    ## Example
    ```
    Content-Type: text/html; charset=utf-8

    <html><body><table>...(3000 characters on one line)...</table></body></html>
    ```

    ## Use instead
    ```
    Content-Type: text/html; charset=utf-8
    Content-Transfer-Encoding: quoted-printable

    <html><body><table>...=
    ...</table></body></html>
    ```

    ## Fix safety
    Safe for a leaf part: the body is re-encoded (quoted-printable soft
    line breaks or base64 lines of 76 characters), the decoded content is
    identical. A long line in a preamble or epilogue is not fixable.

    ## References
    RFC 5322 §2.1.1; RFC 5321 §4.5.3.1.6; RFC 2045 §6.7, §6.8.
    """
    data = message.data
    limit = context.profile.max_line_octets
    whole = len(data) <= _WHOLE_SCAN
    if whole and next(_long_lines(data, 0, len(data), limit), None) is None:
        return
    for part, start, end, what in _regions(message):
        if part.transfer_encoding == "binary":
            continue
        if not whole and not _may_have_long_line(data, start, end, limit):
            continue
        first: tuple[int, int] | None = None
        count = 0
        longest = 0
        for line_start, content_end, length in _long_lines(data, start, end, limit):
            count += 1
            longest = max(longest, length)
            if first is None:
                first = (line_start + limit, content_end)
        if first is None:
            continue
        lines = f"{count} lines are" if count > 1 else "a line is"
        yield Problem(
            first[0],
            first[1],
            f"in {_where(part, what)} {lines} longer than {limit} octets (longest "
            f"{longest}); relays and Amazon SES refuse them: encode the part as "
            "quoted-printable or base64",
            part.path,
            reencode_fix(part) if what == "body" else None,
        )


def _header_section(part: Part) -> tuple[int, int]:
    return part.start, part.header_end


@rule(
    code="M105",
    name="nul-byte",
    severity="error",
    summary="NUL bytes in a header or body",
    fix="safe",
)
def nul_byte(message: Message, context: Context) -> Iterator[Problem]:
    """## What it does
    Flags NUL (0x00) bytes in a header section, a body, a preamble or an
    epilogue. One finding per place, at the first NUL, with the count.

    ## Why is this bad?
    NUL is not allowed in message text (RFC 5322 §2.2, §3.5; RFC 2045 §2.7
    and §2.8 exclude it from 7bit and 8bit data). C-based mail software
    truncates at it or refuses the message; spam filters score it.

    ## Example
    ```
    Content-Type: text/plain

    a\\x00b
    ```

    ## Use instead
    ```
    Content-Type: text/plain
    Content-Transfer-Encoding: quoted-printable

    a=00b
    ```

    ## Fix safety
    Safe in a leaf part's body: re-encoded (see M102), the decoded content
    keeps the NUL. Not fixable in a header (there is no encoding that keeps
    a NUL in a field) or a preamble or epilogue.

    ## References
    RFC 5322 §2.2, §3.5; RFC 2045 §2.7, §2.8.
    """
    yield from _stray_bytes(message, b"\x00", None, "a NUL byte", "NUL bytes")


@rule(
    code="M106",
    name="bare-cr",
    severity="error",
    summary="A carriage return not followed by a line feed",
    fix="safe",
)
def bare_cr(message: Message, context: Context) -> Iterator[Problem]:
    """## What it does
    Flags CR (0x0D) bytes not followed by LF, in a header section, a body,
    a preamble or an epilogue. One finding per place, at the first bare CR,
    with the count. LF-only line endings are not flagged here.

    ## Why is this bad?
    CR and LF may occur in message text only together, as a line break
    (RFC 5322 §2.2, §2.3; RFC 2045 §2.7). Receivers disagree about a bare
    CR: some end the line there, some drop it, some keep it, so the text a
    reader sees depends on the software; SMTP servers often refuse it
    outright (it has been used for SMTP smuggling).

    ## Example
    ```
    Content-Type: text/plain

    line one\\rline two
    ```

    ## Use instead
    ```
    Content-Type: text/plain
    Content-Transfer-Encoding: quoted-printable

    line one=0Dline two
    ```

    ## Fix safety
    Safe in a leaf part's body: re-encoded (see M102) so the CR survives as
    an escape. Not fixable in a header or a preamble or epilogue.

    ## References
    RFC 5322 §2.2, §2.3; RFC 2045 §2.7; RFC 5321 §2.3.8.
    """
    yield from _stray_bytes(message, b"\r", _BARE_CR, "a bare CR", "bare CRs")


@rule(
    code="M107",
    name="mixed-line-endings",
    severity="warning",
    summary="A message that mixes CRLF and bare LF line endings",
)
def mixed_line_endings(message: Message, context: Context) -> Iterator[Problem]:
    """## What it does
    Flags a message in which some lines end with CR LF and others with a
    bare LF. Points at the first line ending that differs from the
    majority, with both counts. Files whose lines all end with LF (templates
    on disk) are not flagged, nor are messages in canonical CR LF; LF bytes
    inside a body declared ``binary`` are data and not counted.

    ## Why is this bad?
    The line ending of a message is CR LF (RFC 5322 §2.3, RFC 5321 §2.3.8).
    A file that is all LF is converted as a whole by whatever sends it; a
    mix usually means text was pasted or templated into a CR LF message,
    and the bare LFs survive. Since SMTP smuggling (2023) many servers
    refuse bare LF or treat it differently from CR LF, and a converter that
    sees CR LF somewhere may leave the rest alone: readers then disagree on
    where lines end, and DKIM body hashes computed before and after
    conversion differ.

    ## Example
    ```
    Subject: Report<CR><LF>
    <CR><LF>
    line one<LF>
    line two<CR><LF>
    ```

    ## Use instead
    ```
    Subject: Report<CR><LF>
    <CR><LF>
    line one<CR><LF>
    line two<CR><LF>
    ```

    ## Fix safety
    Not fixable: changing a line ending inside a body changes its decoded
    content whenever the body is not base64 (in 7bit, 8bit and
    quoted-printable text the LF is part of the decoded text, and which
    ending was meant is unknown), so the proof that nothing was lost could
    not hold. Write the message with one line ending (CR LF) in the program
    that builds it.

    ## References
    RFC 5322 §2.3; RFC 5321 §2.3.8, §4.1.1.4.
    """
    data = message.data
    # Most messages are all CR LF or all LF. Leaving out binary bodies (or
    # counting base64 ones from their scan) cannot add a bare LF to a message
    # that has none, nor a CR LF to one without: two counts settle them.
    # On a large message the base64 scan's counts (below) save re-reading its
    # attachments; on a small one, two whole counts are cheaper than the walk.
    if FAST_PATHS and len(data) <= _WHOLE_SCAN:
        total_crlf = data.count(b"\r\n")
        if total_crlf == 0 or total_crlf == data.count(b"\n"):
            return
    lf = crlf = 0
    pos = 0
    # Base64 bodies (most of a large message) are counted by the base64
    # scan M710-M712 share; binary bodies hold data, not lines.
    for s, e, counts in _line_ending_skips(message):
        lf += data.count(b"\n", pos, s)
        crlf += data.count(b"\r\n", pos, s)
        lf += counts[0]
        crlf += counts[1]
        pos = max(pos, e)
    lf += data.count(b"\n", pos)
    crlf += data.count(b"\r\n", pos)
    bare = lf - crlf
    if bare <= 0 or crlf <= 0:
        return  # canonical, or LF only
    odd = _BARE_LF if bare <= crlf else _CRLF
    at = _first_outside_binary(message, odd)
    if at is None:
        return
    start, end = at
    line = data.count(b"\n", 0, start) + 1
    if odd is _BARE_LF:
        lines = "1 line ends" if bare == 1 else f"{bare} lines end"
        what = f"ends with a bare LF; {lines} with LF and {crlf} with CR LF"
    else:
        what = f"ends with CR LF while most end with a bare LF ({bare} LF, {crlf} CR LF)"
    part = _part_holding(message, start)
    yield Problem(
        start,
        end,
        f"line {line} {what}: mail must use CR LF throughout (RFC 5322 §2.3), and servers "
        "refuse or reinterpret bare LF; write every line ending as CR LF",
        part.path,
    )


def _line_ending_skips(message: Message) -> list[tuple[int, int, tuple[int, int]]]:
    """(start, end, (LF, CR LF)) of bodies not to count byte by byte, in order."""
    skips: list[tuple[int, int, tuple[int, int]]] = []
    for part in message.parts():
        if not part.is_leaf or part.embedded is not None or part.body_start >= part.body_end:
            continue
        cte = part.transfer_encoding
        if cte == "binary":
            skips.append((part.body_start, part.body_end, (0, 0)))
        elif cte == "base64":
            scan = scan_base64(part)
            skips.append((part.body_start, part.body_end, (scan.lf, scan.crlf)))
    return skips


_BARE_LF = re.compile(rb"(?<!\r)\n")
_CRLF = re.compile(rb"\r\n")


def _first_outside_binary(message: Message, pattern: re.Pattern[bytes]) -> tuple[int, int] | None:
    """The first match of ``pattern`` not inside a binary body."""
    data = message.data
    skips = sorted(
        (p.body_start, p.body_end)
        for p in message.parts()
        if p.transfer_encoding == "binary" and p.is_leaf and p.embedded is None
    )
    pos = 0
    for s, e in [*skips, (len(data), len(data))]:
        m = pattern.search(data, pos, s)
        if m is not None:
            return m.span()
        pos = max(pos, e)
    return None


def _part_holding(message: Message, offset: int) -> Part:
    """The deepest part whose span holds ``offset``."""
    found = message.parts()[0]
    for part in message.parts():
        if part.start <= offset < part.end:
            found = part
    return found


def _stray_bytes(
    message: Message,
    needle: bytes,
    pattern: re.Pattern[bytes] | None,
    one: str,
    many: str,
) -> Iterator[Problem]:
    """Findings for a byte that may not occur anywhere: NUL, bare CR."""
    data = message.data
    # Fast path before any closure or part is touched: clean mail has none.
    if pattern is None:
        if data.find(needle) < 0:
            return
    elif pattern.search(data) is None:
        return

    def first(start: int, end: int) -> int:
        if pattern is None:
            return data.find(needle, start, end)
        m = pattern.search(data, start, end)
        return -1 if m is None else m.start()

    def count(start: int, end: int) -> int:
        if pattern is None:
            return data.count(needle, start, end)
        return data.count(needle, start, end) - data.count(needle + b"\n", start, end)

    for part in message.parts():
        start, end = _header_section(part)
        at = first(start, end)
        if at >= 0:
            n = count(start, end)
            what = one if n == 1 else f"{n} {many}"
            owner = f"part {part.path}" if part.path else "the message"
            yield Problem(
                at,
                at + 1,
                f"the header section of {owner} holds {what}, the first here; remove "
                "them from the field (no encoding can carry them in a header)",
                part.path,
            )
    for part, start, end, what_region in _regions(message):
        if part.transfer_encoding == "binary" and what_region == "body":
            continue
        at = first(start, end)
        if at < 0:
            continue
        n = count(start, end)
        what = one if n == 1 else f"{n} {many}"
        fix = reencode_fix(part) if what_region == "body" else None
        advice = (
            "encode the part as quoted-printable or base64"
            if fix or what_region == "body"
            else ("remove them")
        )
        yield Problem(
            at,
            at + 1,
            f"{_where(part, what_region)} holds {what}, the first here; {advice}",
            part.path,
            fix,
        )


RULES = [
    eight_bit_header,
    eight_bit_body,
    eight_bit_transfer_encoding,
    eight_bit_label_on_seven_bit_content,
    long_body_line,
    nul_byte,
    bare_cr,
    mixed_line_endings,
]
