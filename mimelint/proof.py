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
  not remove or add one), except in UTF-16, UTF-32 or EBCDIC text,
  compared byte for byte: there a 0x0D or 0x0A byte may be part of another
  character;
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
from collections.abc import Iterable, Mapping

from mimelint.mime.address_fields import ADDRESS_FIELDS
from mimelint.mime.address_units import Unit, UnitRole, comment_text, phrase_text
from mimelint.mime.addresses import parse_address_list
from mimelint.mime.charsets import codec_for, foreign_breaks
from mimelint.mime.quoting import quoted
from mimelint.mime.tree import (
    CONTINUATION_FIRST,
    ENVELOPE,
    Header,
    Part,
    decode_words,
)
from mimelint.readers import (
    NO_COMPARE,
    ReaderError,
    Seen,
    blanks,
    digest_size,
    domain_text,
    kind_text,
    lf_lines,
    read_stdlib,
    std_boundary,
    std_mime,
    std_values,
)

Span = tuple[int, int]


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


def _unit_text(data: bytes, unit: Unit) -> str:
    """One unit as read: a phrase or comment decoded where it is clear,
    else its bytes as written."""
    if unit.role is UnitRole.PHRASE:
        read = phrase_text(data, unit)
    elif unit.role is UnitRole.COMMENT:
        read = comment_text(data, unit)
        read = None if read is None else f"({read})"
    else:
        read = None
    if read is None:
        read = data[unit.start : unit.end].decode("utf-8", "surrogateescape")
    return blanks(read)


def _addresses(header: Header, data: bytes) -> str:
    """An address field as mimelint's reader reads it: every unit in
    order, each mailbox as its display name (quotes removed, encoded-words
    decoded), its comments and its addr-spec, with the domain as
    :func:`~mimelint.readers.domain_text` compares it, marked when the
    mailbox is in a group; group names and comments between mailboxes as
    they read.

    A mailbox the reader cannot read stands as what its pieces say: its
    phrases read as display names are, its addr-specs as written. Its
    pieces end where the next mailbox starts: an error's span may reach
    into that mailbox (``Dr. J. Smith, Jr. <a@b>``: the unquoted ','
    diagnosed over both names), and a fix of the next mailbox (quoting
    ``"Jr."``) changes that diagnosis, not what the first one says.
    """
    units = header.address_units
    out = []
    k = 0  # the next unit to read: every unit is read once, in order
    mailboxes = parse_address_list(header)
    for i, a in enumerate(mailboxes):
        while k < len(units) and units[k].end <= a.start:
            out.append(_unit_text(data, units[k]))  # a group name, a stray comment
            k += 1
        ok = a.error is None
        end = a.end
        if i + 1 < len(mailboxes) and mailboxes[i + 1].start < end:
            end = mailboxes[i + 1].start
        pieces = []
        while k < len(units) and units[k].start < end:
            u = units[k]
            k += 1
            if not (u.role is UnitRole.ADDR and ok):  # a readable addr-spec is read below
                pieces.append(_unit_text(data, u))
        grouped = "group " if a.group is not None else ""
        if ok:
            out.append(f"{grouped}{' '.join(pieces)} <{a.local_part}@{domain_text(a.domain)}>")
        else:
            out.append(f"{grouped}(unread: {' '.join(pieces)})")
    out.extend(_unit_text(data, units[j]) for j in range(k, len(units)))  # trailing ones
    return ", ".join(out)


def header_value(header: Header, data: bytes) -> str:
    """A header's value as mimelint reads it, normalised for comparison
    (``data``: the bytes of the message the header is in)."""
    if header.lname in ADDRESS_FIELDS:
        return _addresses(header, data)
    return blanks(decode_words(header.value))


def _shown(value: str | None) -> str:
    """A value in a refusal's reason: quoted as findings quote, or "none"."""
    return "none" if value is None else quoted(value, 60)


def _params_shown(params: Mapping[str, str]) -> str:
    """Parameters in a refusal's reason: ``name='value'; ...``, or "none"."""
    return "; ".join(f"{k}={quoted(v, 60)}" for k, v in params.items()) or "none"


def _header_groups(part: Part, touched: Spans, drop_mime_version: bool) -> dict[str, list[str]]:
    groups: dict[str, list[str]] = {}
    for h in part.headers:
        if touched and touched.touches(h.start, h.end):
            continue
        if h.lname in NO_COMPARE or (drop_mime_version and h.lname == "mime-version"):
            continue
        if h.kind == ENVELOPE:  # an mbox "From " line is storage, not content
            continue
        if h.kind == CONTINUATION_FIRST and not h.raw.strip():
            continue  # white space before the first field carries no content
        name = h.lname if h.colon >= 0 else f"({h.kind} line)"
        value = header_value(h, part.data) if h.colon >= 0 else h.raw.decode("latin-1").strip()
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
            return f"header {shown} was added: {_shown(vb[0])}"
        for x, y in zip(va, vb, strict=False):
            if x != y:
                return f"header {shown} changed from {_shown(x)} to {_shown(y)}"
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
        if pa != pb and (foreign_breaks(a.charset) or lf_lines(pa) != lf_lines(pb)):
            return (
                f"text differs after transfer decoding ({len(pa)} bytes before, {len(pb)} after)",
                False,
            )
        return None, False
    if declared and _declares_undefined_text(a, b):
        return None, True
    if ca is None or cb is None:
        return f"charset changed from {_shown(a.charset)} to {_shown(b.charset)}", False
    try:
        ta, tb = pa.decode(ca), pb.decode(cb)
    except (UnicodeError, LookupError):
        changed = f"charset changed from {_shown(a.charset)} to {_shown(b.charset)}"
        return f"{changed} and the text does not decode", False
    if lf_lines(ta.encode("utf-8", "surrogatepass")) != lf_lines(
        tb.encode("utf-8", "surrogatepass")
    ):
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
            return (
                f"Content-Type parameters changed from {_params_shown(pa)} to {_params_shown(pb)}"
            )
    if not cd_touched:
        da = a.disposition_value.main.lower() if a.disposition_value else ""
        db = b.disposition_value.main.lower() if b.disposition_value else ""
        if da != db:
            return f"disposition changed from {_shown(da)} to {_shown(db)}"
        pa, pb = _params(a, "disposition", frozenset()), _params(b, "disposition", frozenset())
        if pa != pb:
            return (
                f"Content-Disposition parameters changed from {_params_shown(pa)} "
                f"to {_params_shown(pb)}"
            )
    if not (ct_touched or cd_touched) and a.filename != b.filename:
        return f"filename changed from {_shown(a.filename)} to {_shown(b.filename)}"
    return None


def _header_touched(part: Part, spans: Spans, name: str) -> bool:
    return bool(spans) and any(spans.touches(h.start, h.end) for h in part.headers_named(name))


def release(message: Part) -> None:
    """Drop the decoded bodies every part of a tree has cached.

    The fix engine calls it on a tree it keeps only for the final proof,
    and on trees it is done with while something may still refer to them,
    so that their decoded payloads do not outlive their use.
    """
    for part in message.walk():
        part.release_decoded()


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
            a.release_decoded()
            b.release_decoded()
        if difference is not None:
            return f"part {a.path or 'message'}: {difference}"
        if regrouped:
            continue
        below_a = a.children or ([a.embedded] if a.embedded else [])
        below_b = b.children or ([b.embedded] if b.embedded else [])
        stack.extend(reversed(list(zip(below_a, below_b, strict=True))))
    return None


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
        vb = std_values(rb)
        if ra is None:
            return f"header {name} was added: {_shown(vb[0])}"
        va = std_values(ra)
        if va == vb:
            continue
        for x, y in zip(va, vb, strict=False):
            if x != y:
                return f"header {name} changed from {_shown(x)} to {_shown(y)}"
        return f"header {name} occurs {len(va)} times before, {len(vb)} after"
    return None


def _seen_content(a: Seen, b: Seen) -> tuple[str | None, bool]:
    """(difference, charset may differ) between two leaves of one reader."""
    if a.content_type.startswith("text/") and a.charset != b.charset:
        if a.text and a.text == b.text:
            return None, True
        return (
            f"charset changed from {_shown(a.charset)} to {_shown(b.charset)} and the text differs",
            False,
        )
    # The standard library drops the last line break of the last part of an
    # unclosed multipart too (as if a delimiter followed): closing it (M206)
    # may make that line break content to it, and it was never anything
    # else. It may not, too: a break of base64 text decodes to nothing
    # either way, so the part's bytes read the same before and after. In
    # UTF-16 or UTF-32 text those two bytes are a character (U+0A0D), in
    # EBCDIC CR and U+008E, not a line break: no allowance there.
    x, y = a.body, b.body
    if x != y and a.ends_unclosed != b.ends_unclosed and not foreign_breaks(a.charset):
        if a.ends_unclosed:
            y = b.body_cut
        else:
            x = a.body_cut
    if x != y:
        sizes = f"{digest_size(x)} bytes before, {digest_size(y)} after"
        return f"content differs after transfer decoding ({sizes})", False
    return None, False


def _boundary_read_otherwise(a: Seen, b: Seen) -> str | None:
    """Where ``policy.default`` divides a multipart differently before and after.

    The tree compared is compat32's; where ``policy.default`` reads another
    boundary than compat32 in either message (``std_boundary``), a program
    using the modern API divides the body on that one, so the boundary
    pair must not change: quoting ``boundary=----=_Part_1`` or renaming it
    turns a multipart that reader finds no parts in into one it reads.
    Only a changed Content-Type can change the pair.
    """
    if a.raw_type == b.raw_type or not a.content_type.startswith("multipart/"):
        return None
    before, after = std_boundary(a), std_boundary(b)
    if before == a.boundary and after == b.boundary:
        return None  # both readers take the boundary compared in the tree
    if (before, a.boundary) == (after, b.boundary):
        return None
    return (
        f"with policy.default, the boundary reads as {_shown(before)} before and "
        f"{_shown(after)} after (the tree's: {_shown(a.boundary)}, {_shown(b.boundary)}), "
        "so the parts are divided differently"
    )


def _compare_seen(a: Seen, b: Seen) -> str | None:
    if a.content_type != b.content_type:
        return f"content type changed from {a.content_type} to {b.content_type}"
    boundary = _boundary_read_otherwise(a, b)
    if boundary is not None:
        return boundary
    if a.kind != b.kind or len(a.children) != len(b.children):
        return (
            f"structure changed ({kind_text(a.kind, len(a.children))} before, "
            f"{kind_text(b.kind, len(b.children))} after)"
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
    ma, mb = std_mime(a), std_mime(b)
    if charset_free:
        ma.type_params.pop("charset", None)
        mb.type_params.pop("charset", None)
    if ma.type_params != mb.type_params:
        return (
            f"Content-Type parameters changed from {_params_shown(ma.type_params)} "
            f"to {_params_shown(mb.type_params)}"
        )
    if ma.disposition != mb.disposition:
        return f"disposition changed from {_shown(ma.disposition)} to {_shown(mb.disposition)}"
    if ma.disposition_params != mb.disposition_params:
        return (
            f"Content-Disposition parameters changed from {_params_shown(ma.disposition_params)} "
            f"to {_params_shown(mb.disposition_params)}"
        )
    if ma.filename != mb.filename:
        return f"filename changed from {_shown(ma.filename)} to {_shown(mb.filename)}"
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
