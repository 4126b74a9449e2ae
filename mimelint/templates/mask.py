"""Raw-template mode: a template read as the message it will become.

Every placeholder is replaced by an opaque ASCII token of exactly its own
length, so that every byte (and so every line and column) of the masked
message is where it is in the template, and the ordinary parser and rules
read it as a message. The token is chosen for where the placeholder stands,
so that it reads as the value the data will put there:

- a whole address (``To: {{ email }}``, ``<{{ email }}>``) is an addr-spec
  (``aaaa@example.com``); a local part, a domain or a display name is
  letters (a domain longer than a label is split by dots);
- the whole media type is ``x/xxx``; the whole Content-Transfer-Encoding is
  ``7bit`` padded with blanks, an unquoted ``charset`` value ``utf-8``, a
  whole disposition ``attachment`` or ``inline``; in a base64 body, base64 of ASCII text
  (``QUFB``, which a value of whole 4-character groups keeps valid); in an
  ``8bit`` UTF-8 body, letters and one ``é`` (a value there may be non-ASCII,
  which is what the declaration is for); anything else in a header or body
  is letters;
- a tag that writes nothing (``{% if %}``, ``{{/each}}``, a comment) on a
  line of its own inside a header section, and a value at the start of a
  header line (``{{ extra_headers }}``), is a harmless field (``X:xxx``),
  so that it neither ends the header section nor reads as a line without a
  colon; elsewhere it is letters at the start of a line and blanks after;
- line breaks inside a tag are kept (a line after one starts with a blank,
  a fold), so line numbers do not move.

Which of these applies is read from a first parse with neutral tokens (the
structure does not depend on them); the masked bytes are then parsed again.
Each writing placeholder becomes a :class:`Site`: where it stands (header
text sent raw, an address, a domain, MIME structure, a body), in which part
and field. The sites, blocks and defects travel with the parsed message as
:attr:`mimelint.mime.tree.Message.template`, for the template rules.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable

from mimelint.mime.address_fields import ADDRESS_FIELDS
from mimelint.mime.params import parse_structured
from mimelint.mime.parse import has_header_section, parse
from mimelint.mime.tree import FIELD, Delimiter, Header, Message, Part
from mimelint.placeholders import Kind, Placeholder, Site, TemplateInfo, Where
from mimelint.templates.scan import Scan

#: Header fields whose values are machine tokens (dates, ids, URLs), not text.
_STRUCTURED_FIELDS = frozenset(
    {
        "date",
        "message-id",
        "in-reply-to",
        "references",
        "content-id",
        "mime-version",
        "received",
        "dkim-signature",
        "list-unsubscribe",
        "list-unsubscribe-post",
        "list-help",
        "list-post",
        "list-archive",
        "auto-submitted",
        "precedence",
        "feedback-id",
    }
)
_FILENAME_PARAMS = frozenset({"name", "filename"})


def mask(
    data: bytes,
    template: Scan,
    *,
    max_depth: int,
    ascii_names: Iterable[str] = (),
    encoding_filters: Iterable[str] = (),
) -> Message:
    """Parse the template ``data`` as a message, placeholders masked.

    The result's :attr:`~mimelint.mime.tree.Message.template` describes the
    placeholders; its offsets are the template's.
    """
    neutral = bytearray(data)
    headless = _headless(data, template.placeholders)
    line_tags = set() if headless else _line_tags(data, template.placeholders)
    for p in template.placeholders:
        _write(neutral, p, _neutral(data, p, p.start in line_tags, headless))
    first = parse(bytes(neutral), max_depth=max_depth)
    parts = first.parts()
    starts = [part.start for part in parts]
    reading = _Reading(data, template.placeholders)
    final = bytearray(neutral)
    sites: list[Site] = []
    for p in template.placeholders:
        part = _innermost(parts, starts, p.start)
        if headless:
            # No header section to place anything in: M001 reports the template.
            where, name, token = Where.BODY, "", b"x" * (p.end - p.start)
        else:
            where, name, token = _place(first, part, p, p.start in line_tags, reading)
        _write(final, p, token)
        if p.kind.writes:
            sites.append(Site(p, where, part.path, name))
    message = parse(bytes(final), max_depth=max_depth)
    message.template = TemplateInfo(
        placeholders=template.placeholders,
        sites=tuple(sites),
        blocks=template.blocks,
        defects=template.defects,
        ascii_names=tuple(ascii_names),
        encoding_filters=tuple(encoding_filters),
    )
    return message


def _headless(data: bytes, placeholders: tuple[Placeholder, ...]) -> bool:
    """Whether the template has no header section: a body that a mailer wraps.

    Only a template that starts with a tag can be misread: a tag line is
    masked as a harmless field in a header section, and a value at the
    start of a line as a field. Read with every tag as plain letters, the
    template is asked what a message is asked (``has_header_section``): a
    field line before the first blank line (``{% if cc %}`` then
    ``Cc: ...``) says there is a header section; a first line of text (a
    ``{% extends %}`` line, then ``{% block title %}Welcome{% endblock %}``)
    says there is none.
    """
    if not placeholders or placeholders[0].start != 0:
        return False  # the first line is literal text: the parser reads it as it is
    plain = bytearray(data)
    for p in placeholders:
        _write(plain, p, b"x" * (p.end - p.start))
    return not has_header_section(parse(bytes(plain), max_depth=0))


def _line_tags(data: bytes, placeholders: tuple[Placeholder, ...]) -> set[int]:
    """Starts of the tags that write nothing and open a line holding only such tags."""
    found: set[int] = set()
    i = 0
    n = len(placeholders)
    while i < n:
        p = placeholders[i]
        line_start = data.rfind(b"\n", 0, p.start) + 1
        if p.kind.writes or p.start != line_start:
            i += 1
            continue
        j = i
        pos = p.end
        while j + 1 < n and not placeholders[j + 1].kind.writes:
            gap = data[pos : placeholders[j + 1].start]
            if gap.strip(b" \t") or b"\n" in gap:
                break
            j += 1
            pos = placeholders[j].end
        rest_end = data.find(b"\n", pos)
        rest = data[pos : len(data) if rest_end < 0 else rest_end]
        if not rest.strip(b" \t\r"):
            found.add(p.start)
        i = j + 1
    return found


def _write(buffer: bytearray, p: Placeholder, token: bytes) -> None:
    """Put ``token`` over the placeholder, keeping its line breaks (as folds)."""
    span = bytes(buffer[p.start : p.end])
    if b"\n" in span or b"\r" in span:
        out = bytearray(token)
        after_break = False
        for i, byte in enumerate(span):
            if byte in (10, 13):
                out[i] = byte
                after_break = True
            elif after_break:
                out[i] = 32
                after_break = False
        token = bytes(out)
    buffer[p.start : p.end] = token


def _neutral(data: bytes, p: Placeholder, line_tag: bool, headless: bool) -> bytes:
    size = p.end - p.start
    if line_tag or (not headless and p.kind.writes and _at_line_start(data, p.start)):
        return _field_line(size)
    return b"x" * size


def _at_line_start(data: bytes, pos: int) -> bool:
    return pos == 0 or data[pos - 1] == 10


def _field_line(size: int) -> bytes:
    return (b"X:" + b"x" * size)[:size]


def _innermost(parts: list[Part], starts: list[int], pos: int) -> Part:
    """The innermost part holding ``pos`` (the message where none does).

    Parts nest: the one that holds ``pos`` is the last part that starts
    before it or a part around that one, so the walk goes up its parents
    (as deep as the nesting), not back over its siblings.
    """
    i = bisect.bisect_right(starts, pos) - 1
    if i <= 0:
        return parts[0]
    part: Part | None = parts[i]
    while part is not None and not part.start <= pos < max(part.end, part.start + 1):
        part = part.parent
    return parts[0] if part is None else part


class _Cursor:
    """How far an address field has been read, and the state there."""

    __slots__ = ("angle", "element", "escaped", "filled", "pos", "quoted")

    def __init__(self, pos: int) -> None:
        self.pos = pos
        self.quoted = False
        self.escaped = False
        self.angle = -1  #: offset of an open "<", or -1
        self.element = pos  #: where the current list element starts
        self.filled = -1  #: the element a block's closing tag was masked as an address in

    def advance(self, data: bytes, to: int) -> None:
        """Read ``data[pos:to]``: quotes, angle brackets, list separators."""
        for i in range(self.pos, to):
            c = data[i]
            if self.escaped:
                self.escaped = False
            elif c == 0x5C:  # backslash
                self.escaped = True
            elif c == 0x22:  # "
                self.quoted = not self.quoted
            elif self.quoted:
                continue
            elif c == 0x3C:  # <
                self.angle = i
            elif c == 0x3E:  # >
                self.angle = -1
            elif c in (0x2C, 0x3A, 0x3B):  # , : ;
                self.element = i + 1
                self.angle = -1
        self.pos = max(self.pos, to)


class _Reading:
    """What one masking keeps between placeholders, so each byte is read once.

    Placeholders come in order: an address field is read from where the
    previous placeholder in it left off, and a part's field offsets are
    listed once.
    """

    def __init__(self, template: bytes, placeholders: tuple[Placeholder, ...]) -> None:
        self.template = template
        self.cursors: dict[int, _Cursor] = {}
        self.field_starts: dict[str, list[int]] = {}
        self.generated: dict[str, bool] = {}
        self.placeholders = placeholders
        self.placeholder_starts = [p.start for p in placeholders]

    def generated_boundary(self, message: Message, part: Part) -> bool:
        """Whether the multipart ``part`` has a boundary the data gives, written alike everywhere.

        The ``boundary`` parameter holds a placeholder, and every delimiter
        line starts with the same template text as the parameter's value
        (``boundary="{{ b }}"`` and ``--{{ b }}``): a boundary the program
        makes for each message, as MIME libraries do.
        """
        found = self.generated.get(part.path)
        if found is None:
            found = self.generated[part.path] = self._generated_boundary(message, part)
        return found

    def _generated_boundary(self, message: Message, part: Part) -> bool:
        if not part.delimiters:
            return False
        value: tuple[int, int] | None = None
        for h in part.headers:
            if h.kind is FIELD and h.lname == "content-type":
                structured = parse_structured(
                    message.data[h.value_start : h.value_end], h.value_start
                )
                for param in structured.params:
                    if param.name == "boundary":
                        value = (param.value_start, param.value_end)
                        if param.quoted:
                            value = (param.value_start + 1, param.value_end - 1)
                break
        if value is None:
            return False
        text = self.template[value[0] : value[1]]
        i = bisect.bisect_right(self.placeholder_starts, value[1]) - 1
        if i < 0 or self.placeholders[i].end <= value[0]:
            return False  # a constant boundary: nothing to compare
        return bool(text) and all(
            self.template.startswith(text, d.dash + 2) for d in part.delimiters
        )

    def field_name(self, h: Header) -> str:
        """The name of field ``h`` as the template writes it, after the tags that open its line.

        ``{% if reply_to %}Reply-To: {{ reply_to }}`` masks the tag as letters
        (a line may not start with blanks), which the parser reads as part of
        the field name; the field is Reply-To.
        """
        pos = h.start
        found = self.placeholders
        i = bisect.bisect_left(self.placeholder_starts, pos)
        while i < len(found) and found[i].start == pos and not found[i].kind.writes:
            pos = found[i].end
            i += 1
        return h.name if pos == h.start else h.name[pos - h.start :].strip()

    def only_tags(self, data: bytes, start: int, end: int) -> bool:
        """Whether ``data[start:end]`` holds nothing but white space and tags that write nothing."""
        found = self.placeholders
        i = bisect.bisect_left(self.placeholder_starts, start)
        pos = start
        while i < len(found) and found[i].start < end:
            tag = found[i]
            if tag.kind.writes or data[pos : tag.start].strip():
                return False
            pos = max(pos, tag.end)
            i += 1
        return not data[pos:end].strip()

    def cursor(self, value_start: int) -> _Cursor:
        found = self.cursors.get(value_start)
        if found is None:
            found = self.cursors[value_start] = _Cursor(value_start)
        return found

    def starts(self, part: Part) -> list[int]:
        found = self.field_starts.get(part.path)
        if found is None:
            found = self.field_starts[part.path] = [h.start for h in part.headers]
        return found


def _delimiter_start(d: Delimiter) -> int:
    return d.start


def _place(
    message: Message, part: Part, p: Placeholder, line_tag: bool, reading: _Reading
) -> tuple[Where, str, bytes]:
    """Where ``p`` stands, the field it is in, and the token that masks it."""
    size = p.end - p.start
    pos = p.start
    letters = b"x" * size
    data = message.data
    if pos < part.header_end:
        at_line_start = _at_line_start(data, pos)
        if not p.kind.writes:
            if line_tag:
                return Where.STRUCTURED_HEADER, "", _field_line(size)
            line_start = data.rfind(b"\n", 0, pos) + 1
            if at_line_start or reading.only_tags(data, line_start, pos):
                # Tags that open a line ({% endif %}{% if mid %}Message-ID: ...) are
                # letters alike: blanks after the first would split the field name.
                return Where.STRUCTURED_HEADER, "", letters
            return Where.STRUCTURED_HEADER, "", _silent_in_header(message, part, p, reading)
        if at_line_start:
            # A value that writes whole header lines ({{ extra_headers }}): a
            # field to the parser, text sent as written to the rules.
            return Where.RAW_HEADER, "", _field_line(size)
        return _place_in_header(message, part, p, reading)
    if not p.kind.writes:
        return Where.BODY, "", letters
    # The delimiter lines are in order: the one that can hold pos is found
    # by bisection, not by a walk over a multipart's every part.
    k = bisect.bisect_right(part.delimiters, pos, key=_delimiter_start) - 1
    if k >= 0 and pos < part.delimiters[k].end:
        if reading.generated_boundary(message, part):
            return Where.GENERATED_BOUNDARY, "", letters
        return Where.DELIMITER, "", letters
    if part.delimiters or part.children:
        return Where.MULTIPART_TEXT, "", letters
    if part.transfer_encoding == "base64":
        # Base64 that decodes to ASCII text ("AAA"), so that a whole-group value
        # (the usual {{ body | b64 }} on its own line) reads as clean data.
        return Where.BODY, "", (b"QUFB" * (size // 4 + 1))[:size]
    if part.transfer_encoding in ("8bit", "binary") and (
        (part.charset or "").lower() in ("utf-8", "utf8")
        # RFC 6532 §3.5-§3.7: message/global, message/global-headers and
        # message/global-delivery-status carry UTF-8 without a charset.
        or part.content_type.startswith("message/global")
    ):
        # Where 8-bit text is declared, a value may well be non-ASCII: say so
        # with one UTF-8 character, so that the declaration reads as needed.
        return Where.BODY, "", letters[:-2] + "é".encode()
    return Where.BODY, "", letters


def _place_in_header(
    message: Message, part: Part, p: Placeholder, reading: _Reading
) -> tuple[Where, str, bytes]:
    size = p.end - p.start
    letters = b"x" * size
    headers = part.headers
    i = bisect.bisect_right(reading.starts(part), p.start) - 1
    if i < 0:
        return Where.RAW_HEADER, "", letters
    h = headers[i]
    if h.kind is not FIELD or p.start < h.value_start:
        return Where.STRUCTURED_HEADER, h.name, letters
    name = reading.field_name(h)
    lname = name.lower()
    if lname in ADDRESS_FIELDS:
        cursor = reading.cursor(h.value_start)
        return _place_in_address(message.data, cursor, h.value_end, p, name, reading)
    if lname == "content-transfer-encoding":
        whole = message.data[h.value_start : h.value_end].strip(b" \t") == letters
        return Where.STRUCTURE, name, _padded(b"7bit", size) if whole else letters
    if lname in ("content-type", "content-disposition"):
        value = parse_structured(message.data[h.value_start : h.value_end], h.value_start)
        if value.main_start <= p.start < max(value.main_end, value.main_start + 1):
            whole = value.main_start == p.start and value.main_end == p.end
            if lname == "content-disposition":
                word = b"attachment" if size >= 10 else b"inline"
                token = _padded(word, size) if whole and size >= len(word) else letters
                return Where.STRUCTURED_HEADER, name, token
            return Where.STRUCTURE, name, (b"x/" + letters)[:size] if whole else letters
        for param in value.params:
            if param.start <= p.start < param.end:
                if param.name == "boundary" and lname == "content-type":
                    if reading.generated_boundary(message, part):
                        return Where.GENERATED_BOUNDARY, name, letters
                    return Where.STRUCTURE, name, letters
                if param.name in _FILENAME_PARAMS:
                    return Where.RAW_HEADER, name, letters
                if param.name == "charset" and (param.value_start, param.value_end) == (
                    p.start,
                    p.end,
                ):
                    return Where.STRUCTURED_HEADER, name, _padded(b"utf-8", size)
                break
        return Where.STRUCTURED_HEADER, name, letters
    if lname in _STRUCTURED_FIELDS:
        return Where.STRUCTURED_HEADER, name, letters
    return Where.RAW_HEADER, name, letters


def _silent_in_header(message: Message, part: Part, p: Placeholder, reading: _Reading) -> bytes:
    """The token of a tag that writes nothing, inside a header line: blanks, or an address.

    A list joined in a loop (``{{#each to}}{{this}}{{#unless @last}}, {{/unless}}{{/each}}``,
    ``{% if not loop.last %}, {% endif %}``) has a separator whose next
    element, in the template, is only the block's closing tags: the loop's
    next address. Blanks there would read as an empty list element (M409);
    the first closing or middle tag of such an element reads as an addr-spec.
    """
    size = p.end - p.start
    blanks = b" " * size
    if p.kind not in (Kind.CLOSE, Kind.MIDDLE) or size < 5:
        return blanks
    i = bisect.bisect_right(reading.starts(part), p.start) - 1
    if i < 0:
        return blanks
    h = part.headers[i]
    if h.kind is not FIELD or p.start < h.value_start or h.lname not in ADDRESS_FIELDS:
        return blanks
    data = message.data
    cursor = reading.cursor(h.value_start)
    cursor.advance(data, p.start)
    element = cursor.element
    if cursor.quoted or cursor.angle >= 0 or element == h.value_start or cursor.filled == element:
        return blanks  # not after a separator, or the element has its address already
    if not reading.only_tags(data, element, p.start):
        return blanks
    rest_end = _element_end(data, p.end, h.value_end)
    if not reading.only_tags(data, p.end, rest_end):
        return blanks
    cursor.filled = element
    return _addr_spec(size)


def _element_end(data: bytes, start: int, value_end: int) -> int:
    """Where the address list element that goes on at ``start`` ends (a separator or the value's end)."""
    end = value_end
    for separator in (b",", b";"):
        found = data.find(separator, start, end)
        if found >= 0:
            end = found
    return end


def _place_in_address(
    data: bytes,
    cursor: _Cursor,
    value_end: int,
    p: Placeholder,
    name: str,
    reading: _Reading,
) -> tuple[Where, str, bytes]:
    """Display name, addr-spec, local part or domain: read from the text around ``p``."""
    size = p.end - p.start
    letters = b"x" * size
    cursor.advance(data, p.start)
    if cursor.quoted:
        return Where.RAW_HEADER, name, letters
    after_at = data[p.end : p.end + 1] == b"@"
    if cursor.angle >= 0:
        if data.find(b"@", cursor.angle, p.start) >= 0:
            return Where.DOMAIN, name, _domain(size)
        if after_at:
            return Where.ADDRESS, name, letters
        return Where.ADDRESS, name, _addr_spec(size)
    element = cursor.element
    # The word just before the placeholder (no blank between): x@{{ d }}.
    blank = max(data.rfind(b" ", element, p.start), data.rfind(b"\t", element, p.start))
    word_start = max(blank + 1, element, data.rfind(b"\n", element, p.start) + 1)
    if data.find(b"@", word_start, p.start) >= 0:
        return Where.DOMAIN, name, _domain(size)
    if after_at:
        return Where.ADDRESS, name, letters
    # Tags that write nothing around the value ({{#each to}}{{this}}, {{ to }}{% if cc %})
    # leave it the whole element.
    rest_end = _element_end(data, p.end, value_end)
    if reading.only_tags(data, element, p.start) and reading.only_tags(data, p.end, rest_end):
        return Where.ADDRESS, name, _addr_spec(size)
    return Where.RAW_HEADER, name, letters


def _padded(word: bytes, size: int) -> bytes:
    """``word`` and blanks (white space a structured value may end with), or letters."""
    return word + b" " * (size - len(word)) if size >= len(word) else b"x" * size


def _domain(size: int) -> bytes:
    """Letters in labels of at most 63, as a domain must be (RFC 1035 §2.3.4)."""
    out = bytearray(b"x" * size)
    for i in range(63, size - 1, 64):
        out[i] = 0x2E  # .
    return bytes(out)


def _addr_spec(size: int) -> bytes:
    for domain in (b"example.com", b"x.com", b"x.x"):
        local = size - len(domain) - 1
        if local < 1:
            continue
        if local <= 64:
            return b"a" * local + b"@" + domain
        # RFC 5321 §4.5.3.1.1: a local part is at most 64 octets; the rest
        # goes into more labels of the domain.
        extra = local - 64
        if extra == 1:
            return b"a" * 63 + b"@x." + domain
        return b"a" * 64 + b"@" + _domain(extra - 1) + b"." + domain
    return b"x" * size
