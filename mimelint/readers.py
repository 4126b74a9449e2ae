"""The second reader: what Python's ``email`` package sees in a message.

mimelint's reader judging its own fixes cannot notice where another reader
reads the input differently: a fix would then rewrite the message into
mimelint's reading. So the fix proof (:mod:`mimelint.proof`) asks a second,
independent reader as well, the standard library's ``email`` package, and
rule M901 reports where the two disagree about an input. This module holds
that reader (:func:`read_stdlib`, a :class:`Seen` tree) and the comparison
of the two readings of one message (:func:`disagreements`), so that the
proof and the rule use one piece of code.
"""

from __future__ import annotations

import dataclasses
import functools
import re

from mimelint.mime.charsets import foreign_breaks
from mimelint.mime.parse import EMBEDDING_TYPES
from mimelint.mime.quoting import quoted
from mimelint.mime.transfer_encodings import IDENTITY
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
)
from mimelint.rule import Finding, Related, Safety

TYPE_CHECKING = False  # typing's flag, without importing typing at start-up
if TYPE_CHECKING:
    from typing import Any

#: Fields compared by meaning, not as written: Content-Type and
#: Content-Disposition are compared parsed (type, decoded parameters), so
#: their spelling may change; the transfer encoding may too.
NO_COMPARE = frozenset({"content-transfer-encoding", "content-type", "content-disposition"})


#: Runs of blanks, read as one space (RFC 5322 §3.2.2).
_BLANKS = re.compile(r"[ \t\r\n]+")


def blanks(text: str) -> str:
    """``text`` with each run of blanks read as one space, ends stripped."""
    return _BLANKS.sub(" ", text).strip(" ")


def domain_text(domain: str) -> str:
    """A domain lower-cased, its A-labels (``xn--``) read as U-labels where valid."""
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


def lf_lines(data: bytes) -> bytes:
    """``data`` with every CRLF and bare CR written as LF."""
    return data.replace(b"\r\n", b"\n").replace(b"\r", b"\n")


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
    import hashlib  # a plain check that asks whether the readers disagree needs none

    return hashlib.sha256(data).digest() + len(data).to_bytes(8, "big")


def digest_size(digest: bytes) -> int:
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
    # Exactly get_payload's test: it does not strip the value, so
    # ``base64 `` (a blank at the end, or a fold) is not decoded at all.
    base64 = str(msg.get("content-transfer-encoding", "")).lower() == "base64"
    if base64 and not text and _clean_base64(msg._payload):
        # What get_payload(decode=True) gives (line breaks removed, then
        # decoded), in pieces, without its copies of a large attachment.
        whole, less = _digest_base64(msg._payload)
        return (whole, whole, less)
    payload = msg.get_payload(decode=True)
    data = payload if isinstance(payload, bytes) else b""
    del payload
    charset = msg.get_content_charset() or "us-ascii"
    if text and not foreign_breaks(charset):
        data = lf_lines(data)
    view = memoryview(data)
    if base64:
        cut = len(data)  # the line break the parser strips decodes to nothing
        again = _break_start(data, cut)
    else:
        cut = _break_start(data, len(data))
        again = _break_start(data, cut)
    digests = [_digest(view), _digest(view[:cut]), _digest(view[:again])]
    if text:
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
    import hashlib

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
        # Python (3.11 to 3.13) keeps the white space between adjacent encoded-words
        # of a display name (RFC 2047 §6.2 drops it): compare names without
        # white space in this reader; mimelint's reader compares them exactly.
        name = "".join(_utf8(a.display_name).split())
        domain = domain_text(_utf8(a.domain)) if a.domain else ""
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
        if lname in NO_COMPARE:
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
    return blanks(_utf8(str(header)))


def std_values(pairs: list[tuple[str, str]]) -> list[str]:
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


def std_boundary(seen: Seen) -> str | None:
    """The boundary Python's email with ``policy.default`` reads, or None.

    The tree is read with ``policy.compat32``, which takes a bare value up
    to the next ``;``; ``policy.default`` ends it at the first white space
    or tspecial (``boundary=----=_Part_1`` is ``----``) and reads a comment
    after a quoted one as a comment, so a program using the modern API may
    divide the body on another boundary than the tree does.
    """
    from email import policy

    if seen.raw_type is None:
        return None
    ct = policy.default.header_fetch_parse("Content-Type", seen.raw_type)
    value = (getattr(ct, "params", None) or {}).get("boundary")
    return None if value is None else str(value)


def std_mime(seen: Seen) -> _Mime:
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
    filename = blanks(name) if name is not None else None
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
            if ctype.startswith("message/") and ctype not in EMBEDDING_TYPES:
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
                # The last part of an unclosed multipart may be a message:
                # the line break the stdlib drops is then its body's.
                inner.ends_unclosed = seen.ends_unclosed
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
    #: Another place the message refers to (the first field read otherwise).
    related: tuple[Related, ...] = ()


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
        return ctype in EMBEDDING_TYPES and part.transfer_encoding in IDENTITY
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
        cr = _BARE_CR.search(message.data, part.start, h.end)
        if cr is not None:
            text = (
                "Python's email package ends a line at this bare CR, where mimelint reads on "
                "(RFC 5322 §2.2 allows CR only before LF), and so reads the header section "
                "otherwise"
            )
            first = Related(h.start, h.end, "the first line read otherwise")
            return Disagreement(cr.start(), cr.start() + 1, part.path, text, (first,))
        if j == len(names) and seen.cut_short:
            text = (
                "Python's email package reads this line and the lines after it as body "
                f"text; {_why_field(h)}"
            )
        elif h.lname == "from" and h.kind == FIELD:
            text = (
                "Python's email package skips this line as a misplaced mbox 'From ' line; "
                f"{_why_field(h)}"
            )
        else:
            theirs = names[j] if j < len(names) else "nothing"
            text = (
                f"here Python's email package reads the field {theirs}, mimelint "
                f"the {'line' if h.colon < 0 else 'field ' + h.name}; {_why_field(h)}"
            )
        return Disagreement(h.start, h.end, part.path, text)
    if j < len(names):
        extra = ", ".join(names[j:])
        return Disagreement(
            part.header_end,
            part.header_end,
            part.path,
            f"Python's email package reads more fields ({extra}) from here on, "
            "where mimelint's header section ends (a bare CR ends a line for it)",
        )
    return None


def kind_text(kind: str, children: int, closed: bool = True) -> str:
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
            f"{kind_text(seen.kind, len(seen.children), seen.closed)}; mimelint stops at "
            f"its nesting limit of {part.message.max_depth} levels"
        )
    if theirs.content_type != ours.content_type:
        hint = ""
        if "(" in theirs.content_type:
            hint = " (it keeps the comment in the type; RFC 2045 §5.1 allows comments there)"
        elif "=" in theirs.content_type:
            hint = " (a parameter without the ';' before it is part of the type for it)"
        return (
            f"Python's email package reads the content type as {quoted(theirs.content_type)}, "
            f"mimelint as {quoted(ours.content_type)}{hint}"
        )
    if theirs.boundary != ours.boundary and (kind == "multipart" or seen.kind == "multipart"):
        how = (
            "finds no boundary"
            if theirs.boundary is None
            else (f"reads the boundary as {quoted(theirs.boundary)}")
        )
        if theirs.boundary is not None and "\n" in theirs.boundary:
            how += " (it keeps the fold inside the quotes; RFC 5322 §2.2.3 unfolding removes it)"
        if theirs.boundary is not None and theirs.boundary == (ours.boundary or "").rstrip(" \t"):
            how += " (it drops white space at the end of a boundary)"
        return (
            f"Python's email package {how} and sees "
            f"{kind_text(seen.kind, len(seen.children), seen.closed)}; mimelint reads the "
            f"boundary as {quoted(ours.boundary or '')} and sees "
            f"{kind_text(kind, count, ours.closed)}"
        )
    if seen.kind != kind or len(seen.children) != count:
        return (
            f"Python's email package sees {kind_text(seen.kind, len(seen.children))}, "
            f"mimelint {kind_text(kind, count)}"
        )
    if kind == "multipart" and seen.closed != ours.closed:
        if ours.closed:
            return (
                f"Python's email package finds no close delimiter for boundary "
                f"{quoted(seen.boundary or '')} and reads the last part on to the end; "
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
        if ctype.startswith("message/") and ctype not in EMBEDDING_TYPES:
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


def dispute_reason(message: Message, disputes: list[Disagreement]) -> str:
    """Why no fix is safe where the readers disagree: the first disagreement, placed."""
    d = disputes[0]
    line = message.position(d.start)[0]
    where = f"part {d.part}, line {line}" if d.part else f"line {line}"
    return (
        f"the two readers disagree about this message ({where}: {d.message}); any fix "
        "settles one reading, so it is unsafe here (--unsafe-fixes applies it)"
    )


def disputed(finding: Finding, reason: str) -> Finding:
    """The finding as a fix run reports it where the readers disagree: its
    safe fix made unsafe, and the reason after its message. Other findings
    are returned as they are."""
    if finding.fix is None or finding.fix.safety is not Safety.SAFE:
        return finding
    return finding._replace(
        message=f"{finding.message}; not fixed: {reason}",
        fix=finding.fix._replace(safety=Safety.UNSAFE),
    )


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
