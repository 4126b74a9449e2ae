"""Encoding primitives that fixes use to write correct MIME.

Every function here is exact: what it writes decodes back to what it was
given, byte for byte or character for character. Fixes rely on that, and
the fix engine proves it again on the whole message (:mod:`mimelint.fixer`).

- header text: RFC 2047 encoded-words (:func:`encode_unstructured`,
  :func:`encode_phrase`), RFC 2231 parameters (:func:`encode_param`),
  folding (:func:`fold_field`), after RFC 5322 §2.1.1 and §2.2.3;
- bodies: quoted-printable or base64 (:func:`encode_body`,
  :func:`wrap_base64`), after RFC 2045 §6.7-6.8;
- boundaries: :func:`fresh_boundary`, after RFC 2046 §5.1.1.
"""

from __future__ import annotations

import binascii
import contextvars
import re
from collections.abc import Iterable, Iterator

from mimelint.mime.boundaries import BCHARS, MAX_BOUNDARY
from mimelint.mime.lines import split_lines
from mimelint.mime.params import ATTRIBUTE_CHARS

TYPE_CHECKING = False  # typing's flag, without importing typing at start-up
if TYPE_CHECKING:
    from mimelint.mime.tree import Message, Part

CRLF = b"\r\n"
LF = b"\n"

#: RFC 2047 §2: an encoded-word is at most 75 characters long.
MAX_WORD = 75
_CHARSET = "utf-8"
_OVERHEAD = len(f"=?{_CHARSET}?q??=")  # 12
#: RFC 5322 §2.1.1: lines SHOULD be at most 78 characters.
WIDTH = 78
#: RFC 2047 §2: a header line that holds an encoded-word is at most 76.
WORD_LINE_WIDTH = 76
#: RFC 2045 §6.7-6.8: encoded body lines are at most 76 characters.
BODY_WIDTH = 76

# RFC 2047 §5(3): the characters a Q encoded-word may show as themselves in
# any position (a phrase is the most restrictive place); "_" stands for space.
_Q_SAFE = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!*+-/")
# RFC 5322 §3.2.3 atext: what an atom in a phrase may hold.
_ATEXT = re.compile(r"[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~]+\Z")
# Visible ASCII: a word made of these can stand in unstructured text as is.
_VCHAR = re.compile(r"[!-~]+\Z")
_WSP_SPLIT = re.compile(r"([ \t]+)")
# RFC 2231 attribute-char: what a percent-encoded value writes as itself.
_ATTR_SAFE = frozenset(ATTRIBUTE_CHARS.encode("ascii"))
# Quoted-string content that needs no encoding: visible ASCII and space.
_QTEXT_OK = re.compile(r"[ -~]*\Z")

#: The seed :func:`fresh_boundary` uses when given none (set by ``fix``).
boundary_seed: contextvars.ContextVar[int] = contextvars.ContextVar("boundary_seed", default=0)


# ----------------------------------------------------------------- lines
def line_separator(message: Message) -> bytes:
    """The message's dominant line ending, ``b"\\r\\n"`` or ``b"\\n"``.

    Judged from the top-level header section; CRLF when it has no line
    ending at all (CRLF is what RFC 5322 §2.1 prescribes).
    """
    data = message.data
    end = message.header_end if message.header_end > message.start else len(data)
    if message.separator is not None:
        end = message.separator[1]
    lf = data.count(b"\n", message.start, end)
    if lf == 0:
        return CRLF
    crlf = data.count(b"\r\n", message.start, end)
    return CRLF if crlf * 2 >= lf else LF


# -------------------------------------------------------- encoded-words
#: The bytes Q writes as one character (the safe ones, and space as "_").
_Q_ONE = bytes(sorted(_Q_SAFE)) + b" "


def _q_length(chunk: bytes) -> int:
    # Every byte takes one character, and those that are escaped two more.
    return len(chunk) + 2 * len(chunk.translate(None, _Q_ONE))


#: Each byte as the Q encoding writes it: space as "_", a safe byte as
#: itself, any other as =XX.
_Q_BYTE = tuple("_" if b == 32 else chr(b) if b in _Q_SAFE else f"={b:02X}" for b in range(256))


def _q_encode(chunk: bytes) -> str:
    return "".join(map(_Q_BYTE.__getitem__, chunk))


def _b_length(n: int) -> int:
    return 4 * ((n + 2) // 3)


def _encoded_word(chunk: bytes) -> str:
    """One encoded-word for ``chunk``, Q or B, whichever is shorter."""
    if _q_length(chunk) <= _b_length(len(chunk)):
        return f"=?{_CHARSET}?q?{_q_encode(chunk)}?="
    return f"=?{_CHARSET}?b?{binascii.b2a_base64(chunk, newline=False).decode('ascii')}?="


def _cost(text: str) -> int:
    """Length of ``text`` as the shorter of its Q and B encodings, overhead aside."""
    raw = text.encode("utf-8", "surrogatepass")
    return min(_q_length(raw), _b_length(len(raw)))


def _take(text: str, pos: int, limit: int) -> int:
    """End of the longest run of characters from ``pos`` fitting ``limit``.

    ``limit`` is the whole encoded-word's length; at least one character is
    always taken so progress is guaranteed (one character needs at most 24).
    Every character costs at least one, so no more than the budget's worth
    can fit, and the cost only grows with the run: a binary search over that
    many characters, each step one ``encode`` (linear in the text as a whole).
    """
    budget = limit - _OVERHEAD
    most = max(min(len(text) - pos, budget), 1)  # a limit of the overhead alone takes one too
    if _cost(text[pos : pos + most]) <= budget:
        return pos + most  # the usual display name or short text: all of it fits
    fits, too_long = 1, most  # one character is taken even if it does not fit
    while too_long - fits > 1:
        mid = (fits + too_long) // 2
        if _cost(text[pos : pos + mid]) <= budget:
            fits = mid
        else:
            too_long = mid
    return pos + fits


def _encoded_words(text: str, first_limit: int) -> Iterator[str]:
    """Encoded-words for ``text``; the first at most ``first_limit`` long."""
    pos = 0
    limit = first_limit
    while pos < len(text):
        end = _take(text, pos, limit)
        yield _encoded_word(text[pos:end].encode("utf-8", "surrogatepass"))
        pos = end
        limit = MAX_WORD


def _segments(text: str, plain: re.Pattern[str]) -> list[tuple[str, str, bool]]:
    """Split text into (whitespace before, word, keep as is) triples.

    Adjacent words that cannot stand as they are join into one run to be
    encoded, whitespace between them included (RFC 2047 §6.2: decoders drop
    white space between adjacent encoded-words, so it must be encoded).
    Leading and trailing white space would be lost by unfolding, so it is
    encoded too, with the word next to it.
    """
    pieces = _WSP_SPLIT.split(text)
    words = pieces[0::2]
    seps = pieces[1::2]
    if len(words) > 1 and words[0] == "":
        words[1] = seps[0] + words[1]
        del words[0], seps[0]
    if len(words) > 1 and words[-1] == "":
        words[-2] += seps[-1]
        del words[-1], seps[-1]
    runs: list[tuple[str, list[str], bool]] = []
    for i, word in enumerate(words):
        sep = seps[i - 1] if i else ""
        keep = bool(plain.match(word)) and "=?" not in word
        if runs and not keep and not runs[-1][2]:
            runs[-1][1].extend((sep, word))  # joined once below: linear in the run
        else:
            runs.append((sep, [word], keep))
    out = [(sep, "".join(pieces), keep) for sep, pieces, keep in runs]
    return [s for s in out if s[1]]


def encode_unstructured(name: str, text: str, *, linesep: bytes = CRLF) -> bytes:
    """The whole header field ``Name: value`` plus ``linesep``, 7-bit clean.

    ASCII words stay as written; runs of other words become UTF-8 RFC 2047
    encoded-words (at most 75 characters each, never splitting a character,
    Q or B per word, whichever is shorter). Lines are folded before white
    space to stay within 76 characters (RFC 2047 §2 for lines that hold
    encoded-words) where the words allow. Decoding the
    unfolded value (e.g. ``str(make_header(decode_header(v)))``) gives back
    ``text`` exactly, leading, trailing and repeated white space included.
    """
    sep = linesep.decode("ascii")
    lines: list[str] = []
    line = f"{name}:"
    has_word = False

    def put(ws: str, atom: str) -> None:
        nonlocal line, has_word
        if has_word and len(line) + len(ws) + len(atom) > WORD_LINE_WIDTH:
            lines.append(line)
            line = ""
        line += ws + atom
        has_word = True

    for ws, word, keep in _segments(text, _VCHAR):
        ws = ws or " "
        if keep:
            put(ws, word)
            continue
        room = WORD_LINE_WIDTH - len(line) - len(ws)
        first_limit = min(MAX_WORD, room) if room >= _OVERHEAD + 12 else MAX_WORD
        for atom in _encoded_words(word, first_limit):
            put(ws, atom)
            ws = " "
    lines.append(line)
    return (sep.join(lines) + sep).encode("ascii")


def encode_phrase(text: str) -> str:
    """A display name (RFC 5322 §3.2.5 phrase) that stands for ``text``.

    Atoms stay as they are; ASCII with specials becomes a quoted-string;
    anything else becomes encoded-words (RFC 2047 §5(3)), one line, words
    separated by single spaces (the caller folds the field).
    """
    if text == "":
        return '""'
    if all(_ATEXT.match(w) for w in text.split(" ")) and "=?" not in text:
        return text
    if _QTEXT_OK.match(text) and "=?" not in text:
        return quoted_string(text)
    atoms: list[str] = []
    for ws, word, keep in _segments(text, _ATEXT):
        if keep:
            atoms.append((ws if atoms else "") + word)
            continue
        for atom in _encoded_words(word, MAX_WORD):
            atoms.append((ws if atoms else "") + atom)
            ws = " "
    return "".join(atoms)


# ------------------------------------------------------------ parameters
#: Each byte as RFC 2231 writes it: itself when an attribute-char, else %XX.
_PCT = tuple(chr(b) if b in _ATTR_SAFE else f"%{b:02X}" for b in range(256))


def _pct(raw: bytes) -> str:
    return "".join(map(_PCT.__getitem__, raw))


def encode_param(name: str, value: str) -> str:
    """A MIME parameter ``name=value`` that stands for ``value`` exactly.

    Short printable ASCII gives ``name="value"``. Otherwise RFC 2231 §4:
    ``name*=utf-8''%E2%82%AC`` when it fits one line, else continuations
    ``name*0*=utf-8''...; name*1*=...`` (§3), each segment short enough for
    a folded line; long plain ASCII uses ``name*0="..."; name*1="..."``.
    Segments are joined with ``"; "`` so :func:`fold_field` can fold there.
    """
    budget = 60
    if _QTEXT_OK.match(value):
        whole = quoted_string(value)
        if len(name) + len(whole) + 1 <= budget + 10:
            return f"{name}={whole}"
        segments: list[str] = []
        chunk = ""
        for ch in escaped_chars(value):
            if len(chunk) + len(ch) > budget - len(name) and chunk:
                segments.append(chunk)
                chunk = ""
            chunk += ch
        segments.append(chunk)
        return "; ".join(f'{name}*{i}="{s}"' for i, s in enumerate(segments))
    whole = f"{name}*=utf-8''{_pct(value.encode('utf-8', 'surrogatepass'))}"
    if len(whole) <= budget + 10:
        return whole
    parts: list[str] = []
    chunk = "utf-8''"
    for ch in value:
        enc = _pct(ch.encode("utf-8", "surrogatepass"))
        if len(chunk) + len(enc) > budget - len(name) and chunk and chunk != "utf-8''":
            parts.append(chunk)
            chunk = ""
        chunk += enc
    parts.append(chunk)
    return "; ".join(f"{name}*{i}*={s}" for i, s in enumerate(parts))


def quoted_string(text: str) -> str:
    """``text`` as an RFC 5322 quoted-string (§3.2.4): ``"`` and ``\\`` become quoted-pairs."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def escaped_chars(value: str) -> Iterator[str]:
    """Each character of ``value`` as it stands inside a quoted-string."""
    for ch in value:
        yield "\\" + ch if ch in '\\"' else ch


# --------------------------------------------------------------- folding
_NON_BLANK = re.compile(rb"[^ \t]")


def fold_field(raw_field: bytes, linesep: bytes = CRLF, width: int = WIDTH) -> bytes:
    """Fold a header field so lines stay within ``width`` where possible.

    Line breaks go only before white space (RFC 5322 §2.2.3), at the start
    of a run of blanks that is followed by more text, never before the first
    word of the value; so unfolding gives back exactly the same value.
    Lines already short enough, and existing folds, are kept. Returns the
    input unchanged when nothing needs folding or no fold point exists.
    """
    if b"=?" in raw_field:
        width = min(width, WORD_LINE_WIDTH)  # RFC 2047 §2, if it holds encoded-words
    body = raw_field
    ending = b""
    if body.endswith(b"\r\n"):
        body, ending = body[:-2], b"\r\n"
    elif body.endswith(b"\n"):
        body, ending = body[:-1], b"\n"
    lines = split_lines(body)
    if max(map(len, lines)) <= width:
        return raw_field
    colon = lines[0].find(b":")
    out: list[bytes] = []
    changed = False
    for index, line in enumerate(lines):
        floor = 0
        if index == 0:
            m = _NON_BLANK.search(line, colon + 1)
            floor = m.end() if m else len(line)
        pieces = _fold_line(line, width, floor)
        changed = changed or len(pieces) > 1
        out.extend(pieces)
    if not changed:
        return raw_field
    return linesep.join(out) + (linesep if ending else b"")


#: Where a fold may go: at the start of a run of blanks (the byte before is
#: no blank) that is followed by more text on the line.
_FOLD_AT = re.compile(rb"(?<![ \t])(?=[ \t]+[^ \t\r\n])")


def _fold_line(line: bytes, width: int, floor: int) -> list[bytes]:
    """Cut ``line`` at fold points (none before ``floor``, which is 0 or
    just after a byte that is no blank) into pieces of at most ``width``
    where the points allow: each piece ends at the last point within
    ``width``, else at the first point after it.

    Linear, with C-speed searches: the last point within the width is found
    backwards from the width's end (:func:`_last_fold_point`), the first one
    after it with one regex search (a 100 KB Subject has 20,000 points and
    needs 100 pieces of 998).
    """
    if len(line) <= width:
        return [line]
    pieces: list[bytes] = []
    start = 0
    size = len(line)
    while size - start > width:
        end = _last_fold_point(line, start + 1, start + width)
        if end < floor:  # no point within the width (or none past the floor yet)
            m = _FOLD_AT.search(line, max(start + 1, floor))
            if m is None:
                break
            end = m.start()
        pieces.append(line[start:end])
        start = end
    pieces.append(line[start:])
    return pieces


def _last_fold_point(line: bytes, low: int, high: int) -> int:
    """The last fold point (see :data:`_FOLD_AT`) at ``low`` or after and at
    ``high`` or before, or -1; ``low`` is at least 1.

    Searched backwards: the last blank of the window, the start of its run
    of blanks, and the first byte after the run (which must be text, not
    the end of the line). A regex trying every offset from ``high`` down
    took 2.2 us to fold a header line of 86 characters, this 0.6 us; a
    100 KB Subject in lines of 78, 0.86 ms and 0.61 ms.
    """
    stop = high + 1
    while True:
        blank = line.rfind(b" ", low, stop)
        tab = line.rfind(b"\t", low, stop)
        if tab > blank:  # noqa: PLR1730 - a comparison, not a call to max(), per piece
            blank = tab
        if blank < 0:
            return -1
        run = blank
        if line[blank - 1] in b" \t":  # inside a run: where does it start?
            near = max(low, blank - 64)  # most runs are short: read a few bytes
            run = near + len(line[near:blank].rstrip(b" \t"))
            if run == near and near > low:
                run = low + len(line[low:near].rstrip(b" \t"))
            if run == low and line[low - 1] in b" \t":
                return -1  # the run starts before the window: no point in it
        after = blank + 1
        if after < len(line):
            byte = line[after]
            if byte == 32 or byte == 9:  # the run goes on past the window
                m = _NON_BLANK.search(line, after)
                byte = 10 if m is None else line[m.start()]
            if byte != 13 and byte != 10:  # text follows the run
                return run
        stop = run  # a run at the end of the line: look before it


# ------------------------------------------------------------------ bodies
#: Bytes that quoted-printable writes as themselves (RFC 2045 §6.7 rules 2-4).
_QP_LITERAL = bytes(range(33, 127)).replace(b"=", b"") + b" \t\r\n"
_B64_LINE = re.compile(rb".{1,%d}" % BODY_WIDTH, re.DOTALL)

#: Quoted-printable is chosen when at most this share of the bytes must be
#: escaped: then it is no longer than base64 (n + 2k <= 4n/3 for k <= n/6)
#: and stays readable.
QP_MAX_ESCAPED = 1 / 6


def wrap_base64(payload: bytes, linesep: bytes = CRLF) -> bytes:
    """Base64 of ``payload`` in lines of 76 characters, each ending ``linesep``."""
    if not payload:
        return b""
    encoded = binascii.b2a_base64(payload, newline=False)
    return linesep.join(_B64_LINE.findall(encoded)) + linesep


#: A line ``binascii.b2a_qp`` leaves one escape too long: it wraps text at 76
#: characters before it escapes the white space that ends a line, so a
#: 74-character line ending in a space comes out as 77 (``...der=20``).
_QP_OVERLONG = re.compile(
    rb"^([^\r\n]{%d,})(=[0-9A-F]{2})(?=\r?\n|\Z)" % (BODY_WIDTH - 2), re.MULTILINE
)


def _qp_text(payload: bytes, linesep: bytes) -> bytes:
    """QP keeping ``linesep`` line breaks as real line breaks."""
    if linesep == CRLF:
        crs = payload.count(b"\r")
        uniform = crs == payload.count(b"\n") == payload.count(b"\r\n")
    else:
        uniform = b"\r" not in payload
    if uniform:
        out = binascii.b2a_qp(payload, quotetabs=False, istext=True, header=False)
        if linesep == CRLF and b"\n" not in payload:
            out = out.replace(b"\n", b"\r\n")
    else:
        # Stray line-ending bytes that are not real line breaks: encode them.
        lines = payload.split(linesep)
        encoded = [binascii.b2a_qp(x, quotetabs=False, istext=False, header=False) for x in lines]
        out = linesep.join([_soft_breaks(x, linesep) for x in encoded])
    # RFC 2045 §6.7 rule 5: at most 76 characters. The escaped white space
    # moves after a soft break, where it still ends the line it ended.
    return _QP_OVERLONG.sub(b"\\1=" + linesep + b"\\2", out)


def _soft_breaks(encoded: bytes, linesep: bytes) -> bytes:
    """Make the soft line breaks of non-text QP output use ``linesep``."""
    if b"\n" not in encoded:
        return encoded
    encoded = encoded.replace(b"\r\n", b"\n")
    return encoded.replace(b"\n", linesep) if linesep != LF else encoded


def encode_body(payload: bytes, *, is_text: bool, linesep: bytes = CRLF) -> tuple[str, bytes]:
    """Encode a body for 7-bit transport: ``(transfer encoding, body bytes)``.

    Text (``is_text``) becomes quoted-printable when at most
    :data:`QP_MAX_ESCAPED` of its bytes need escaping: it keeps its
    ``linesep`` line breaks as real line breaks (other CR or LF bytes are
    escaped as ``=0D``/``=0A``) and stays readable. Everything else is
    base64 in 76-character lines: RFC 2045 §6.2 and §6.8 meant
    quoted-printable for mostly printable text, and non-text line breaks
    are not line breaks. The body always decodes back to ``payload``
    exactly; that is checked here, and base64 is the answer should
    quoted-printable ever not round-trip.
    """
    n = len(payload)
    if is_text and n:
        escaped = len(payload.translate(None, _QP_LITERAL))
        if escaped <= n * QP_MAX_ESCAPED:
            body = _qp_text(payload, linesep)
            if binascii.a2b_qp(body) == payload:
                return "quoted-printable", body
    return "base64", wrap_base64(payload, linesep)


# --------------------------------------------------------------- boundaries
_BOUNDARY_PREFIX = "=_ml_"
_BOUNDARY_TAG = "_ml_"
# RFC 2046 §5.1.1 bchars without space (which may not end a boundary, and
# is best kept out of one), in the order heads are tried: "=" first since
# "=_" cannot occur in quoted-printable text. The grammar is written once,
# in mimelint.mime.boundaries.
_BCHARS = BCHARS
_DIGEST = 32  # hex digits of SHA-256 in a fresh boundary (128 bits)
_MIN_DIGEST = 16
_BOUNDARY_TRIES = 64


def encode_part(part: Part) -> tuple[str, bytes]:
    """A leaf part's body re-encoded for 7-bit transport: (mechanism, new body).

    :func:`encode_body` on the decoded payload, with the message's line
    separator; text keeps its line breaks. A body inside a multipart ends
    before the line break of the next delimiter, so base64 written for it
    drops its own final line break (base64 would ignore it anyway). Read it
    through :attr:`mimelint.mime.tree.Part.seven_bit_encoding`, which keeps it.
    """
    linesep = part.message.line_separator
    cte, encoded = encode_body(part.payload, is_text=part.maintype == "text", linesep=linesep)
    data = part.data
    if cte == "base64" and encoded and data[part.body_end - 1 : part.body_end] != b"\n":
        encoded = encoded[: -len(linesep)]
    return cte, encoded


class NoFreeBoundary(ValueError):
    """The declared boundaries leave no string that is free of them all.

    Only a hostile message gets here: it must declare a boundary for every
    one of the 74 characters a boundary can start with (or, at some depth,
    for every continuation of every free prefix).
    """


def _existing_boundaries(message: Message) -> list[str]:
    found: list[str] = []
    for part in message.parts():
        ct = part.content_type_value
        if ct is not None:
            value = ct.get("boundary")
            if value:
                found.append(value)
    return found


def _free(head: str, taken: Iterable[str]) -> bool:
    """Neither ``head`` nor any extension of it clashes with ``taken``.

    A string clashes with a boundary when either is a prefix of the other
    (a delimiter line of the longer one starts with the shorter one's).
    When no boundary is a prefix of ``head`` and none extends it, every
    ``head + x`` is free of them too.
    """
    return not any(t.startswith(head) or head.startswith(t) for t in taken)


def free_prefix(taken: Iterable[str]) -> str:
    """A short string that no boundary in ``taken`` clashes with, nor with any extension.

    ``=_ml_`` when it is free; otherwise the shortest free string over
    :data:`_BCHARS` (breadth first, characters in that order) followed by
    ``_ml_``. Each level holds at most ``len(taken)`` strings (those some
    boundary extends), and there are no more levels than the longest
    boundary has characters, so the search ends; it raises
    :class:`NoFreeBoundary` when the boundaries cover every string.
    """
    names = sorted({t for t in taken if t})
    if _free(_BOUNDARY_PREFIX, names):
        return _BOUNDARY_PREFIX
    level = [""]
    size = 1
    while level:
        # Of the strings of this length: the declared boundaries (nothing
        # below them is free) and those some longer boundary extends.
        declared = {t for t in names if len(t) == size}
        extended = {t[:size] for t in names if len(t) > size}
        following: list[str] = []
        for node in level:
            for ch in _BCHARS:
                s = node + ch
                if s in declared:
                    continue
                if s not in extended:
                    return s + _BOUNDARY_TAG
                following.append(s)
        level = following
        size += 1
    raise NoFreeBoundary("every possible boundary clashes with one the message declares")


def fresh_boundary(message: Message, *, seed: int | None = None, avoid: Iterable[str] = ()) -> str:
    """A new multipart boundary, deterministic for a given message.

    ``=_ml_`` (``=_`` cannot occur in quoted-printable text, and the ``=``
    means the parameter must be quoted) followed by 32 hex digits of a
    SHA-256 of the message bytes, the seed (default: the
    :data:`boundary_seed` of the running fix, 0 otherwise) and a counter.
    When a boundary the message declares (or one in ``avoid``: pass those
    already chosen when making several in one fix) clashes with ``=_ml_``,
    for example ``=`` or ``=_``, the prefix is the shortest string that
    none clashes with (:func:`free_prefix`) and ``_ml_``.

    The result is at most 70 characters from RFC 2046 §5.1.1's ``bchars``
    (never a space), occurs nowhere in the message, and is neither a prefix
    nor an extension of any declared or avoided boundary. The prefix makes
    the prefix conditions hold for any digits; only absence from the
    message needs another counter, so the loop ends at once in practice
    and is bounded regardless. Raises :class:`NoFreeBoundary` when the
    declared boundaries cover every string (a hostile message only).
    """
    if seed is None:
        seed = boundary_seed.get()
    taken = [t for t in (*_existing_boundaries(message), *avoid) if t]
    head = free_prefix(taken)
    width = min(_DIGEST, MAX_BOUNDARY - len(head))
    if width < _MIN_DIGEST:
        raise NoFreeBoundary("no free boundary prefix short enough for a 70-character boundary")
    import hashlib  # here, not at the top: only fixes need a boundary, checks do not

    base = hashlib.sha256(message.data)
    for counter in range(_BOUNDARY_TRIES):
        h = base.copy()
        h.update(f"|{seed}|{counter}".encode("ascii"))
        candidate = head + h.hexdigest()[:width]
        if candidate.encode("ascii") not in message.data:
            return candidate
    # 64 independent 64- to 128-bit hashes of the message all in the message.
    raise NoFreeBoundary("every candidate boundary occurs in the message")
