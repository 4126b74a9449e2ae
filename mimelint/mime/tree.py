"""The part tree: every node knows its byte span in the original message.

Nodes never copy the message: they hold offsets into one shared buffer.
What every lint reads of every part (its fields by name, its parsed
Content-Type and Content-Disposition, its transfer encoding) the parser sets
as it reads the part; other derived values (decoded payloads, scans) are
computed on first use and cached, so every rule that asks shares one
computation.
"""

from __future__ import annotations

import binascii
import bisect
import enum
import functools
import re
import weakref
from collections.abc import Callable, Iterator, Mapping

from mimelint._records import NamedTuple
from mimelint.mime.address_tokens import Token, tokenize
from mimelint.mime.address_units import Unit, units_of
from mimelint.mime.addresses import AddressFields, AddressSpan, parse_address_list
from mimelint.mime.boundaries import MultipartShape, multipart_shape, plan_renames
from mimelint.mime.charsets import codec_for, implied_charset
from mimelint.mime.encoded_words import LIMIT_LINE, LIMIT_WORD, Fault, Word, find_words
from mimelint.mime.encoded_words import decode_words as decode_words  # noqa: PLC0414 - re-exported for proof.py, plugins
from mimelint.mime.fields import SIGNATURES, FieldKind, field_kind
from mimelint.mime.filenames import FileName, file_names
from mimelint.mime.params import StructuredValue, parse_structured
from mimelint.mime.position import LineIndex
from mimelint.mime.scan import (
    MAX_ENCODED_LINE,
    Base64Scan,
    ContentBytes,
    MessageBytes,
    QuotedPrintableScan,
    Region,
    RegionKind,
    Sniffed,
    content_regions,
    message_bytes,
    scan_base64,
    scan_quoted_printable,
    sniff,
)
from mimelint.mime.transfer_encodings import NOT_BASE64

TYPE_CHECKING = False  # typing's flag, without importing typing at start-up
if TYPE_CHECKING:
    from typing import Any


class _Lazy:
    """A computed-once attribute, stored in the instance ``__dict__``.

    ``functools.cached_property`` does the same but takes a lock on every
    first access in Python 3.11; the tree computes dozens of these per
    message, on a single thread, so the lock is pure overhead here. Type
    checkers see ``functools.cached_property`` instead (below).
    """

    def __init__(self, func: Callable[[Any], Any]) -> None:
        self.func = func
        self.name = func.__name__
        self.__doc__ = func.__doc__

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, obj: Any, owner: type | None = None) -> Any:
        if obj is None:
            return self
        value = obj.__dict__[self.name] = self.func(obj)
        return value


if TYPE_CHECKING:
    from functools import cached_property as lazy

    from mimelint.mime.sections import HeaderSections
    from mimelint.placeholders import TemplateInfo
else:
    lazy = _Lazy

_FOLD = re.compile(rb"\r?\n(?=[ \t])")
#: Bytes after a "-" searched for a line that starts with "--" (Message.dash_lines).
_DASH_WINDOW = 1 << 12
#: Offsets past this are positioned from the marks of Message.whole_scan.
_FAR = 1 << 20
#: Spans up to this long are positioned from their start (Message.span_position).
_SHORT_SPAN = 256


class HeaderKind(str, enum.Enum):
    """What the parser made of one line (with its folds) of a header section.

    A ``str`` enum, so a kind reads as its name in messages and JSON.
    """

    FIELD = "field"  #: name ":" value, the name well formed
    BAD_NAME = "bad-name"  #: has a colon, but the name holds illegal characters
    EMPTY_NAME = "empty-name"  #: the line starts with ":"
    NO_COLON = "no-colon"  #: a line inside the header section without a colon
    CONTINUATION_FIRST = "continuation-first"  #: white space before any header
    ENVELOPE = "envelope"  #: an mbox "From " line at the very top


# The kinds by their short names, for the modules that read them often
# (on Python 3.11 reading a member from its Enum class costs 70-100 ns,
# a module global 10 ns).
FIELD = HeaderKind.FIELD
BAD_NAME = HeaderKind.BAD_NAME
EMPTY_NAME = HeaderKind.EMPTY_NAME
NO_COLON = HeaderKind.NO_COLON
CONTINUATION_FIRST = HeaderKind.CONTINUATION_FIRST
ENVELOPE = HeaderKind.ENVELOPE
_BODY = RegionKind.BODY


class DefectKind(str, enum.Enum):
    """A structural fact the parser met (see :class:`Defect`)."""

    DEPTH_EXCEEDED = "depth-exceeded"
    MISSING_CLOSE_DELIMITER = "missing-close-delimiter"
    MISSING_SEPARATOR = "missing-separator"
    NO_BOUNDARY = "no-boundary"
    NO_HEADER_SECTION = "no-header-section"
    NO_PARTS = "no-parts"
    PART_WITHOUT_HEADERS = "part-without-headers"


# Compiled on first use: only a Content-Transfer-Encoding that is no bare token needs it.
@functools.cache
def _cte_decorated() -> re.Pattern[str]:
    """A Content-Transfer-Encoding mechanism (a token), comments removed, in
    quotes or followed by ";": what lenient readers take it to be."""
    return re.compile(r'\s*+("?)([!#$%&\'*+\-.0-9a-z^_`{|}~]++)\1\s*+;?\s*+\Z')


#: A bare mechanism between blanks on one line: read as written (lower case).
_CTE_PLAIN = re.compile(rb"[ \t]*([A-Za-z0-9\-]+)[ \t]*")
_COMMENT_SPECIAL = re.compile(r'[()\\"]')


def uncomment(text: str) -> str | None:
    """``text`` with RFC 5322 comments replaced by one space; None if unbalanced.

    Comments nest and hold quoted-pairs (``(a (b) c)``, ``(x\\)y)``, RFC 5322
    §3.2.2); a quoted string outside comments is kept as written, so a
    ``(`` inside quotes opens nothing. Linear: only the special characters
    are visited.
    """
    if "(" not in text and ")" not in text:
        return text
    out: list[str] = []
    depth = 0
    quoted = False
    keep = 0  # start of the text kept since the last comment
    skip = 0  # a quoted-pair's escaped character is no special
    for m in _COMMENT_SPECIAL.finditer(text):
        i = m.start()
        if i < skip:
            continue
        c = text[i]
        if c == "\\":
            skip = i + 2
        elif quoted:
            quoted = c != '"'
        elif depth == 0:
            if c == '"':
                quoted = True
            elif c == "(":
                out.append(text[keep:i])
                depth = 1
            else:  # ")" closing nothing
                return None
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                out.append(" ")
                keep = i + 1
    if depth:
        return None
    out.append(text[keep:])
    return "".join(out)


class Defect(NamedTuple):
    """A structural fact the parser met, with its byte span.

    The engine knows no rule: it records what it saw, and rules decide what
    to report. ``kind`` says what it is (``DefectKind.MISSING_SEPARATOR``).
    """

    kind: DefectKind
    start: int
    end: int
    detail: str = ""


class Header:
    """One header field, folded lines included, as it stands in the bytes."""

    __slots__ = (
        "__dict__",
        "_data",
        "colon",
        "end",
        "kind",
        "lname",
        "name",
        "start",
        "value_end",
        "value_start",
    )

    def __init__(
        self,
        data: bytes,
        start: int,
        end: int,
        colon: int,
        kind: HeaderKind,
        name: bytes | None = None,
    ) -> None:
        self._data = data
        self.start = start  #: offset of the field's first byte
        self.end = end  #: offset after its last line ending
        self.colon = colon  #: offset of the colon, or -1
        self.kind = kind  #: one of the header kinds above
        if colon >= 0:
            if name is None:  # the parser passes the name when it matched one
                name = data[start:colon].rstrip(b" \t")
            text = name.decode("ascii", "surrogateescape")
            value_start = colon + 1
        else:
            text = ""
            value_start = start
        self.name = text
        self.lname = text.lower()
        #: offset of the first byte after the colon (the field start if none)
        self.value_start = value_start
        # The end of the value, before the final line ending. Every rule that
        # reads a value needs it, so it is computed here, not on first use.
        if end > start and data[end - 1] == 10:
            end -= 1
            if end > start and data[end - 1] == 13:
                end -= 1
        # An empty value ends just after the colon. Not max(): a builtin call
        # per header costs 3% of the parser (callgrind, small messages).
        self.value_end = end if end > value_start else value_start  # noqa: FURB136

    @property
    def raw(self) -> bytes:
        """The whole field as written, line endings included."""
        return self._data[self.start : self.end]

    @property
    def raw_value(self) -> bytes:
        """The value as written: folds kept, final line ending removed."""
        return self._data[self.value_start : self.value_end]

    @property
    def value_span(self) -> tuple[int, int]:
        """Where the value lies without the white space and folds around it.

        An empty (or all-blank) value is the empty span just after the colon.
        """
        raw = self.raw_value
        lead = len(raw) - len(raw.lstrip(b" \t\r\n"))
        if lead == len(raw):
            return self.value_start, self.value_start
        return self.value_start + lead, self.value_start + len(raw.rstrip(b" \t\r\n"))

    @lazy
    def unfolded(self) -> bytes:
        """The value with folding line breaks removed, ends stripped."""
        raw = self._data[self.value_start : self.value_end]  # raw_value, without its call
        if b"\n" in raw:  # folded (the pattern is tried at every byte: skip one-line values)
            raw = _FOLD.sub(b"", raw)
        return raw.strip(b" \t")

    @lazy
    def value(self) -> str:
        """The unfolded value as text; undecodable bytes are surrogate-escaped."""
        return self.unfolded.decode("utf-8", "surrogateescape")

    @lazy
    def address_tokens(self) -> list[Token]:
        """The value read as an address list: its tokens, comments included
        (:func:`mimelint.mime.address_tokens.tokenize`), with absolute offsets.
        Read once for the mailbox reader and every rule that asks."""
        return tokenize(self.raw_value, self.value_start, comments=True)

    @lazy
    def address_units(self) -> list[Unit]:
        """The value read as an address list, cut into phrases, addr-specs and
        comments (:func:`mimelint.mime.address_units.units_of`)."""
        return units_of(self.address_tokens)

    @lazy
    def structured(self) -> StructuredValue:
        """The value read as a MIME structured value (a media type or
        disposition and its parameters, :func:`mimelint.mime.params.parse_structured`)."""
        return parse_structured(self._data[self.value_start : self.value_end], self.value_start)

    @lazy
    def line_count(self) -> int:
        """Number of physical lines the field occupies."""
        return self._data.count(b"\n", self.start, self.end) + (
            0 if self._data[self.end - 1 : self.end] == b"\n" else 1
        )

    def __repr__(self) -> str:
        return f"Header({self.name!r}, {self.start}..{self.end}, {self.kind})"


class Delimiter(NamedTuple):
    """A boundary delimiter line of a multipart body.

    ``start`` includes the line break that precedes the delimiter (RFC 2046
    §5.1.1 makes it part of the delimiter); ``dash`` is the offset of the
    leading ``--``; ``end`` is after the line's own line ending.
    """

    start: int
    dash: int
    end: int
    close: bool


#: Read once per field by :attr:`Part.word_summary` (an Enum member read costs 70-100 ns).
_PARAMS, _ADDRESS = FieldKind.PARAMS, FieldKind.ADDRESS
_TEXT_KINDS = (FieldKind.UNSTRUCTURED, FieldKind.KEYWORDS)
_MALFORMED, _UNKNOWN_CHARSET = Fault.MALFORMED, Fault.UNKNOWN_CHARSET


class WordSummary:
    """What the encoded-words of a part's header section hold, in one pass
    over :attr:`Part.worded_fields` (:attr:`Part.word_summary`): the part
    facts of the encoded-word rules (:class:`mimelint.rule.Fact`) read it.

    A plain slotted class: a ``NamedTuple`` class costs about 90 µs to
    create at import, for a record built once per part with words.
    """

    __slots__ = (
        "empty",
        "glued",
        "in_address",
        "in_parameters",
        "long_field",
        "malformed",
        "outside_text",
        "too_long",
        "unknown_charset",
    )

    def __init__(
        self,
        malformed: bool,
        unknown_charset: bool,
        too_long: bool,
        long_field: bool,
        glued: bool,
        empty: bool,
        in_parameters: bool,
        in_address: bool,
        outside_text: bool,
    ) -> None:
        #: a word does not decode (Fault.MALFORMED) and its text is ASCII
        self.malformed = malformed
        #: a word's charset is unknown (Fault.UNKNOWN_CHARSET)
        self.unknown_charset = unknown_charset
        #: a word over 75 characters, in a field without parameters
        self.too_long = too_long
        #: a field without parameters holds words and is over 76 characters
        self.long_field = long_field
        #: a word directly follows another, no white space between them
        self.glued = glued
        #: a word has empty encoded text
        self.empty = empty
        #: a field with parameters (Content-Type...) holds words
        self.in_parameters = in_parameters
        #: an address field (From, To...) holds words
        self.in_address = in_address
        #: a field neither unstructured nor Keywords holds words
        self.outside_text = outside_text


class Part:
    """An entity: a header section, an optional blank line, and a body.

    A multipart body is split into preamble, delimiter lines, child parts and
    epilogue; a ``message/rfc822`` body holds one nested ``Part``. Offsets
    are absolute in the message buffer.

    A part holds its children strongly and its parent and message weakly,
    so a tree has no reference cycle and is freed the moment the last
    reference to its :class:`Message` goes, without waiting for the cyclic
    garbage collector (which, with cycles, took about a fifth of the time
    of linting a small message). Keep the message (or the lint report)
    while you use its parts.
    """

    # What the parser sets lives in slots: rules read these on every call,
    # and a slot read stays fast however many computed facts (``lazy``,
    # kept in ``__dict__``) the part gathers. Without slots, a part with
    # its facts held ~40 attributes in a dict, read at 20 ns each.
    __slots__ = (
        "__dict__",
        "__weakref__",
        "_message",
        "_parent",
        "body_end",
        "body_start",
        "boundary",
        "children",
        "closed",
        "content_type",
        "content_type_value",
        "data",
        "defects",
        "delimiters",
        "depth",
        "disposition_value",
        "embedded",
        "end",
        "epilogue",
        "fields_by_name",
        "header_end",
        "headers",
        "is_leaf",
        "is_multipart",
        "maintype",
        "odd_headers",
        "path",
        "preamble",
        "separator",
        "start",
        "transfer_encoding",
    )

    def __init__(
        self,
        message: Message | None,
        data: bytes,
        start: int,
        end: int,
        parent: Part | None = None,
        path: str = "",
    ) -> None:
        # The parser makes the message without an owner, then each part below
        # it with its parent: one weak reference each, no property setter.
        self._message = None if message is None else weakref.ref(message)
        self._parent: weakref.ref[Part] | None = None if parent is None else weakref.ref(parent)
        self.data = data
        self.start = start
        self.end = end
        self.headers: list[Header] = []
        #: Every header line with a colon, by lower-cased name, in order:
        #: indexed by the parser as it reads them (every part's content type
        #: and every field rule look here).
        self.fields_by_name: dict[str, list[Header]] = {}
        #: The header lines that are not well-formed fields (kind not FIELD),
        #: listed by the parser as it reads them. Nearly always empty; rules
        #: that visit odd lines cost nothing then.
        self.odd_headers: list[Header] = []
        self.header_end = start  #: end of the header section (start of separator or body)
        self.separator: tuple[int, int] | None = None  #: the blank line, if any
        self.body_start = start
        self.body_end = end
        self.path = path  #: IMAP-style section number; "" for the top message
        self.depth: int = 0 if parent is None else parent.depth + 1
        self.children: list[Part] = []
        self.delimiters: list[Delimiter] = []
        self.preamble: tuple[int, int] | None = None
        self.epilogue: tuple[int, int] | None = None
        self.closed = False  #: a close delimiter was found
        self.boundary: str | None = None  #: the boundary that split this body
        self.embedded: Part | None = None  #: the message inside message/rfc822
        #: A part with no children and no embedded message (the parser says
        #: so when it gives it either; the walk asks for every part).
        self.is_leaf = True
        self.defects: list[Defect] = []
        #: The parsed Content-Type header, or None when there is none.
        self.content_type_value: StructuredValue | None = None
        #: The effective media type, lower case (see :meth:`read_content_fields`).
        self.content_type = "text/plain"
        #: The part before the slash of :attr:`content_type`.
        self.maintype = "text"
        #: Whether the effective type is ``multipart/*``.
        self.is_multipart = False
        #: The Content-Transfer-Encoding, lower case (see :meth:`read_content_fields`).
        self.transfer_encoding = "7bit"
        #: The parsed Content-Disposition header, or None.
        self.disposition_value: StructuredValue | None = None

    @property
    def message(self) -> Message:
        """The top-level message this part belongs to (itself for the message)."""
        ref = self._message
        if ref is None:
            return self  # type: ignore[return-value]  # only a Message has no owner
        message = ref()
        if message is None:
            raise ReferenceError("the Message this part belongs to no longer exists")
        return message

    @property
    def parent(self) -> Part | None:
        """The enclosing multipart or message/rfc822 part; None for the message."""
        ref = self._parent
        return None if ref is None else ref()

    @parent.setter
    def parent(self, value: Part | None) -> None:
        self._parent = None if value is None else weakref.ref(value)

    # ----------------------------------------------------------- headers
    def header(self, name: str) -> Header | None:
        """The first header of that name (case-insensitive), or None."""
        found = self.fields_by_name.get(name.lower())
        return found[0] if found else None

    def headers_named(self, name: str) -> list[Header]:
        """Every header of that name, in order."""
        return self.fields_by_name.get(name.lower(), [])

    # ------------------------------------------------------ MIME headers
    def read_content_fields(self) -> None:
        """Set :attr:`content_type_value`, :attr:`content_type`,
        :attr:`maintype`, :attr:`is_multipart`, :attr:`transfer_encoding`
        and :attr:`disposition_value` from the header section.

        The parser calls it for every part once its header section is read
        (it needs the type and the encoding to read the body; its parent's
        type is set by then), so these are plain attributes, not computed
        on first use. The transfer encoding is lower case, ``7bit`` when
        the part declares none.

        The effective media type is lower case, RFC 2045 defaults applied:
        without a usable Content-Type, a part is ``text/plain`` except
        inside ``multipart/digest``, where it is ``message/rfc822``.
        """
        found = self.fields_by_name.get("content-type")  # header(), its name already lower case
        ct = self.content_type_value = found[0].structured if found else None
        main = major = ""
        if ct is not None:
            main = ct.main.lower()
            major, sep, minor = main.partition("/")
            if not (sep and major and minor and "/" not in minor):
                main = ""
        if not main:
            parent = self.parent
            if parent is not None and parent.content_type == "multipart/digest":
                main, major = "message/rfc822", "message"
            else:
                main, major = "text/plain", "text"
        self.content_type = main
        self.maintype = major
        self.is_multipart = major == "multipart"
        found = self.fields_by_name.get("content-transfer-encoding")
        if found:
            h = found[0]
            plain = _CTE_PLAIN.fullmatch(h._data, h.value_start, h.value_end)
            if plain is not None:  # the usual " base64": the same answer, sooner
                self.transfer_encoding = plain.group(1).decode("ascii").lower()
            else:
                self.transfer_encoding = read_mechanism(h.unfolded)
        found = self.fields_by_name.get("content-disposition")
        if found:  # (every lint reads it of every part, for the file names)
            self.disposition_value = found[0].structured

    @lazy
    def charset(self) -> str | None:
        """The declared charset parameter, lower case, or None (several rules
        of every text part ask)."""
        ct = self.content_type_value
        value = ct.get("charset") if ct is not None else None
        return value.strip().lower() if value else None

    @lazy
    def filename(self) -> str | None:
        """The attachment's name: disposition ``filename``, else type ``name``.

        RFC 2231 is applied; RFC 2047 encoded-words (which mailers use in
        parameters although RFC 2047 forbids it) are decoded too.
        """
        for sv, key in ((self.disposition_value, "filename"), (self.content_type_value, "name")):
            if sv is not None:
                value = sv.get(key)
                if value is not None:
                    return decode_words(value)
        return None

    # -------------------------------------------------------------- body
    @property
    def body(self) -> bytes:
        """The raw body bytes (a copy; prefer offsets on hot paths)."""
        return self.data[self.body_start : self.body_end]

    @lazy
    def payload(self) -> bytes:
        """The body after transfer decoding (lenient, as mail clients are).

        Base64 skips characters outside the alphabet and tolerates missing
        padding; quoted-printable keeps malformed escapes as written.
        Unknown encodings yield the raw bytes.
        """
        view = memoryview(self.data)[self.body_start : self.body_end]
        cte = self.transfer_encoding
        if cte == "base64":
            return decode_base64(view)
        if cte == "quoted-printable":
            return binascii.a2b_qp(view)
        return bytes(view)

    @lazy
    def text(self) -> str | None:
        """The payload decoded with its charset, or None for non-text parts.

        Undecodable bytes become U+FFFD; an unknown charset yields None (rules
        report it; there is no text to speak of).
        """
        if self.maintype != "text":
            return None
        # As clients read the label: WHATWG labels, CJK supersets (charsets.py).
        codec = codec_for(self.charset or implied_charset(self.content_type))
        if codec is None:  # unknown, or no text codec (base64, rot13, zlib...)
            return None
        return self.payload.decode(codec, "replace")

    def release_decoded(self) -> None:
        """Drop the decoded body (:attr:`payload`, :attr:`text`) if computed.

        Both are computed again on the next read. For a caller that keeps
        a tree after it is done with its bodies (the fix proof), so that
        decoded copies of large bodies do not outlive their use.
        """
        self.__dict__.pop("payload", None)
        self.__dict__.pop("text", None)

    # -------------------------------------------------------------- tree
    def walk(self) -> Iterator[Part]:
        """This part and every part below it, depth first, in order."""
        stack: list[Part] = [self]
        while stack:
            part = stack.pop()
            yield part
            below = part.children if part.children else ([part.embedded] if part.embedded else [])
            stack.extend(reversed(below))

    def part_at(self, offset: int) -> Part:
        """The deepest part at or below this one whose span holds ``offset``.

        This part itself when no child (or embedded message) holds it.
        """
        node = self
        while True:
            embedded = node.embedded
            if embedded is not None and embedded.start <= offset < embedded.end:
                node = embedded
                continue
            children = node.children
            i = bisect.bisect_right([c.start for c in children], offset) - 1
            if i < 0 or offset >= children[i].end:
                return node
            node = children[i]

    def ancestors(self) -> Iterator[Part]:
        """The parents of this part, nearest first."""
        node = self.parent
        while node is not None:
            yield node
            node = node.parent

    def pieces(self, out: list[bytes | memoryview]) -> None:
        """Append the slices that make up this part, in order.

        Rebuilding from the tree (rather than returning the input) is what
        makes the losslessness property test meaningful: it fails if any byte
        falls outside every node.
        """
        view = memoryview(self.data)
        for h in self.headers:
            out.append(view[h.start : h.end])
        if self.separator is not None:
            out.append(view[self.separator[0] : self.separator[1]])
        if self.delimiters or self.children:
            if self.preamble is not None:
                out.append(view[self.preamble[0] : self.preamble[1]])
            children = iter(self.children)
            for delim in self.delimiters:
                out.append(view[delim.start : delim.end])
                if not delim.close:
                    child = next(children, None)
                    if child is not None:
                        child.pieces(out)
            if self.epilogue is not None:
                out.append(view[self.epilogue[0] : self.epilogue[1]])
        elif self.embedded is not None:
            self.embedded.pieces(out)
        else:
            out.append(view[self.body_start : self.body_end])

    def __repr__(self) -> str:
        return f"Part({self.path or 'message'}, {self.content_type}, {self.start}..{self.end})"

    # ------------------------------------------------------------------
    # Body scans (family: eightbit + encodings, mimelint.mime.scan). Each is
    # computed on first use and shared by every rule that asks.
    @lazy
    def span_scan(self) -> ContentBytes:
        """The bytes of the whole part, header section included (all the message's for it)."""
        return ContentBytes(self.data, self.start, self.end)

    @lazy
    def body_scan(self) -> ContentBytes:
        """The bytes of the body, children included.

        A base64 or quoted-printable leaf's body scan starts from what the
        scan of its encoding proved (line endings, ASCII, line lengths), so
        no rule reads the body again for those.
        """
        b64 = self.base64_scan
        if b64 is not None:
            return ContentBytes(
                self.data,
                self.body_start,
                self.body_end,
                line_ends=(b64.lf, b64.crlf, b64.cr),
                # Only the alphabet, "=", CR and LF: no 8-bit byte, no NUL.
                ascii=not b64.junk_count,
                no_nul=not b64.junk_count,
                line_bound=None if b64.long is not None else MAX_ENCODED_LINE,
            )
        qp = self.quoted_printable_scan
        return ContentBytes(
            self.data,
            self.body_start,
            self.body_end,
            line_bound=MAX_ENCODED_LINE if qp is not None and qp.long is None else None,
        )

    @lazy
    def content_scans(self) -> tuple[tuple[Region, ContentBytes], ...]:
        """The part's own content (:func:`~mimelint.mime.scan.content_regions`), with scans.

        A leaf's body region shares :attr:`body_scan`.
        """
        return tuple(
            (
                r,
                self.body_scan if r.kind is _BODY else ContentBytes(self.data, r.start, r.end),
            )
            for r in content_regions(self)
        )

    @lazy
    def base64_scan(self) -> Base64Scan | None:
        """The scan of a leaf's non-empty base64 body; None for any other part.

        A leaf: no children and no embedded message (a ``multipart/*`` part
        whose delimiters were not found is one too; the rules decide).
        """
        if not self.is_leaf or self.body_start >= self.body_end:
            return None
        if self.transfer_encoding != "base64":
            return None
        return scan_base64(self.data, self.body_start, self.body_end)

    @lazy
    def quoted_printable_scan(self) -> QuotedPrintableScan | None:
        """The scan of a leaf's non-empty quoted-printable body; None for any other part."""
        if not self.is_leaf or self.body_start >= self.body_end:
            return None
        if self.transfer_encoding != "quoted-printable":
            return None
        return scan_quoted_printable(self.data, self.body_start, self.body_end)

    @lazy
    def sniffed_format(self) -> Sniffed | None:
        """What a leaf's payload plainly is when it is not text (a PNG, a ZIP...), or None.

        See :func:`mimelint.mime.scan.sniff`; NUL bytes count as binary
        except in UTF-16 and UTF-32 text.
        """
        if not self.is_leaf:
            return None
        codec = codec_for(self.charset or implied_charset(self.content_type)) or ""
        return sniff(self.payload, nul_is_binary=not codec.startswith(("utf-16", "utf-32")))

    @lazy
    def seven_bit_encoding(self) -> tuple[str, bytes]:
        """The body re-encoded for 7-bit transport: (mechanism, encoded body).

        What every fix that re-encodes a body writes
        (:func:`mimelint.mime.writers.encode_part`), computed once per part.
        """
        from mimelint.mime.writers import encode_part

        return encode_part(self)

    # ---------------------------------------- facts of the header family
    # (rules/headers, rules/encoded_words; knowledge in mimelint.mime)
    @lazy
    def worded_fields(self) -> list[tuple[Header, list[Word]]]:
        """The well-formed fields of this part that hold encoded-words, with them.

        DKIM and ARC signatures are left out (their ``z=`` copies are no
        words). One search for ``=?`` per header section finds the first
        candidate, and the search resumes after each field it lands in, so
        a section without encoded-words costs one ``bytes.find``.
        """
        found: list[tuple[Header, list[Word]]] = []
        data = self.data
        end = self.header_end
        pos = data.find(b"=?", self.start, end)
        if pos < 0:
            return found
        for header in self.headers:
            if header.end <= pos:
                continue  # no "=?" starts before this field ends
            if header.kind is FIELD and header.lname not in SIGNATURES:
                words = find_words(data, header.value_start, header.value_end)
                if words:
                    found.append((header, words))
            pos = data.find(b"=?", header.end, end)
            if pos < 0:
                break
        return found

    @lazy
    def word_summary(self) -> WordSummary:
        """What this part's encoded-words hold (:class:`WordSummary`), one pass over them."""
        malformed = unknown = too_long = long_field = glued = empty = False
        in_parameters = in_address = outside_text = False
        for header, words in self.worded_fields:
            kind = field_kind(header.lname)
            if kind is _PARAMS:
                in_parameters = True
            else:
                if header.end - header.start > LIMIT_LINE:
                    long_field = True
                if kind is _ADDRESS:
                    in_address = True
            if kind not in _TEXT_KINDS:
                outside_text = True
            end = -1
            for w in words:
                fault = w.fault
                if fault is _MALFORMED:
                    if w.raw.isascii():
                        malformed = True
                elif fault is _UNKNOWN_CHARSET:
                    unknown = True
                if w.start == end:
                    glued = True
                end = w.end
                if not w.raw:
                    empty = True
                if end - w.start > LIMIT_WORD and kind is not _PARAMS:
                    too_long = True
        return WordSummary(
            malformed,
            unknown,
            too_long,
            long_field,
            glued,
            empty,
            in_parameters,
            in_address,
            outside_text,
        )

    @property
    def in_embedded_message(self) -> bool:
        """Whether this part is (inside) a message/rfc822 carried by another message."""
        return any(a.embedded is not None for a in self.ancestors())

    # ------------------------------- addresses and file names (fam-addresses)
    @lazy
    def address_fields(self) -> AddressFields:
        """The address fields of this header section (From, Sender, Reply-To,
        To, Cc, Bcc and the Resent-* ones), read once for every rule that asks;
        see :class:`mimelint.mime.addresses.AddressFields`."""
        return AddressFields(self.headers, self.data)

    def addresses(self, name: str) -> list[AddressSpan]:
        """The mailboxes of every field named ``name`` (``"To"``), in order.

        Mailboxes that could not be read are included with their ``error``
        set (see :class:`mimelint.mime.addresses.AddressSpan`). Fields that
        are not address fields are read as address lists too.
        """
        lname = name.lower()
        fields = self.address_fields
        if lname in fields.names:
            return [a for _h, a in fields.mailboxes((lname,))]
        return [a for h in self.headers_named(lname) for a in parse_address_list(h)]

    @lazy
    def file_names(self) -> list[FileName]:
        """The file names this part declares: Content-Disposition ``filename``
        then Content-Type ``name`` (the second only when it decodes to a
        different name), RFC 2231 and RFC 2047 decoded; see
        :func:`mimelint.mime.filenames.file_names`."""
        return file_names(self)

    @lazy
    def file_names_within(self) -> list[FileName]:
        """:attr:`file_names` of this part and of every part inside it, in
        order: what the attachment rules read, once per message."""
        parts = self.parts() if isinstance(self, Message) else self.walk()
        return [name for part in parts for name in file_names(part)]


class Message(Part):
    """The top-level entity, owner of the buffer and its line index."""

    def __init__(self, data: bytes, max_depth: int) -> None:
        super().__init__(None, data, 0, len(data))
        self.max_depth = max_depth
        #: Every part below the message, depth first: the parser appends each
        #: as it reads it (see :meth:`parts`).
        self.below: list[Part] = []
        #: Positions in :meth:`parts` of the parts with each kind of defect,
        #: recorded by the parser. Nearly always empty: rules about a defect
        #: look here instead of being called for every part.
        self.parts_with_defect: Mapping[DefectKind, tuple[int, ...]] = {}
        self._dash_lines: list[int] | None = None
        #: For a template read in raw-template mode: its placeholders and where
        #: they stand (see :mod:`mimelint.templates`); None for a plain message.
        self.template: TemplateInfo | None = None

    def dash_lines(self) -> list[int]:
        """Offsets of every line that starts with ``--``, found in one scan.

        Multipart splitting looks up candidate delimiters here instead of
        re-scanning each body, so nesting does not multiply the work.
        """
        if self._dash_lines is None:
            data = self.data
            found = [0] if data.startswith(b"--") else []
            find = data.find
            # A few C-speed searches per candidate, not per line: "\n--" is
            # searched in a window of _DASH_WINDOW bytes, and past a window
            # without one, memchr skips to the next "-" (base64 holds none,
            # most text few, so a large body is crossed at memory speed; a
            # search for three bytes is ten times slower). Windows start at
            # a candidate or a hyphen, so each byte is read at most once by
            # each kind of search.
            pos = 0
            while True:
                at = find(b"\n--", pos, pos + _DASH_WINDOW)
                if at >= 0:
                    found.append(at + 1)
                    pos = at + 3
                    continue
                # None starts before pos + _DASH_WINDOW - 2: the next one's
                # first "-" is at pos + _DASH_WINDOW - 1 or later.
                hyphen = find(b"-", pos + _DASH_WINDOW - 1)
                if hyphen < 0:
                    break
                pos = hyphen - 1
            self._dash_lines = found
        return self._dash_lines

    @lazy
    def lines(self) -> LineIndex:
        """The line index of the message (:class:`~mimelint.mime.position.LineIndex`),
        made when a first position is asked: a message without findings needs none."""
        return LineIndex(self.data)

    def position(self, offset: int) -> tuple[int, int]:
        """The 1-based (line, column) of a byte offset.

        Far into a large message, lines are counted from the nearest mark
        of :attr:`whole_scan` (which the line-ending rules read anyway),
        not from the start.
        """
        lines = self.lines
        if offset > _FAR and not lines.marked:
            whole = self.whole_scan
            lines.mark(whole.marks, whole.lines)
        return lines.position(offset)

    def span_position(self, start: int, end: int) -> tuple[int, int, int, int]:
        """The positions of both ends of ``[start, end)``: line, column, end
        line, end column (``start <= end``, both within the message).

        A short span of ASCII without a line feed ends on its first line,
        ``end - start`` columns further: a finding's end costs no second
        lookup then (a column counts characters, and ASCII bytes are one
        each, whatever precedes them on the line).
        """
        line, column = self.position(start)
        if end - start <= _SHORT_SPAN:
            piece = self.data[start:end]
            if piece.isascii() and b"\n" not in piece:
                return line, column, line, column + len(piece)
        end_line, end_column = self.position(end)
        return line, column, end_line, end_column

    @lazy
    def whole_scan(self) -> MessageBytes:
        """What the bytes of the whole message hold (8-bit, NUL, bare CR, line
        endings), read in pieces: see :class:`mimelint.mime.scan.MessageBytes`.
        Unlike :attr:`span_scan`, a large body is read through its own
        :attr:`body_scan`, which knows what its encoding's scan proved."""
        return message_bytes(self)

    def to_bytes(self) -> bytes:
        """The message rebuilt from its tree; equal to the input, always."""
        out: list[bytes | memoryview] = []
        self.pieces(out)
        return b"".join(out)

    def parts(self) -> list[Part]:
        """Every part of the message, depth first, the message first.

        A new list each call (the parts below the message are listed once,
        by the parser, in this order): a cached list holding the message
        would be a reference cycle.
        """
        parts: list[Part] = [self]
        parts += self.below
        return parts

    # ------------------------------------------------------------------
    # Boundaries (family: boundaries + structure, mimelint.mime.boundaries).
    # Message-wide facts: each holds offsets and strings, never a part.
    @lazy
    def multipart_shape(self) -> MultipartShape:
        """How the multiparts relate: reused boundaries, every delimiter line."""
        return multipart_shape(self)

    @lazy
    def boundary_renames(self) -> Mapping[int, str]:
        """A fresh boundary for each multipart (by start) whose boundary readers may misread."""
        return plan_renames(self)

    @lazy
    def line_separator(self) -> bytes:
        """The line ending fixes write, ``b"\\r\\n"`` or ``b"\\n"``
        (:func:`mimelint.mime.writers.line_separator`), judged once: a
        message whose every part gets a fix asks once per fix."""
        from mimelint.mime.writers import line_separator  # fixes only (start-up)

        return line_separator(self)

    @lazy
    def header_sections(self) -> HeaderSections:
        """Where every part's header section lies (to tell header lines from content)."""
        from mimelint.mime.sections import header_sections

        return header_sections(self)


def read_mechanism(unfolded: bytes) -> str:
    """The transfer encoding an unfolded Content-Transfer-Encoding value names."""
    value = unfolded.decode("latin-1").strip().lower()
    if not value.replace("-", "").isalnum():
        # RFC 2045 §6 allows comments; quotes or a ";" are common slips.
        # Read the mechanism through them (M704 reports the field).
        m = _cte_decorated().match(uncomment(value) or "")
        if m is not None:
            value = m.group(2)
    return value or "7bit"


def decode_base64(data: bytes | memoryview) -> bytes:
    """Decode base64 the way mail clients do: skip junk, forgive padding."""
    try:
        return binascii.a2b_base64(data)
    except binascii.Error:
        clean = bytes(data).translate(None, NOT_BASE64).rstrip(b"=")
        if len(clean) % 4 == 1:
            clean = clean[:-1]
        clean += b"=" * (-len(clean) % 4)
        return binascii.a2b_base64(clean)
