"""Bytes to a lossless part tree.

The standard library's ``email.feedparser`` cannot serve here: it drops byte
positions and silently repairs what it reads. This parser never repairs and
never raises; it records what it met as :class:`~mimelint.mime.tree.Defect` and
keeps every byte inside exactly one node, so the tree rebuilds the input.

Tolerances, after RFC 7103's catalogue of what real mail contains: LF, CRLF
or mixed line endings; a missing blank line between header and body; a first
line that is a continuation or an mbox ``From`` line; header lines without a
colon; missing, broken or never-closed boundaries; truncated input; NUL and
8-bit bytes anywhere. Nesting is capped, and the cap is a defect, not a
crash: the work is iterative, so no input can exhaust the stack.
"""

from __future__ import annotations

import bisect
import functools
import re

from mimelint.mime.boundaries import DELIMITER_TAIL as _DELIMITER_TAIL
from mimelint.mime.sections import FIELD_LINE as _FIELD_LINE
from mimelint.mime.transfer_encodings import IDENTITY
from mimelint.mime.tree import (
    BAD_NAME,
    CONTINUATION_FIRST,
    EMPTY_NAME,
    ENVELOPE,
    FIELD,
    NO_COLON,
    Defect,
    DefectKind,
    Delimiter,
    Header,
    HeaderKind,
    Message,
    Part,
)

DEFAULT_MAX_DEPTH = 100
#: Makes a record (a Delimiter) from a tuple of its fields in one C call;
#: the generated ``__new__`` of a NamedTuple is a Python function.
_record = tuple.__new__

#: A well-formed field with all its continuation lines, in one C-speed match.
_WHOLE_FIELD = re.compile(rb"([!-9;-~]+)[ \t]*(:)[^\n]*(?:\n[ \t][^\n]*)*\n?")
#: The media types whose body the parser reads as a message of its own (when
#: not transfer-encoded): RFC 2046 §5.2.1 message/rfc822, RFC 6532 §3.5
#: message/global.
EMBEDDING_TYPES = frozenset({"message/rfc822", "message/global"})


def parse(
    data: bytes | bytearray | memoryview | str, *, max_depth: int = DEFAULT_MAX_DEPTH
) -> Message:
    """Parse a raw message into a :class:`~mimelint.mime.tree.Message` tree.

    ``str`` input is encoded as UTF-8 (lone surrogates from a
    ``surrogateescape`` decode come back as the bytes they stood for).
    Never raises on any input.
    """
    if isinstance(data, str):
        data = data.encode("utf-8", "surrogateescape")
    elif not isinstance(data, bytes):
        data = bytes(data)
    message = Message(data, max_depth)
    pending: list[Part] = [message]
    while pending:
        part = pending.pop()
        _parse_headers(part)
        pending.extend(reversed(_parse_body(part)))
    return message


_BLANK_LINE = re.compile(rb"\n\r?\n")


@functools.cache  # compiled on first use: only input that does not start with a field needs it
def _field_like_start() -> re.Pattern[bytes]:
    """A line that starts like a header field, anywhere in a buffer: as
    _FIELD_LINE, but 8-bit bytes after the name's first character are allowed
    (a broken field name is still a field; M101 reports it)."""
    return re.compile(rb"(?m)^[!-9;-~][!-9;-~\x80-\xff]*[ \t]*:")


_NOT_WHITE_SPACE = re.compile(rb"[^ \t\r\n\x0b\x0c]")


def is_blank(data: bytes) -> bool:
    """Whether ``data`` holds nothing but white space and line breaks (or nothing).

    One C-speed search that stops at the first other byte: no copy of a
    large message, unlike ``not data.strip()``.
    """
    return _NOT_WHITE_SPACE.search(data) is None


def has_header_section(message: Message) -> bool:
    """Whether a parsed input has anything a reader could take for a header section.

    False only when the first line is not a header field (``Name: value``),
    not an mbox ``From`` line and not blank (a leading blank line cuts off
    a header section: rule M608), *and* no line before the first blank line
    starts like a field (``Name:``). So a broken message with some field in
    its header section is a message, however odd its other lines (no colon,
    a continuation first); a text file, random bytes or a body saved
    without its header is not, even where the parser made header lines of
    its first lines. The cost is one C-speed search up to the first blank
    line, and nothing when the first line is a field. A field name may hold
    8-bit bytes here (``X-\xfc: v`` is a broken field, not junk).
    """
    headers = message.headers
    if headers and headers[0].kind in (FIELD, ENVELOPE):
        return True  # the common case
    data = message.data
    if data.startswith((b"\n", b"\r\n", b"From ")):
        return True
    blank = _BLANK_LINE.search(data)
    end = blank.start() if blank is not None else len(data)
    return _field_like_start().search(data, 0, end) is not None


def _line(data: bytes, pos: int, end: int) -> tuple[int, int]:
    """(content end, line end) of the line at ``pos``; CR LF or LF ends it."""
    nl = data.find(b"\n", pos, end)
    if nl < 0:
        return end, end
    content_end = nl - 1 if nl > pos and data[nl - 1] == 13 else nl
    return content_end, nl + 1


def _is_blank(data: bytes, pos: int, end: int) -> bool:
    content_end, line_end = _line(data, pos, end)
    return content_end == pos and line_end > pos


def _is_headerish(data: bytes, pos: int, end: int) -> bool:
    """Does the line at ``pos`` continue a header section?"""
    if pos >= end:
        return False
    if data[pos] in (32, 9):
        return True
    return _FIELD_LINE.match(data, pos, end) is not None


def _parse_headers(part: Part) -> None:
    data, pos, end = part.data, part.start, part.end
    headers = part.headers
    # The open line that is no well-formed field, (start, colon, kind): it
    # becomes a Header, continuation lines included, where the next line
    # that is no continuation starts. (A tuple, not a closure: the loop's
    # names stay plain locals.)
    odd: tuple[int, int, HeaderKind] | None = None
    first = True
    whole_field = _WHOLE_FIELD.match
    while pos < end:
        m = whole_field(data, pos, end)
        if m is not None:
            # The common case: a well-formed field and its continuations.
            if odd is not None:
                headers.append(Header(data, odd[0], pos, odd[1], odd[2]))
                odd = None
            field_end = m.end()
            headers.append(Header(data, pos, field_end, m.start(2), FIELD, m.group(1)))
            pos = field_end
            first = False
            continue
        content_end, line_end = _line(data, pos, end)
        if content_end == pos and line_end > pos:
            if odd is not None:
                headers.append(Header(data, odd[0], pos, odd[1], odd[2]))
            part.header_end = pos
            part.separator = (pos, line_end)
            part.body_start = line_end
            return
        lead = data[pos]
        if lead in (32, 9):
            if odd is None:
                odd = (pos, -1, CONTINUATION_FIRST)
            pos = line_end
            first = False
            continue
        # Not a well-formed field (those matched above): say what it is.
        colon = data.find(b":", pos, content_end)
        if first and data.startswith(b"From ", pos):
            kind = ENVELOPE
            colon = -1
        elif colon == pos:
            kind = EMPTY_NAME
        elif colon > pos and (_is_headerish(data, line_end, end) or _is_blank(data, line_end, end)):
            kind = BAD_NAME
        elif colon < 0 and _is_headerish(data, line_end, end):
            kind = NO_COLON
        else:
            if odd is not None:
                headers.append(Header(data, odd[0], pos, odd[1], odd[2]))
            part.header_end = pos
            part.body_start = pos
            if headers:
                part.defects.append(Defect(DefectKind.MISSING_SEPARATOR, pos, content_end))
            elif part.parent is not None:
                part.defects.append(Defect(DefectKind.PART_WITHOUT_HEADERS, pos, content_end))
            else:
                part.defects.append(Defect(DefectKind.NO_HEADER_SECTION, pos, content_end))
            return
        if odd is not None:
            headers.append(Header(data, odd[0], pos, odd[1], odd[2]))
        odd = (pos, colon, kind)
        first = False
        pos = line_end
    if odd is not None:
        headers.append(Header(data, odd[0], end, odd[1], odd[2]))
    part.header_end = end
    part.body_start = end
    if part.parent is None and not headers and end > part.start:
        part.defects.append(Defect(DefectKind.NO_HEADER_SECTION, part.start, end))


def _parse_body(part: Part) -> list[Part]:
    """Split a multipart body or open an embedded message; return new parts."""
    if part.body_start >= part.body_end and not part.is_multipart:
        return []
    if part.is_multipart:
        ct = part.content_type_value
        boundary = ct.get("boundary") if ct is not None else None
        if not boundary:
            h = part.header("content-type")
            at = h.start if h is not None else part.start
            part.defects.append(Defect(DefectKind.NO_BOUNDARY, at, h.value_end if h else at))
            return []
        if part.depth >= part.message.max_depth:
            part.defects.append(Defect(DefectKind.DEPTH_EXCEEDED, part.body_start, part.body_end))
            return []
        return _split(part, boundary)
    if part.content_type in EMBEDDING_TYPES and part.transfer_encoding in IDENTITY:
        if part.depth >= part.message.max_depth:
            part.defects.append(Defect(DefectKind.DEPTH_EXCEEDED, part.body_start, part.body_end))
            return []
        inner = Part(part.message, part.data, part.body_start, part.body_end)
        inner.parent = part
        inner.path = part.path
        inner.depth = part.depth + 1
        part.embedded = inner
        return [inner]
    return []


def _split(part: Part, boundary: str) -> list[Part]:
    data = part.data
    start, end = part.body_start, part.body_end
    part.boundary = boundary
    # Compiling a pattern per boundary costs more than the split itself on
    # small messages: match the fixed prefix with startswith, the tail with
    # one shared pattern.
    marker = b"--" + boundary.encode("utf-8", "surrogateescape")
    skip = len(marker)
    message = part.message
    candidates = message.dash_lines()
    index = bisect.bisect_left(candidates, start)
    previous_end = start
    delimiters = part.delimiters
    while index < len(candidates) and candidates[index] < end:
        dash = candidates[index]
        index += 1
        if not data.startswith(marker, dash):
            continue
        m = _DELIMITER_TAIL.match(data, dash + skip, end)
        if m is None:
            continue
        lead = dash
        if dash > previous_end and data[dash - 1] == 10:
            lead = dash - 2 if dash - 1 > previous_end and data[dash - 2] == 13 else dash - 1
        close = m.group(1) is not None
        previous_end = m.end()
        delimiters.append(_record(Delimiter, (lead, dash, previous_end, close)))
        if close:
            break
    if not delimiters:
        part.defects.append(Defect(DefectKind.NO_PARTS, start, end))
        return []
    part.preamble = (start, delimiters[0].start)
    children: list[Part] = []
    for number, (opening, following) in enumerate(
        zip(delimiters, delimiters[1:] + [None]), start=1
    ):
        if opening.close:
            part.epilogue = (opening.end, end)
            part.closed = True
            break
        child_end = following.start if following is not None else end
        child = Part(message, data, opening.end, child_end)
        child.parent = part
        child.depth = part.depth + 1
        child.path = f"{part.path}.{number}" if part.path else str(number)
        children.append(child)
    if not part.closed:
        part.defects.append(Defect(DefectKind.MISSING_CLOSE_DELIMITER, delimiters[-1].dash, end))
    if not children:
        part.defects.append(Defect(DefectKind.NO_PARTS, start, end))
    part.children = children
    return children
