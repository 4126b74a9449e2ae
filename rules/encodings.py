"""Transfer encodings and charsets: bodies that decoders read differently.

A body is what its Content-Transfer-Encoding (RFC 2045 §6) and charset
(RFC 2046 §4.1.2) say it is. When the encoding is unknown, the base64 or
quoted-printable is damaged, or the text does not match its charset, each
mail client repairs it its own way, and readers see different content (or
none). These rules say exactly where the damage is.

Speed matters here: a 10 MB message is mostly base64. The common valid case
is checked with a handful of C-speed passes over the body's byte span
(``bytes.translate``, strided slices, ``bytes.count``, ``bytes.find``);
regular expressions that walk every byte run only once a problem is known to
exist. Which parts each rule looks at is decided once per message
(:func:`_plan`), so a rule with nothing to look at costs a lookup.
"""

from __future__ import annotations

import binascii
import bisect
import encodings.aliases
import functools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from mimelint._frozen import quick_init
from mimelint.charsets import MAIL_ALIASES, WHATWG_LABELS, codec_for
from mimelint.encode import encode_body, line_separator, wrap_base64
from mimelint.rule import Context, Edit, Fix, Problem, Safety, rule
from mimelint.tree import Header, Message, Part

#: RFC 2045 §6.7-6.8: encoded lines are at most 76 characters.
MAX_ENCODED_LINE = 76

_IDENTITY = frozenset({"7bit", "8bit", "binary"})
_KNOWN = _IDENTITY | {"quoted-printable", "base64"}
#: uuencode has no RFC, but old mailers write these names; receivers that
#: decode it at all know these spellings.
_UUENCODE = frozenset({"x-uuencode", "uuencode", "x-uue"})
#: RFC 2046 §5.2.1-5.2.3: these message subtypes take only identity
#: encodings. message/global and its kin (RFC 6532 §3.5) may be encoded.
_COMPOSITE_MESSAGES = frozenset({"message/rfc822", "message/partial", "message/external-body"})
_TOKEN = re.compile(r"[!#$%&'*+\-.0-9A-Z^_`a-z{|}~]+\Z")

_B64_ALPHABET = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
_B64_NOT_ALPHABET = bytes(b for b in range(256) if b not in _B64_ALPHABET)
_B64_JUNK = re.compile(rb"[^A-Za-z0-9+/=\r\n]")
# From the first "=" on, no alphabet character (the count is checked apart).
_B64_PAD_TAIL = re.compile(rb"=[^A-Za-z0-9+/]*\Z")

_QP_BAD_ESCAPE = re.compile(rb"=(?![0-9A-Fa-f]{2}|[ \t]*(?:\r?\n|\Z))")
_QP_LOWER_ESCAPE = re.compile(rb"=(?:[a-f][0-9A-Fa-f]|[0-9A-F][a-f])")
# Anything but an uppercase escape or a bare soft line break: one pass
# clears the common case for both escape rules.
_QP_ODD = re.compile(rb"=(?![0-9A-F]{2}|\r?\n|\Z)")
#: Space patterns at even positions, tab patterns at odd ones.
_QP_SPACE_EOL = (b" \r\n", b"\t\r\n", b" \n", b"\t\n")

# CR and LF become LF, every other byte "x": a line over a limit is then a
# run of "x" that ``bytes.find`` locates at C speed (a regex such as
# ``[^\r\n]{77}`` would retry at every byte).
_LINE_MAP = bytes(10 if b in (10, 13) else 120 for b in range(256))
#: A line over the limit, mapped with :data:`_LINE_MAP`.
_LONG_RUN = b"x" * (MAX_ENCODED_LINE + 1)
#: Long lines located one by one; past this many, one split counts the rest.
_LOCATE_AT_MOST = 64


# ---------------------------------------------------------------- helpers
@functools.lru_cache(maxsize=512)
def charset_codec(name: str) -> str | None:
    """The Python codec that reads a MIME charset name as clients do, or None.

    WHATWG labels first, with the CJK supersets clients decode with
    (``ks_c_5601-1987`` reads as cp949, ``gb2312`` as gb18030...); see
    :func:`mimelint.charsets.codec_for`, which ``Part.text`` uses too.
    """
    return codec_for(name.strip())


#: RFC 2978 §2.3 mime-charset-chars, without the apostrophe (no registered
#: name holds one; PHP's ``charset='utf-8'`` does), plus the "." and ":" of
#: IANA names such as ``ANSI_X3.4-1968`` and ``ISO_8859-1:1987``.
_CHARSET_LABEL = re.compile(r"[A-Za-z0-9!#$%&+\-^_`{}~.:]+\Z")
#: Names Python knows a codec by: its aliases and its codec modules.
_PYTHON_NAMES = frozenset(encodings.aliases.aliases) | frozenset(encodings.aliases.aliases.values())
#: The name to write for a Python codec when it is not the codec's own name.
_PREFERRED = {
    "ascii": "us-ascii",
    "utf-16-le": "utf-16le",
    "utf-16-be": "utf-16be",
    "euc_jp": "euc-jp",
    "euc_kr": "euc-kr",
    "iso2022_jp": "iso-2022-jp",
    "iso2022_kr": "iso-2022-kr",
    "big5hkscs": "big5",
    "mac-roman": "macintosh",
    # The labels clients read as these supersets (WHATWG).
    "cp949": "euc-kr",
    "cp932": "shift_jis",
    "gb18030": "gb18030",
}
_ISO8859 = re.compile(r"iso8859-(\d+)\Z")
_WINDOWS = re.compile(r"cp(125\d)\Z")


@functools.lru_cache(maxsize=512)
def charset_label_known(name: str) -> bool:
    """Whether a charset label is one mail clients recognise as written.

    :func:`charset_codec` is lenient as Python is: ``codecs.lookup`` folds
    punctuation and spaces, so ``'utf-8'`` (quotes and all), ``utf 8`` and
    ``utf-8-`` all read as UTF-8. Clients match labels against the IANA and
    WHATWG lists instead. A label is taken as known when it is made of
    charset-name characters and, lower-cased with ``-`` and ``:`` read as
    ``_``, is a WHATWG label, a name Python lists (an alias or a codec
    module) or one of :data:`mimelint.charsets.MAIL_ALIASES`; that is, it differs from a
    listed name by at most the ``-``/``_`` spelling.
    """
    label = name.strip().lower()
    if not _CHARSET_LABEL.match(label):
        return False
    if label in WHATWG_LABELS or label in MAIL_ALIASES:
        return True
    key = label.replace("-", "_").replace(":", "_")
    if key in _PYTHON_NAMES:
        return True
    codec = charset_codec(label)
    return codec is not None and key == codec.replace("-", "_")


def preferred_charset_name(codec: str) -> str:
    """The charset name to write in mail for a Python codec name."""
    if codec in _PREFERRED:
        return _PREFERRED[codec]
    m = _ISO8859.match(codec)
    if m is not None:
        return f"iso-8859-{m.group(1)}"
    m = _WINDOWS.match(codec)
    if m is not None:
        return f"windows-{m.group(1)}"
    return codec.replace("_", "-") if codec != "shift_jis" else codec


def _value_span(header: Header) -> tuple[int, int]:
    """The header value's span without surrounding white space."""
    raw = header.raw_value
    lead = len(raw) - len(raw.lstrip(b" \t\r\n"))
    trail = len(raw) - len(raw.rstrip(b" \t\r\n"))
    start = header.value_start + lead
    return start, max(start, header.value_end - trail)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


@quick_init
@dataclass(frozen=True, slots=True)
class LongLines:
    """Where encoded lines exceed 76 characters: first offset, count, longest."""

    first: int
    count: int
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
    data: bytes, start: int, end: int, limit: int = MAX_ENCODED_LINE
) -> LongLines | None:
    """Lines of ``data[start:end]`` longer than ``limit`` characters, or None.

    Lines end at CR, LF or CR LF. Fast path: uniform wrapping within the
    limit (:func:`uniform_width`). Otherwise the span is mapped so that a
    long line is a run of one byte, found with ``bytes.find``; Python only
    runs per long line found (and one split counts them past a few dozen).
    """
    if end - start <= limit:
        return None
    width = uniform_width(data, start, end)
    if width is not None and width <= limit:
        return None
    shape = data[start:end].translate(_LINE_MAP)
    needle = _LONG_RUN if limit == MAX_ENCODED_LINE else b"x" * (limit + 1)
    at = shape.find(needle)
    if at < 0:
        return None
    runs: list[tuple[int, int]] = []  # (start in shape, length) of each long line
    while at >= 0 and len(runs) < _LOCATE_AT_MOST:
        stop = shape.find(b"\n", at)
        if stop < 0:
            stop = len(shape)
        runs.append((at, stop - at))
        at = shape.find(needle, stop)
    if at < 0:
        count = len(runs)
        longest = max(length for _, length in runs)
    else:
        lengths = list(map(len, shape.splitlines()))
        longest = max(lengths)
        lengths.sort()
        count = len(lengths) - bisect.bisect_right(lengths, limit)
    first = start
    if limit == MAX_ENCODED_LINE:
        # Where a long line starts: after CR or LF (before the span too), or
        # at the very start of the buffer.
        for offset, _ in runs[:2]:
            if offset or start == 0 or data[start - 1] in (10, 13):
                first = start + offset
                break
    return LongLines(first, count, longest)


def _line_end(data: bytes, pos: int, end: int) -> int:
    """Offset of the line ending (or ``end``) after ``pos``."""
    nl = data.find(b"\n", pos, end)
    if nl < 0:
        return end
    return nl - 1 if nl > pos and data[nl - 1] == 13 else nl


def _long_line_problem(part: Part, found: LongLines, kind: str, fix: Fix | None) -> Problem:
    data = part.data
    start = found.first + MAX_ENCODED_LINE
    end = max(start, _line_end(data, found.first, part.body_end))
    others = ""
    if found.count > 1:
        others = f"; {_plural(found.count - 1, 'more line')} too, the longest {found.longest}"
    return Problem(
        start,
        end,
        f"{kind} line is {end - found.first} characters long, over the limit of "
        f"{MAX_ENCODED_LINE} (RFC 2045){others}. "
        f"Re-encode the body with lines of at most {MAX_ENCODED_LINE} characters",
        part.path,
        fix,
    )


# ------------------------------------------------------------------- plan
#: Shortcuts that settle a clean part before the precise path: no charset
#: parameter or a label already known good (M730), an ASCII payload or one
#: that decodes (M731, M732). Tests turn them off and compare every finding
#: (tests/test_perf_encodings.py).
FAST_PATHS = True

#: Codecs that read every US-ASCII byte as itself, on its own: a payload of
#: ASCII bytes always decodes. Not the stateful ones (ISO-2022, HZ and UTF-7
#: shift with ASCII bytes) nor UTF-16/32.
_ASCII_SAFE = frozenset(
    {
        "ascii",
        "big5hkscs",
        "cp866",
        "cp874",
        "cp932",
        "cp949",
        "euc_jp",
        "gb18030",
        "koi8-r",
        "koi8-u",
        "mac-cyrillic",
        "mac-roman",
        "utf-8",
        "x-user-defined",
    }
    | {f"cp125{n}" for n in range(9)}
    | {f"iso8859-{n}" for n in (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 13, 14, 15, 16)}
)


@functools.lru_cache(maxsize=512)
def _charset_ok(value: str) -> bool:
    """Whether M730 accepts a charset value: a codec reads it, clients know the label."""
    return charset_codec(value) is not None and charset_label_known(value)


class _Plan:
    """Which parts each rule looks at, decided once per message in one loop.

    A rule's list holds the parts its precise code must look at; a part left
    out is one that code would skip. With :data:`FAST_PATHS` off, only the
    tests each rule's own loop starts with leave parts out (M730-M732 then
    get every part of their group). Holds positions in ``message.parts()``
    and plain values, never a part: it is kept on the message
    (:meth:`~mimelint.tree.Message.memo`), where a part would make a cycle.
    """

    __slots__ = (
        "base64",
        "charset",
        "composite",
        "declared",
        "decorated",
        "fast",
        "no_charset",
        "qp_flagged",
        "quoted",
        "unknown",
    )

    def __init__(self, message: Message) -> None:
        #: multipart or message/rfc822-like parts with a non-identity CTE (M701)
        self.composite: list[int] = []
        #: other parts whose CTE is none of the five known ones (M702, M703)
        self.unknown: list[int] = []
        #: parts whose known CTE field is longer than the mechanism (M704)
        self.decorated: list[int] = []
        self.base64: list[int] = []  #: leaf base64 bodies
        self.quoted: list[int] = []  #: leaf quoted-printable bodies
        #: parts with a Content-Type whose charset parameter M730 must read
        self.charset: list[int] = []
        #: text/* leaf bodies in a known encoding whose charset a codec reads,
        #: with that codec (M731; every text body, codec "", with shortcuts off)
        self.declared: list[tuple[int, str]] = []
        #: text/* leaf bodies in a known encoding without a charset (M732)
        self.no_charset: list[int] = []
        #: quoted-printable bodies with something to report (M720-M723), on first use
        self.qp_flagged: list[tuple[int, QuotedPrintableScan]] | None = None
        #: FAST_PATHS when the plan was made: every rule of the message follows it
        self.fast = fast = FAST_PATHS
        for i, part in enumerate(message.parts()):
            cte = part.transfer_encoding
            ctype = part.content_type
            maintype = ctype.partition("/")[0]
            if maintype == "multipart" or ctype in _COMPOSITE_MESSAGES:
                if cte not in _IDENTITY:
                    self.composite.append(i)
            elif cte not in _KNOWN:
                self.unknown.append(i)
            if cte in _KNOWN:
                header = part.header("content-transfer-encoding")
                if header is not None and len(header.unfolded) != len(cte):
                    self.decorated.append(i)
            value = None
            if maintype != "multipart" and maintype != "message":
                ct = part.content_type_value
                if ct is not None:
                    value = ct.get("charset")
                    # None: no parameter is named charset (StructuredValue.get
                    # has a value for every name StructuredValue.named finds).
                    if not fast or (value is not None and not (value and _charset_ok(value))):
                        self.charset.append(i)
            if maintype == "multipart" or part.embedded is not None:
                continue
            if part.body_end <= part.body_start or cte not in _KNOWN:
                continue
            if cte == "base64":
                self.base64.append(i)
            elif cte == "quoted-printable":
                self.quoted.append(i)
            if maintype != "text":
                continue
            if not fast:
                self.declared.append((i, ""))
                self.no_charset.append(i)
            elif value is None:
                self.no_charset.append(i)
            elif value:
                # As Part.charset reads the value (M731 skips an empty one).
                codec = charset_codec(value.strip().lower())
                if codec is not None:
                    self.declared.append((i, codec))


def _plan(message: Message) -> _Plan:
    """The plan of ``message``, made on first use."""
    return message.memo("_mimelint_encodings_plan", _Plan)


def _parts(message: Message, indices: list[int]) -> list[Part]:
    """The parts at these positions of ``message.parts()``."""
    parts = message.parts()
    return [parts[i] for i in indices]


# ----------------------------------------------------------------- base64
@dataclass(slots=True)
class Base64Scan:
    """What one pass over a base64 body found (shared by the base64 rules).

    Read only. Not frozen: a frozen dataclass of ten fields costs five times
    as much to build, and one is built for every base64 body.
    """

    junk_at: int  #: offset of the first character outside the alphabet, or -1
    junk_count: int
    pad_start: int  #: span of the padding problem, or -1
    pad_end: int
    pad_message: str
    pad_safe: bool  #: only the final padding is missing: re-encoding is exact
    core_end: int  #: offset after the last base64 character (tail = line breaks)
    long: LongLines | None
    #: line endings of the body: LFs (counted on the few bytes outside the
    #: alphabet) and CR LFs (exact, see :func:`_crlf_count`)
    lf: int
    crlf: int


# A message's base64 scans, by ``id(part)``: kept on the message, whose
# parts live as long as it does, so an id stays its own part's.
def _no_scans(message: Message) -> dict[int, Base64Scan]:
    return {}


def scan_base64(part: Part) -> Base64Scan:
    """Check a base64 body in a few C-speed passes.

    Cached on the part's message, by the part's id (a part lives as long as
    its message).
    """
    scans = part.message.memo("_mimelint_base64_scans", _no_scans)
    found = scans.get(id(part))
    if found is not None:
        return found
    data, start, end = part.data, part.body_start, part.body_end
    body = data[start:end]
    rest = body.translate(None, _B64_ALPHABET)  # "=", line breaks, junk
    alphabet = len(body) - len(rest)
    junk = rest.translate(None, b"\r\n=")
    junk_at = -1
    if junk:
        m = _B64_JUNK.search(data, start, end)
        junk_at = m.start() if m is not None else start
    core_end = end - _trailing(data, start, end, b"\r\n")
    pads = rest.count(b"=")
    remainder = alphabet % 4
    pad_start = pad_end = -1
    pad_message = ""
    pad_safe = False
    first_pad = data.find(b"=", start, end) if pads else -1
    if pads and _B64_PAD_TAIL.match(data, first_pad, end) is None:
        pad_start, pad_end = first_pad, first_pad + 1
        pad_message = (
            "base64 padding '=' in the middle of the data: decoders stop here or "
            "skip it, so readers see different content (often the rest is lost)"
        )
    elif remainder == 1:
        last = end - _trailing(data, start, end, _B64_NOT_ALPHABET)  # after the last alphabet char
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
        pad_start = pad_end = end - _trailing(data, start, end, _B64_NOT_ALPHABET)
        pad_message = (
            f"base64 data is missing its final padding ({'=' * (4 - remainder)}): "
            "strict decoders refuse it"
        )
        pad_safe = True
    long = long_lines(data, start, end)
    # Line endings for M107, so that it need not read the body again: LFs
    # from ``rest`` (a few percent of the body; no LF is in the alphabet),
    # CR LFs from the body itself. In ``rest`` a CR and an LF with alphabet
    # characters between them would read as one CR LF.
    lf, cr = rest.count(b"\n"), rest.count(b"\r")
    crlf = _crlf_count(data, start, end, body, cr) if cr else 0
    found = Base64Scan(
        junk_at, len(junk), pad_start, pad_end, pad_message, pad_safe, core_end, long, lf, crlf
    )
    scans[id(part)] = found
    return found


def _crlf_count(data: bytes, start: int, end: int, body: bytes, cr: int) -> int:
    """How many CR LFs the body ``data[start:end]`` (a copy: ``body``) holds.

    An encoder's body is wrapped at one width with CR LF: :func:`uniform_width`
    proves a CR LF at every stride with two strided slices, and when those
    pairs account for all ``cr`` CRs of the body, that is the count. Anything
    else is counted on the body (on a 10 MB message the search costs
    about as much as the rest of the base64 scan).
    """
    width = uniform_width(data, start, end)
    if (
        width is not None
        and data[start + width : start + width + 2] == b"\r\n"
        and len(range(start + width + 1, end, width + 2)) == cr
    ):
        return cr  # every CR is one of the strided pairs
    return body.count(b"\r\n")


def _trailing(data: bytes, start: int, end: int, chars: bytes) -> int:
    """How many of ``chars`` end ``data[start:end]``, without copying it all."""
    size = 256
    while True:
        window = data[max(start, end - size) : end]
        run = len(window) - len(window.rstrip(chars))
        if run < len(window) or len(window) == end - start:
            return run
        size *= 16


def _rewrap_fix(message: Message, part: Part, scan: Base64Scan, safety: Safety, what: str) -> Fix:
    """Replace the base64 text with the payload re-encoded in 76-column lines.

    The line breaks after the last base64 character stay as they are: in a
    multipart the final one belongs to the next delimiter.
    """
    linesep = line_separator(message)
    encoded = wrap_base64(part.payload, linesep)
    encoded = encoded.removesuffix(linesep)
    edit = Edit(part.body_start, scan.core_end, encoded)
    return Fix((edit,), safety, what)


@rule(
    code="M701",
    name="composite-transfer-encoding",
    severity="error",
    summary="A multipart or message/rfc822 part with an encoding other than 7bit, 8bit, binary",
)
def composite_transfer_encoding(message: Message, context: Context) -> Iterable[Problem]:
    """## What it does
    Flags a ``multipart/*``, ``message/rfc822``, ``message/partial`` or
    ``message/external-body`` part whose Content-Transfer-Encoding is not
    ``7bit``, ``8bit`` or ``binary``.

    ## Why is this bad?
    RFC 2045 §6.4 forbids any other encoding on a multipart entity, and RFC
    2046 §5.2 on these message types: the parts inside are encoded one by
    one instead. Clients disagree on such a message: some decode the whole
    body first, others split it as it stands, others show one opaque
    attachment. ``message/global`` (RFC 6532 §3.5) may be encoded and is
    not flagged.

    ## Example
    ```
    Content-Type: multipart/mixed; boundary="b1"
    Content-Transfer-Encoding: base64
    ```

    ## Use instead
    ```
    Content-Type: multipart/mixed; boundary="b1"
    Content-Transfer-Encoding: 7bit
    ```
    with each part inside encoded on its own.

    ## Fix safety
    Not fixed: what the body means depends on which client reads it.

    ## References
    RFC 2045 §6.4; RFC 2046 §5.1, §5.2.1-5.2.3; RFC 6532 §3.5.
    """
    indices = _plan(message).composite
    return _composite_problems(message, _parts(message, indices)) if indices else ()


def _composite_problems(message: Message, parts: list[Part]) -> Iterator[Problem]:
    for part in parts:
        cte = part.transfer_encoding
        header = part.header("content-transfer-encoding")
        if header is None:
            continue
        start, end = _value_span(header)
        kind = "multipart" if part.is_multipart else part.content_type
        yield Problem(
            start,
            end,
            f"a {kind} part must not use Content-Transfer-Encoding {cte!r} (RFC 2045 §6.4); "
            "declare 7bit (or 8bit/binary) and encode the parts inside it instead",
            part.path,
        )


def _cte_problems(message: Message, private: bool) -> Iterable[Problem]:
    indices = _plan(message).unknown  # M701 speaks for multipart and message parts
    return _unknown_cte_problems(_parts(message, indices), private) if indices else ()


def _unknown_cte_problems(parts: list[Part], private: bool) -> Iterator[Problem]:
    for part in parts:
        cte = part.transfer_encoding
        is_private = cte in _UUENCODE or (cte.startswith("x-") and _TOKEN.match(cte) is not None)
        if is_private != private:
            continue
        header = part.header("content-transfer-encoding")
        if header is None:
            continue
        start, end = _value_span(header)
        if private:
            text = (
                f"Content-Transfer-Encoding {cte!r} is a private encoding (RFC 2045 §6.3): "
                "most clients will show the raw body as an opaque attachment; use base64"
            )
        else:
            squeezed = cte.replace("-", "").replace(" ", "").replace("_", "")
            guess = {"7bit": "7bit", "8bit": "8bit", "quotedprintable": "quoted-printable"}.get(
                squeezed, "base64" if squeezed.startswith("base") else ""
            )
            hint = f"; did you mean {guess!r}?" if guess else "; use base64 or quoted-printable"
            text = (
                f"unknown Content-Transfer-Encoding {cte!r}: receivers must treat the body "
                f"as opaque data (RFC 2045 §6.4){hint}"
            )
        yield Problem(start, end, text, part.path)


@rule(
    code="M702",
    name="unknown-transfer-encoding",
    severity="error",
    summary="A Content-Transfer-Encoding that no receiver knows",
)
def unknown_transfer_encoding(message: Message, context: Context) -> Iterable[Problem]:
    """## What it does
    Flags a Content-Transfer-Encoding other than the five that RFC 2045
    §6.1 defines (``7bit``, ``8bit``, ``binary``, ``quoted-printable``,
    ``base64``) and that is not a private ``x-`` name either (see M703):
    typically a typo such as ``7-bit`` or ``base-64``.

    ## Why is this bad?
    RFC 2045 §6.4: a body in an unrecognised encoding must be treated as
    ``application/octet-stream``. The reader gets an opaque attachment, or
    the raw encoded text, instead of the content.

    ## Example
    ```
    Content-Type: text/plain; charset=utf-8
    Content-Transfer-Encoding: 7-bit
    ```

    ## Use instead
    ```
    Content-Type: text/plain; charset=utf-8
    Content-Transfer-Encoding: 7bit
    ```

    ## Fix safety
    Not fixed: which encoding was meant is a guess; the message suggests it.

    ## References
    RFC 2045 §6.1, §6.4.
    """
    return _cte_problems(message, private=False)


@rule(
    code="M703",
    name="private-transfer-encoding",
    severity="warning",
    summary="A private x- Content-Transfer-Encoding such as x-uuencode",
)
def private_transfer_encoding(message: Message, context: Context) -> Iterable[Problem]:
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
    return _cte_problems(message, private=True)


@rule(
    code="M704",
    name="decorated-transfer-encoding",
    severity="warning",
    summary="A Content-Transfer-Encoding with a comment, quotes or a ';' around the mechanism",
    fix="safe",
)
def decorated_transfer_encoding(message: Message, context: Context) -> Iterable[Problem]:
    """## What it does
    Flags a Content-Transfer-Encoding field whose value is a known
    mechanism with something around it: a comment (``base64 (standard)``,
    nested ``base64 (a (b) c)`` or with a quoted-pair ``base64 (x\\)y)``),
    quotes (``"base64"``) or a trailing ``;`` (``base64;``). A comment that
    is never closed is not read through (M702 reports the value).

    ## Why is this bad?
    RFC 2045 §6.1 defines the value as a single token; comments are allowed
    (it is a structured field, RFC 2045 §3 and RFC 822 §3.4.3), quotes and
    a ``;`` are not. Many readers compare the whole value with the five
    mechanism names and do not strip comments or quotes: Python's ``email``
    package with the compat32 policy (the default of ``message_from_bytes``)
    and simple parsers then treat the body as an unknown encoding and show
    the raw base64 or quoted-printable text, or an opaque attachment
    (RFC 2045 §6.4). Lenient readers decode it, so readers disagree.
    mimelint reads the mechanism through them, as lenient readers do.

    ## Example
    ```
    Content-Type: text/plain; charset=utf-8
    Content-Transfer-Encoding: base64 (standard)
    ```

    ## Use instead
    ```
    Content-Type: text/plain; charset=utf-8
    Content-Transfer-Encoding: base64
    ```

    ## Fix safety
    Safe: the value becomes the bare mechanism that was read through the
    comment or quotes, so the decoded content is the same.

    ## References
    RFC 2045 §3, §6.1, §6.4; RFC 822 §3.4.3.
    """
    indices = _plan(message).decorated
    return _decorated_problems(_parts(message, indices)) if indices else ()


def _decorated_problems(parts: list[Part]) -> Iterator[Problem]:
    for part in parts:
        header = part.header("content-transfer-encoding")
        if header is None:
            continue
        cte = part.transfer_encoding
        if len(header.unfolded) == len(cte) or cte not in _KNOWN:
            continue  # bare (any case), or M702/M703's business
        raw = header.unfolded.decode("latin-1")
        if "(" in raw:
            what = "carries a comment, which RFC 2045 allows but many readers do not strip"
        elif '"' in raw:
            what = "is in quotes, which RFC 2045 §6.1 does not allow (the mechanism is a token)"
        elif ";" in raw:
            what = "ends with ';', which RFC 2045 §6.1 does not allow"
        else:
            continue
        start, end = _value_span(header)
        yield Problem(
            start,
            end,
            f"Content-Transfer-Encoding {raw!r} {what}; readers that compare the whole value "
            f"(Python's compat32 email API, simple parsers) treat the body as an unknown "
            f"encoding and show it raw: write just {cte!r}",
            part.path,
            Fix(
                (Edit(header.value_start, header.value_end, b" " + cte.encode("ascii")),),
                Safety.SAFE,
                f"write the bare mechanism {cte!r}",
            ),
        )


@rule(
    code="M710",
    name="invalid-base64-character",
    severity="error",
    summary="Characters outside the base64 alphabet in a base64 body",
    fix="unsafe",
)
def invalid_base64_character(message: Message, context: Context) -> Iterable[Problem]:
    """## What it does
    Flags a base64 body holding characters other than ``A-Z a-z 0-9 + /``,
    the ``=`` padding and line breaks: spaces, tabs, ``-`` or ``_`` (the URL
    alphabet), stray punctuation, 8-bit bytes. Reports the first one and how
    many there are.

    ## Why is this bad?
    RFC 2045 §6.8 tells decoders to ignore such characters, but says they
    indicate damage in transit; some decoders refuse the part instead, and
    characters from another alphabet (``-``, ``_``) mean the data itself was
    encoded wrongly, so what is left after skipping them is not the content.

    ## Example
    ```
    Content-Transfer-Encoding: base64

    SGVsbG8g d29y_bGQ=
    ```

    ## Use instead
    ```
    Content-Transfer-Encoding: base64

    SGVsbG8gd29ybGQ=
    ```

    ## Fix safety
    Unsafe: the fix re-encodes what a lenient decoder makes of the body
    (invalid characters skipped). That is what most clients show, but when
    the characters came from another alphabet it is not what the sender
    meant.

    ## References
    RFC 2045 §6.8; RFC 4648 §3.3, §5.
    """
    indices = _plan(message).base64
    return _base64_character_problems(message, _parts(message, indices)) if indices else ()


def _base64_character_problems(message: Message, parts: list[Part]) -> Iterator[Problem]:
    for part in parts:
        scan = scan_base64(part)
        if scan.junk_at < 0:
            continue
        char = part.data[scan.junk_at : scan.junk_at + 1]
        others = (
            f" ({_plural(scan.junk_count, 'invalid character')} in all)"
            if scan.junk_count > 1
            else ""
        )
        yield Problem(
            scan.junk_at,
            scan.junk_at + 1,
            f"character {char!r} is not in the base64 alphabet{others}; decoders skip or "
            "refuse it (RFC 2045 §6.8). Re-encode the content as base64",
            part.path,
            _rewrap_fix(
                message,
                part,
                scan,
                Safety.UNSAFE,
                "re-encode the base64 body, skipping invalid characters",
            ),
        )


@rule(
    code="M711",
    name="invalid-base64-padding",
    severity="error",
    summary="Base64 data with misplaced, wrong or missing '=' padding",
    fix="unsafe",
)
def invalid_base64_padding(message: Message, context: Context) -> Iterable[Problem]:
    """## What it does
    Flags base64 whose ``=`` padding is wrong: ``=`` in the middle of the
    data (often two encoded files glued together), more or fewer ``=`` than
    the data length needs, or a length that leaves one lone character.

    ## Why is this bad?
    RFC 2045 §6.8: ``=`` only pads the final group of four characters.
    Decoders disagree on anything else: Python stops at the first ``=`` and
    drops the rest, others carry on, strict ones (.NET, Java's
    ``Base64.getDecoder()``) refuse the part. A lone final character is
    truncated data.

    ## Example
    ```
    Content-Transfer-Encoding: base64

    SGVsbG8=IHdvcmxk
    ```

    ## Use instead
    ```
    Content-Transfer-Encoding: base64

    SGVsbG8gd29ybGQ=
    ```

    ## Fix safety
    Missing final padding only: safe, every decoder that accepted the body
    reads the same bytes after the fix. Otherwise unsafe: the fix re-encodes
    what a lenient decoder makes of the body, which may drop data after a
    misplaced ``=``.

    ## References
    RFC 2045 §6.8; RFC 4648 §3.2, §4.
    """
    indices = _plan(message).base64
    return _base64_padding_problems(message, _parts(message, indices)) if indices else ()


def _base64_padding_problems(message: Message, parts: list[Part]) -> Iterator[Problem]:
    for part in parts:
        scan = scan_base64(part)
        if scan.pad_start < 0:
            continue
        safety = Safety.SAFE if scan.pad_safe and scan.junk_at < 0 else Safety.UNSAFE
        yield Problem(
            scan.pad_start,
            scan.pad_end,
            f"{scan.pad_message} (RFC 2045 §6.8); re-encode the content as base64",
            part.path,
            _rewrap_fix(
                message, part, scan, safety, "re-encode the base64 body with correct padding"
            ),
        )


@rule(
    code="M712",
    name="base64-line-too-long",
    severity="warning",
    summary="Base64 lines longer than 76 characters",
    fix="safe",
)
def base64_line_too_long(message: Message, context: Context) -> Iterable[Problem]:
    """## What it does
    Flags a base64 body with lines longer than 76 characters (line break
    not counted), such as one unbroken line written by an encoder that
    forgot to wrap. Reports the first such line and how many there are.

    ## Why is this bad?
    RFC 2045 §6.8 limits encoded lines to 76 characters. Past 998
    characters SMTP servers and Amazon SES refuse or break the line (RFC
    5321 §4.5.3.1.6, RFC 5322 §2.1.1), which corrupts the attachment; below
    that, spam filters count unwrapped base64 against the message.

    ## Example
    ```
    Content-Transfer-Encoding: base64

    JVBERi0xLjcKJeLjz9MKMSAwIG9iago8PC9UeXBlL0NhdGFsb2cvUGFnZXMgMiAwIFI+PgplbmRvYmoK...
    ```

    ## Use instead
    The same characters broken into lines of 76.

    ## Fix safety
    Safe: the body is re-wrapped at 76 characters; the decoded bytes are
    identical. Not offered when the body also has invalid characters or
    padding (M710, M711), whose fixes re-wrap it as well.

    ## References
    RFC 2045 §6.8; RFC 5322 §2.1.1; RFC 5321 §4.5.3.1.6.
    """
    indices = _plan(message).base64
    return _base64_long_line_problems(message, _parts(message, indices)) if indices else ()


def _base64_long_line_problems(message: Message, parts: list[Part]) -> Iterator[Problem]:
    for part in parts:
        scan = scan_base64(part)
        if scan.long is None:
            continue
        fix = None
        if scan.junk_at < 0 and scan.pad_start < 0:
            fix = _rewrap_fix(
                message, part, scan, Safety.SAFE, "re-wrap the base64 body at 76 characters"
            )
        yield _long_line_problem(part, scan.long, "base64", fix)


# ------------------------------------------------------- quoted-printable
@quick_init
@dataclass(frozen=True, slots=True)
class QuotedPrintableScan:
    """What one look at a quoted-printable body found (shared by the QP rules)."""

    odd_at: int  #: first "=" that is no uppercase escape or plain soft break, or -1
    space_start: int  #: span of the first trailing white space, or -1
    space_end: int
    space_count: int  #: lines that end in white space
    long: LongLines | None = None  #: encoded lines over 76 characters


#: What a body with nothing to report scans as (shared: no object per body).
_QP_CLEAN = QuotedPrintableScan(-1, -1, -1, 0, None)


def scan_quoted_printable(part: Part) -> QuotedPrintableScan:
    """One regex pass for escapes, ``bytes.find`` for trailing space and long lines.

    Not cached here: :func:`_qp_flagged` scans each body of a message once.
    """
    data, start, end = part.data, part.body_start, part.body_end
    m = _QP_ODD.search(data, start, end)
    # A tab is rare: one memchr rules out both tab patterns.
    patterns = _QP_SPACE_EOL if data.find(b"\t", start, end) >= 0 else _QP_SPACE_EOL[::2]
    hits = [data.find(p, start, end) for p in patterns]
    if end > start and data[end - 1] in (9, 32):
        hits.append(end - 1)
    hits = [h for h in hits if h >= 0]
    space_start = space_end = -1
    count = 0
    if hits:
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
    if end - start > MAX_ENCODED_LINE and data[start:end].translate(_LINE_MAP).find(_LONG_RUN) >= 0:
        long = long_lines(data, start, end)
    if m is None and space_start < 0 and long is None:
        return _QP_CLEAN
    return QuotedPrintableScan(m.start() if m else -1, space_start, space_end, count, long)


def _qp_flagged(message: Message) -> list[tuple[Part, QuotedPrintableScan]]:
    """The quoted-printable bodies with something to report, and their scans.

    Shared by M720-M723: each body is scanned once per message.
    """
    plan = _plan(message)
    flagged = plan.qp_flagged
    if flagged is None:
        flagged = plan.qp_flagged = []
        parts = message.parts()
        for i in plan.quoted:
            scan = scan_quoted_printable(parts[i])
            if scan is not _QP_CLEAN:
                flagged.append((i, scan))
    if not flagged:
        return []
    parts = message.parts()
    return [(parts[i], scan) for i, scan in flagged]


def _qp_reencode(message: Message, part: Part, safety: Safety, what: str) -> Fix | None:
    """Re-encode the decoded payload as quoted-printable (or base64 if shorter).

    ``encode_body`` guarantees the new body decodes to the same bytes; if it
    picks base64, the Content-Transfer-Encoding value changes with it.
    """
    header = part.header("content-transfer-encoding")
    if header is None:
        return None
    payload = part.payload
    cte, body = encode_body(
        payload, is_text=part.maintype == "text", linesep=line_separator(message)
    )
    edits = [Edit(part.body_start, part.body_end, body)]
    if cte != "quoted-printable":
        start, end = _value_span(header)
        edits.insert(0, Edit(start, end, cte.encode("ascii")))
    return Fix(tuple(edits), safety, what)


def _upper(match: re.Match[bytes]) -> bytes:
    return match.group().upper()


def _qp_clean(part: Part, scan: QuotedPrintableScan) -> bool:
    """No bad escapes and no trailing white space: re-encoding is exact."""
    if scan.space_start >= 0:
        return False
    return scan.odd_at < 0 or _QP_BAD_ESCAPE.search(part.data, scan.odd_at, part.body_end) is None


@rule(
    code="M720",
    name="invalid-quoted-printable-escape",
    severity="error",
    summary="An '=' in a quoted-printable body not followed by two hex digits",
    fix="unsafe",
)
def invalid_quoted_printable_escape(message: Message, context: Context) -> Iterable[Problem]:
    """## What it does
    Flags an ``=`` in a quoted-printable body that is neither an escape
    (``=`` and two hexadecimal digits) nor a soft line break (``=`` at the
    end of a line): typically text that was never encoded, such as
    ``a=b`` or a URL with ``?lang=en``. Reports the first one and the count.

    ## Why is this bad?
    RFC 2045 §6.7 rule 1: ``=`` must be written ``=3D``. Decoders guess:
    some keep the ``=`` as is, some drop it, some decode the next two
    characters anyway (``=42`` becomes ``B``), so readers see different text.

    ## Example
    ```
    Content-Transfer-Encoding: quoted-printable

    Open https://example.com/?lang=en&ref=mail to confirm.
    ```

    ## Use instead
    ```
    Content-Transfer-Encoding: quoted-printable

    Open https://example.com/?lang=3Den&ref=3Dmail to confirm.
    ```

    ## Fix safety
    Unsafe: the fix re-encodes what a lenient decoder reads (the ``=`` kept
    literally), which is usually but not always what the sender meant.

    ## References
    RFC 2045 §6.7.
    """
    flagged = _qp_flagged(message)
    return _bad_escape_problems(message, flagged) if flagged else ()


def _bad_escape_problems(
    message: Message, flagged: list[tuple[Part, QuotedPrintableScan]]
) -> Iterator[Problem]:
    for part, scan in flagged:
        if scan.odd_at < 0:
            continue
        data, end = part.data, part.body_end
        m = _QP_BAD_ESCAPE.search(data, scan.odd_at, end)
        if m is None:
            continue
        count = len(_QP_BAD_ESCAPE.findall(data, m.start(), end))
        shown = data[m.start() : min(m.start() + 3, _line_end(data, m.start(), end))]
        others = f" ({_plural(count, 'bad escape')} in all)" if count > 1 else ""
        yield Problem(
            m.start(),
            m.start() + 1,
            f"{shown.decode('latin-1')!r} is not a quoted-printable escape{others}: '=' must be "
            "followed by two hex digits or end the line (RFC 2045 §6.7); write '=' as '=3D'",
            part.path,
            _qp_reencode(message, part, Safety.UNSAFE, "re-encode the quoted-printable body"),
        )


@rule(
    code="M721",
    name="lowercase-quoted-printable-escape",
    severity="info",
    summary="A quoted-printable escape written with lowercase hex digits",
    fix="safe",
)
def lowercase_quoted_printable_escape(message: Message, context: Context) -> Iterable[Problem]:
    """## What it does
    Flags quoted-printable escapes with lowercase hex digits (``=c3=a9``
    instead of ``=C3=A9``).

    ## Why is this bad?
    RFC 2045 §6.7 rule 1 requires uppercase. The same section advises
    robust decoders to accept lowercase, and the common ones do, so this is
    informational: a strict decoder or a filter matching on escapes may
    still trip on it.

    ## Example
    ```
    Caf=c3=a9
    ```

    ## Use instead
    ```
    Caf=C3=A9
    ```

    ## Fix safety
    Safe: only the hex digits change case; the decoded bytes are identical.

    ## References
    RFC 2045 §6.7.
    """
    flagged = _qp_flagged(message)
    return _lowercase_escape_problems(message, flagged) if flagged else ()


def _lowercase_escape_problems(
    message: Message, flagged: list[tuple[Part, QuotedPrintableScan]]
) -> Iterator[Problem]:
    for part, scan in flagged:
        if scan.odd_at < 0:
            continue
        data, end = part.data, part.body_end
        first = _QP_LOWER_ESCAPE.search(data, scan.odd_at, end)
        if first is None:
            continue
        fixed, count = _QP_LOWER_ESCAPE.subn(_upper, data[first.start() : end])
        others = f" ({_plural(count, 'lowercase escape')} in all)" if count > 1 else ""
        yield Problem(
            first.start(),
            first.end(),
            f"quoted-printable escape {first.group().decode('ascii')!r} uses lowercase hex"
            f"{others}; RFC 2045 §6.7 requires uppercase ({first.group().upper().decode('ascii')!r})",
            part.path,
            Fix((Edit(first.start(), end, fixed),), Safety.SAFE, "uppercase the hex digits"),
        )


@rule(
    code="M722",
    name="quoted-printable-line-too-long",
    severity="warning",
    summary="Quoted-printable lines longer than 76 characters",
    fix="safe",
)
def quoted_printable_line_too_long(message: Message, context: Context) -> Iterable[Problem]:
    """## What it does
    Flags a quoted-printable body with encoded lines longer than 76
    characters (the soft break ``=`` counts, the line break does not).
    Reports the first such line and how many there are.

    ## Why is this bad?
    RFC 2045 §6.7 rule 5: encoded lines must be at most 76 characters; long
    lines are broken with soft line breaks. Spam filters score violations
    (SpamAssassin ``MIME_QP_LONG_LINE``), and past 998 characters SMTP
    servers and Amazon SES refuse or break the line.

    ## Example
    ```
    Content-Transfer-Encoding: quoted-printable

    <p>A paragraph written on one line of two hundred characters ...</p>
    ```

    ## Use instead
    ```
    Content-Transfer-Encoding: quoted-printable

    <p>A paragraph written on one line of two hundred characters =
    ...</p>
    ```

    ## Fix safety
    Safe: the body is re-encoded from its decoded bytes and decodes to
    exactly the same bytes. Not offered when the body has invalid escapes
    or trailing white space (M720, M723), whose meaning decoders disagree on.

    ## References
    RFC 2045 §6.7; SpamAssassin rule MIME_QP_LONG_LINE.
    """
    flagged = _qp_flagged(message)
    return _qp_long_line_problems(message, flagged) if flagged else ()


def _qp_long_line_problems(
    message: Message, flagged: list[tuple[Part, QuotedPrintableScan]]
) -> Iterator[Problem]:
    for part, scan in flagged:
        found = scan.long
        if found is None:
            continue
        fix = None
        if _qp_clean(part, scan):
            fix = _qp_reencode(
                message, part, Safety.SAFE, "re-encode the body with 76-character lines"
            )
        yield _long_line_problem(part, found, "quoted-printable", fix)


@rule(
    code="M723",
    name="quoted-printable-trailing-whitespace",
    severity="warning",
    summary="White space at the end of a quoted-printable line",
    fix="unsafe",
)
def quoted_printable_trailing_whitespace(message: Message, context: Context) -> Iterable[Problem]:
    """## What it does
    Flags spaces or tabs at the end of a line of a quoted-printable body
    (including after a soft-break ``=``).

    ## Why is this bad?
    RFC 2045 §6.7 rule 3: white space at the end of an encoded line must be
    encoded (``=20``), because gateways strip it, and decoders must delete
    it. Some decoders keep it (Python's does), so readers disagree on the
    text; after ``=`` it can also turn a soft line break into a literal ``=``.

    ## Example
    ```
    Regards,
    ```

    ## Use instead
    ```
    Regards, =20
    ```

    ## Fix safety
    Unsafe: the fix keeps the white space (encodes it as ``=20``), which is
    what a lenient decoder showed, not what RFC 2045 tells decoders to do.

    ## References
    RFC 2045 §6.7.
    """
    flagged = _qp_flagged(message)
    return _qp_space_problems(message, flagged) if flagged else ()


def _qp_space_problems(
    message: Message, flagged: list[tuple[Part, QuotedPrintableScan]]
) -> Iterator[Problem]:
    for part, scan in flagged:
        if scan.space_start < 0:
            continue
        count = scan.space_count
        others = f" ({_plural(count, 'line')} in all)" if count > 1 else ""
        yield Problem(
            scan.space_start,
            scan.space_end,
            f"white space at the end of a quoted-printable line{others}: transports strip it "
            "and decoders must delete it (RFC 2045 §6.7); encode it as =20 or =09",
            part.path,
            _qp_reencode(
                message, part, Safety.UNSAFE, "re-encode the body, keeping the white space"
            ),
        )


# --------------------------------------------------------------- charsets
@rule(
    code="M730",
    name="unknown-charset",
    severity="error",
    summary="A charset parameter that names no known character set",
)
def unknown_charset(message: Message, context: Context) -> Iterable[Problem]:
    """## What it does
    Flags a ``charset`` parameter whose value names no character set that
    mail clients know, or that is empty. Known: every label of the WHATWG
    Encoding Standard's table (``ks_c_5601-1987``, ``x-user-defined``,
    ``unicode``, ``x-cp1252``...), and the IANA names Python's codec
    registry holds (``utf-7``, ``iso-2022-jp-2``...). Also flags a label
    that only a lenient decoder reads: quotes inside the value
    (``charset='utf-8'``, a PHP slip), spaces (``utf 8``), stray or doubled
    punctuation (``utf-8-``, ``utf--8``). Outside the WHATWG table, the
    label must be made of RFC 2978 charset-name characters and, up to the
    spelling ``-``/``_``, be a name the codec registry lists; the message
    suggests the name to write. ``iso-2022-cn`` (WHATWG decodes it to a
    single replacement character) stays unknown. ``multipart`` and ``message`` parts are not
    checked: a charset there means nothing.

    ## Why is this bad?
    A reader cannot turn the bytes into characters; clients fall back to a
    guess (often Latin-1 or UTF-8) and show mojibake, or show nothing.
    Python's ``codecs.lookup`` folds punctuation and spaces, so ``'utf-8'``
    decodes fine in Python, but mail clients match the label against the
    IANA registry and the WHATWG Encoding Standard's label list as written
    (after trimming white space): they do not know it and fall back to their
    default, typically windows-1252. ``unknown-8bit`` (RFC 1428) is flagged
    too: it says the sender did not know the charset.

    ## Example
    ```
    Content-Type: text/plain; charset=utf-9
    Content-Type: text/plain; charset='utf-8'
    ```

    ## Use instead
    ```
    Content-Type: text/plain; charset=utf-8
    ```

    ## Fix safety
    Not fixed: the right charset is a guess. For a label only a lenient
    decoder reads, the likely name is in the message, but the sender may
    have meant another charset (and the text may not even be in that one).

    ## References
    RFC 2046 §4.1.2; RFC 2978 §2.3 (IANA charset registry, mime-charset);
    WHATWG Encoding Standard §4.2 (labels); RFC 1428.
    """
    indices = _plan(message).charset
    return _charset_problems(message, _parts(message, indices)) if indices else ()


def _charset_problems(message: Message, parts: list[Part]) -> Iterator[Problem]:
    for part in parts:
        ct = part.content_type_value
        assert ct is not None
        params = ct.named("charset")
        if not params:
            continue
        value = ct.get("charset") or ""
        codec = charset_codec(value)
        if codec is not None and charset_label_known(value):
            continue
        param = params[0]
        shown = value.strip()
        if codec is not None:
            text = (
                f"charset {shown!r} is no charset name mail clients know (they match "
                "IANA/WHATWG labels as written; only lenient decoders such as Python's fold "
                f"it to {codec}): they fall back to a default such as windows-1252 and show "
                f"mojibake; write charset={preferred_charset_name(codec)}"
            )
        else:
            what = f"unknown charset {shown!r}" if shown else "empty charset parameter"
            text = (
                f"{what}: readers cannot decode this {part.content_type} part; declare the "
                "charset the text is really in (utf-8 for new content)"
            )
        yield Problem(param.value_start, param.value_end, text, part.path)


def _first_undecodable(payload: bytes, codec: str) -> UnicodeDecodeError | None:
    try:
        payload.decode(codec)
    except UnicodeDecodeError as exc:
        # Without its traceback: the traceback's frame would hold the caller
        # (and the message) in a cycle that only the collector frees.
        return exc.with_traceback(None)
    return None


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


@rule(
    code="M731",
    name="undecodable-text",
    severity="error",
    summary="Text that does not decode in its declared charset",
)
def undecodable_text(message: Message, context: Context) -> Iterable[Problem]:
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
    is never undecodable.

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
    plan = _plan(message)
    declared = plan.declared
    if not declared:
        return ()
    parts = message.parts()
    if not plan.fast:
        return _undecodable_problems([parts[i] for i, _ in declared])
    suspects = []
    for i, codec in declared:
        part = parts[i]
        payload = part.payload
        if payload.isascii() and codec in _ASCII_SAFE:
            continue
        # A payload that decodes with this codec is never reported: Part.text,
        # which the precise path reads first, is decoded with the same codec
        # or not at all (test_charset_aliases_read_as_text_does).
        try:
            payload.decode(codec)
        except UnicodeDecodeError:
            suspects.append(part)
    return _undecodable_problems(suspects) if suspects else ()


def _undecodable_problems(parts: list[Part]) -> Iterator[Problem]:
    for part in parts:
        declared = part.charset
        if declared is None:
            continue  # M732
        codec = charset_codec(declared)
        if codec is None:
            continue  # M730
        text = part.text
        if text is not None and "\ufffd" not in text:
            continue
        payload = part.payload
        if text is None and payload.isascii() and codec not in ("utf-16", "utf-32", "utf-7"):
            continue
        error = _first_undecodable(payload, codec)
        if error is None:
            continue
        line = payload.count(b"\n", 0, error.start) + 1
        bad = payload[error.start : error.end][:4]
        spot = None
        if part.transfer_encoding == "quoted-printable":
            spot = _qp_source(part, error.start)
        if part.transfer_encoding in _IDENTITY:
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
            where = (
                f" (in the {part.transfer_encoding} body: decoded byte {error.start}, "
                f"line {line} of the decoded text)"
            )
        yield Problem(
            start,
            end,
            f"{'byte' if len(bad) == 1 else 'bytes'} {bad.hex(' ')} {'is' if len(bad) == 1 else 'are'} "
            f"not valid {declared}{where}; readers will show "
            "replacement characters. Declare the charset the text is really in, or re-encode the text",
            part.path,
        )


@rule(
    code="M732",
    name="eight-bit-text-without-charset",
    severity="error",
    summary="8-bit text in a part that declares no charset",
    fix="unsafe",
)
def eight_bit_text_without_charset(message: Message, context: Context) -> Iterable[Problem]:
    """## What it does
    Flags a ``text/*`` part whose content (after transfer decoding) holds
    bytes outside US-ASCII while its Content-Type has no ``charset``
    parameter (or there is no Content-Type at all).

    ## Why is this bad?
    RFC 2045 §5.2 and RFC 2046 §4.1.2: without a charset, text is
    ``us-ascii``, so 8-bit bytes are undefined. Each client guesses
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
    RFC 2045 §5.2; RFC 2046 §4.1.2.
    """
    plan = _plan(message)
    if not plan.no_charset:
        return ()
    parts = _parts(message, plan.no_charset)
    if plan.fast:
        parts = [part for part in parts if not part.payload.isascii()]
    return _no_charset_problems(message, parts) if parts else ()


def _no_charset_problems(message: Message, parts: list[Part]) -> Iterator[Problem]:
    for part in parts:
        ct = part.content_type_value
        if ct is not None and ct.get("charset") is not None:
            continue
        payload = part.payload
        if payload.isascii():
            continue
        header = part.header("content-type")
        fix = None
        if header is not None and ct is not None:
            start, end = ct.main_start, ct.main_end
            if (
                _first_undecodable(payload, "utf-8") is None
                and ct.main.lower() == part.content_type
                # An unclosed quote would swallow the appended parameter.
                and not any(d.kind == "unterminated-quote" for d in ct.defects)
            ):
                edit = Edit(header.value_end, header.value_end, b"; charset=utf-8")
                fix = Fix((edit,), Safety.UNSAFE, "declare charset=utf-8")
        else:
            start = end = part.header_end
            if part.separator is not None and _first_undecodable(payload, "utf-8") is None:
                line = b"Content-Type: text/plain; charset=utf-8" + line_separator(message)
                fix = Fix(
                    (Edit(part.header_end, part.header_end, line),),
                    Safety.UNSAFE,
                    "declare charset=utf-8",
                )
        yield Problem(
            start,
            end,
            f"this {part.content_type} part holds 8-bit text but declares no charset, so "
            "readers must guess it (RFC 2045 §5.2); add the charset parameter, e.g. "
            "charset=utf-8",
            part.path,
            fix,
        )


RULES = [
    composite_transfer_encoding,
    unknown_transfer_encoding,
    private_transfer_encoding,
    decorated_transfer_encoding,
    invalid_base64_character,
    invalid_base64_padding,
    base64_line_too_long,
    invalid_quoted_printable_escape,
    lowercase_quoted_printable_escape,
    quoted_printable_line_too_long,
    quoted_printable_trailing_whitespace,
    unknown_charset,
    undecodable_text,
    eight_bit_text_without_charset,
]
