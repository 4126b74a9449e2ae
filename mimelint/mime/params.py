"""Structured MIME header values: ``type/subtype; name=value; ...``.

Used for Content-Type and Content-Disposition. The standard library parses
these too (``email.headerregistry``), but it returns no positions and repairs
silently, and a linter must say *where* a parameter is broken. So this module
tokenises the raw bytes itself and keeps every parameter's byte span, then
applies RFC 2231 (continuations ``name*0=``, charsets ``name*=utf-8''%E2``).

The raw value is handled as Latin-1 text so that one character is one byte
and offsets map straight back to the message.
"""

from __future__ import annotations

import enum
import functools
import re

from mimelint._records import NamedTuple
from mimelint.mime.charsets import codec_for
from mimelint.mime.quoting import quoted as _quoted

_WS = " \t\r\n"
TOKEN_RE = re.compile(r"[!#$%&'*+\-.0-9A-Z^_`a-z{|}~]+\Z")
_MAIN = re.compile(r"[ \t\r\n]*(?:\([^)]*\)[ \t\r\n]*)*([^;\s]*)")


@functools.cache  # compiled on first use: only an RFC 2231 name (with "*") needs it
def _section() -> re.Pattern[str]:
    """A parameter name's base, RFC 2231 section number and extended marker."""
    return re.compile(r"(?P<base>[^*]+)(?:\*(?P<num>\d+))?(?P<ext>\*)?\Z")


# The general reader of one parameter runs only where _SIMPLE_PARAM does not
# match (a comment, a quoted-pair, an error): compiled on first use.
@functools.cache
def _param() -> re.Pattern[str]:
    """One ``name=value`` as lenient readers take it, comments before it."""
    return re.compile(
        r"""[ \t\r\n]*(?:\([^)]*\)[ \t\r\n]*)*
            (?P<name>[^=;\s"]+)[ \t\r\n]*=[ \t\r\n]*
            (?P<value>"(?:[^"\\]|\\.)*"?|[^;\s"]*(?:[ \t]+[^;\s="(][^;\s="]*(?=[ \t\r\n;]|\Z))*)""",
        re.VERBOSE | re.DOTALL,
    )


#: A character an unquoted parameter value (an RFC 2045 token) cannot hold.
NOT_TOKEN = re.compile(r'[ \t\r\n()<>@,;:\\"/\[\]?=]')
#: RFC 2231 §7 attribute-char: CHAR but SPACE, CTLs, "*", "'", "%" and tspecials.
ATTRIBUTE_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!#$&+-.^_`|~"
#: A ";" followed by nothing but white space (folds included) before the next ";".
_EMPTY_PARAMETER = re.compile(rb";[ \t]*(?:\r?\n[ \t]+)*(?=;)")
_GAP = re.compile(r"[ \t\r\n;]+")
#: The common case in one match: a ';', then token=token or token="text"
#: with no comment, no quoted-pair and nothing but white space before the
#: next ';' or the end. Where it matches, the general loop below would
#: build the same Param and no defect; elsewhere that loop decides.
_SIMPLE_PARAM = re.compile(
    r"""[ \t\r\n]*;[ \t\r\n;]*
        (?P<name>[!#$%&'*+\-.0-9A-Z^_`a-z{|}~]+)=
        (?P<value>"[^"\\\r\n]*"|[!#$%&'*+\-.0-9A-Z^_`a-z{|}~]+)
        (?=[ \t\r\n]*(?:;|\Z))""",
    re.VERBOSE,
)
_QUOTED_PAIR = re.compile(r"\\(.)", re.DOTALL)
#: A folding line break: CRLF (or a bare LF) before white space. RFC 5322
#: §2.2.3 removes it when a field is unfolded, and §3.2.4 makes it no part
#: of a quoted-string, so it is never part of a parameter's value.
_FOLD = re.compile(r"\r?\n(?=[ \t])")


class Param(NamedTuple):
    """One ``name=value`` as written, with absolute byte offsets."""

    raw_name: str
    raw_value: str
    start: int
    end: int
    value_start: int
    value_end: int
    quoted: bool

    @property
    def name(self) -> str:
        """The lower-cased base name, RFC 2231 section markers removed."""
        raw = self.raw_name
        if "*" not in raw:  # no section marker: the whole name is the base
            return raw.lower()
        m = _section().match(raw)
        return (m.group("base") if m else raw).lower()

    @property
    def unterminated(self) -> bool:
        """A quoted value with no closing ``"`` (it runs to the end of the field)."""
        return self.quoted and not (len(self.raw_value) >= 2 and self.raw_value.endswith('"'))

    @property
    def value(self) -> str:
        """The value unfolded, quotes and quoted-pairs removed (not 2231-decoded).

        ``boundary="simple`` CRLF `` boundary"`` is ``simple boundary``: the
        bytes stay as written (the tree is lossless); the value is read
        the way RFC 5322 reads a folded field.
        """
        text = self.raw_value
        if "\n" in text:
            text = _FOLD.sub("", text)
        if self.quoted:
            text = text[1:] if self.unterminated else text[1:-1]
            if "\\" in text:
                text = _QUOTED_PAIR.sub(r"\1", text)
        return text


class ParamDefectKind(str, enum.Enum):
    """What is wrong with a parameter list (see :class:`ParamDefect`)."""

    BAD_PARAMETER = "bad-parameter"  #: cannot be read as name=value
    MISSING_SEMICOLON = "missing-semicolon"  #: two parameters without ";" between
    UNTERMINATED_QUOTE = "unterminated-quote"  #: a quoted value with no closing '"'
    UNQUOTED_SPECIAL = "unquoted-special"  #: a bare value holding white space or tspecials
    DUPLICATE_PARAMETER = "duplicate-parameter"  #: the same name given twice


class ParamDefect(NamedTuple):
    """A problem found while tokenising, with its absolute byte span."""

    kind: ParamDefectKind
    message: str
    start: int
    end: int


class StructuredValue(NamedTuple):
    """A parsed Content-Type or Content-Disposition value.

    Immutable, compared by value, like the other values of :mod:`mimelint.mime`.
    A named tuple: :func:`parse_structured` makes one for every Content-Type
    of every part, in one C call (the slotted class it was took six
    ``object.__setattr__`` calls to build, a third of the parse of
    ``text/plain; charset=utf-8``), and its fields read at C speed.
    """

    main: str
    main_start: int
    main_end: int
    params: tuple[Param, ...]
    defects: tuple[ParamDefect, ...]
    #: The parameters RFC 2231-decoded, by lower-cased name: what
    #: :meth:`get` reads. :func:`parse_structured` fills it (every value it
    #: makes is asked for its charset, boundary or file name); None, as a
    #: value built by hand has it, makes :meth:`get` decode on each call.
    #: Not part of the value: equality and hashing leave it out.
    decoded: dict[str, str] | None = None

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        assert isinstance(other, StructuredValue)
        return self[:5] == other[:5]

    def __ne__(self, other: object) -> bool:
        equal = self.__eq__(other)
        return equal if equal is NotImplemented else not equal

    def __hash__(self) -> int:
        return hash(self[:5])

    def get(self, name: str) -> str | None:
        """The decoded value of a parameter (RFC 2231 applied), or None."""
        decoded = self.decoded
        if decoded is None:
            if not self.params:
                return None
            decoded = _collapse(self.params)
        return decoded.get(name.lower())

    def named(self, name: str) -> list[Param]:
        """Every raw parameter whose base name is ``name``."""
        name = name.lower()
        return [p for p in self.params if p.name == name]


#: Makes a record from a tuple of its fields in one C call (the generated
#: ``__new__`` of a NamedTuple is a Python function).
_record = tuple.__new__


def parse_structured(raw: bytes, offset: int) -> StructuredValue:
    """Tokenise a structured header value found at ``offset`` in the message."""
    text = raw.decode("latin-1")
    m = _MAIN.match(text)
    assert m is not None  # the pattern matches the empty string
    main = m.group(1)
    main_start, main_end = m.span(1)
    params: list[Param] = []
    defects: list[ParamDefect] = []
    pos = m.end()
    n = len(text)
    expect_semicolon = False
    simple = _SIMPLE_PARAM.match
    while pos < n:
        sm = simple(text, pos)
        if sm is not None:
            raw_name, raw_value = sm.groups()
            vstart, pos = sm.span(2)
            vstart += offset
            vend = offset + pos
            params.append(
                _record(
                    Param,
                    (
                        raw_name,
                        raw_value,
                        vstart - 1 - len(raw_name),  # the name and "=" just before the value
                        vend,
                        vstart,
                        vend,
                        raw_value[0] == '"',
                    ),
                )
            )
            expect_semicolon = True
            continue
        gap = _GAP.match(text, pos)
        if gap is not None:  # white space and separators between parameters
            if ";" in gap.group():
                expect_semicolon = False
            pos = gap.end()
            continue
        pm = _param().match(text, pos)
        if pm is None:
            stop = text.find(";", pos)
            stop = n if stop < 0 else stop
            bad = text[pos:stop].rstrip(_WS)
            defects.append(
                ParamDefect(
                    ParamDefectKind.BAD_PARAMETER,
                    f"cannot parse parameter {_quoted(bad)}",
                    offset + pos,
                    offset + pos + len(bad),
                )
            )
            pos = stop
            continue
        if expect_semicolon:
            defects.append(
                ParamDefect(
                    ParamDefectKind.MISSING_SEMICOLON,
                    "parameters must be separated by ';'",
                    offset + pm.start("name"),
                    offset + pm.end("name"),
                )
            )
        raw_value = pm.group("value")
        quoted = raw_value.startswith('"')
        if not quoted:
            raw_value = raw_value.rstrip(_WS)
            special = NOT_TOKEN.search(raw_value)
            if special is not None:
                # RFC 2045 §5.1: a value with white space or tspecials must be
                # quoted. Readers split it differently: Python's policy.default
                # reads boundary=----=_Part_1 as '----', name=My File.pdf as 'My'.
                what = "white space" if special.group().isspace() else _quoted(special.group())
                defects.append(
                    ParamDefect(
                        ParamDefectKind.UNQUOTED_SPECIAL,
                        f"the value {_quoted(raw_value)} holds {what}, which a token cannot; "
                        "readers disagree where it ends: quote it",
                        offset + pm.start("value"),
                        offset + pm.start("value") + len(raw_value),
                    )
                )
        elif not (len(raw_value) >= 2 and raw_value.endswith('"')):
            defects.append(
                ParamDefect(
                    ParamDefectKind.UNTERMINATED_QUOTE,
                    "quoted parameter value has no closing '\"'",
                    offset + pm.start("value"),
                    offset + pm.start("value") + len(raw_value),
                )
            )
        vstart = offset + pm.start("value")
        params.append(
            Param(
                raw_name=pm.group("name"),
                raw_value=raw_value,
                start=offset + pm.start("name"),
                end=vstart + len(raw_value),
                value_start=vstart,
                value_end=vstart + len(raw_value),
                quoted=quoted,
            )
        )
        pos = pm.start("value") + len(raw_value)
        expect_semicolon = True
    if len(params) < 2:
        return _value(main, offset + main_start, offset + main_end, params, defects)
    seen: dict[str, Param] = {}
    for p in params:
        key = p.raw_name.lower()
        if key in seen:
            defects.append(
                ParamDefect(
                    ParamDefectKind.DUPLICATE_PARAMETER,
                    f"parameter {_quoted(p.raw_name)} is given more than once",
                    p.start,
                    p.end,
                )
            )
        else:
            seen[key] = p
    return _value(main, offset + main_start, offset + main_end, params, defects)


def _value(
    main: str, main_start: int, main_end: int, params: list[Param], defects: list[ParamDefect]
) -> StructuredValue:
    """The :class:`StructuredValue`, its parameters decoded."""
    found = tuple(params)
    decoded = _collapse(found) if found else {}
    return _record(StructuredValue, (main, main_start, main_end, found, tuple(defects), decoded))


def _decode_charset(data: bytes, charset: str) -> str:
    """An RFC 2231 value's bytes as text, its charset read through the one table.

    An unknown label, or one that names no text codec (``base64``,
    ``rot13``, a NUL), reads as UTF-8.
    """
    return data.decode(codec_for(charset) or "utf-8", "replace")


def _collapse(params: tuple[Param, ...]) -> dict[str, str]:
    """Apply RFC 2231: join continuations and decode extended values."""
    plain: dict[str, str] = {}
    sections: dict[str, dict[int, tuple[bool, str]]] = {}
    for p in params:
        if "*" not in p.raw_name:  # the common case: no RFC 2231 sections
            key = p.raw_name.lower()
            if key not in plain:  # the first of a duplicate counts
                value = p.value
                plain[key] = value if value.isascii() else _raw_text(value)
            continue
        m = _section().match(p.raw_name)
        if m is None:
            plain.setdefault(p.raw_name.lower(), _raw_text(p.value))
            continue
        base = m.group("base").lower()
        num, ext = m.group("num"), m.group("ext") is not None
        if num is None and not ext:
            plain.setdefault(base, _raw_text(p.value))
            continue
        sections.setdefault(base, {}).setdefault(int(num or 0), (ext, p.value))
    for base, parts in sections.items():
        charset = "us-ascii"
        chunks: list[bytes] = []
        order = sorted(parts)
        for index in order:
            ext, value = parts[index]
            if ext:
                if index == order[0] and value.count("'") >= 2:
                    charset, _lang, value = value.split("'", 2)
                # Only for RFC 2231 values: urllib.parse (with ipaddress) is
                # about 1.5 ms of a plain check's start-up.
                from urllib.parse import unquote_to_bytes

                chunks.append(unquote_to_bytes(value))
            else:
                chunks.append(value.encode("latin-1"))
        plain[base] = _decode_charset(b"".join(chunks), charset or "us-ascii")
    return plain


def _raw_text(value: str) -> str:
    """Bytes outside ASCII written raw in a value: read them as UTF-8."""
    if value.isascii():
        return value
    return value.encode("latin-1").decode("utf-8", "replace")


def irregular(data: bytes, sv: StructuredValue, end: int) -> bool:
    """Whether a value may hold parameter syntax readers disagree on.

    ``sv`` is the field's value parsed from ``data``, ``end`` where the
    value ends. False settles that it holds none: no defect of the
    tokenizer, a ``;`` between the type and the first parameter, no ``*``
    (every RFC 2231 form has one) and no empty parameter (``;;``). A few
    C-speed searches over the value.
    """
    if sv.defects:
        return True
    params = sv.params
    if params and sv.main and data.find(b";", sv.main_end, params[0].start) < 0:
        return True
    return (
        data.find(b"*", sv.main_end, end) >= 0
        or _EMPTY_PARAMETER.search(data, sv.main_end, end) is not None
    )


def empty_parameters(data: bytes, sv: StructuredValue, end: int) -> list[list[tuple[int, int]]]:
    """Runs of ``;`` with nothing but white space between them (``a=1;;b=2``).

    ``sv`` is the field's value parsed from ``data``, ``end`` where the
    value ends. RFC 2045 §5.1 has no empty parameter; :func:`parse_structured`
    reads over one without a defect, as lenient readers do, while others
    stop there. One list of spans (each ``;`` with the blanks after it) per
    gap between parameters that holds any; a ``;`` inside a comment is not
    a separator and does not count.
    """
    if _EMPTY_PARAMETER.search(data, sv.main_end, end) is None:
        return []
    found: list[list[tuple[int, int]]] = []
    edges = [sv.main_end, *(x for p in sv.params for x in (p.start, p.end)), end]
    for gap_start, gap_end in zip(edges[::2], edges[1::2], strict=False):
        depth, seen = 0, gap_start  # parentheses open before the match: inside a comment
        empty: list[tuple[int, int]] = []
        for m in _EMPTY_PARAMETER.finditer(data, gap_start, gap_end):
            depth += data.count(b"(", seen, m.start()) - data.count(b")", seen, m.start())
            seen = m.start()
            if depth <= 0:
                empty.append(m.span())
        if empty:
            found.append(empty)
    return found
