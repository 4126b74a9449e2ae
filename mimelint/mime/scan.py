"""Body scans: line lengths, line endings, 8-bit, NUL, base64 and quoted-printable.

What a rule asks of a body's bytes, answered in a few C-speed passes
(``bytes.count``, ``bytes.find``, ``bytes.translate``, strided slices);
regular expressions that walk every byte run only once a problem is known
to exist. The tree offers these as lazy facts, computed at most once per
part however many rules ask (:attr:`mimelint.mime.tree.Part.body_scan`,
:attr:`~mimelint.mime.tree.Part.base64_scan`,
:attr:`~mimelint.mime.tree.Part.quoted_printable_scan`...); the functions here
take a buffer and a span, so they serve any span (a preamble, a header
section) too.

This module is the one place that knows how long a body's lines are and
what a base64 or quoted-printable body looks like (where a line ends is
:mod:`mimelint.mime.lines`'s): a compiled scanner, if one is ever needed,
replaces the functions here and nothing else.
"""

from __future__ import annotations

import bisect
import enum
import re
from itertools import islice

from mimelint._records import NamedTuple
from mimelint.mime.lines import LINE_SHAPE, line_end
from mimelint.mime.lines import long_lines as each_long_line
from mimelint.mime.transfer_encodings import BASE64_ALPHABET, NOT_BASE64

TYPE_CHECKING = False  # typing's flag, without importing typing at start-up
if TYPE_CHECKING:
    from mimelint.mime.tree import Message, Part

#: RFC 2045 §6.7-6.8: encoded lines are at most 76 characters.
MAX_ENCODED_LINE = 76

_NON_ASCII = re.compile(rb"[\x80-\xff]")
_BARE_CR = re.compile(rb"\r(?!\n)")
_HIGH_BYTES = bytes(range(0x80, 0x100))
#: Bytes of a large span copied at a time (see :func:`scan_base64`,
#: :func:`first_high`): no copy of a large body is ever made.
_CHUNK = 1 << 16

#: Long lines located one by one; past this many, one split counts the rest.
_LOCATE_AT_MOST = 64


# ------------------------------------------------------------------ lines
class LongLines(NamedTuple):
    """Lines over a limit in a span: the first one, how many, the longest.

    ``first`` is the offset where the first long line starts, ``first_end``
    where its content ends (before its line ending).
    """

    first: int
    first_end: int
    count: int  # type: ignore[assignment]  # the field shadows tuple.count, as it should
    longest: int


def uniform_width(data: bytes, start: int, end: int) -> int | None:
    """The line width of ``data[start:end]`` when it is wrapped uniformly, else None.

    Uniform: every line break (LF, or CR LF as the first line has it) sits
    exactly one width apart, as every encoder writes base64. Two strided
    slices prove it at C speed; then no line is longer than the width
    (the last one is at most as long), whether lines are split at LF only
    or at CR and LF too. None when there is no line break.
    """
    nl = data.find(b"\n", start, end)
    if nl < 0:
        return None
    eol = 2 if nl > start and data[nl - 1] == 13 else 1
    width = nl - start - (eol - 1)
    stride = width + eol
    cut = data[start + width : end : stride]
    if cut.count(b"\r" if eol == 2 else b"\n") != len(cut):
        return None
    if eol == 2:
        cut = data[start + width + 1 : end : stride]
        if cut.count(b"\n") != len(cut):
            return None
    return width


def long_lines(
    data: bytes,
    start: int,
    end: int,
    limit: int = MAX_ENCODED_LINE,
    *,
    cr_ends_line: bool = True,
    width: int | None = -1,
) -> LongLines | None:
    """Lines of ``data[start:end]`` longer than ``limit`` characters, or None.

    With ``cr_ends_line`` (encoded bodies, RFC 2045 §6.7-6.8) a line ends at
    CR, LF or CR LF; without it (the SMTP line limit, RFC 5321 §4.5.3.1.6)
    only at LF, and the CR of a CR LF is not counted. Fast path: uniform
    wrapping within the limit (:func:`uniform_width`). Then Python runs per
    long line found, not per byte: see :func:`_encoded_long_lines` and
    :func:`_smtp_long_lines` for how each kind of line is searched.
    ``width`` is the span's :func:`uniform_width` when the caller has it
    (-1: not known yet).
    """
    if end - start <= limit:
        return None
    if width == -1:
        width = uniform_width(data, start, end)
    if width is not None and width <= limit:
        return None
    if cr_ends_line:
        return _encoded_long_lines(data, start, end, limit)
    return _smtp_long_lines(data, start, end, limit)


def _encoded_long_lines(data: bytes, start: int, end: int, limit: int) -> LongLines | None:
    """Long lines ending at CR or LF, for short limits (76).

    The span is mapped so that a long line is a run of one byte, found
    with ``bytes.find`` (a regex such as ``[^\\r\\n]{77}`` would retry at
    every byte); past a few dozen long lines one split counts the rest.
    """
    # (start, end) of each long line, found by the one long-line finder.
    runs = list(islice(each_long_line(data, start, end, limit), _LOCATE_AT_MOST + 1))
    if not runs:
        return None
    if len(runs) <= _LOCATE_AT_MOST:
        count = len(runs)
        longest = max(stop - at for at, stop in runs)
    else:
        lengths = list(map(len, data[start:end].translate(LINE_SHAPE).splitlines()))
        longest = max(lengths)
        lengths.sort()
        count = len(lengths) - bisect.bisect_right(lengths, limit)
    # Where a long line starts: after CR or LF (before the span too), or
    # at the very start of the buffer.
    first = start
    for at, _ in runs[:2]:
        if at > start or start == 0 or data[start - 1] in (10, 13):
            first = at
            break
    return LongLines(first, line_end(data, first, end), count, longest)


def _smtp_long_lines(data: bytes, start: int, end: int, limit: int) -> LongLines | None:
    """Long lines ending at LF, for long limits (998), without copying the span.

    A regex such as ``[^\\n]{999}`` retries at every byte. Instead, from
    each line start ``p`` look back from ``p + limit`` for a line feed
    (``bytes.rfind``, at memory speed): where there is one, every line that
    ends there or before is within the limit, and the next look starts
    after it; where there is none, the line at ``p`` is measured. The loop
    runs about once per ``limit`` bytes (once per long line at most), not
    once per line or byte.
    """
    first = first_end = -1
    count = longest = 0
    p = start  # a line start (or the span's start)
    while end - p > limit:
        last = data.rfind(b"\n", p, p + limit + 1)
        if last >= 0:
            p = last + 1
            continue
        # No line feed in the limit + 1 bytes from p: measure that line.
        nl = data.find(b"\n", p + limit + 1, end)
        content_end = end if nl < 0 else nl
        if nl >= 0 and data[content_end - 1] == 13:
            content_end -= 1  # the CR of the line's CR LF
        length = content_end - p
        if length > limit:
            count += 1
            longest = max(longest, length)
            if first < 0:
                first, first_end = p, content_end
        if nl < 0:
            break
        p = nl + 1
    return LongLines(first, first_end, count, longest) if count else None


# ------------------------------------------------------------ plain bytes
def first_high(data: bytes, start: int, end: int) -> int:
    """Offset of the first byte outside US-ASCII in ``data[start:end]``, or -1.

    ``bytes.isascii`` reads a window of :data:`_CHUNK` bytes at memory speed
    (a regex for ``[\\x80-\\xff]`` tests a character class at every byte,
    twenty times slower); the regex runs in the one window that holds one.
    """
    for at in range(start, end, _CHUNK):
        stop = min(at + _CHUNK, end)
        if not data[at:stop].isascii():
            m = _NON_ASCII.search(data, at, stop)
            assert m is not None
            return m.start()
    return -1


class ContentBytes:
    """What the bytes of one span hold: 8-bit bytes, NUL, bare CR, line ends.

    Each answer is computed on first use, with C-speed counts first, and
    then kept: rules asking the same question of the same span share it.
    Offsets are absolute; ``-1`` means none.

    What a scan of the span's transfer encoding already proved is passed
    in and never computed again (see :meth:`Part.body_scan
    <mimelint.mime.tree.Part.body_scan>`): ``line_ends``, the exact counts
    (LF, CR LF, CR); ``ascii``, that every byte is US-ASCII; ``no_nul``,
    that none is NUL; ``line_bound``, that no line (ended by CR or LF) is
    longer.
    """

    __slots__ = (
        "_ascii",
        "_bare_cr",
        "_crlf",
        "_first_bare_cr",
        "_first_nul",
        "_lf",
        "_long",
        "_nul",
        "data",
        "end",
        "line_bound",
        "start",
    )

    def __init__(
        self,
        data: bytes,
        start: int,
        end: int,
        *,
        line_ends: tuple[int, int, int] | None = None,
        ascii: bool = False,
        no_nul: bool = False,
        line_bound: int | None = None,
    ) -> None:
        self.data = data
        self.start = start
        self.end = end
        self._ascii: bool | None = True if ascii else None
        self._nul: int | None = 0 if no_nul else None
        self._first_nul: int | None = -1 if no_nul else None
        self._lf: int | None = None
        self._crlf: int | None = None
        self._bare_cr: int | None = None
        self._first_bare_cr: int | None = None
        if line_ends is not None:
            self._lf, self._crlf, cr = line_ends
            self._bare_cr = cr - self._crlf
            if not self._bare_cr:
                self._first_bare_cr = -1
        #: No line of the span, ended by CR or LF, is longer than this (None: unknown).
        self.line_bound = line_bound
        self._long: dict[int, LongLines | None] = {}

    @property
    def ascii(self) -> bool:
        """No byte outside US-ASCII."""
        if self._ascii is None:
            data, s, e = self.data, self.start, self.end
            # The whole buffer is checked in place, a span a window at a time.
            self._ascii = data.isascii() if (s, e) == (0, len(data)) else first_high(data, s, e) < 0
        return self._ascii

    @property
    def first_eight_bit(self) -> int:
        """Offset of the first byte outside US-ASCII, or -1."""
        if self.ascii:
            return -1
        return first_high(self.data, self.start, self.end)

    def eight_bit_count(self) -> int:
        """How many bytes outside US-ASCII the span holds."""
        if self.ascii:
            return 0
        span = self.data[self.start : self.end]
        return len(span) - len(span.translate(None, _HIGH_BYTES))

    @property
    def first_nul(self) -> int:
        """Offset of the first NUL byte, or -1 (one ``bytes.find``: clean mail has none)."""
        if self._first_nul is None:
            self._first_nul = self.data.find(b"\x00", self.start, self.end)
        return self._first_nul

    @property
    def nul_count(self) -> int:
        """How many NUL bytes the span holds."""
        if self._nul is None:
            at = self.first_nul
            self._nul = 0 if at < 0 else self.data.count(b"\x00", at, self.end)
        return self._nul

    @property
    def lf(self) -> int:
        """How many LF bytes (line feeds, with or without a CR before)."""
        if self._lf is None:
            self._lf = self.data.count(b"\n", self.start, self.end)
        return self._lf

    @property
    def crlf(self) -> int:
        """How many CR LF pairs."""
        if self._crlf is None:
            self._crlf = self.data.count(b"\r\n", self.start, self.end)
        return self._crlf

    @property
    def first_bare_cr(self) -> int:
        """Offset of the first CR not followed by LF, or -1 (clean mail has none)."""
        if self._first_bare_cr is None:
            # Counted, not searched: a CR is bare unless it starts a CR LF,
            # so equal counts of CR and CR LF prove there is none. The two
            # counts run at C speed (and the CR LF one is the crlf answer);
            # the pattern's search steps through every byte in the regex
            # engine, the only way left once a bare CR is known to exist.
            data, end = self.data, self.end
            at = data.find(b"\r", self.start, end)
            if at < 0:
                self._first_bare_cr = -1
                self._crlf = self._bare_cr = 0
                return -1
            crlf = self._crlf
            if crlf is None:
                crlf = self._crlf = data.count(b"\r\n", at, end)
            self._bare_cr = data.count(b"\r", at, end) - crlf
            if not self._bare_cr:
                self._first_bare_cr = -1
            else:
                m = _BARE_CR.search(data, at, end)
                self._first_bare_cr = -1 if m is None else m.start()
        return self._first_bare_cr

    @property
    def bare_cr_count(self) -> int:
        """How many CRs are not followed by LF."""
        if self._bare_cr is None:
            at = self.first_bare_cr
            data, end = self.data, self.end
            self._bare_cr = (
                0 if at < 0 else data.count(b"\r", at, end) - data.count(b"\r\n", at, end)
            )
        return self._bare_cr

    def long_lines(self, limit: int) -> LongLines | None:
        """Lines over ``limit`` octets, line ends not counted (SMTP's rule: LF ends a line)."""
        known = self._long
        if limit in known:  # (a miss is the usual case: no KeyError raised for it)
            return known[limit]
        bound = self.line_bound
        if bound is not None and bound <= limit and self.first_bare_cr < 0:
            # Every CR ends a CR LF: a line ended by LF is a line ended
            # by CR or LF, and none of those is over the bound.
            found = None
        else:
            found = long_lines(self.data, self.start, self.end, limit, cr_ends_line=False)
        known[limit] = found
        return found

    def seven_bit(self, limit: int) -> bool:
        """7bit data (RFC 2045 §2.7): ASCII, no NUL, no bare CR, no line over ``limit``."""
        return (
            self.ascii
            and self.first_nul < 0
            and self.first_bare_cr < 0
            and self.long_lines(limit) is None
        )


class RegionKind(str, enum.Enum):
    """Which content a :class:`Region` is."""

    BODY = "body"  #: a leaf's body
    PREAMBLE = "preamble"  #: a multipart's text before its first delimiter
    EPILOGUE = "epilogue"  #: a multipart's text after its close delimiter


# Read often (a member read from its Enum class costs 70-100 ns on 3.11).
_BODY, _PREAMBLE, _EPILOGUE = RegionKind.BODY, RegionKind.PREAMBLE, RegionKind.EPILOGUE


class Region(NamedTuple):
    """A span of content: a leaf's body, or a multipart's preamble or epilogue."""

    kind: RegionKind
    start: int
    end: int


def content_regions(part: Part) -> tuple[Region, ...]:
    """The spans of content a part holds itself (not its children's).

    A leaf: its body (none for an embedded message, whose own parts hold
    its content). A multipart: its preamble and epilogue, which are content
    too although readers hide them. Empty spans are left out.
    """
    if part.delimiters or part.children:
        return tuple(
            Region(kind, span[0], span[1])
            for kind, span in (
                (_PREAMBLE, part.preamble),
                (_EPILOGUE, part.epilogue),
            )
            if span is not None and span[0] < span[1]
        )
    if part.embedded is None and part.body_start < part.body_end:
        return (Region(_BODY, part.body_start, part.body_end),)
    return ()


#: A leaf body this large is read apart from the rest of its message by
#: :func:`message_bytes` (its scan is shared with the rules that ask of the body).
SEPARATE_BODY = 1 << 16


class MessageBytes(NamedTuple):
    """What the bytes of a whole message hold, read once for every rule that asks.

    ``ascii``: no byte outside US-ASCII anywhere; ``first_nul`` and
    ``first_bare_cr``: the offset of the first NUL, and of the first CR not
    followed by LF, anywhere (-1: none). ``lf`` and ``crlf`` count line
    endings, leaving out the bodies declared ``binary`` (their bytes are
    data, not lines). ``marks`` are offsets whose 1-based line number is
    ``lines`` at the same index: each edge of the pieces the message was
    read in, so that a position far into a large message is counted from
    the nearest mark, not from the start.
    """

    ascii: bool
    first_nul: int
    first_bare_cr: int
    lf: int
    crlf: int
    marks: tuple[int, ...]
    lines: tuple[int, ...]


def message_bytes(message: Message) -> MessageBytes:
    """The :class:`MessageBytes` of a message.

    Binary leaf bodies, and in a large message large leaf bodies
    (:data:`SEPARATE_BODY` bytes or more), are read through their
    :attr:`~mimelint.mime.tree.Part.body_scan`, which knows from a base64
    scan what the body holds without reading it again; the bytes between
    them are read in one piece each. Most small messages are one piece:
    their :attr:`~mimelint.mime.tree.Part.span_scan`.
    """
    data = message.data
    large = len(data) > SEPARATE_BODY
    pieces: list[tuple[ContentBytes, bool]] = []
    pos = 0
    for part in message.parts():
        start, end = part.body_start, part.body_end
        if start >= end or part.children or part.embedded is not None:
            continue  # no body, or not a leaf
        binary = part.transfer_encoding == "binary"
        if binary or (large and end - start >= SEPARATE_BODY):
            if pos < start:
                pieces.append((ContentBytes(data, pos, start), False))
            pieces.append((part.body_scan, binary))
            pos = end
    if not pieces:  # one piece: the whole message
        whole = message.span_scan
        first_cr = whole.first_bare_cr  # counts the CR LFs too
        lf = whole.lf
        return MessageBytes(
            whole.ascii, whole.first_nul, first_cr, lf, whole.crlf, (0, len(data)), (1, lf + 1)
        )
    if pos < len(data):
        pieces.append((ContentBytes(data, pos, len(data)), False))
    ascii = True
    lf = crlf = 0
    first_nul = first_cr = -1
    line = 1
    marks: list[int] = []
    lines: list[int] = []
    for scan, binary in pieces:
        marks.append(scan.start)
        lines.append(line)
        ascii = ascii and scan.ascii
        if first_nul < 0:
            first_nul = scan.first_nul
        if first_cr < 0:
            first_cr = scan.first_bare_cr  # counts the CR LFs too
        if not binary:
            crlf += scan.crlf
            lf += scan.lf
        line += scan.lf
    marks.append(len(data))
    lines.append(line)
    return MessageBytes(ascii, first_nul, first_cr, lf, crlf, tuple(marks), tuple(lines))


# ----------------------------------------------------------------- base64
_B64_JUNK = re.compile(rb"[^A-Za-z0-9+/=\r\n]")
# From the first "=" on, no alphabet character (the count is checked apart).
_B64_PAD_TAIL = re.compile(rb"=[^A-Za-z0-9+/]*\Z")


class Base64Scan(NamedTuple):
    """What one pass over a base64 body found (RFC 2045 §6.8)."""

    junk_at: int  #: offset of the first character outside the alphabet, or -1
    junk_count: int
    pad_start: int  #: span of the padding problem, or -1
    pad_end: int
    pad_message: str
    pad_safe: bool  #: only the final padding is missing: re-encoding is exact
    core_end: int  #: offset after the last base64 character (tail = line breaks)
    long: LongLines | None  #: encoded lines over 76 characters
    #: line endings of the body: LFs and CRs (counted on the few bytes
    #: outside the alphabet) and CR LFs (exact, see :func:`_crlf_count`)
    lf: int
    crlf: int
    cr: int


def scan_base64(data: bytes, start: int, end: int) -> Base64Scan:
    """Check the base64 body ``data[start:end]`` in a few C-speed passes."""
    # "=", line breaks and junk: a few percent of the body. Taken chunk by
    # chunk, so that no copy of a large body is ever made.
    rest = b"".join(
        data[at : min(at + _CHUNK, end)].translate(None, BASE64_ALPHABET)
        for at in range(start, end, _CHUNK)
    )
    alphabet = (end - start) - len(rest)
    junk = rest.translate(None, b"\r\n=")
    junk_at = -1
    if junk:
        m = _B64_JUNK.search(data, start, end)
        junk_at = m.start() if m is not None else start
    core_end = end - trailing(data, start, end, b"\r\n")
    pads = rest.count(b"=")
    remainder = alphabet % 4
    pad_start = pad_end = -1
    pad_message = ""
    pad_safe = False
    first_pad = _first_pad(data, start, end, pads) if pads else -1
    if pads and _B64_PAD_TAIL.match(data, first_pad, end) is None:
        pad_start, pad_end = first_pad, first_pad + 1
        pad_message = (
            "base64 padding '=' in the middle of the data: decoders stop here or "
            "skip it, so readers see different content (often the rest is lost)"
        )
    elif remainder == 1:
        last = end - trailing(data, start, end, NOT_BASE64)  # after the last alphabet char
        pad_start, pad_end = last - 1, last
        pad_message = (
            "base64 data ends with a lone character (its length is not a multiple "
            "of 4): the data is truncated or damaged and the last bits cannot be decoded"
        )
    elif pads and pads != (4 - remainder) % 4:
        expected = (4 - remainder) % 4
        pad_start, pad_end = first_pad, data.rfind(b"=", first_pad, end) + 1
        pad_message = (
            f"base64 data ends with {pads} '=' where {expected} "
            f"{'is' if expected == 1 else 'are'} expected: strict decoders refuse it"
        )
    elif not pads and remainder:
        pad_start = pad_end = end - trailing(data, start, end, NOT_BASE64)
        pad_message = (
            f"base64 data is missing its final padding ({'=' * (4 - remainder)}): "
            "strict decoders refuse it"
        )
        pad_safe = True
    width = uniform_width(data, start, end)  # for the long lines and the CR LFs
    long = long_lines(data, start, end, width=width)
    # Line endings, so that the message's line-ending fact need not read the
    # body again: LFs and CRs from ``rest`` (a few percent of the body; no
    # line break is in the alphabet), CR LFs from the body itself. In
    # ``rest`` a CR and an LF with alphabet characters between them would
    # read as one CR LF.
    lf, cr = rest.count(b"\n"), rest.count(b"\r")
    crlf = _crlf_count(data, start, end, cr, width) if cr else 0
    return Base64Scan(
        junk_at, len(junk), pad_start, pad_end, pad_message, pad_safe, core_end, long, lf, crlf, cr
    )


def _first_pad(data: bytes, start: int, end: int, pads: int) -> int:
    """Offset of the first of the ``pads`` "=" of a base64 body.

    Padding ends the body: when the run of "=" and line breaks at its end
    holds all of them, the first is found there, not by a search from the
    start of a body that holds no other.
    """
    tail = end - trailing(data, start, end, b"=\r\n")
    if data.count(b"=", tail, end) == pads:
        return data.find(b"=", tail, end)
    return data.find(b"=", start, end)


def _crlf_count(data: bytes, start: int, end: int, cr: int, width: int | None) -> int:
    """How many CR LFs the body ``data[start:end]`` holds.

    An encoder's body is wrapped at one width with CR LF: ``width``, from
    :func:`uniform_width`, proves a CR LF at every stride with two strided
    slices, and when those pairs account for all ``cr`` CRs of the body,
    that is the count. Anything else is counted on the body.
    """
    if (
        width is not None
        and data[start + width : start + width + 2] == b"\r\n"
        and len(range(start + width + 1, end, width + 2)) == cr
    ):
        return cr  # every CR is one of the strided pairs
    return data.count(b"\r\n", start, end)


def trailing(data: bytes, start: int, end: int, chars: bytes) -> int:
    """How many of ``chars`` end ``data[start:end]``, without copying it all."""
    size = 256
    while True:
        window = data[max(start, end - size) : end]
        run = len(window) - len(window.rstrip(chars))
        if run < len(window) or len(window) == end - start:
            return run
        size *= 16


# ------------------------------------------------------- quoted-printable
# Anything but an uppercase escape or a bare soft line break: one pass
# clears the common case for every escape rule.
_QP_ODD = re.compile(rb"=(?![0-9A-F]{2}|\r?\n|\Z)")
#: Space patterns at even positions, tab patterns at odd ones.
_QP_SPACE_EOL = (b" \r\n", b"\t\r\n", b" \n", b"\t\n")
#: An LF after white space, or after white space and a CR: the search stops
#: only at line feeds (one per line), where a search for the white space
#: would stop at every space between words.
_QP_SPACE_LF = re.compile(rb"\n(?:(?<=[ \t]\n)|(?<=[ \t]\r\n))")
_LONG_ENCODED_RUN = b"x" * (MAX_ENCODED_LINE + 1)


class QuotedPrintableScan(NamedTuple):
    """What one look at a quoted-printable body found (RFC 2045 §6.7)."""

    odd_at: int  #: first "=" that is no uppercase escape or plain soft break, or -1
    space_start: int  #: span of the first trailing white space, or -1
    space_end: int
    space_count: int  #: lines that end in white space
    long: LongLines | None = None  #: encoded lines over 76 characters

    @property
    def clean(self) -> bool:
        """Nothing for a quoted-printable rule to report."""
        return self.odd_at < 0 and self.space_start < 0 and self.long is None


def scan_quoted_printable(data: bytes, start: int, end: int) -> QuotedPrintableScan:
    """One regex pass for escapes, ``bytes.find`` for trailing space and long lines."""
    m = _QP_ODD.search(data, start, end)
    hits = []
    pos = start
    while (lf := _QP_SPACE_LF.search(data, pos, end)) is not None:
        at = lf.start() - (1 if data[lf.start() - 1] != 13 else 2)  # the white space
        if at >= start:  # (the look back may see bytes before the span)
            hits.append(at)
            break
        pos = lf.end()
    if end > start and data[end - 1] in (9, 32):
        hits.append(end - 1)
    space_start = space_end = -1
    count = 0
    if hits:
        # A tab is rare: one memchr rules out both tab patterns.
        patterns = _QP_SPACE_EOL if data.find(b"\t", start, end) >= 0 else _QP_SPACE_EOL[::2]
        last_space = min(hits)
        line_start = max(start, data.rfind(b"\n", start, last_space) + 1)
        line = data[line_start : last_space + 1]
        space_end = last_space + 1
        space_start = space_end - (len(line) - len(line.rstrip(b" \t")))
        count = sum(data.count(p, start, end) for p in patterns)
        count += 1 if data[end - 1] in (9, 32) else 0
    # long_lines's search, without its uniform-width proof first: encoders do
    # not wrap quoted-printable at one width, so that proof only costs here.
    long = None
    if (
        end - start > MAX_ENCODED_LINE
        and data[start:end].translate(LINE_SHAPE).find(_LONG_ENCODED_RUN) >= 0
    ):
        long = long_lines(data, start, end)
    return QuotedPrintableScan(m.start() if m else -1, space_start, space_end, count, long)


# ---------------------------------------------------------------- sniffing
class Sniffed(NamedTuple):
    """What a payload is when it is plainly not text: a name and a media type."""

    name: str  #: for a person: "a PNG image", "binary data"
    media_type: str  #: the type it most likely has
    evidence: str  #: why: "it starts with the PNG signature", "it holds 3 NUL bytes"


#: File signatures ("magic numbers") at the start of a payload. Sources: the
#: formats' own specifications (PNG §5.2, GIF89a, JFIF/ISO 10918-1 SOI,
#: PDF ISO 32000 §7.5.2, ZIP APPNOTE 4.3.7, RFC 1952 §2.3.1 gzip...).
_SIGNATURES: tuple[tuple[bytes, str, str, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "PNG", "a PNG image", "image/png"),
    (b"GIF87a", "GIF", "a GIF image", "image/gif"),
    (b"GIF89a", "GIF", "a GIF image", "image/gif"),
    (b"\xff\xd8\xff", "JPEG", "a JPEG image", "image/jpeg"),
    (b"%PDF-", "PDF", "a PDF document", "application/pdf"),
    (b"PK\x03\x04", "ZIP", "a ZIP archive (or an Office document)", "application/zip"),
    (b"PK\x05\x06", "ZIP", "a ZIP archive (or an Office document)", "application/zip"),
    (b"\x1f\x8b\x08", "gzip", "gzip data", "application/gzip"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip", "a 7-Zip archive", "application/x-7z-compressed"),
    (b"Rar!\x1a\x07", "RAR", "a RAR archive", "application/vnd.rar"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "OLE2", "an old Office document (OLE2)",
     "application/octet-stream"),
    (b"\x7fELF", "ELF", "an ELF executable", "application/octet-stream"),
    (b"II*\x00", "TIFF", "a TIFF image", "image/tiff"),
    (b"MM\x00*", "TIFF", "a TIFF image", "image/tiff"),
)  # fmt: skip


_SIGNATURE_STARTS = frozenset(magic[:1] for magic, *_ in _SIGNATURES)
#: NUL bytes that make a payload binary: at least this many...
BINARY_NULS = 4
#: ... and at least one in this many bytes.
BINARY_NUL_SPACING = 512


def sniff(payload: bytes, *, nul_is_binary: bool = True) -> Sniffed | None:
    """What a payload plainly is when it is not text, or None.

    A known file signature at the start, or (with ``nul_is_binary``: not
    for UTF-16 or UTF-32 text, where NUL bytes are half of every ASCII
    character) NUL bytes as often as binary data holds them: at least
    :data:`BINARY_NULS`, and at least one in :data:`BINARY_NUL_SPACING`
    bytes (random bytes hold one in 256). A stray NUL or two in text is
    not binary content (M105 reports a raw one).
    """
    if payload[:1] in _SIGNATURE_STARTS:
        for magic, short, name, media_type in _SIGNATURES:
            if payload.startswith(magic):
                return Sniffed(name, media_type, f"it starts with the {short} signature")
    if nul_is_binary and b"\x00" in payload:  # memchr first: text holds none
        nuls = payload.count(b"\x00")
        if nuls >= BINARY_NULS and nuls * BINARY_NUL_SPACING >= len(payload):
            return Sniffed("binary data", "application/octet-stream", f"it holds {nuls} NUL bytes")
    return None
