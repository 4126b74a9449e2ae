"""Header encoding: non-ASCII text and RFC 2047 encoded-words.

RFC 5322 §2.2 allows only US-ASCII in header fields; non-ASCII text is
written as RFC 2047 encoded-words (``=?utf-8?q?Gr=C3=BC=C3=9Fe?=``) where
RFC 2047 §5 allows them (unstructured text, comments, display names) and as
RFC 2231 extended values in MIME parameters (``filename*=utf-8''%C3%A9``).
These rules find raw non-ASCII text, malformed encoded-words and words in
places where decoders do not look for them. Fixes re-encode the whole field
with :mod:`mimelint.encode`; all rules share one repair per field, so their
fixes agree.

Raw bytes that are not valid UTF-8 belong to M101 (they cannot be encoded
without guessing a charset); non-ASCII in an addr-spec belongs to the
address rules (M4xx).
"""

from __future__ import annotations

import binascii
import codecs
import functools
import re
from collections.abc import Iterator
from typing import NamedTuple

from mimelint.encode import (
    encode_param,
    encode_phrase,
    encode_unstructured,
    fold_field,
    line_separator,
)
from mimelint.mime.addresses import Unit, address_units
from mimelint.params import parse_structured
from mimelint.rule import Context, Edit, Fix, Problem, Safety, rule
from mimelint.tree import FIELD, Header, Message, Part

# ------------------------------------------------------------ field kinds
_UNSTRUCTURED = frozenset(
    {"subject", "comments", "content-description", "thread-topic", "organization", "summary"}
)
_ADDRESS = frozenset(
    {
        "from", "to", "cc", "bcc", "reply-to", "sender", "return-path",
        "resent-from", "resent-to", "resent-cc", "resent-bcc", "resent-sender",
        "resent-reply-to", "disposition-notification-to", "return-receipt-to",
        "mail-followup-to", "mail-reply-to", "errors-to",
    }
)  # fmt: skip
_PARAMETERIZED = frozenset({"content-type", "content-disposition"})
#: RFC 2047 §5 allows encoded-words in none of these.
_NO_WORDS = frozenset(
    {
        "received", "message-id", "in-reply-to", "references", "date", "resent-date",
        "resent-message-id", "content-id", "content-transfer-encoding", "mime-version",
    }
)  # fmt: skip
_SIGNATURES = frozenset({"dkim-signature", "arc-message-signature", "arc-seal"})
_FIXABLE_PARAMS = frozenset({"name", "filename"})
_LIMIT_WORD = 75  # RFC 2047 §2
_LIMIT_LINE = 76  # RFC 2047 §2, lines holding encoded-words
#: email.policy.default/SMTP fold at max_line_length=78 (RFC 5322 §2.1.1).
_PYTHON_WIDTH = 78


def _kind(lname: str) -> str:
    if lname in _UNSTRUCTURED or lname.startswith("x-"):
        return "unstructured"
    if lname in _ADDRESS:
        return "address"
    if lname in _PARAMETERIZED:
        return "params"
    if lname == "keywords":
        return "keywords"
    return "structured"


# --------------------------------------------------------- encoded-words
_WORD = re.compile(rb"=\?([^?\s]*)\?([^?\s]*)\?([^?\s]*)\?=")
_Q_BAD = re.compile(rb"[^!-<>@-~=]|=(?![0-9A-Fa-f]{2})")


_RAW_RUN = re.compile(rb"[\x80-\xff]+")


def _readable(raw: bytes) -> str:
    """Bytes for a message: UTF-8 text when they are UTF-8, else ``\\xNN`` escapes."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("ascii", "backslashreplace")


class Word(NamedTuple):
    """One encoded-word as written, with what decoding it gave.

    A named tuple rather than a frozen dataclass: every worded header of
    every message builds these, and a frozen dataclass is several times
    slower to construct.
    """

    start: int
    end: int
    charset: str
    encoding: str
    raw: bytes  #: the encoded text between the third and last "?"
    payload: bytes | None  #: decoded octets, None when the text is malformed
    error: str  #: why the word is malformed ("" when it is not)
    code: str  #: "M321" (bad text), "M322" (unknown charset) or ""


@functools.lru_cache(maxsize=256)
def _charset_ok(charset: str) -> bool:
    try:
        return codecs.lookup(charset)._is_text_encoding
    except (LookupError, ValueError):
        return False


_Examined = tuple[str, str, bytes, bytes | None, str, str]


def _examine_text(raw_charset: bytes, raw_encoding: bytes, text: bytes) -> _Examined:
    """A word's fields after its span: (charset, encoding, raw, payload, error, code)."""
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
            return (charset, encoding, text, None,
                    f"its Q text holds '{what}', which Q encoding does not allow", "M321")  # fmt: skip
        payload = binascii.a2b_qp(text, header=True)
    elif raw_encoding == b"b" or raw_encoding == b"B":
        try:
            payload = binascii.a2b_base64(text, strict_mode=True) if text else b""
        except binascii.Error as exc:
            return (charset, encoding, text, None,
                    f"its base64 text is invalid ({exc})", "M321")  # fmt: skip
    else:
        return (charset, encoding, text, None,
                f"encoding {encoding!r} is neither B nor Q", "M321")  # fmt: skip
    if not _charset_ok(charset):
        return (charset, encoding, text, payload, f"charset {charset!r} is unknown", "M322")
    try:
        payload.decode(charset)
    except UnicodeDecodeError:
        return (charset, encoding, text, payload,
                f"its bytes are not valid {charset}", "M321")  # fmt: skip
    return (charset, encoding, text, payload, "", "")


#: Tests turn this off to prove the shortcuts change no finding.
FAST_PATHS = True
#: Up to this size one isascii() over the whole message is cheaper than one
#: per header section; past it, the bodies (attachments) would dominate.
_WHOLE_TEST = 1 << 16

_new_tuple = tuple.__new__


def _examine(m: re.Match[bytes]) -> Word:
    found = _examine_text(*m.groups())
    # Word(...) without the named tuple's Python-level __new__
    return _new_tuple(Word, (*m.span(), *found))


def _words(data: bytes, start: int, end: int) -> list[Word]:
    if data.find(b"=?", start, end) < 0:
        return []
    return _words_in(data, start, end)


def _words_in(data: bytes, start: int, end: int) -> list[Word]:
    """Every encoded-word of ``data[start:end]``, examined, in order.

    A loop of searches, as ``finditer`` would match: a field holds one or
    two words, and building finditer's scanner costs more than they do.
    """
    words: list[Word] = []
    search = _WORD.search
    m = search(data, start, end)
    while m is not None:
        words.append(_examine(m))
        m = search(data, m.end(), end)
    return words


_BLANK = re.compile(rb"[ \t\r\n]*\Z")
_WSP = b" \t\r\n"


def _split_character(data: bytes, words: list[Word], i: int) -> bool:
    """Whether word ``i`` only fails because a character spans into the next."""
    w = words[i]
    if w.payload is None or w.code != "M321":
        return False
    joined = w.payload
    for nxt in words[i + 1 : i + 4]:
        if nxt.payload is None or nxt.charset.lower() != w.charset.lower():
            return False
        if not _BLANK.match(data, w.end, nxt.start) and nxt is words[i + 1]:
            return False
        joined += nxt.payload
        try:
            joined.decode(w.charset)
            return True
        except UnicodeDecodeError:
            continue
    return False


def decode_text(raw: bytes) -> str | None:
    """Header text with its encoded-words decoded (RFC 2047 §6), or None.

    White space between adjacent encoded-words is dropped (§6.2); other text
    is read as UTF-8. None when a word is malformed or is glued to other
    text, because decoders then disagree on what it says.
    """
    out: list[str] = []
    pos = 0
    pending: list[bytes] = []
    charset = ""
    try:
        for m in _WORD.finditer(raw):
            w = _examine(m)
            if w.code or w.payload is None:
                return None
            if (m.start() > 0 and raw[m.start() - 1] not in _WSP) or (
                m.end() < len(raw) and raw[m.end()] not in _WSP
            ):
                return None
            before = raw[pos : m.start()]
            adjacent = bool(pending) and not before.strip(_WSP)
            if adjacent and w.charset.lower() == charset:
                pending.append(w.payload)
            else:
                if pending:
                    out.append(b"".join(pending).decode(charset))
                if not adjacent:
                    out.append(before.decode("utf-8"))
                pending = [w.payload]
                charset = w.charset.lower()
            pos = m.end()
        if pending:
            out.append(b"".join(pending).decode(charset))
        out.append(raw[pos:].decode("utf-8"))
    except UnicodeDecodeError:
        return None
    return "".join(out)


# ------------------------------------------------- address-list units
# Where each word stands in an address field comes from the one address
# reader (mimelint.mime.addresses.address_units).
_QUOTED_PAIR = re.compile(rb"\\(.)", re.DOTALL)
_FOLDS = re.compile(rb"\r?\n")


def _phrase_text(data: bytes, unit: Unit) -> str | None:
    """What a phrase says: quotes removed, encoded-words decoded."""
    pieces: list[bytes] = []
    prev = -1
    for kind, s, e in unit.tokens:
        if prev >= 0:
            pieces.append(_FOLDS.sub(b"", data[prev:s]))
        if kind == "quoted":
            inner = data[s + 1 : e - 1] if e - s >= 2 and data[e - 1] == 0x22 else data[s + 1 : e]
            if b"=?" in inner:
                return None
            pieces.append(_QUOTED_PAIR.sub(rb"\1", inner))
        else:
            pieces.append(data[s:e])
        prev = e
    try:
        return decode_text(b"".join(pieces))
    except UnicodeDecodeError:
        return None


def _comment_text(data: bytes, unit: Unit) -> str | None:
    inner = data[unit.start + 1 : unit.end - 1]
    if data[unit.end - 1] != 0x29 or b"(" in inner or b")" in _QUOTED_PAIR.sub(b"", inner):
        return None
    try:
        return decode_text(_FOLDS.sub(b"", _QUOTED_PAIR.sub(rb"\1", inner)))
    except UnicodeDecodeError:
        return None


# ---------------------------------------------------------------- repair
def _needs_work(data: bytes, start: int, end: int) -> bool:
    if not data[start:end].isascii():
        return True
    return any(w.end - w.start > _LIMIT_WORD for w in _words(data, start, end))


def repair(message: Message, header: Header) -> bytes | None:
    """The field re-encoded correctly, or None when no safe rewrite exists.

    Unstructured text is decoded and re-encoded whole; in address fields
    only phrases and comments are re-encoded; in Content-Type and
    Content-Disposition the ``name`` and ``filename`` parameters are
    rewritten with RFC 2231. The result is folded before white space.
    """
    if header.kind != FIELD:
        return None
    data = message.data
    linesep = line_separator(message)
    try:
        data[header.value_start : header.value_end].decode("utf-8")
    except UnicodeDecodeError:
        return None
    kind = _kind(header.lname)
    if kind == "unstructured":
        text = decode_text(header.unfolded)
        if text is None:
            return None
        return encode_unstructured(header.name, text, linesep=linesep)
    edits: list[tuple[int, int, bytes]] = []
    if kind == "address":
        units = address_units(data, header.value_start, header.value_end)
        comments = [u for u in units if u.role == "comment"]
        for u in units:
            if u.role == "addr" or not _needs_work(data, u.start, u.end):
                continue
            if u.role == "phrase":
                if any(u.start < c.start < u.end for c in comments):
                    return None
                text = _phrase_text(data, u)
                if text is None:
                    return None
                edits.append((u.start, u.end, encode_phrase(text).encode("ascii")))
            else:
                text = _comment_text(data, u)
                if text is None:
                    return None
                edits.append(
                    (u.start + 1, u.end - 1, encode_phrase(text).strip('"').encode("ascii"))
                )
    elif kind == "params":
        sv = parse_structured(header.raw_value, header.value_start)
        if not data[header.value_start : sv.main_end].isascii():
            return None
        for p in sv.params:
            raw = data[p.value_start : p.value_end]
            if raw.isascii() and b"=?" not in raw:
                continue
            if p.name not in _FIXABLE_PARAMS or "*" in p.raw_name:
                return None
            value = decode_text(p.value.encode("latin-1"))
            if value is None:
                return None
            edits.append((p.start, p.end, encode_param(p.raw_name, value).encode("ascii")))
    elif kind == "keywords":
        if b'"' in header.raw_value or b"(" in header.raw_value:
            return None
        for m in re.finditer(rb"[^,]+", data[header.value_start : header.value_end]):
            item = m.group().strip(b" \t\r\n")
            if not item or item.isascii():
                continue
            text = decode_text(_FOLDS.sub(b"", item))
            if text is None:
                return None
            s = header.value_start + m.start() + m.group().index(item)
            edits.append((s, s + len(item), encode_phrase(text).encode("ascii")))
    else:
        return None
    if not edits:
        return None
    out: list[bytes] = []
    pos = header.start
    for s, e, rep in edits:
        out.append(data[pos:s])
        out.append(rep)
        pos = e
    out.append(data[pos : header.end])
    new = b"".join(out)
    if not new.endswith(b"\n"):
        new += linesep
    return fold_field(new, linesep)


def _repair_fix(message: Message, header: Header, why: str) -> Fix | None:
    new = repair(message, header)
    if new is None or new == header.raw:
        return None
    return Fix((Edit(header.start, header.end, new),), Safety.SAFE, why)


# ------------------------------------------------------------- M320
_NON_ASCII = re.compile(rb"[\x80-\xff]+")


def _runs(data: bytes, start: int, end: int) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _NON_ASCII.finditer(data, start, end)]


def _reportable_runs(message: Message, header: Header) -> tuple[list[tuple[int, int]], str]:
    """The raw non-ASCII runs this family reports, and where they sit."""
    data = message.data
    runs = _runs(data, header.value_start, header.value_end)
    kind = _kind(header.lname)
    if kind == "address":
        units = address_units(data, header.value_start, header.value_end)
        keep = [r for r in runs if any(u.role != "addr" and u.start <= r[0] < u.end for u in units)]
        return keep, "display name or comment"
    if kind == "params":
        return runs, "parameter"
    return runs, "text"


@rule(
    code="M320",
    name="unencoded-header-text",
    severity="error",
    summary="Non-ASCII text written raw in a header field",
    fix="safe",
)
def unencoded_header_text(message: Message, context: Context) -> Iterator[Problem]:
    """## What it does
    Flags non-ASCII text (valid UTF-8) written as it is in a header field:
    in unstructured fields (Subject, Comments, X-…), in display names and
    comments of address fields, in MIME parameters (``filename``, ``name``)
    and in structured fields where it can never be encoded (Message-ID,
    Received, Date, the media type of Content-Type). Bytes that are not
    UTF-8 are M101's; non-ASCII in an address itself is the address rules'.

    ## Why is this bad?
    RFC 5322 §2.2 allows only US-ASCII in header fields unless every hop
    supports SMTPUTF8 (RFC 6532). Amazon SES asks for header text to be
    encoded with RFC 2047 (display names, subject) and receivers without
    SMTPUTF8 refuse or mangle raw 8-bit headers. Parameters take RFC 2231
    extended values instead (RFC 2231 §4).

    ## Example
    ```
    Subject: Grüße aus Köln
    From: Jörg Müller <joerg@example.com>
    Content-Disposition: attachment; filename="Übersicht.pdf"
    ```

    ## Use instead
    ```
    Subject: =?utf-8?q?Gr=C3=BC=C3=9Fe?= aus =?utf-8?q?K=C3=B6ln?=
    From: =?utf-8?q?J=C3=B6rg_M=C3=BCller?= <joerg@example.com>
    Content-Disposition: attachment; filename*=utf-8''%C3%9Cbersicht.pdf
    ```

    ## Fix safety
    Safe: unstructured text and display names are re-encoded as UTF-8
    encoded-words (at most 75 characters each, whole characters only, Q or
    B whichever is shorter, lines folded) and ``name``/``filename`` with
    RFC 2231, all of which decode to exactly the same text. Addr-specs are
    never touched. Not fixable in structured fields that allow no encoding,
    in other parameters, or when the field also holds a malformed
    encoded-word.

    ## References
    RFC 5322 §2.2; RFC 2047 §2, §5; RFC 2231 §3-4; RFC 6532.
    """
    data = message.data
    if FAST_PATHS and len(data) <= _WHOLE_TEST and data.isascii():
        return  # the usual case: one C-speed test for the whole (small) message
    for part in message.parts():
        if data[part.start : part.header_end].isascii():
            continue  # then one for each header section
        for header in part.headers:
            if header.kind != FIELD or header.raw.isascii():
                continue
            try:
                data[header.value_start : header.value_end].decode("utf-8")
            except UnicodeDecodeError:
                continue  # M101 reports bytes that are not UTF-8
            runs, where = _reportable_runs(message, header)
            if not runs:
                continue
            kind = _kind(header.lname)
            if kind == "structured":
                advice = f"{header.name} allows no encoding: write it in ASCII"
            elif kind == "params":
                advice = "encode parameter values with RFC 2231 (name*=utf-8''%XX)"
            else:
                advice = "encode it as RFC 2047 encoded-words (=?utf-8?q?...?=)"
            yield Problem(
                runs[0][0],
                runs[-1][1],
                f"{header.name} holds raw non-ASCII text"
                + ("" if where == "text" else f" in its {where}")
                + f"; {advice}",
                part.path,
                None
                if kind == "structured"
                else _repair_fix(message, header, f"encode the non-ASCII text of {header.name}"),
            )


# ---------------------------------------------------- encoded-word rules
_WORDED_KEY = "_mimelint_worded_headers"
#: (position in message.parts(), field, its words): positions, not parts, as a
#: cache on the message holding the message would be a reference cycle.
_Worded = list[tuple[int, Header, list[Word]]]


def _worded_headers(message: Message) -> _Worded:
    """Every field holding encoded-words, examined once per message.

    Six rules read this list; it is cached on the message. Only the headers
    that hold ``=?`` are looked at: one search per header section finds the
    first, and the search resumes after each header it lands in.
    """
    return message.memo(_WORDED_KEY, _find_worded_headers)


def _find_worded_headers(message: Message) -> _Worded:
    found: _Worded = []
    data = message.data
    find = data.find
    for at, part in enumerate(message.parts()):
        end = part.header_end
        pos = find(b"=?", part.start, end)
        if pos < 0:
            continue
        for header in part.headers:
            if header.end <= pos:
                continue  # no "=?" starts before this header ends
            if header.kind == FIELD and header.lname not in _SIGNATURES:
                # DKIM/ARC z= tags copy headers in DKIM-quoted-printable: not words
                words = _words_in(data, header.value_start, header.value_end)
                if words:
                    found.append((at, header, words))
            pos = find(b"=?", header.end, end)
            if pos < 0:
                break
    return found


def _show(data: bytes, w: Word) -> str:
    text = _readable(data[w.start : w.end])
    return text if len(text) <= 40 else text[:37] + "..."


@rule(
    code="M321",
    name="invalid-encoded-word",
    severity="error",
    summary="An RFC 2047 encoded-word whose text cannot be decoded",
)
def invalid_encoded_word(message: Message, context: Context) -> Iterator[Problem]:
    """## What it does
    Flags an encoded-word (``=?charset?B|Q?text?=``) that does not decode:
    an encoding other than B or Q, base64 text that is not strict base64
    (bad characters, length or padding), Q text with a stray ``=``, ``?`` or
    space, decoded bytes that are not valid in the declared charset, or a
    multi-byte character split between two words.

    ## Why is this bad?
    RFC 2047 §4 defines the B and Q encodings exactly, and §5 requires each
    encoded-word to hold whole characters. Decoders differ on broken words:
    some show the raw ``=?...?=``, some replacement characters, some drop
    the text, so readers see something other than what was sent.

    ## Example
    ```
    Subject: =?utf-8?B?R3LDvMOfZQ?=
    ```

    ## Use instead
    ```
    Subject: =?utf-8?B?R3LDvMOfZQ==?=
    ```

    ## Fix safety
    Not fixable: what the sender meant is a guess.

    ## References
    RFC 2047 §2, §4, §5.
    """
    data = message.data
    parts = message.parts()
    for at, header, words in _worded_headers(message):
        part = parts[at]
        for i, w in enumerate(words):
            if w.code != "M321":
                continue
            why = w.error
            if _split_character(data, words, i):
                why = "it ends in the middle of a multi-byte character (RFC 2047 §5: each word holds whole characters)"
            yield Problem(
                w.start,
                w.end,
                f"encoded-word {_show(data, w)} in {header.name} is malformed: {why}; "
                "re-encode the text",
                part.path,
            )


@rule(
    code="M322",
    name="unknown-encoded-word-charset",
    severity="error",
    summary="An encoded-word names a charset nobody knows",
)
def unknown_encoded_word_charset(message: Message, context: Context) -> Iterator[Problem]:
    """## What it does
    Flags an encoded-word whose charset is not a known text encoding
    (``=?utf8x?q?...?=``, ``=?unknown-8bit?q?...?=``).

    ## Why is this bad?
    A decoder cannot turn the bytes into characters without knowing the
    charset (RFC 2047 §2, registered charsets per RFC 2978); readers see the
    raw encoded-word or garbage.

    ## Example
    ```
    Subject: =?utf-9?q?Gr=C3=BC=C3=9Fe?=
    ```

    ## Use instead
    ```
    Subject: =?utf-8?q?Gr=C3=BC=C3=9Fe?=
    ```

    ## Fix safety
    Not fixable: the intended charset is a guess.

    ## References
    RFC 2047 §2, §3; RFC 2978.
    """
    data = message.data
    parts = message.parts()
    for at, header, words in _worded_headers(message):
        part = parts[at]
        for w in words:
            if w.code == "M322":
                yield Problem(
                    w.start,
                    w.end,
                    f"encoded-word {_show(data, w)} in {header.name}: {w.error}; use a "
                    "registered charset such as utf-8",
                    part.path,
                )


@rule(
    code="M323",
    name="encoded-word-too-long",
    severity="error",
    summary="An encoded-word longer than 75 characters",
    fix="safe",
)
def encoded_word_too_long(message: Message, context: Context) -> Iterator[Problem]:
    """## What it does
    Flags an encoded-word longer than 75 characters, delimiters included.

    ## Why is this bad?
    RFC 2047 §2: "An 'encoded-word' may not be more than 75 characters
    long". Longer text must be split into several words separated by white
    space; some decoders refuse long words and show them raw.

    ## Example
    ```
    Subject: =?utf-8?q?Eine_sehr_lange_Betreffzeile_mit_=C3=9Cberl=C3=A4nge_und_mehr_Text?=
    ```

    ## Use instead
    ```
    Subject: =?utf-8?q?Eine_sehr_lange_Betreffzeile_mit_=C3=9Cberl=C3=A4nge_?=
     =?utf-8?q?und_mehr_Text?=
    ```

    ## Fix safety
    Safe in unstructured fields, display names, comments and
    ``name``/``filename`` parameters: the field is decoded and re-encoded
    with words of at most 75 characters that decode to the same text. Not
    fixable elsewhere, or when a word of the field is malformed.

    ## References
    RFC 2047 §2, §5.
    """
    parts = message.parts()
    for at, header, words in _worded_headers(message):
        part = parts[at]
        fixed = False
        for w in words:
            if w.end - w.start <= _LIMIT_WORD:
                continue
            fix = None
            if not fixed:
                fix = _repair_fix(message, header, f"split the encoded-words of {header.name}")
                fixed = True
            yield Problem(
                w.start,
                w.end,
                f"encoded-word in {header.name} is {w.end - w.start} characters long, over "
                f"RFC 2047's limit of {_LIMIT_WORD}; split the text into several words",
                part.path,
                fix,
            )


@rule(
    code="M324",
    name="encoded-word-line-too-long",
    severity="warning",
    summary="A header line holding encoded-words is longer than 76 characters",
)
def encoded_word_line_too_long(message: Message, context: Context) -> Iterator[Problem]:
    """## What it does
    Flags a physical header line that holds at least one encoded-word and is
    longer than 76 characters. The span covers the characters past the 76th.

    ## Why is this bad?
    RFC 2047 §2 limits each line of a field holding encoded-words to 76
    characters, so that old decoders and gateways do not break the words.

    ## Example
    ```
    Subject: =?utf-8?q?Gr=C3=BC=C3=9Fe?= aus =?utf-8?q?K=C3=B6ln?= und viel mehr Text dazu
    ```

    ## Use instead
    ```
    Subject: =?utf-8?q?Gr=C3=BC=C3=9Fe?= aus =?utf-8?q?K=C3=B6ln?= und viel mehr
     Text dazu
    ```

    The usual source is Python's ``email`` package: ``policy.default``,
    ``policy.SMTP`` and ``policy.SMTPUTF8`` fold at ``max_line_length=78``
    (RFC 5322 §2.1.1's general limit), so every long non-ASCII Subject they
    write has encoded-word lines of 77-78 characters. The message names
    this cause for such lines; the cure at the source is
    ``policy.default.clone(max_line_length=76)``.

    ## Fix safety
    Not fixed: the long line is usually a single encoded-word with no white
    space to fold at, so a fix would have to re-encode the words, and the
    shared encoder folds at 78. Most readers accept 78-character lines, so
    this stays a warning; fix it at the source as above.

    ## References
    RFC 2047 §2; RFC 5322 §2.1.1, §2.2.3.
    """
    data = message.data
    parts = message.parts()
    for at, header, words in _worded_headers(message):
        part = parts[at]
        if header.end - header.start <= _LIMIT_LINE:
            continue  # no line of the field can be longer than the field
        seen: set[int] = set()
        for w in words:
            line_start = data.rfind(b"\n", header.start, w.start) + 1 or header.start
            if line_start in seen:
                continue
            seen.add(line_start)
            nl = data.find(b"\n", w.end, header.end)
            line_end = header.end if nl < 0 else nl
            if line_end > line_start and data[line_end - 1] == 13:
                line_end -= 1
            length = line_end - line_start
            if length > _LIMIT_LINE:
                cause = (
                    " (Python's email folds at 78 by default: build the message with "
                    "policy.clone(max_line_length=76))"
                    if length <= _PYTHON_WIDTH
                    else ""
                )
                yield Problem(
                    line_start + _LIMIT_LINE,
                    line_end,
                    f"a line of {header.name} holding encoded-words is {length} characters "
                    f"long, over RFC 2047's {_LIMIT_LINE}; fold it before white space or use "
                    f"shorter encoded-words{cause}",
                    part.path,
                )


@rule(
    code="M325",
    name="misplaced-encoded-word",
    severity="warning",
    summary="An encoded-word where RFC 2047 does not allow one",
)
def misplaced_encoded_word(message: Message, context: Context) -> Iterator[Problem]:
    """## What it does
    Flags an encoded-word inside a quoted-string (``"=?utf-8?q?...?=" <a@b>``),
    inside an addr-spec, in the media type of Content-Type or
    Content-Disposition, or in a structured field that allows none
    (Received, Message-ID, In-Reply-To, References, Date, Content-ID,
    Content-Transfer-Encoding, MIME-Version).

    ## Why is this bad?
    RFC 2047 §5 allows encoded-words only in unstructured text, comments and
    phrases, and says they "MUST NOT appear within a 'quoted-string'" or in
    an addr-spec. Conforming decoders show such words raw; others decode
    them, so recipients see different names.

    ## Example
    ```
    From: "=?utf-8?q?J=C3=B6rg?=" <joerg@example.com>
    ```

    ## Use instead
    ```
    From: =?utf-8?q?J=C3=B6rg?= <joerg@example.com>
    ```

    ## Fix safety
    Not fixable: whether readers should see the decoded or the literal text
    is exactly what decoders disagree on.

    ## References
    RFC 2047 §5; RFC 5322 §3.4.
    """
    data = message.data
    parts = message.parts()
    for at, header, words in _worded_headers(message):
        part = parts[at]
        kind = _kind(header.lname)
        if kind == "unstructured" or kind == "keywords":
            continue  # words are allowed anywhere in these
        units: list[Unit] = []
        if kind == "address":
            units = address_units(data, header.value_start, header.value_end)
        main_end = -1
        if kind == "params":
            main_end = parse_structured(header.raw_value, header.value_start).main_end
        for w in words:
            where = ""
            if kind == "structured" and header.lname in _NO_WORDS:
                where = f"in {header.name}, a structured field"
            elif kind == "params" and w.start < main_end:
                where = f"in the media type of {header.name}"
            elif kind == "address":
                for u in units:
                    if u.start <= w.start < u.end:
                        if u.role == "addr":
                            where = "inside an address (addr-spec)"
                        elif u.role == "phrase" and any(
                            t[0] == "quoted" and t[1] <= w.start < t[2] for t in u.tokens
                        ):
                            where = "inside a quoted-string"
                        break
            if where:
                yield Problem(
                    w.start,
                    w.end,
                    f"encoded-word {_show(data, w)} sits {where}, where RFC 2047 §5 forbids "
                    "encoded-words and decoders disagree; write it where allowed (an unquoted "
                    "display name) or in plain ASCII",
                    part.path,
                )


def _has_rfc2231_filename(part: Part) -> bool:
    """Whether the part's Content-Disposition carries ``filename*`` (RFC 2231)."""
    sv = part.disposition_value
    return sv is not None and any(p.name == "filename" and "*" in p.raw_name for p in sv.params)


def _fallback_fix(message: Message, part: Part) -> Fix | None:
    """Add ``filename*`` (RFC 2231) to Content-Disposition, keeping every old parameter.

    The encoded-words stay where they are as the fallback that clients
    without RFC 2231 read (old Outlook, Lotus Notes, many webmail and mobile
    clients); RFC 2231 readers take ``filename*``. A name that decodes to
    plain ASCII needs no fallback and is written as a quoted-string instead.
    None when there is no Content-Disposition (adding one would change how
    the part is shown), when its filename is plain text (the two names
    disagree and the fix would pick one), or when a word is malformed.
    """
    cd = part.header("content-disposition")
    sv = part.disposition_value
    if cd is None or cd.kind != FIELD or sv is None or sv.defects:
        return None
    data = message.data
    holder: Header | None = cd
    source = next((p for p in sv.params if p.name == "filename"), None)
    if source is None:
        holder = part.header("content-type")
        ct = part.content_type_value
        source = next((p for p in ct.params if p.name == "name"), None) if ct else None
    if source is None or holder is None or "*" in source.raw_name:
        return None
    raw = data[source.value_start : source.value_end]
    if b"=?" not in raw:
        return None
    value = decode_text(source.value.encode("latin-1"))
    if value is None:
        return None
    if _ASCII_NAME.match(value):
        return _repair_fix(message, holder, "write the plain ASCII name without encoded-words")
    at = sv.params[-1].end if sv.params else sv.main_end
    linesep = line_separator(message)
    new = (
        data[cd.start : at]
        + b"; "
        + encode_param("filename", value).encode("ascii")
        + data[at : cd.end]
    )
    if not new.endswith(b"\n"):
        new += linesep
    return Fix(
        (Edit(cd.start, cd.end, fold_field(new, linesep, _LIMIT_LINE)),),
        Safety.SAFE,
        "add filename* (RFC 2231) beside the encoded-word fallback",
    )


_ASCII_NAME = re.compile(r"[ -~]*\Z")


@rule(
    code="M326",
    name="encoded-word-in-parameter",
    severity="info",
    summary="An RFC 2047 encoded-word in a MIME parameter value with no RFC 2231 twin",
    fix="safe",
)
def encoded_word_in_parameter(message: Message, context: Context) -> Iterator[Problem]:
    """## What it does
    Flags an encoded-word inside a Content-Type or Content-Disposition
    parameter value (``filename="=?utf-8?B?w5xiZXJzaWNodC5wZGY=?="``) when
    the part gives no RFC 2231 form of the file name beside it. A ``name``
    or ``filename`` written with encoded-words is not reported when the
    part's Content-Disposition also carries ``filename*=`` (RFC 2231): that
    is the pair Thunderbird writes, and the encoded-word is then a
    deliberate fallback for clients that do not read RFC 2231.

    ## Why is this bad?
    RFC 2047 §5 says an encoded-word "MUST NOT be used in parameter of a
    MIME Content-Type or Content-Disposition field"; RFC 2231 is the
    standard way to write non-ASCII parameter values. In practice Gmail,
    Outlook and Thunderbird all write ``name="=?UTF-8?B?...?="`` and every
    major client decodes it, which is why this is only ``info``: it is a
    standards-letter issue. Strict RFC 2231-only readers (nmh, some
    libraries) show the attachment named ``=?utf-8?B?...?=``, while old
    Outlook, Lotus Notes and many webmail and mobile clients read no RFC
    2231 at all, so the interoperable form carries both (as mutt and
    Thunderbird do; HTTP's RFC 6266 §4.3 recommends the same pair of
    ``filename`` and ``filename*``, the starred one taking precedence).

    ## Example
    ```
    Content-Type: application/pdf; name="=?utf-8?B?w5xiZXJzaWNodC5wZGY=?="
    Content-Disposition: attachment; filename="=?utf-8?B?w5xiZXJzaWNodC5wZGY=?="
    ```

    ## Use instead
    ```
    Content-Type: application/pdf; name="=?utf-8?B?w5xiZXJzaWNodC5wZGY=?="
    Content-Disposition: attachment; filename="=?utf-8?B?w5xiZXJzaWNodC5wZGY=?=";
     filename*=utf-8''%C3%9Cbersicht.pdf
    ```

    ## Fix safety
    Safe: ``filename*=`` with the decoded name is added to the
    Content-Disposition, and the encoded-words stay as the fallback old
    clients read, so every reader shows the same name as before. A name
    that decodes to plain ASCII is written as an ordinary quoted-string
    instead. Not fixable when the part has no Content-Disposition (adding
    one could change whether it shows inline), when the Content-Disposition
    filename is plain text that differs from the encoded name, for other
    parameters, or when a word is malformed.

    ## References
    RFC 2047 §5; RFC 2231 §3-4; RFC 2183 §2.3; RFC 6266 §4.3 (the same
    fallback pair in HTTP).
    """
    parts = message.parts()
    for at, header, words in _worded_headers(message):
        part = parts[at]
        if _kind(header.lname) != "params":
            continue
        twin: bool | None = None
        sv = parse_structured(header.raw_value, header.value_start)
        for p in sv.params:
            inside = [w for w in words if p.value_start <= w.start < p.value_end]
            if not inside or "*" in p.raw_name:
                continue
            fix = None
            if p.name in _FIXABLE_PARAMS:
                if twin is None:
                    twin = _has_rfc2231_filename(part)
                if twin:
                    continue  # the fallback beside an RFC 2231 filename*
                fix = _fallback_fix(message, part)
            yield Problem(
                inside[0].start,
                inside[-1].end,
                f"parameter {p.raw_name} of {header.name} holds an RFC 2047 encoded-word, which "
                "RFC 2047 §5 forbids in parameters; most clients read it, strict ones do not: "
                "add filename*=utf-8''%XX (RFC 2231) to Content-Disposition and keep the "
                "encoded-word as the fallback",
                part.path,
                fix,
            )


RULES = [
    unencoded_header_text,
    invalid_encoded_word,
    unknown_encoded_word_charset,
    encoded_word_too_long,
    encoded_word_line_too_long,
    misplaced_encoded_word,
    encoded_word_in_parameter,
]
