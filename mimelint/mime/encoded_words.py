"""RFC 2047 encoded-words: finding, decoding and examining them.

An encoded-word is ``=?charset?encoding?encoded-text?=`` (RFC 2047 §2):
``B`` is base64, ``Q`` a quoted-printable variant (§4). It stands for
non-ASCII text in unstructured fields, comments and phrases (§5). This
module is the one place that reads them: :func:`find_words` examines every
word of a span (decoded octets, or why it does not decode), :func:`decode_text`
decodes a header text strictly (None where readers would disagree), and
:func:`decode_words` decodes leniently, as a reader shows it.

Charset labels are read through :func:`mimelint.mime.charsets.codec_for`, the
table every other part of the engine uses.
"""

from __future__ import annotations

import binascii
import enum
import functools
import re

from mimelint._records import NamedTuple
from mimelint.mime.charsets import codec_for

TYPE_CHECKING = False  # typing's flag, without importing typing at start-up
if TYPE_CHECKING:
    from collections.abc import Sequence

    from mimelint.mime.tree import Header

__all__ = [
    "LIMIT_LINE",
    "LIMIT_WORD",
    "WORD",
    "EncodedMailbox",
    "Fault",
    "Word",
    "decode_span",
    "decode_text",
    "decode_words",
    "find_words",
    "mailbox_in_encoded_word",
    "splits_character",
]

#: RFC 2047 §2: an encoded-word is at most 75 characters long.
LIMIT_WORD = 75
#: RFC 2047 §2: a line holding encoded-words is at most 76 characters long.
LIMIT_LINE = 76

#: An encoded-word as written: charset, encoding and text (groups 1-3).
WORD = re.compile(rb"=\?([^?\s]*)\?([^?\s]*)\?([^?\s]*)\?=")
_Q_BAD = re.compile(rb"[^!-<>@-~=]|=(?![0-9A-Fa-f]{2})")
_RAW_RUN = re.compile(rb"[\x80-\xff]+")
_BLANK = re.compile(rb"[ \t\r\n]*\Z")
_WSP = b" \t\r\n"


class Fault(str, enum.Enum):
    """Why an encoded-word does not decode (``NONE`` when it does)."""

    NONE = ""
    MALFORMED = "malformed"  #: bad encoding, bad B or Q text, bytes invalid in the charset
    UNKNOWN_CHARSET = "unknown-charset"  #: no codec reads the charset label


# Read for every word (a member read from its Enum class costs 70-100 ns on 3.11).
_NO_FAULT, _MALFORMED, _UNKNOWN_CHARSET = Fault.NONE, Fault.MALFORMED, Fault.UNKNOWN_CHARSET
_record = tuple.__new__


class Word(NamedTuple):
    """One encoded-word as written, with what decoding it gave.

    A named tuple: every field with encoded-words builds these, and a
    frozen dataclass is several times slower to construct.
    """

    start: int  #: offset of "=?"
    end: int  #: offset after "?="
    charset: str  #: the label as written (an RFC 2231 ``*language`` removed)
    encoding: str  #: "B", "Q", or what was written instead
    raw: bytes  #: the encoded text between the third and last "?"
    payload: bytes | None  #: decoded octets, None when the text is malformed
    error: str  #: why the word does not decode, for a person ("" when it does)
    fault: Fault  #: the kind of fault (Fault.NONE when it decodes)

    @property
    def text(self) -> str | None:
        """The decoded text, or None when the word does not decode."""
        if self.fault is not _NO_FAULT or self.payload is None:
            return None
        codec = codec_for(self.charset)
        return None if codec is None else self.payload.decode(codec)


def _readable(raw: bytes) -> str:
    """Bytes for a message: UTF-8 text when they are UTF-8, else ``\\xNN`` escapes."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("ascii", "backslashreplace")


def _examine(start: int, end: int, raw_charset: bytes, raw_encoding: bytes, text: bytes) -> Word:
    charset = raw_charset.decode("ascii", "replace")
    if "*" in charset:
        charset = charset.partition("*")[0]  # RFC 2231 §5: charset*language
    encoding = raw_encoding.decode("ascii", "replace")
    payload: bytes
    if raw_encoding == b"q" or raw_encoding == b"Q":
        bad = _Q_BAD.search(text)
        if bad is not None:
            run = _RAW_RUN.match(text, bad.start())
            stop = min(run.end(), bad.start() + 12) if run else bad.start() + 3
            what = _readable(text[bad.start() : stop])
            why = f"its Q text holds '{what}', which Q encoding does not allow"
            return Word(start, end, charset, encoding, text, None, why, _MALFORMED)
        payload = binascii.a2b_qp(text, header=True)
    elif raw_encoding == b"b" or raw_encoding == b"B":
        try:
            payload = binascii.a2b_base64(text, strict_mode=True) if text else b""
        except binascii.Error as exc:
            why = f"its base64 text is invalid ({exc})"
            return Word(start, end, charset, encoding, text, None, why, _MALFORMED)
    else:
        why = f"encoding '{encoding}' is neither B nor Q"
        return Word(start, end, charset, encoding, text, None, why, _MALFORMED)
    codec = codec_for(charset)
    if codec is None:
        why = f"charset '{charset}' is unknown"
        return Word(start, end, charset, encoding, text, payload, why, _UNKNOWN_CHARSET)
    try:
        payload.decode(codec)
    except UnicodeDecodeError:
        why = f"its bytes are not valid {charset}"
        return Word(start, end, charset, encoding, text, payload, why, _MALFORMED)
    # The usual end: made from one tuple (the generated __new__ is a Python call).
    return _record(Word, (start, end, charset, encoding, text, payload, "", _NO_FAULT))


def find_words(data: bytes, start: int, end: int) -> list[Word]:
    """Every encoded-word of ``data[start:end]``, examined, in order.

    A loop of searches, as ``finditer`` would match: a field holds one or
    two words, and building finditer's scanner costs more than they do.
    """
    words: list[Word] = []
    if data.find(b"=?", start, end) < 0:
        return words
    search = WORD.search
    m = search(data, start, end)
    while m is not None:
        words.append(_examine(m.start(), m.end(), *m.groups()))
        m = search(data, m.end(), end)
    return words


def splits_character(data: bytes, words: list[Word], i: int) -> bool:
    """Whether word ``i`` only fails because a character spans into the next words."""
    w = words[i]
    if w.payload is None or w.fault is not Fault.MALFORMED:
        return False
    codec = codec_for(w.charset)
    if codec is None:
        return False
    joined = w.payload
    for nxt in words[i + 1 : i + 4]:
        if nxt.payload is None or nxt.charset.lower() != w.charset.lower():
            return False
        if not _BLANK.match(data, w.end, nxt.start) and nxt is words[i + 1]:
            return False
        joined += nxt.payload
        try:
            joined.decode(codec)
            return True
        except UnicodeDecodeError:
            continue
    return False


def decode_text(raw: bytes) -> str | None:
    """Header text with its encoded-words decoded (RFC 2047 §6), or None.

    White space between adjacent encoded-words is dropped (§6.2); other text
    is read as UTF-8. None when a word does not decode or is glued to other
    text, because decoders then disagree on what it says.
    """
    if b"=?" not in raw:  # no word: the text as it is (display names, comments)
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            return None
    return decode_span(raw, 0, len(raw), find_words(raw, 0, len(raw)))


def decode_span(data: bytes, start: int, end: int, words: Sequence[Word]) -> str | None:
    """``data[start:end]`` decoded as :func:`decode_text` decodes it, from its
    encoded-words as :func:`find_words` gives them for that span.

    For a caller that holds the words already (a part's
    :attr:`~mimelint.mime.tree.Part.worded_fields`): they are not searched
    for and examined again.
    """
    out: list[str] = []
    pos = start
    pending: list[bytes] = []
    codec = ""
    charset = ""
    try:
        for w in words:
            if w.fault is not Fault.NONE or w.payload is None:
                return None
            if (w.start > start and data[w.start - 1] not in _WSP) or (
                w.end < end and data[w.end] not in _WSP
            ):
                return None
            before = data[pos : w.start]
            adjacent = bool(pending) and not before.strip(_WSP)
            if adjacent and w.charset.lower() == charset:
                pending.append(w.payload)
            else:
                if pending:
                    out.append(b"".join(pending).decode(codec))
                if not adjacent:
                    out.append(before.decode("utf-8"))
                pending = [w.payload]
                charset = w.charset.lower()
                codec = codec_for(charset) or "utf-8"
            pos = w.end
        if pending:
            out.append(b"".join(pending).decode(codec))
        out.append(data[pos:end].decode("utf-8"))
    except UnicodeDecodeError:
        return None
    return "".join(out)


def decode_words(text: str) -> str:
    """Decode RFC 2047 encoded-words in ``text`` as a lenient reader does.

    Each run of words with only white space between them is read with the
    one charset table as a lenient client reads it: the white space
    between decoded words dropped (§6.2), the bytes of adjacent words in
    one charset joined (a character split between them reads whole),
    base64 without strict padding, undecodable bytes as replacement
    characters, and a word with an unknown charset or raw 8-bit text as
    written. Where every word decodes, that is :func:`decode_span`'s
    reading. Text outside the words stays as it is, and ``text`` comes
    back whole when it holds none.
    """
    if "=?" not in text:
        return text
    raw = text.encode("utf-8", "surrogateescape")
    words = find_words(raw, 0, len(raw))
    if not words:
        return text
    out: list[str] = []
    pos = 0
    i = 0
    while i < len(words):
        j = i + 1  # the run: words i..j-1, white space between each two
        while j < len(words) and not raw[words[j - 1].end : words[j].start].strip(_WSP):
            j += 1
        first, last = words[i], words[j - 1]
        out.append(raw[pos : first.start].decode("utf-8", "surrogateescape"))
        at = first.start
        pending, codec = b"", ""  # decoded bytes of adjacent words in one charset
        for w in words[i:j]:
            got = _leniently(w)
            if got is not None and codec and got[1] == codec:
                pending += got[0]  # the same charset: a character may span words
            else:
                if pending:
                    out.append(pending.decode(codec, "replace"))
                if got is None or not codec:  # §6.2: no white space between decoded words
                    out.append(raw[at : w.start].decode("utf-8", "surrogateescape"))
                if got is None:
                    out.append(raw[w.start : w.end].decode("utf-8", "surrogateescape"))
                    pending, codec = b"", ""
                else:
                    pending, codec = got
            at = w.end
        if pending:
            out.append(pending.decode(codec, "replace"))
        pos = last.end
        i = j
    out.append(raw[pos:].decode("utf-8", "surrogateescape"))
    return "".join(out)


def _leniently(w: Word) -> tuple[bytes, str] | None:
    """A word's bytes and codec as a lenient reader decodes them: its base64
    read without strict padding; None (shown as written) with an unknown
    charset, raw 8-bit text or B text that no padding makes whole."""
    codec = codec_for(w.charset)
    if codec is None:
        return None
    if w.fault is _NO_FAULT and w.payload is not None:
        return w.payload, codec
    if not w.raw.isascii():
        return None
    try:
        if w.encoding in ("B", "b"):
            return binascii.a2b_base64(w.raw + b"==", strict_mode=False), codec
        return binascii.a2b_qp(w.raw, header=True), codec
    except (binascii.Error, ValueError):
        return None


# ------------------------------------------------ a mailbox in one word
# Both compiled on first use: only an address field with an encoded-word
# and no '@' needs them.
@functools.cache
def _only_words() -> re.Pattern[bytes]:
    """A value of nothing but encoded-words and white space."""
    return re.compile(rb"(?:[ \t\r\n]*=\?[^?\s]*\?[^?\s]*\?[^?\s]*\?=)+[ \t\r\n]*")


@functools.cache
def _mailbox_text() -> re.Pattern[str]:
    """One mailbox as text: ``name <addr>`` or a bare ``addr``."""
    return re.compile(
        r"\s*+([^<>@]*?)\s*<\s*([^<>@\s]+@[^<>@\s]+?)\s*>\s*|\s*+([^<>@\s]+@[^<>@\s]+)\s*"
    )


class EncodedMailbox(NamedTuple):
    """A whole mailbox written inside encoded-words: what they decode to, and where."""

    start: int  #: offset of the first word's "=?"
    end: int  #: offset after the last word's "?="
    display_name: str  #: the name part of the decoded mailbox ("" if none)
    addr_spec: str  #: the address the words hide
    decoded: str  #: the whole decoded text


def mailbox_in_encoded_word(header: Header) -> EncodedMailbox | None:
    """The mailbox an address field hides in encoded-words, or None.

    ``header`` is an address field (From, To, Cc, Reply-To...: see
    :func:`mimelint.mime.fields.field_kind`).

    Python's ``email`` with the ``compat32`` policy (``MIMEMultipart``,
    ``MIMEText``) encodes ``msg["From"] = "Name <a@b>"`` as one encoded-word
    as soon as the name is not ASCII, address included; readers then see
    no address at all (SES: ``Missing final '@domain'``). This says so when
    the field's value is nothing but encoded-words (white space between
    them) and they decode to one mailbox, ``name <addr>`` or a bare
    ``addr``. The address rules stay quiet about such a field; the
    encoded-word rules report it once.
    """
    raw = header.raw_value
    if b"=?" not in raw or b"@" in raw or not _only_words().fullmatch(raw):
        return None
    words = find_words(raw, 0, len(raw))
    if not words or any(w.fault is not Fault.NONE for w in words):
        return None
    text = decode_span(raw, 0, len(raw), words)
    if text is None:
        return None
    m = _mailbox_text().fullmatch(text)
    if m is None:
        return None
    name, addr = (m.group(1), m.group(2)) if m.group(2) else ("", m.group(3))
    at = header.value_start
    return EncodedMailbox(
        at + words[0].start, at + words[-1].end, name.strip('"'), addr, text.strip()
    )
