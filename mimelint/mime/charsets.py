"""Charset labels as mail clients read them.

Mail clients (Thunderbird, and every webmail that decodes in a browser)
resolve a ``charset`` label with the WHATWG Encoding Standard's label table,
and for the legacy CJK encodings they decode with the superset that
Windows wrote all along: Outlook's ``ks_c_5601-1987`` is really windows-949,
``gb2312`` is GBK, ``big5`` is Big5-HKSCS and ``Shift_JIS`` is windows-31J.
Python's codec registry resolves the same labels to the strict national
standards, so text that every reader displays would look undecodable.

:func:`lookup` is the one place the engine and the rules ask whether a
label is known and which Python codec reads it: the WHATWG table below,
the mail-only aliases, then Python's own registry (for IANA names outside
the WHATWG list, such as ``utf-7`` or ``iso-2022-jp-2``) as written, with
the CJK names Python knows upgraded to the same supersets. A label that
only Python's folding lookup reads (``utf-8-``) is not known; :func:`lenient`
says what it was probably meant to be.

Deliberate departures from WHATWG, so that a mislabel stays visible:
``us-ascii`` and ``iso-8859-1``/``iso-8859-9`` keep their own codecs
(WHATWG reads them as windows-1252/1254; 8-bit bytes under ``us-ascii``
are still a labelling error worth reporting). The labels WHATWG maps to its
"replacement" encoding (``iso-2022-kr``, ``hz-gb-2312``...) keep Python's
real decoder where there is one: they are registered mail charsets.
"""

from __future__ import annotations

import codecs
import encodings.aliases
import functools
import re

from mimelint._records import NamedTuple

TYPE_CHECKING = False  # typing's flag, without importing typing at start-up
if TYPE_CHECKING:
    from typing_extensions import Buffer

#: The WHATWG label for the x-user-defined encoding, also the codec name
#: registered below.
X_USER_DEFINED = "x-user-defined"
#: The codec that reads ISO-2022-JP as clients do (see :func:`_jis_decode`).
ISO2022JP = "iso2022_jp_ms"

# Source: WHATWG Encoding Standard, §4.2 "Names and labels"
# (https://encoding.spec.whatwg.org/#names-and-labels, and encodings.json in
# https://github.com/whatwg/encoding). Each group is one WHATWG encoding;
# the value is the Python codec that decodes it as clients do.
# fmt: off
_GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    # UTF-8
    ("utf-8", ("unicode-1-1-utf-8", "unicode11utf8", "unicode20utf8", "utf-8", "utf8",
        "x-unicode20utf8")),
    # IBM866
    ("cp866", ("866", "cp866", "csibm866", "ibm866")),
    # ISO-8859-2 .. -8, -10, -13 .. -16
    ("iso8859-2", ("csisolatin2", "iso-8859-2", "iso-ir-101", "iso8859-2", "iso88592",
        "iso_8859-2", "iso_8859-2:1987", "l2", "latin2")),
    ("iso8859-3", ("csisolatin3", "iso-8859-3", "iso-ir-109", "iso8859-3", "iso88593",
        "iso_8859-3", "iso_8859-3:1988", "l3", "latin3")),
    ("iso8859-4", ("csisolatin4", "iso-8859-4", "iso-ir-110", "iso8859-4", "iso88594",
        "iso_8859-4", "iso_8859-4:1988", "l4", "latin4")),
    ("iso8859-5", ("csisolatincyrillic", "cyrillic", "iso-8859-5", "iso-ir-144", "iso8859-5",
        "iso88595", "iso_8859-5", "iso_8859-5:1988")),
    ("iso8859-6", ("arabic", "asmo-708", "csiso88596e", "csiso88596i", "csisolatinarabic",
        "ecma-114", "iso-8859-6", "iso-8859-6-e", "iso-8859-6-i", "iso-ir-127", "iso8859-6",
        "iso88596", "iso_8859-6", "iso_8859-6:1987")),
    ("iso8859-7", ("csisolatingreek", "ecma-118", "elot_928", "greek", "greek8", "iso-8859-7",
        "iso-ir-126", "iso8859-7", "iso88597", "iso_8859-7", "iso_8859-7:1987", "sun_eu_greek")),
    ("iso8859-8", ("csiso88598e", "csisolatinhebrew", "hebrew", "iso-8859-8", "iso-8859-8-e",
        "iso-ir-138", "iso8859-8", "iso88598", "iso_8859-8", "iso_8859-8:1988", "visual")),
    # ISO-8859-8-I: the same table, logical order.
    ("iso8859-8", ("csiso88598i", "iso-8859-8-i", "logical")),
    ("iso8859-10", ("csisolatin6", "iso-8859-10", "iso-ir-157", "iso8859-10", "iso885910", "l6",
        "latin6")),
    ("iso8859-13", ("iso-8859-13", "iso8859-13", "iso885913")),
    ("iso8859-14", ("iso-8859-14", "iso8859-14", "iso885914")),
    ("iso8859-15", ("csisolatin9", "iso-8859-15", "iso8859-15", "iso885915", "iso_8859-15", "l9")),
    ("iso8859-16", ("iso-8859-16",)),
    ("koi8-r", ("cskoi8r", "koi", "koi8", "koi8-r", "koi8_r")),
    ("koi8-u", ("koi8-ru", "koi8-u")),
    ("mac-roman", ("csmacintosh", "mac", "macintosh", "x-mac-roman")),
    ("cp874", ("dos-874", "iso-8859-11", "iso8859-11", "iso885911", "tis-620", "windows-874")),
    ("cp1250", ("cp1250", "windows-1250", "x-cp1250")),
    ("cp1251", ("cp1251", "windows-1251", "x-cp1251")),
    # windows-1252: WHATWG puts the ASCII and Latin-1 labels here too; see
    # the module docstring for why those keep their own codecs.
    ("cp1252", ("cp1252", "windows-1252", "x-cp1252")),
    ("ascii", ("ansi_x3.4-1968", "ascii", "us-ascii")),
    ("iso8859-1", ("cp819", "csisolatin1", "ibm819", "iso-8859-1", "iso-ir-100", "iso8859-1",
        "iso88591", "iso_8859-1", "iso_8859-1:1987", "l1", "latin1")),
    ("cp1253", ("cp1253", "windows-1253", "x-cp1253")),
    # windows-1254 (WHATWG also takes the ISO-8859-9 labels as windows-1254).
    ("cp1254", ("cp1254", "windows-1254", "x-cp1254")),
    ("iso8859-9", ("csisolatin5", "iso-8859-9", "iso-ir-148", "iso8859-9", "iso88599",
        "iso_8859-9", "iso_8859-9:1989", "l5", "latin5")),
    ("cp1255", ("cp1255", "windows-1255", "x-cp1255")),
    ("cp1256", ("cp1256", "windows-1256", "x-cp1256")),
    ("cp1257", ("cp1257", "windows-1257", "x-cp1257")),
    ("cp1258", ("cp1258", "windows-1258", "x-cp1258")),
    ("mac-cyrillic", ("x-mac-cyrillic", "x-mac-ukrainian")),
    # GBK: WHATWG's GBK decoder is its gb18030 decoder.
    ("gb18030", ("chinese", "csgb2312", "csiso58gb231280", "gb2312", "gb_2312", "gb_2312-80",
        "gbk", "iso-ir-58", "x-gbk")),
    ("gb18030", ("gb18030",)),
    # Big5: Big5-HKSCS.
    ("big5hkscs", ("big5", "big5-hkscs", "cn-big5", "csbig5", "x-x-big5")),
    ("euc_jp", ("cseucpkdfmtjapanese", "euc-jp", "x-euc-jp")),
    (ISO2022JP, ("csiso2022jp", "iso-2022-jp")),
    # Shift_JIS: as Windows writes it (windows-31J, NEC and IBM extensions).
    ("cp932", ("csshiftjis", "ms932", "ms_kanji", "shift-jis", "shift_jis", "sjis",
        "windows-31j", "x-sjis")),
    # EUC-KR: windows-949 (Unified Hangul Code), all 11,172 syllables.
    ("cp949", ("cseuckr", "csksc56011987", "euc-kr", "iso-ir-149", "korean", "ks_c_5601-1987",
        "ks_c_5601-1989", "ksc5601", "ksc_5601", "windows-949")),
    # WHATWG "replacement" labels: Python's decoder where one exists.
    ("iso2022_kr", ("csiso2022kr", "iso-2022-kr")),
    ("hz", ("hz-gb-2312",)),
    # UTF-16BE / UTF-16LE. Python's "utf-16" honours a byte order mark
    # (as WHATWG's decode does) and reads native order (little-endian on
    # every platform that matters) without one.
    ("utf-16-be", ("unicodefffe", "utf-16be")),
    ("utf-16-le", ("utf-16le",)),
    # WHATWG reads these as UTF-16LE too, after a byte order mark check.
    ("utf-16", ("csunicode", "iso-10646-ucs-2", "ucs-2", "unicode", "unicodefeff", "utf-16")),
    (X_USER_DEFINED, (X_USER_DEFINED,)),
)
# fmt: on
# iso-2022-cn and iso-2022-cn-ext (WHATWG "replacement"): no decoder in
# Python or in clients; they stay unknown.


#: Python codecs replaced by the superset clients decode with.
_SUPERSETS = {
    "euc_kr": "cp949",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "big5": "big5hkscs",
    "shift_jis": "cp932",
    "iso2022_jp": ISO2022JP,
}
#: Python codecs that are no mail charset although ``codecs.lookup`` knows them.
_NOT_CHARSETS = frozenset({"idna", "punycode", "unicode-escape", "raw-unicode-escape", "undefined"})


#: Charset names seen in mail that neither the WHATWG label table nor
#: Python's codec registry holds, mapped to the codec that reads them.
MAIL_ALIASES = {
    "x-windows-949": "cp949",
    "x-mac-ce": "mac-latin2",
    "csutf8": "utf-8",
}


class Charset(NamedTuple):
    """A charset label mail clients know, and how to decode text in it.

    ``label`` is the label as read (trimmed, lower case); ``codec`` the
    Python codec that decodes it as clients do (WHATWG labels, CJK
    supersets).
    """

    label: str
    codec: str

    @property
    def name(self) -> str:
        """The name to write in mail for this charset (``windows-1252``, ``utf-8``...)."""
        return preferred_name(self.codec)

    @property
    def ascii_compatible(self) -> bool:
        """Every US-ASCII byte reads as itself, on its own: ASCII bytes always decode."""
        return self.codec in _ASCII_SAFE

    @property
    def foreign_breaks(self) -> bool:
        """CR and LF are not the bytes 0x0D and 0x0A (UTF-16, UTF-32, EBCDIC):
        such a byte is part of a wider unit or another character, not a line
        break, so line breaks cannot be read on the bytes."""
        return _foreign_breaks(self.codec)

    @property
    def single_byte(self) -> bool:
        """One byte is one character (ISO 8859, windows-125x, KOI8...): any bytes decode."""
        return self.codec in _SINGLE_BYTE

    def decode(self, data: bytes, errors: str = "strict") -> str:
        """``data`` as text in this charset (``errors`` as for ``bytes.decode``)."""
        return data.decode(self.codec, errors)


@functools.lru_cache(maxsize=512)
def lookup(label: str) -> Charset | None:
    """The charset a label names, as mail clients read it; None when they do not know it.

    The one answer to "is this charset known, and which codec reads it",
    for every rule (body charsets and encoded-words alike), ``Part.text``
    and the fix proof. Known: a WHATWG Encoding Standard label, one of
    :data:`MAIL_ALIASES`, or a name Python's codec registry lists (an alias
    or a codec module, for IANA names outside the WHATWG list such as
    ``utf-7`` or ``iso-2022-jp-2``), up to the ``-``/``_`` spelling (and
    ``:`` read as ``_``). Labels are trimmed and matched case-insensitively
    as written, as clients match them: ``unicode`` (a WHATWG label for
    UTF-16) is known; ``utf-8-``, ``utf 8`` and ``'utf-8'`` are not, though
    Python's ``codecs.lookup`` folds them to UTF-8 (see :func:`lenient`).
    """
    name = label.strip().lower()
    if not _CHARSET_LABEL.match(name):
        return None
    codec = _lenient_codec(name)
    if codec is None:
        return None
    if name in WHATWG_LABELS or name in MAIL_ALIASES:
        return Charset(name, codec)
    key = name.replace("-", "_").replace(":", "_")
    if key in _PYTHON_NAMES or key == codec.replace("-", "_"):
        return Charset(name, codec)
    return None


def foreign_breaks(label: str | None) -> bool:
    """Does the charset ``label`` names write CR and LF otherwise than as the
    bytes 0x0D and 0x0A (UTF-16, UTF-32, EBCDIC)? Then its text's 0x0D and
    0x0A bytes are halves of other characters or other characters (UTF-16:
    U+0A0D, U+6F0A...; IBM037: 0x0A is U+008E), and line breaks cannot be
    read or written on the bytes. False for an unknown or missing label."""
    charset = lookup(label) if label else None
    return charset is not None and charset.foreign_breaks


@functools.cache
def _foreign_breaks(codec: str) -> bool:
    # Decoding says it for every codec, Python's and ours: in UTF-16 these
    # bytes read as U+0A0D, in IBM037 as CR and U+008E.
    try:
        return codecs.decode(b"\r\n\r\n", codec, "replace") != "\r\n\r\n"
    except LookupError:
        return False


def lenient(label: str) -> Charset | None:
    """What a lenient decoder (Python's ``codecs.lookup``) makes of a label.

    For advice only: a label that :func:`lookup` does not know but that
    Python folds to a codec (``utf-8-``, ``'utf-8'``) is most likely a
    misspelling of that codec's name. Mail clients do not read it so.
    """
    codec = _lenient_codec(label.strip())
    return None if codec is None else Charset(label.strip().lower(), codec)


#: Media types whose own specification fixes the charset when the
#: ``charset`` parameter is absent; every other text type is ``us-ascii``
#: (RFC 2046 §4.1.2). RFC 6350 §3.1: a vCard is always UTF-8 ("There is no
#: way to override this"); RFC 5545 §3.1.4: an iCalendar stream defaults to
#: UTF-8.
IMPLIED_CHARSETS = {"text/vcard": "utf-8", "text/calendar": "utf-8"}


def implied_charset(media_type: str) -> str:
    """The charset a reader applies to a part of ``media_type`` that declares none."""
    return IMPLIED_CHARSETS.get(media_type, "us-ascii")


def codec_for(label: str) -> str | None:
    """The Python codec that decodes a known charset label (:func:`lookup`), or None."""
    found = lookup(label)
    return None if found is None else found.codec


@functools.lru_cache(maxsize=512)
def _lenient_codec(label: str) -> str | None:
    """The codec for a label: the WHATWG table first, then Python's folding registry."""
    name = label.strip(" \t\r\n\f").lower()
    if not name:
        return None
    name = MAIL_ALIASES.get(name, name)
    codec = WHATWG_LABELS.get(name)
    if codec is not None:
        return codec
    try:
        info = codecs.lookup(name)
    except (LookupError, ValueError):  # ValueError: a NUL in the name
        return None
    if not getattr(info, "_is_text_encoding", True) or info.name in _NOT_CHARSETS:
        return None
    return _SUPERSETS.get(info.name, info.name)


def preferred_name(codec: str) -> str:
    """The charset name to write in mail for a Python codec name."""
    if codec in _PREFERRED:
        return _PREFERRED[codec]
    m = _ISO8859.match(codec)
    if m is not None:
        return f"iso-8859-{m.group(1)}"
    m = _WINDOWS.match(codec)
    if m is not None:
        return f"windows-{m.group(1)}"
    return codec.replace("_", "-") if codec != "shift_jis" else codec


#: RFC 2978 §2.3 mime-charset-chars, without the apostrophe (no registered
#: name holds one; PHP's ``charset='utf-8'`` does), plus the "." and ":" of
#: IANA names such as ``ANSI_X3.4-1968`` and ``ISO_8859-1:1987``.
_CHARSET_LABEL = re.compile(r"[A-Za-z0-9!#$%&+\-^_`{}~.:]+\Z")
#: Names Python knows a codec by: its aliases and its codec modules.
_PYTHON_NAMES = frozenset(encodings.aliases.aliases) | frozenset(encodings.aliases.aliases.values())
#: The name to write for a Python codec when it is not the codec's own name.
_PREFERRED = {
    "ascii": "us-ascii",
    "utf-16-le": "utf-16le",
    "utf-16-be": "utf-16be",
    "euc_jp": "euc-jp",
    "euc_kr": "euc-kr",
    "iso2022_jp": "iso-2022-jp",
    ISO2022JP: "iso-2022-jp",
    "iso2022_kr": "iso-2022-kr",
    "big5hkscs": "big5",
    "mac-roman": "macintosh",
    # The labels clients read as these supersets (WHATWG).
    "cp949": "euc-kr",
    "cp932": "shift_jis",
    "gb18030": "gb18030",
}
_ISO8859 = re.compile(r"iso8859-(\d+)\Z")
_WINDOWS = re.compile(r"cp(125\d)\Z")

#: Codecs that read one byte as one character and give a character for
#: (nearly) every byte: text in them always "decodes", whatever it really is.
#: Not US-ASCII (8-bit bytes do not decode) nor x-user-defined (no text).
_SINGLE_BYTE = frozenset(
    {"cp866", "cp874", "koi8-r", "koi8-u", "mac-cyrillic", "mac-roman", "mac-latin2"}
    | {f"cp125{n}" for n in range(9)}
    | {f"iso8859-{n}" for n in (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 14, 15, 16)}
)

#: Codecs that read every US-ASCII byte as itself, on its own: a payload of
#: ASCII bytes always decodes. Not the stateful ones (ISO-2022, HZ and UTF-7
#: shift with ASCII bytes) nor UTF-16/32.
_ASCII_SAFE = frozenset(
    {
        "ascii",
        "big5hkscs",
        "cp866",
        "cp874",
        "cp932",
        "cp949",
        "euc_jp",
        "gb18030",
        "koi8-r",
        "koi8-u",
        "mac-cyrillic",
        "mac-roman",
        "utf-8",
        X_USER_DEFINED,
    }
    | {f"cp125{n}" for n in range(9)}
    | {f"iso8859-{n}" for n in (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 13, 14, 15, 16)}
)


# x-user-defined (WHATWG §14.5): 0x00-0x7F are ASCII, 0x80-0xFF map to
# U+F780-U+F7FF. Every byte decodes, so such text is never "undecodable".
_XUD_TABLE = "".join(map(chr, range(0x80))) + "".join(chr(0xF780 + i) for i in range(0x80))
_XUD_ENCODING = codecs.charmap_build(_XUD_TABLE)


def _xud_encode(text: str, errors: str = "strict") -> tuple[bytes, int]:
    return codecs.charmap_encode(text, errors, _XUD_ENCODING)


def _xud_decode(data: Buffer, errors: str = "strict", /) -> tuple[str, int]:
    return codecs.charmap_decode(data, errors, _XUD_TABLE)


_XUD_INFO = codecs.CodecInfo(_xud_encode, _xud_decode, name=X_USER_DEFINED)


# ISO-2022-JP as clients read it (WHATWG Encoding Standard §12.2): its
# JIS X 0208 index holds the NEC special characters of row 13 (①, №, ㈱...)
# and the IBM extensions of rows 89-92, which Outlook and Becky! write and
# Python's strict iso2022_jp refuses. Those rows sit where windows-31J
# (cp932) puts them, so a JIS pair is moved to its Shift_JIS bytes and
# cp932 decodes it. Text the strict codec reads is read by it, at C speed.
# The patterns are compiled on first use: only ISO-2022-JP text needs them.
_ROMAN = str.maketrans({0x5C: "\u00a5", 0x7E: "\u203e"})
_KATAKANA = {b: 0xFF61 + b - 0x21 for b in range(0x21, 0x60)}  # JIS X 0201 katakana


@functools.cache
def _jis_escape() -> re.Pattern[bytes]:
    """An escape sequence that switches ISO-2022-JP's character set."""
    return re.compile(rb"\x1b(\(B|\(J|\(I|\$@|\$B)")


@functools.cache
def _jis_pairs() -> re.Pattern[bytes]:
    """A run of JIS X 0208 byte pairs."""
    return re.compile(rb"(?:[\x21-\x7e]{2})+")


@functools.cache
def _jis_single_bad() -> re.Pattern[bytes]:
    """A byte that no single-byte set of ISO-2022-JP holds."""
    return re.compile(rb"[\x0e\x0f\x1b\x80-\xff]")


def _jis_to_sjis(pairs: bytes) -> bytes:
    """JIS X 0208 byte pairs (0x21-0x7E each) as the Shift_JIS bytes of the same characters."""
    out = bytearray()
    for i in range(0, len(pairs) - 1, 2):
        j1, j2 = pairs[i], pairs[i + 1]
        out.append((j1 + 1) // 2 + (0x70 if j1 <= 0x5E else 0xB0))
        out.append(j2 + (0x1F + (j2 >= 0x60) if j1 % 2 else 0x7E))
    return bytes(out)


def _jis_bad(data: bytes, start: int, end: int, errors: str) -> tuple[str, int]:
    """What the ``errors`` handler makes of data[start:end], and where to go on."""
    exc = UnicodeDecodeError("iso-2022-jp", data, start, end, "illegal multibyte sequence")
    if errors == "strict":
        raise exc
    text, resume = codecs.lookup_error(errors)(exc)
    if not isinstance(text, str):
        raise exc
    return text, resume


def _jis_decode(data: Buffer, errors: str = "strict", /) -> tuple[str, int]:
    raw = bytes(data)
    try:
        return raw.decode("iso2022_jp"), len(raw)
    except UnicodeDecodeError:
        pass
    out: list[str] = []
    mode = b"(B"
    pos = 0
    marks = [(m.start(), m.end(), m.group(1)) for m in _jis_escape().finditer(raw)]
    marks.append((len(raw), len(raw), b""))
    for start, end, next_mode in marks:
        _jis_segment(raw, pos, start, mode, errors, out)
        pos, mode = end, next_mode
    return "".join(out), len(raw)


def _jis_segment(raw: bytes, pos: int, stop: int, mode: bytes, errors: str, out: list[str]) -> None:
    """Decode raw[pos:stop], written from one escape sequence on, onto ``out``.

    Runs are found with ``re`` and decoded by codecs; only two-byte text
    that Python's codec refuses is moved to Shift_JIS pair by pair.
    """
    while pos < stop:
        if mode in (b"$@", b"$B") and raw[pos] in (0x0A, 0x0D):
            mode = b"(B"  # a line break ends two-byte text (WHATWG: back to ASCII)
        if mode in (b"$@", b"$B"):
            run = _jis_pairs().match(raw, pos, stop)
            good = run.end() if run is not None else pos
            if good > pos:
                try:
                    out.append((b"\x1b$B" + raw[pos:good]).decode("iso2022_jp"))
                    pos = good
                    continue
                except UnicodeDecodeError:
                    pass
                try:
                    out.append(_jis_to_sjis(raw[pos:good]).decode("cp932"))
                    pos = good
                    continue
                except UnicodeDecodeError as exc:
                    ok = exc.start - exc.start % 2
                    out.append(_jis_to_sjis(raw[pos : pos + ok]).decode("cp932"))
                    pos += ok
            text, pos = _jis_bad(raw, pos, min(pos + 2, stop), errors)
            out.append(text)
            continue
        found = _jis_single_bad().search(raw, pos, stop)
        bad = found.start() if found is not None else stop
        single = raw[pos:bad]
        if mode == b"(I":
            out.append(single.decode("latin-1").translate(_KATAKANA))
        else:
            text = single.decode("ascii")
            out.append(text.translate(_ROMAN) if mode == b"(J" else text)
        pos = bad
        if found is not None:
            text, pos = _jis_bad(raw, pos, pos + 1, errors)
            out.append(text)


def _jis_encode(text: str, errors: str = "strict") -> tuple[bytes, int]:
    return codecs.encode(text, "iso2022_jp", errors), len(text)


_JIS_INFO = codecs.CodecInfo(_jis_encode, _jis_decode, name=ISO2022JP)


def _search(name: str) -> codecs.CodecInfo | None:
    if name in ("x_user_defined", X_USER_DEFINED):
        return _XUD_INFO
    return _JIS_INFO if name == ISO2022JP else None


# Registered once, so ``bytes.decode("x-user-defined")`` works wherever the
# engine, the rules or the fix proof decode text.
codecs.register(_search)

#: WHATWG label -> Python codec (as ``codecs.lookup`` names it). The names
#: in ``_GROUPS`` are written in that form already, so importing this module
#: loads no codec (looking each up here cost 15 ms of every start-up, most
#: of it the CJK codec modules); tests check the names are canonical.
WHATWG_LABELS: dict[str, str] = {label: codec for codec, labels in _GROUPS for label in labels}
