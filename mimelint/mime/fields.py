"""Header fields as RFC 2047 sees them: what kind each is, and how to re-encode one.

RFC 2047 §5 allows encoded-words in unstructured text (Subject, Comments,
``X-`` fields), in phrases and comments of address fields, and nowhere
else; RFC 2231 writes non-ASCII MIME parameters. :func:`field_kind` says
which reading a field takes and :func:`reencoded_field` writes a field
again the way RFC 2047 and RFC 2231 ask, decoding to exactly the same text.
"""

from __future__ import annotations

import bisect
import enum
import re

from mimelint.mime.address_fields import ADDRESS_FIELDS
from mimelint.mime.address_units import UnitRole, comment_text, phrase_text
from mimelint.mime.encoded_words import LIMIT_WORD, decode_text, find_words

TYPE_CHECKING = False  # typing's flag, without importing typing at start-up
if TYPE_CHECKING:
    from mimelint.mime.tree import Header

__all__ = [
    "FIXABLE_PARAMS",
    "NO_WORDS",
    "SIGNATURES",
    "FieldKind",
    "field_kind",
    "reencoded_field",
]


class FieldKind(str, enum.Enum):
    """How a field's value is read, as far as encoded-words go."""

    UNSTRUCTURED = "unstructured"  #: free text: words anywhere (Subject, X-...)
    ADDRESS = "address"  #: an address list: words in phrases and comments
    PARAMS = "params"  #: Content-Type, Content-Disposition: RFC 2231 parameters
    KEYWORDS = "keywords"  #: Keywords: a list of phrases
    STRUCTURED = "structured"  #: any other structured field


# What field_kind returns, by module name: on Python 3.11 a member read from
# its Enum class costs 70-100 ns, a module global 10 ns.
_KIND_UNSTRUCTURED, _KIND_ADDRESS, _KIND_PARAMS = (
    FieldKind.UNSTRUCTURED,
    FieldKind.ADDRESS,
    FieldKind.PARAMS,
)
_KIND_KEYWORDS, _KIND_STRUCTURED = FieldKind.KEYWORDS, FieldKind.STRUCTURED

_UNSTRUCTURED = frozenset(
    {"subject", "comments", "content-description", "thread-topic", "organization", "summary"}
)
_PARAMETERIZED = frozenset({"content-type", "content-disposition"})
#: Structured fields in which RFC 2047 §5 allows no encoded-word at all.
NO_WORDS = frozenset(
    {
        "received", "message-id", "in-reply-to", "references", "date", "resent-date",
        "resent-message-id", "content-id", "content-transfer-encoding", "mime-version",
    }
)  # fmt: skip
#: DKIM and ARC ``z=`` tags copy headers in DKIM-quoted-printable: not words.
SIGNATURES = frozenset({"dkim-signature", "arc-message-signature", "arc-seal"})
#: The parameters a fix may rewrite with RFC 2231.
FIXABLE_PARAMS = frozenset({"name", "filename"})
_FOLDS = re.compile(rb"\r?\n")
_ITEM = re.compile(rb"[^,]+")


def field_kind(lname: str) -> FieldKind:
    """The kind of a field, by its lower-cased name."""
    if lname in _UNSTRUCTURED or lname.startswith("x-"):
        return _KIND_UNSTRUCTURED
    if lname in ADDRESS_FIELDS:
        return _KIND_ADDRESS
    if lname in _PARAMETERIZED:
        return _KIND_PARAMS
    if lname == "keywords":
        return _KIND_KEYWORDS
    return _KIND_STRUCTURED


def _needs_work(data: bytes, start: int, end: int) -> bool:
    if not data[start:end].isascii():
        return True
    return any(w.end - w.start > LIMIT_WORD for w in find_words(data, start, end))


def _address_edits(data: bytes, header: Header) -> list[tuple[int, int, bytes]] | None:
    from mimelint.mime.writers import encode_phrase  # fixes only (start-up)

    units = header.address_units
    comment_starts = [u.start for u in units if u.role is UnitRole.COMMENT]
    edits: list[tuple[int, int, bytes]] = []
    for u in units:
        if u.role is UnitRole.ADDR or not _needs_work(data, u.start, u.end):
            continue
        if u.role is UnitRole.PHRASE:
            at = bisect.bisect_right(comment_starts, u.start)
            if at < len(comment_starts) and comment_starts[at] < u.end:
                return None  # a comment inside the phrase: no safe rewrite
            text = phrase_text(data, u)
            if text is None:
                return None
            edits.append((u.start, u.end, encode_phrase(text).encode("ascii")))
        else:
            text = comment_text(data, u)
            if text is None:
                return None
            edits.append((u.start + 1, u.end - 1, encode_phrase(text).strip('"').encode("ascii")))
    return edits


def _param_edits(data: bytes, header: Header) -> list[tuple[int, int, bytes]] | None:
    from mimelint.mime.writers import encode_param  # fixes only (start-up)

    sv = header.structured
    if not data[header.value_start : sv.main_end].isascii():
        return None
    edits: list[tuple[int, int, bytes]] = []
    for p in sv.params:
        raw = data[p.value_start : p.value_end]
        if raw.isascii() and b"=?" not in raw:
            continue
        if p.name not in FIXABLE_PARAMS or "*" in p.raw_name:
            return None
        value = decode_text(p.value.encode("latin-1"))
        if value is None:
            return None
        edits.append((p.start, p.end, encode_param(p.raw_name, value).encode("ascii")))
    return edits


def _keyword_edits(data: bytes, header: Header) -> list[tuple[int, int, bytes]] | None:
    from mimelint.mime.writers import encode_phrase  # fixes only (start-up)

    if b'"' in header.raw_value or b"(" in header.raw_value:
        return None
    edits: list[tuple[int, int, bytes]] = []
    for m in _ITEM.finditer(data, header.value_start, header.value_end):
        item = m.group().strip(b" \t\r\n")
        if not item or item.isascii():
            continue
        text = decode_text(_FOLDS.sub(b"", item))
        if text is None:
            return None
        s = m.start() + m.group().index(item)
        edits.append((s, s + len(item), encode_phrase(text).encode("ascii")))
    return edits


def reencoded_field(data: bytes, header: Header, linesep: bytes) -> bytes | None:
    """The field written again correctly, or None when no exact rewrite exists.

    Unstructured text is decoded and re-encoded whole; in address fields
    only phrases and comments are re-encoded (addr-specs never change); in
    Content-Type and Content-Disposition the ``name`` and ``filename``
    parameters are rewritten with RFC 2231. The result is folded before
    white space. ``header`` must be a well-formed field of ``data``.
    """
    from mimelint.mime.writers import encode_unstructured, fold_field  # fixes only (start-up)

    try:
        data[header.value_start : header.value_end].decode("utf-8")
    except UnicodeDecodeError:
        return None
    kind = field_kind(header.lname)
    if kind is FieldKind.UNSTRUCTURED:
        text = decode_text(header.unfolded)
        if text is None:
            return None
        return encode_unstructured(header.name, text, linesep=linesep)
    edits: list[tuple[int, int, bytes]] | None
    if kind is FieldKind.ADDRESS:
        edits = _address_edits(data, header)
    elif kind is FieldKind.PARAMS:
        edits = _param_edits(data, header)
    elif kind is FieldKind.KEYWORDS:
        edits = _keyword_edits(data, header)
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
