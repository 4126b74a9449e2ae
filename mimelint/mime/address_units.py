"""An address list cut into the places RFC 2047 §5 tells apart.

Encoded-words may stand in a phrase (a display or group name, §5(3)) and in
a comment (§5(2)), never in a quoted-string or an addr-spec. This module
cuts an address field's value into those units, with byte positions, so
the encoded-word rules and the re-encoding fix can tell where a word or a
run of raw text sits. It reads no more of RFC 5322 §3.4 than that: the
mailboxes themselves are :mod:`mimelint.mime.addresses`' business.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from mimelint.mime.encoded_words import decode_text

__all__ = [
    "Token",
    "Unit",
    "address_units",
    "comment_end",
    "comment_text",
    "phrase_text",
    "tokenize",
]

_TOKEN = re.compile(
    rb"""(?P<ws>[ \t\r\n]+)
    |(?P<quoted>"(?:[^"\\]|\\.)*(?:"|\Z))
    |(?P<literal>\[(?:[^\]\\]|\\.)*(?:\]|\Z))
    |(?P<comment>\()
    |(?P<special>[<>,:;@)\]])
    |(?P<atom>[^ \t\r\n"(),:;<>@\[\]]+)""",
    re.VERBOSE | re.DOTALL,
)
_COMMENT_STEP = re.compile(rb"[()\\]")
_QUOTED_PAIR = re.compile(rb"\\(.)", re.DOTALL)
_FOLDS = re.compile(rb"\r?\n")

#: (kind, start, end): kind is ws, quoted, literal, comment, special or atom.
Token = tuple[str, int, int]


@dataclass(frozen=True, slots=True)
class Unit:
    """A run of an address field: a phrase, an addr-spec or a comment."""

    role: str  #: "phrase" (display or group name), "addr" or "comment"
    start: int
    end: int
    tokens: tuple[Token, ...]


def comment_end(data: bytes, pos: int, end: int) -> int:
    """Offset after the (nested) comment opening at ``pos``; ``end`` if unclosed."""
    depth = 0
    while True:
        m = _COMMENT_STEP.search(data, pos, end)
        if m is None:
            return end
        ch = data[m.start()]
        if ch == 0x5C:
            pos = min(m.start() + 2, end)
            continue
        depth += 1 if ch == 0x28 else -1
        pos = m.end()
        if depth == 0:
            return pos


def tokenize(data: bytes, start: int, end: int) -> list[Token]:
    """Tokens of a structured field value: total, every byte in one token."""
    tokens: list[Token] = []
    pos = start
    while pos < end:
        m = _TOKEN.match(data, pos, end)
        if m is None:  # a lone backslash or similar: one byte of its own
            tokens.append(("atom", pos, pos + 1))
            pos += 1
            continue
        kind = m.lastgroup or "atom"
        stop = comment_end(data, pos, end) if kind == "comment" else m.end()
        tokens.append((kind, pos, stop))
        pos = stop
    return tokens


def address_units(data: bytes, start: int, end: int) -> list[Unit]:
    """Split an address list into phrases, addr-specs and comments, in order.

    Display names (before ``<``) and group names (before ``:``) are phrases;
    the inside of ``<...>`` and bare addresses are addr-specs.
    """
    units: list[Unit] = []
    seg: list[Token] = []
    angle = False
    in_group = False
    has_at = False  # an "@" in seg: then ":" is no group name's end

    def flush(role: str) -> None:
        if seg:
            units.append(Unit(role, seg[0][1], seg[-1][2], tuple(seg)))
            seg.clear()

    for tok in tokenize(data, start, end):
        kind, s, e = tok
        if kind == "ws":
            continue
        if kind == "comment":
            units.append(Unit("comment", s, e, (tok,)))
            continue
        ch = data[s:e] if kind == "special" else b""
        if angle:
            if ch == b">":
                flush("addr")
                has_at = False
                angle = False
            else:
                seg.append(tok)
        elif ch == b"<":
            flush("phrase")
            has_at = False
            angle = True
        elif ch == b"," or ch == b";":
            flush("addr")
            has_at = False
            in_group = in_group and ch == b","
        elif ch == b":" and not in_group and not has_at:
            flush("phrase")
            in_group = True
        else:
            if ch == b"@":
                has_at = True
            seg.append(tok)
    flush("addr")
    units.sort(key=lambda u: u.start)
    return units


def phrase_text(data: bytes, unit: Unit) -> str | None:
    """What a phrase says: quotes removed, encoded-words decoded; None if unclear."""
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


def comment_text(data: bytes, unit: Unit) -> str | None:
    """What a flat comment says, encoded-words decoded; None if nested or unclear."""
    inner = data[unit.start + 1 : unit.end - 1]
    if data[unit.end - 1] != 0x29 or b"(" in inner or b")" in _QUOTED_PAIR.sub(b"", inner):
        return None
    try:
        return decode_text(_FOLDS.sub(b"", _QUOTED_PAIR.sub(rb"\1", inner)))
    except UnicodeDecodeError:
        return None
