"""The proof that a fix lost nothing: compare two readings, by two readers.

"Same content" means what a reader's client shows, compared part by part
(parts are matched by their IMAP section path, so the tree's shape must
not change):

- the tree: the same parts, multipart or leaf, with the same number of
  children and embedded messages, and the same media types;
- every leaf's content: non-text parts, the exact bytes after transfer
  decoding; text parts, the same bytes after transfer decoding when the
  charset is unchanged, else the same text after strict charset decoding;
  either way with CRLF and bare CR read as LF (RFC 2046 §4.1.1 makes CRLF
  the canonical line break of text; a fix may canonicalise line breaks but
  not remove or add one);
- the Content-Type and Content-Disposition parameters, RFC 2231 and 2047
  decoded, except ``boundary`` (renaming it is a fix) and, for text whose
  text is proven equal, ``charset``;
- every header's decoded value: RFC 2047 decoded, unfolded, runs of blanks
  read as one space (RFC 5322 §3.2.2), compared per field name in order;
  address fields compare display names (decoded) and addresses with the
  domain lower-cased and IDNA A-labels read as U-labels (a domain fix
  writes ``xn--`` labels). Allowed differences: Content-Transfer-Encoding
  (re-encoding changes it), a MIME-Version added where there was none, and
  identical duplicate fields removed. Preamble and epilogue are not
  compared: readers never see them.

That is mimelint's reading. A safe fix must also pass a second,
independent reader, the standard library's ``email`` package (``read_stdlib``,
``prove_stdlib``, below): the same content before and after as it reads it.
And where the two readers disagree about the input's structure or header
extent (``disagreements``, also rule M901), no fix is safe at all.

With unsafe fixes, the headers and bodies their edits touched may change
(that is what makes them unsafe); everything else must still match. An
unsafe edit of a multipart's delimiter lines (M202's fix, which takes the
nesting the author declared) may regroup the parts below that multipart:
they are not compared then. One
content change is allowed then too: when an unsafe edit of a text part's
Content-Type declares a charset on 8-bit text that had none (or
``us-ascii``), the bytes after transfer decoding must be identical and
decode strictly in the new charset (M732's fix).
"""

from __future__ import annotations

import bisect
import dataclasses
import functools
import hashlib
import re
from collections.abc import Iterable
from email.utils import getaddresses
from typing import Any

from mimelint.mime.charsets import codec_for
from mimelint.mime.tree import (
    BAD_NAME,
    CONTINUATION_FIRST,
    EMPTY_NAME,
    ENVELOPE,
    FIELD,
    NO_COLON,
    DefectKind,
    Header,
    Message,
    Part,
    decode_words,
)

Span = tuple[int, int]

ADDRESS_FIELDS = frozenset(
    [
        "from",
        "sender",
        "reply-to",
        "to",
        "cc",
        "bcc",
        "resent-from",
        "resent-sender",
        "resent-to",
        "resent-cc",
        "resent-bcc",
        "return-path",
        "disposition-notification-to",
        "errors-to",
    ]
)
_BLANKS = re.compile(r"[ \t\r\n]+")
# Content-Type and Content-Disposition are compared parsed (type, decoded
# parameters), so their spelling may change; the transfer encoding may too.
_NO_COMPARE = frozenset({"content-transfer-encoding", "content-type", "content-disposition"})


class Spans:
    """Spans (start, end) to test other spans against, in log time.

    ``touches(start, end)`` tells whether any span shares a point with
    ``[start, end]``, ends included (an insertion at a header's edge
    touches it). The spans are sorted by start with a running maximum of
    their ends: the spans that start at or before ``end`` are a prefix of
    that order, and one of them reaches ``start`` exactly when the largest
    end in the prefix does. One bisect per test, where a scan of every span
    for every header made a message with many unsafe edits quadratic.
    """

    __slots__ = ("_max_end", "_starts")

    def __init__(self, spans: Iterable[Span] = ()) -> None:
        ordered = sorted(spans)
        self._starts = [s for s, _ in ordered]
        self._max_end: list[int] = []
        reach = -1
        for _, e in ordered:
            reach = max(reach, e)
            self._max_end.append(reach)

    def __bool__(self) -> bool:
        return bool(self._starts)

    def touches(self, start: int, end: int) -> bool:
        """Does any span ``(s, e)`` have ``s <= end`` and ``start <= e``?"""
        k = bisect.bisect_right(self._starts, end)
        return k > 0 and self._max_end[k - 1] >= start


def _blanks(text: str) -> str:
    return _BLANKS.sub(" ", text).strip(" ")


def _domain(domain: str) -> str:
    labels = domain.strip().lower().split(".")
    out = []
    for label in labels:
        if label.startswith("xn--"):
            try:
                import idna

                label = idna.decode(label)
            except (ImportError, UnicodeError, ValueError):
                try:
                    label = label.encode("ascii").decode("idna")
                except UnicodeError:
                    pass
        out.append(label)
    return ".".join(out)


def _addresses(text: str) -> str:
    pairs = getaddresses([text])
    out = []
    for name, addr in pairs:
        local, at, domain = addr.rpartition("@")
        if at:
            addr = f"{local}@{_domain(domain)}"
        out.append(f"{_blanks(decode_words(name))} <{addr}>")
    return ", ".join(out)


def header_value(header: Header) -> str:
    """A header's value as a reader sees it, normalised for comparison."""
    text = header.value
    if header.lname in ADDRESS_FIELDS:
        return _addresses(text)
    return _blanks(decode_words(text))


def _header_groups(part: Part, touched: Spans, drop_mime_version: bool) -> dict[str, list[str]]:
    groups: dict[str, list[str]] = {}
    for h in part.headers:
        if touched and touched.touches(h.start, h.end):
            continue
        if h.lname in _NO_COMPARE or (drop_mime_version and h.lname == "mime-version"):
            continue
        if h.kind == ENVELOPE:  # an mbox "From " line is storage, not content
            continue
        name = h.lname if h.colon >= 0 else f"({h.kind} line)"
        value = header_value(h) if h.colon >= 0 else h.raw.decode("latin-1").strip()
        values = groups.setdefault(name, [])
        if value not in values:  # identical duplicates may be removed by a fix
            values.append(value)
    return groups


def _compare_headers(a: Part, b: Part, old: Spans, new: Spans) -> str | None:
    added_version = a.header("mime-version") is None and b.header("mime-version") is not None
    ga = _header_groups(a, old, False)
    gb = _header_groups(b, new, added_version)
    for name in sorted(ga.keys() | gb.keys()):
        va, vb = ga.get(name), gb.get(name)
        if va == vb:
            continue
        shown = _display_name(a, b, name)
        if vb is None:
            return f"header {shown} was removed"
        if va is None:
            return f"header {shown} was added: {vb[0]!r}"
        for x, y in zip(va, vb, strict=False):
            if x != y:
                return f"header {shown} changed from {x!r} to {y!r}"
        return f"header {shown} occurs {len(va)} times before, {len(vb)} after"
    return None


def _display_name(a: Part, b: Part, lname: str) -> str:
    for h in (*a.headers, *b.headers):
        if h.lname == lname:
            return h.name
    return lname


def _params(part: Part, which: str, drop: frozenset[str]) -> dict[str, str]:
    sv = part.content_type_value if which == "type" else part.disposition_value
    if sv is None:
        return {}
    out: dict[str, str] = {}
    for name in sorted({p.name for p in sv.params} - drop):
        value = sv.get(name) or ""
        if not value.isascii():
            # Raw 8-bit parameters are read one byte per character; a
            # reader's client takes them as UTF-8 when they are.
            try:
                value = value.encode("latin-1").decode("utf-8")
            except UnicodeError:
                pass
        if name in ("name", "filename"):
            value = decode_words(value)
        elif name == "charset":
            value = value.strip().lower()
        out[name] = value
    return out


def _codec(charset: str | None) -> str | None:
    # As clients read the label (WHATWG labels, CJK supersets), as Part.text does.
    return codec_for(charset or "us-ascii")


def _lines(data: bytes) -> bytes:
    return data.replace(b"\r\n", b"\n").replace(b"\r", b"\n")


def _declares_undefined_text(a: Part, b: Part) -> bool:
    """Does ``b`` declare a charset for the 8-bit text ``a`` left undefined?

    The one charset change an unsafe fix may make (M732 declares
    ``charset=utf-8`` on text that decodes as UTF-8): ``a`` had no charset
    or ``us-ascii`` yet holds 8-bit bytes, so its text had no defined
    meaning; ``b`` holds exactly the same bytes and they decode strictly in
    its charset. Which text the sender meant is the guess that makes the fix
    unsafe; that nothing else changed is still checked.
    """
    if _codec(a.charset) != "ascii":  # none declared reads as us-ascii
        return False
    pa, pb = a.payload, b.payload
    cb = _codec(b.charset)
    if pa.isascii() or pa != pb or cb is None or cb == "ascii":
        return False
    try:
        pb.decode(cb)
    except (UnicodeError, LookupError):
        return False
    return True


def _compare_content(a: Part, b: Part, declared: bool = False) -> tuple[str | None, bool]:
    """(difference, charset may differ) for two leaf parts.

    ``declared``: an unsafe edit touched the new part's Content-Type, so a
    charset declared on undefined 8-bit text is allowed.
    """
    pa, pb = a.payload, b.payload
    if a.maintype != "text":
        if pa != pb:
            return (
                f"content differs after transfer decoding ({len(pa)} bytes before, {len(pb)} after)",
                False,
            )
        return None, False
    ca, cb = _codec(a.charset), _codec(b.charset)
    if ca == cb:
        if pa != pb and _lines(pa) != _lines(pb):
            return (
                f"text differs after transfer decoding ({len(pa)} bytes before, {len(pb)} after)",
                False,
            )
        return None, False
    if declared and _declares_undefined_text(a, b):
        return None, True
    if ca is None or cb is None:
        return f"charset changed from {a.charset!r} to {b.charset!r}", False
    try:
        ta, tb = pa.decode(ca), pb.decode(cb)
    except (UnicodeError, LookupError):
        return (
            f"charset changed from {a.charset!r} to {b.charset!r} and the text does not decode",
            False,
        )
    if _lines(ta.encode("utf-8", "surrogatepass")) != _lines(tb.encode("utf-8", "surrogatepass")):
        return "text differs after charset decoding", False
    return None, True


def _regrouped(part: Part, touched: Spans) -> bool:
    """Whether unsafe edits rewrote a delimiter line of this multipart (M202's fix).

    Such a fix regroups the parts below on purpose; the multipart's own
    headers are still compared, the parts below it are not.
    """
    return bool(touched) and any(touched.touches(d.dash, d.end) for d in part.delimiters)


def _compare_part(a: Part, b: Part, old: Spans, new: Spans, regrouped: bool = False) -> str | None:
    if a.is_multipart != b.is_multipart or (not regrouped and len(a.children) != len(b.children)):
        return f"structure changed ({len(a.children)} child parts before, {len(b.children)} after)"
    if (a.embedded is None) != (b.embedded is None):
        return "embedded message appeared or disappeared"
    difference = _compare_headers(a, b, old, new)
    if difference is not None:
        return difference
    ct_touched = _header_touched(a, old, "content-type") or _header_touched(b, new, "content-type")
    cd_touched = _header_touched(a, old, "content-disposition") or _header_touched(
        b, new, "content-disposition"
    )
    charset_free = False
    if a.is_leaf and not (
        old.touches(a.body_start, a.body_end) or new.touches(b.body_start, b.body_end)
    ):
        declared = _header_touched(b, new, "content-type")
        difference, charset_free = _compare_content(a, b, declared)
        if difference is not None:
            return difference
    if not ct_touched:
        if a.content_type != b.content_type:
            return f"content type changed from {a.content_type} to {b.content_type}"
        drop = frozenset({"boundary", "charset"} if charset_free else {"boundary"})
        pa, pb = _params(a, "type", drop), _params(b, "type", drop)
        if pa != pb:
            return f"Content-Type parameters changed from {pa} to {pb}"
    if not cd_touched:
        da = a.disposition_value.main.lower() if a.disposition_value else ""
        db = b.disposition_value.main.lower() if b.disposition_value else ""
        if da != db:
            return f"disposition changed from {da!r} to {db!r}"
        pa, pb = _params(a, "disposition", frozenset()), _params(b, "disposition", frozenset())
        if pa != pb:
            return f"Content-Disposition parameters changed from {pa} to {pb}"
    if not (ct_touched or cd_touched) and a.filename != b.filename:
        return f"filename changed from {a.filename!r} to {b.filename!r}"
    return None


def _header_touched(part: Part, spans: Spans, name: str) -> bool:
    return bool(spans) and any(spans.touches(h.start, h.end) for h in part.headers_named(name))


# What a part caches when its body is read (see ``tree.lazy``): released by
# the proof once a pair of parts is compared.
_CACHED = ("payload", "text")


def _release(part: Part) -> None:
    """Drop a part's decoded body; it is decoded again if anyone asks."""
    cache = vars(part)
    for name in _CACHED:
        cache.pop(name, None)


def release(message: Part) -> None:
    """Drop the decoded bodies every part of a tree has cached.

    The fix engine calls it on a tree it keeps only for the final proof,
    and on trees it is done with while something may still refer to them,
    so that their decoded payloads do not outlive their use.
    """
    for part in message.walk():
        _release(part)


def prove(
    old: Part,
    new: Part,
    old_touched: list[Span] | None = None,
    new_touched: list[Span] | None = None,
    *,
    release: bool = False,
) -> str | None:
    """The first difference a reader would see between two messages, or None.

    ``old_touched``/``new_touched`` are the spans unsafe edits covered, in
    each message's offsets: headers and bodies within them may differ.
    The answer names the part (IMAP section; "message" for the top) and
    what differs. With ``release``, each pair of parts drops its decoded
    bodies once compared, so at most one pair of payloads is held at a
    time on top of what the trees already cached (the fix engine's memory
    bound on large messages); reading them again decodes them again.
    """
    old_spans = Spans(old_touched or ())
    new_spans = Spans(new_touched or ())
    stack: list[tuple[Part, Part]] = [(old, new)]
    while stack:
        a, b = stack.pop()
        regrouped = _regrouped(a, old_spans) or _regrouped(b, new_spans)
        difference = _compare_part(a, b, old_spans, new_spans, regrouped)
        if release:
            _release(a)
            _release(b)
        if difference is not None:
            return f"part {a.path or 'message'}: {difference}"
        if regrouped:
            continue
        below_a = a.children or ([a.embedded] if a.embedded else [])
        below_b = b.children or ([b.embedded] if b.embedded else [])
        stack.extend(reversed(list(zip(below_a, below_b, strict=True))))
    return None


# =================================================================== the second reader
#
# mimelint's reader judging its own fixes cannot notice where another reader
# reads the input differently: a fix then rewrites the message into
# mimelint's reading. So the proof asks a second, independent reader too,
# the standard library's ``email`` package: ``policy.compat32`` for the
# structure and the payloads (its parser is the one every Python program
# reading mail uses), ``policy.default``'s header objects for header values,
# parameters and file names. Its reading is reduced to a :class:`Seen` tree
# (mimelint's tree is compared with it directly); bodies are kept as
# digests, so a reading holds no copy of the message once the standard
# library's own tree is dropped.

#: The body of these ``message/*`` types is not one message to the standard
#: library (delivery-status is a list of field blocks) or not to mimelint
#: (partial, external-body, disposition-notification...): neither reader's
#: view below them is compared.
_EMBEDDING = frozenset({"message/rfc822", "message/global"})
_IDENTITY = frozenset({"7bit", "8bit", "binary"})
_CHUNK = 1 << 16


class ReaderError(Exception):
    """The standard library could not read a message: the readers cannot be compared."""


@dataclasses.dataclass(slots=True)
class Seen:
    """One part as a reader sees it (structure always; content on request).

    ``kind``: ``multipart``, ``message`` (an embedded message: its one child
    is that message), ``opaque`` (another ``message/*`` type: not looked
    into) or ``leaf``. ``fields``: the header field names the reader takes
    as fields, lower case, in order. ``cut_short``: the reader met a line
    in the header section that ended it without a blank line (what follows
    is body text to it).
    """

    path: str
    content_type: str
    kind: str
    children: list[Seen]
    closed: bool = True
    boundary: str | None = None
    fields: list[str] = dataclasses.field(default_factory=list)
    cut_short: bool = False
    # content, read only for the proof. Header values are kept raw and
    # decoded only where the two messages' raw values differ (decoding
    # through policy.default costs more than the whole parse).
    headers: dict[str, list[tuple[str, str]]] = dataclasses.field(default_factory=dict)
    raw_type: str | None = None
    raw_disposition: str | None = None
    charset: str | None = None
    body: bytes = b""  #: digest of the payload (text: line breaks read as LF)
    body_cut: bytes = b""  #: the same with one final line break removed
    text: bytes = b""  #: digest of the text decoded in its charset (text leaves)
    ends_unclosed: bool = False  #: last part of a multipart whose close delimiter is missing


def _utf8(text: str) -> str:
    """Raw 8-bit bytes (surrogate-escaped) read as UTF-8 where they are, as clients do."""
    if text.isascii():
        return text
    try:
        raw = text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        return text
    return raw.decode("utf-8", "replace")


def _digest(data: bytes | memoryview) -> bytes:
    """A body's SHA-256 and its length (for the refusal's message)."""
    return hashlib.sha256(data).digest() + len(data).to_bytes(8, "big")


def _size(digest: bytes) -> int:
    return int.from_bytes(digest[32:], "big")


def _break_start(data: bytes, end: int) -> int:
    """Where the line break that ends ``data[:end]`` starts (``end`` if none)."""
    if data.endswith(b"\r\n", 0, end):
        return end - 2
    if data.endswith((b"\n", b"\r"), 0, end):
        return end - 1
    return end


def _strip_break(data: bytes) -> bytes:
    if data.endswith(b"\r\n"):
        return data[:-2]
    if data.endswith((b"\n", b"\r")):
        return data[:-1]
    return data


@functools.cache
def _digesting_class(content: bool) -> Any:
    """A compat32 message class that digests each body as the parser sets it.

    The standard library's parser joins a part's body and hands it to
    ``set_payload``; this class reads it there, with the standard library's
    own decoder (``get_payload(decode=True)``), keeps digests (``content``)
    and only the body's last two characters. The parser strips the line
    break before a delimiter from that tail afterwards, which tells which
    digest is its reading. So a reading holds about one part's body at a
    time, not the whole message as lines and strings. One class per
    ``content``, made once: it holds no state of any message.
    """
    from email.message import Message as StdMessage

    class Digesting(StdMessage):
        ml_tail: str | None = None
        ml_digests: tuple[bytes, ...] = ()

        def set_payload(self, payload: Any, charset: Any = None) -> None:
            super().set_payload(payload, charset)
            if not isinstance(payload, str):
                return
            if content:
                self.ml_digests = _body_digests(self)
            self.ml_tail = payload[-2:]
            self._payload = self.ml_tail

    return Digesting


def _body_digests(msg: Any) -> tuple[bytes, ...]:
    """(held, held less one more line break, text held, text less one break) digests.

    "Held": the body less the one line break the parser strips before a
    delimiter (it strips it from the last part of an unclosed multipart too).
    """
    text = msg.get_content_maintype() == "text"
    base64 = str(msg.get("content-transfer-encoding", "")).strip().lower() == "base64"
    if base64 and not text and _clean_base64(msg._payload):
        # What get_payload(decode=True) gives (line breaks removed, then
        # decoded), in pieces, without its copies of a large attachment.
        whole, less = _digest_base64(msg._payload)
        return (whole, whole, less)
    payload = msg.get_payload(decode=True)
    data = payload if isinstance(payload, bytes) else b""
    del payload
    if text:
        data = _lines(data)
    view = memoryview(data)
    if base64:
        cut = len(data)  # the line break the parser strips decodes to nothing
        again = _break_start(data, cut)
    else:
        cut = _break_start(data, len(data))
        again = _break_start(data, cut)
    digests = [_digest(view), _digest(view[:cut]), _digest(view[:again])]
    if text:
        charset = msg.get_content_charset() or "us-ascii"
        for end in (len(data), cut):
            try:
                decoded = str(view[:end], charset, "replace")
            except LookupError:
                digests.append(b"")
                continue
            digests.append(_digest(decoded.encode("utf-8", "surrogatepass")))
            del decoded
    return tuple(digests)


_BASE64_TEXT = re.compile(r"[A-Za-z0-9+/=\r\n]*")


def _clean_base64(payload: str) -> bool:
    """Alphabet and line breaks only, padding at the end only, whole quanta."""
    if _BASE64_TEXT.fullmatch(payload) is None:
        return False
    end = len(payload)
    while end and payload[end - 1] in "\r\n":
        end -= 1
    bare = end
    while bare and payload[bare - 1] == "=":
        bare -= 1
    if end - bare > 2 or payload.find("=", 0, bare) >= 0:
        return False
    return (end - payload.count("\n", 0, end) - payload.count("\r", 0, end)) % 4 == 0


def _digest_base64(payload: str) -> tuple[bytes, bytes]:
    """Digests of the decoded bytes, and of them less one final line break."""
    import binascii

    whole, less = hashlib.sha256(), hashlib.sha256()
    size = less_size = 0
    pos, n = 0, len(payload)
    carry = ""
    pending = b""  # the last two decoded bytes, held back from ``less``
    while pos < n:
        piece = carry + payload[pos : pos + _CHUNK].replace("\r", "").replace("\n", "")
        pos += _CHUNK
        keep = len(piece) - len(piece) % 4 if pos < n else len(piece)
        decoded = binascii.a2b_base64(piece[:keep])
        carry = piece[keep:]
        whole.update(decoded)
        size += len(decoded)
        joined = pending + decoded
        less.update(joined[:-2])
        less_size += len(joined[:-2])
        pending = joined[-2:]
    tail = _strip_break(pending)
    less.update(tail)
    less_size += len(tail)
    return (
        whole.digest() + size.to_bytes(8, "big"),
        less.digest() + less_size.to_bytes(8, "big"),
    )


def _stdlib_parse(data: bytes, content: bool) -> Any:
    from email import policy
    from email.parser import BytesFeedParser

    parser = BytesFeedParser(_factory=_digesting_class(content), policy=policy.compat32)
    view = memoryview(data)
    for at in range(0, len(data), _CHUNK):  # fed in pieces: no whole-message str copy
        parser.feed(bytes(view[at : at + _CHUNK]))
    return parser.close()


def _std_params(header: Any) -> dict[str, str]:
    params = getattr(header, "params", None) or {}
    return {str(k).lower(): _utf8(str(v)) for k, v in params.items()}


def _std_address(header: Any) -> str:
    out = []
    for a in header.addresses:
        # Python 3.11 keeps the white space between adjacent encoded-words
        # of a display name (RFC 2047 §6.2 drops it): compare names without
        # white space in this reader; mimelint's reader compares them exactly.
        name = "".join(_utf8(a.display_name).split())
        domain = _domain(_utf8(a.domain)) if a.domain else ""
        out.append(f"{name} <{_utf8(a.username)}@{domain}>")
    return ", ".join(out)


def _std_headers(msg: Any, seen: Seen) -> None:
    groups: dict[str, list[tuple[str, str]]] = {}
    for name, raw in msg.raw_items():
        lname = name.strip().lower()
        if lname == "content-type" and seen.raw_type is None:
            seen.raw_type = str(raw)
        elif lname == "content-disposition" and seen.raw_disposition is None:
            seen.raw_disposition = str(raw)
        if lname in _NO_COMPARE:
            continue
        values = groups.setdefault(lname, [])
        if (name, str(raw)) not in values:
            values.append((name, str(raw)))
    seen.headers = groups


def _std_value(name: str, raw: str) -> str:
    """A field's value as ``policy.default`` reads it, normalised for comparison."""
    from email import policy

    header = policy.default.header_fetch_parse(name, raw)
    if hasattr(header, "addresses"):
        return _std_address(header)
    return _blanks(_utf8(str(header)))


def _std_values(pairs: list[tuple[str, str]]) -> list[str]:
    values: list[str] = []
    for name, raw in pairs:
        value = _std_value(name, raw)
        if value not in values:  # identical duplicates count once
            values.append(value)
    return values


@dataclasses.dataclass(slots=True)
class _Mime:
    """Content-Type parameters, disposition and file name, as policy.default reads them."""

    type_params: dict[str, str]
    disposition: str
    disposition_params: dict[str, str]
    filename: str | None


def _std_mime(seen: Seen) -> _Mime:
    from email import policy

    type_params: dict[str, str] = {}
    if seen.raw_type is not None:
        ct = policy.default.header_fetch_parse("Content-Type", seen.raw_type)
        type_params = _std_params(ct)
        type_params.pop("boundary", None)
        if "charset" in type_params:
            type_params["charset"] = type_params["charset"].strip().lower()
    disposition, disposition_params = "", {}
    if seen.raw_disposition is not None:
        cd = policy.default.header_fetch_parse("Content-Disposition", seen.raw_disposition)
        disposition = str(getattr(cd, "content_disposition", "") or "").lower()
        disposition_params = _std_params(cd)
    name = disposition_params.get("filename") or type_params.get("name")
    filename = _blanks(name) if name is not None else None
    return _Mime(type_params, disposition, disposition_params, filename)


def _std_body(msg: Any, seen: Seen) -> None:
    digests = msg.ml_digests
    if not digests:  # no body at all
        digests = (_digest(b""),) * 3 + (
            (_digest(b""),) * 2 if seen.content_type.startswith("text/") else ()
        )
    stripped = msg.ml_tail is not None and msg._payload != msg.ml_tail
    seen.body, seen.body_cut = (digests[1], digests[2]) if stripped else (digests[0], digests[1])
    if len(digests) > 3:
        seen.charset = msg.get_content_charset()
        seen.text = digests[4] if stripped else digests[3]


def read_stdlib(data: bytes, *, content: bool = False) -> Seen:
    """The standard library's reading of a message, as a :class:`Seen` tree.

    Raises :class:`ReaderError` when it cannot read it (any exception of the
    ``email`` package, which then cannot be compared with anything).
    """
    from email import errors

    try:
        top = _stdlib_parse(data, content)
        root = Seen("", top.get_content_type(), "leaf", [])
        stack: list[tuple[Any, Seen]] = [(top, root)]
        while stack:
            msg, seen = stack.pop()
            seen.fields = [name.strip().lower() for name, _ in msg.raw_items()]
            seen.cut_short = any(
                isinstance(d, errors.MissingHeaderBodySeparatorDefect) for d in msg.defects
            )
            if content:
                _std_headers(msg, seen)
            ctype = seen.content_type
            if ctype.startswith("multipart/"):
                seen.boundary = msg.get_boundary()
            below = msg.get_payload() if msg.is_multipart() else None
            if ctype.startswith("message/") and ctype not in _EMBEDDING:
                seen.kind = "opaque"
                continue
            if isinstance(below, list) and below and ctype.startswith("multipart/"):
                seen.kind = "multipart"
                seen.closed = not any(
                    isinstance(d, errors.CloseBoundaryNotFoundDefect) for d in msg.defects
                )
                for n, child in enumerate(below, start=1):
                    path = f"{seen.path}.{n}" if seen.path else str(n)
                    sub = Seen(path, child.get_content_type(), "leaf", [])
                    seen.children.append(sub)
                if seen.children and not seen.closed:
                    seen.children[-1].ends_unclosed = True
                stack.extend(reversed(list(zip(below, seen.children, strict=True))))
            elif isinstance(below, list) and below:
                seen.kind = "message"
                inner = Seen(seen.path, below[0].get_content_type(), "leaf", [])
                seen.children.append(inner)
                stack.append((below[0], inner))
            elif content:
                _std_body(msg, seen)
        return root
    except RecursionError as exc:
        raise ReaderError("Python's email package ran out of stack on this nesting") from exc
    except Exception as exc:  # any failure means: cannot compare
        raise ReaderError(f"Python's email package failed: {type(exc).__name__}: {exc}") from exc


# ------------------------------------------------------- the readers on the input
@dataclasses.dataclass(frozen=True, slots=True)
class Disagreement:
    """Where and how the two readers read a message's structure differently."""

    start: int
    end: int
    part: str
    message: str


#: A Content-Type both readers split alike: type/subtype, then ``;`` and
#: ``name=token`` or ``name="quoted"`` (no quoted-pair, no fold inside the
#: quotes, no RFC 2231 ``*``, no comment), folds only between parameters.
_PLAIN_TYPE = re.compile(
    rb"""[ \t]*[A-Za-z0-9!#$&^_.+-]+/[A-Za-z0-9!#$&^_.+-]+[ \t]*
    (?:(?:\r?\n[ \t]+)?;[ \t]*(?:\r?\n[ \t]+)?[A-Za-z0-9!#$&^_.+-]+=
       (?:"[^"\\\r\n]*"|[A-Za-z0-9!#$%&'+.^_`{|}~-]+)[ \t]*)*
    (?:(?:\r?\n[ \t]+)?;[ \t]*)?""",
    re.VERBOSE,
)


#: Defects after which the readers may split the message otherwise: a header
#: section ended by a line that is no field, nesting mimelint stops reading.
_NOT_PLAIN = frozenset({DefectKind.MISSING_SEPARATOR, DefectKind.DEPTH_EXCEEDED})


def _plain_part(part: Part) -> bool:
    """Cheap facts under which the readers cannot disagree about this part.

    Every header line a well-formed field with no white space before its
    colon (an mbox ``From`` line first); the header section ends at a blank
    line or the end; a Content-Type in the plain form both readers split
    alike, its boundary (if any) given once with no white space at its
    ends; no embedded message but a plainly encoded ``message/rfc822``.
    """
    for h in part.headers:
        if h.kind == FIELD:
            if h.colon != h.start + len(h.name):
                return False
        elif not (h.kind == ENVELOPE and h.start == part.start):
            return False
    if any(d.kind in _NOT_PLAIN for d in part.defects):
        return False
    headers = part.headers_named("content-type")
    if headers:
        h = headers[0]
        if _PLAIN_TYPE.fullmatch(h._data, h.value_start, h.value_end) is None:
            return False
    ctype = part.content_type
    if ctype.startswith("message/"):
        return ctype in _EMBEDDING and part.transfer_encoding in _IDENTITY
    if part.is_multipart:
        ct = part.content_type_value
        found = ct.named("boundary") if ct is not None else []
        if len(found) > 1 or (found and found[0].value != found[0].value.strip()):
            return False
    return True


def readers_may_disagree(message: Part) -> bool:
    """False when cheap facts show the two readers read the structure alike.

    The expensive check (a full parse by the standard library) runs only
    when this is True: a bare CR anywhere (Python also ends lines there), or
    a part that fails :func:`_plain_part`.
    """
    data = message.data
    if data.count(b"\r") != data.count(b"\r\n"):
        return True
    return not all(_plain_part(p) for p in message.walk())


def _quoted(text: str) -> str:
    shown = text.replace("\r", "\\r").replace("\n", "\\n").replace("\t", "\\t")
    return f'"{shown}"'


def _why_field(h: Header) -> str:
    if h.kind == NO_COLON:
        return (
            "it has no colon (RFC 5322 §2.2 requires one), yet mimelint keeps it and the "
            "fields after it in the header section"
        )
    if h.kind == FIELD and h.colon != h.start + len(h.name):
        return (
            "RFC 5322 §4.5 obsolete syntax (white space before the colon) makes it a "
            f"{h.name} field"
        )
    if h.kind == BAD_NAME and not h.name.isascii():
        return (
            "its field name holds 8-bit bytes (RFC 5322 §3.6.8 allows printable ASCII), "
            "yet mimelint reads it as a field"
        )
    if h.kind == BAD_NAME:
        return (
            "its field name holds characters RFC 5322 §3.6.8 does not allow, yet mimelint "
            "reads it as a field"
        )
    return "mimelint reads it as a field"


_BARE_CR = re.compile(rb"\r(?!\n)")


def _field_disagreement(message: Message, part: Part, seen: Seen) -> Disagreement | None:
    names = seen.fields
    j = 0
    for h in part.headers:
        if h.kind in (CONTINUATION_FIRST, EMPTY_NAME):
            continue  # neither reader takes such a line as a field
        if h.kind == ENVELOPE and h.start == part.start:
            continue  # both read it as the mbox "From " line (of an embedded message too)
        if h.colon >= 0 and j < len(names) and names[j] == h.lname:
            j += 1
            continue
        line = message.position(h.start)[0]
        cr = _BARE_CR.search(message.data, part.start, h.end)
        if cr is not None:
            at_line, at_column = message.position(cr.start())
            text = (
                f"Python's email package reads the header section otherwise from line {line}: "
                f"it ends a line at the bare CR at line {at_line}, column {at_column}, "
                "where mimelint reads on (RFC 5322 §2.2 allows CR only before LF)"
            )
            return Disagreement(cr.start(), cr.start() + 1, part.path, text)
        if j == len(names) and seen.cut_short:
            text = (
                f"Python's email package reads line {line} and the lines after it as body "
                f"text; {_why_field(h)}"
            )
        elif h.lname == "from" and h.kind == FIELD:
            text = (
                f"Python's email package skips line {line} as a misplaced mbox 'From ' line; "
                f"{_why_field(h)}"
            )
        else:
            theirs = names[j] if j < len(names) else "nothing"
            text = (
                f"at line {line} Python's email package reads the field {theirs}, mimelint "
                f"the {'line' if h.colon < 0 else 'field ' + h.name}; {_why_field(h)}"
            )
        return Disagreement(h.start, h.end, part.path, text)
    if j < len(names):
        extra = ", ".join(names[j:])
        line = message.position(part.header_end)[0]
        return Disagreement(
            part.header_end,
            part.header_end,
            part.path,
            f"Python's email package reads more fields ({extra}) after line {line - 1}, "
            "where mimelint's header section ends (a bare CR ends a line for it)",
        )
    return None


def _kind_text(kind: str, children: int, closed: bool = True) -> str:
    if kind == "multipart":
        unclosed = "" if closed else " without a close delimiter"
        return f"a multipart of {children} part{'s' if children != 1 else ''}{unclosed}"
    if kind == "message":
        return "an embedded message"
    return "a single body"


def _shape_disagreement(part: Part, seen: Seen, kind: str, count: int) -> str | None:
    theirs, ours = seen, part
    if seen.kind != kind and any(d.kind == DefectKind.DEPTH_EXCEEDED for d in part.defects):
        return (
            f"Python's email package reads on below this part and sees "
            f"{_kind_text(seen.kind, len(seen.children), seen.closed)}; mimelint stops at "
            f"its nesting limit of {part.message.max_depth} levels"
        )
    if theirs.content_type != ours.content_type:
        hint = ""
        if "(" in theirs.content_type:
            hint = " (it keeps the comment in the type; RFC 2045 §5.1 allows comments there)"
        elif "=" in theirs.content_type:
            hint = " (a parameter without the ';' before it is part of the type for it)"
        return (
            f"Python's email package reads the content type as {_quoted(theirs.content_type)}, "
            f"mimelint as {_quoted(ours.content_type)}{hint}"
        )
    if theirs.boundary != ours.boundary and (kind == "multipart" or seen.kind == "multipart"):
        how = (
            "finds no boundary"
            if theirs.boundary is None
            else (f"reads the boundary as {_quoted(theirs.boundary)}")
        )
        if theirs.boundary is not None and "\n" in theirs.boundary:
            how += " (it keeps the fold inside the quotes; RFC 5322 §2.2.3 unfolding removes it)"
        if theirs.boundary is not None and theirs.boundary == (ours.boundary or "").rstrip(" \t"):
            how += " (it drops white space at the end of a boundary)"
        return (
            f"Python's email package {how} and sees "
            f"{_kind_text(seen.kind, len(seen.children), seen.closed)}; mimelint reads the "
            f"boundary as {_quoted(ours.boundary or '')} and sees "
            f"{_kind_text(kind, count, ours.closed)}"
        )
    if seen.kind != kind or len(seen.children) != count:
        return (
            f"Python's email package sees {_kind_text(seen.kind, len(seen.children))}, "
            f"mimelint {_kind_text(kind, count)}"
        )
    if kind == "multipart" and seen.closed != ours.closed:
        if ours.closed:
            return (
                f"Python's email package finds no close delimiter for boundary "
                f"{_quoted(seen.boundary or '')} and reads the last part on to the end; "
                "mimelint finds one"
            )
        return (
            "Python's email package finds a close delimiter that mimelint does not; the "
            "last part ends at a different place for each"
        )
    return None


def compare_readings(message: Message, seen: Seen) -> list[Disagreement]:
    """Where mimelint's tree and the standard library's reading disagree.

    About structure and header extent only: which lines are fields, the
    content types, how each multipart is split, embedded messages. At most
    one disagreement per part; the parts below a disagreeing one are not
    compared (they are not the same parts).
    """
    out: list[Disagreement] = []
    stack: list[tuple[Part, Seen]] = [(message, seen)]
    while stack:
        part, theirs = stack.pop()
        found = _field_disagreement(message, part, theirs)
        if found is not None:
            out.append(found)
            continue
        ctype = part.content_type
        below: list[Part]
        if ctype.startswith("message/") and ctype not in _EMBEDDING:
            kind, below = "opaque", []
        elif part.embedded is not None:
            kind, below = "message", [part.embedded]
        elif part.is_multipart and part.children:
            kind, below = "multipart", part.children
        else:
            kind, below = "leaf", []
        text = _shape_disagreement(part, theirs, kind, len(below))
        if text is not None:
            h = part.header("content-type")
            start, end = (h.start, h.end) if h is not None else (part.start, part.start)
            out.append(Disagreement(start, end, part.path, text))
            continue
        stack.extend(reversed(list(zip(below, theirs.children, strict=True))))
    out.sort(key=lambda d: d.start)
    return out


def disagreements(message: Message) -> list[Disagreement]:
    """Where the two readers disagree about this message's structure or header extent.

    Cheap facts first (:func:`readers_may_disagree`); only when they cannot
    rule it out does the standard library read the message. A message it
    cannot read at all is one disagreement at the top.
    """
    if not readers_may_disagree(message):
        return []
    try:
        seen = read_stdlib(message.data)
    except ReaderError as exc:
        return [Disagreement(0, 0, "", f"{exc}; mimelint reads the message")]
    return compare_readings(message, seen)


# -------------------------------------------------- the second reader's proof
def _groups_differ(
    a: dict[str, list[tuple[str, str]]], b: dict[str, list[tuple[str, str]]]
) -> str | None:
    for name in sorted(a.keys() | b.keys()):
        ra, rb = a.get(name), b.get(name)
        if ra == rb:
            continue  # the same raw values read the same
        if rb is None:
            return f"header {name} was removed"
        vb = _std_values(rb)
        if ra is None:
            return f"header {name} was added: {vb[0]!r}"
        va = _std_values(ra)
        if va == vb:
            continue
        for x, y in zip(va, vb, strict=False):
            if x != y:
                return f"header {name} changed from {x!r} to {y!r}"
        return f"header {name} occurs {len(va)} times before, {len(vb)} after"
    return None


def _seen_content(a: Seen, b: Seen) -> tuple[str | None, bool]:
    """(difference, charset may differ) between two leaves of one reader."""
    if a.content_type.startswith("text/") and a.charset != b.charset:
        if a.text and a.text == b.text:
            return None, True
        return f"charset changed from {a.charset!r} to {b.charset!r} and the text differs", False
    # The standard library drops the last line break of the last part of an
    # unclosed multipart too (as if a delimiter followed): closing it (M206)
    # makes that line break content to it, and it was never anything else.
    x = a.body_cut if b.ends_unclosed and not a.ends_unclosed else a.body
    y = b.body_cut if a.ends_unclosed and not b.ends_unclosed else b.body
    if x != y:
        sizes = f"{_size(x)} bytes before, {_size(y)} after"
        return f"content differs after transfer decoding ({sizes})", False
    return None, False


def _compare_seen(a: Seen, b: Seen) -> str | None:
    if a.content_type != b.content_type:
        return f"content type changed from {a.content_type} to {b.content_type}"
    if a.kind != b.kind or len(a.children) != len(b.children):
        return (
            f"structure changed ({_kind_text(a.kind, len(a.children))} before, "
            f"{_kind_text(b.kind, len(b.children))} after)"
        )
    difference = _groups_differ(a.headers, b.headers)
    if difference is not None:
        return difference
    charset_free = False
    if a.kind == "leaf":
        difference, charset_free = _seen_content(a, b)
        if difference is not None:
            return difference
    if a.raw_type == b.raw_type and a.raw_disposition == b.raw_disposition:
        return None  # the same raw values read the same
    ma, mb = _std_mime(a), _std_mime(b)
    if charset_free:
        ma.type_params.pop("charset", None)
        mb.type_params.pop("charset", None)
    if ma.type_params != mb.type_params:
        return f"Content-Type parameters changed from {ma.type_params} to {mb.type_params}"
    if ma.disposition != mb.disposition:
        return f"disposition changed from {ma.disposition!r} to {mb.disposition!r}"
    if ma.disposition_params != mb.disposition_params:
        return (
            f"Content-Disposition parameters changed from {ma.disposition_params} "
            f"to {mb.disposition_params}"
        )
    if ma.filename != mb.filename:
        return f"filename changed from {ma.filename!r} to {mb.filename!r}"
    return None


def prove_stdlib(old: bytes | Seen, new: bytes) -> str | None:
    """The first difference the standard library reads between two messages, or None.

    ``old`` may be a reading already made (``read_stdlib(data, content=True)``),
    so that trying several fixes of one input reads the input once. A
    message the standard library cannot read is a difference (the readers
    cannot be compared). A MIME-Version added where there was none is allowed.
    """
    try:
        a = old if isinstance(old, Seen) else read_stdlib(old, content=True)
        b = read_stdlib(new, content=True)
    except ReaderError as exc:
        return f"{exc}; the readers cannot be compared"
    if "mime-version" not in a.headers and "mime-version" in b.headers:
        b.headers.pop("mime-version")
    stack = [(a, b)]
    while stack:
        x, y = stack.pop()
        try:
            difference = _compare_seen(x, y)
        except Exception as exc:  # noqa: BLE001 - policy.default's header parser raised
            return (
                f"Python's email package failed reading part {x.path or 'message'}: "
                f"{type(exc).__name__}: {exc}; the readers cannot be compared"
            )
        if difference is not None:
            return (
                f"Python's email package reads part {x.path or 'message'} differently: {difference}"
            )
        stack.extend(reversed(list(zip(x.children, y.children, strict=True))))
    return None
