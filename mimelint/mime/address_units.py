"""An address list cut into the places RFC 2047 §5 tells apart.

Encoded-words may stand in a phrase (a display or group name, §5(3)) and in
a comment (§5(2)), never in a quoted-string or an addr-spec. This module
cuts an address field's value into those units, with byte positions, so
the encoded-word rules and the re-encoding fix can tell where a word or a
run of raw text sits. It cuts the tokens of the one address tokenizer
(:mod:`mimelint.mime.address_tokens`) into units (:func:`units_of`), and
says what a phrase or a comment reads as.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Sequence

from mimelint._records import NamedTuple
from mimelint.mime.address_tokens import Token, TokenKind, tokenize
from mimelint.mime.encoded_words import decode_text

__all__ = ["Unit", "UnitRole", "address_units", "comment_text", "phrase_text", "units_of"]

_QUOTED_PAIR = re.compile(rb"\\(.)", re.DOTALL)
_FOLDS = re.compile(rb"\r?\n")


# The kinds by short names: an Enum member read through its class costs a
# lookup each time, and units_of compares kinds per token.
_LT, _GT, _AT, _COMMA, _SEMICOLON, _COLON, _COMMENT = (
    TokenKind.LT, TokenKind.GT, TokenKind.AT, TokenKind.COMMA, TokenKind.SEMICOLON,
    TokenKind.COLON, TokenKind.COMMENT,
)  # fmt: skip


class UnitRole(enum.Enum):
    """What a run of an address field is (RFC 2047 §5 tells them apart)."""

    PHRASE = "phrase"  #: a display name or group name: encoded-words allowed
    ADDR = "addr"  #: an addr-spec (inside ``<...>`` or bare): none allowed
    COMMENT = "comment"  #: a comment: encoded-words allowed


class Unit(NamedTuple):
    """A run of an address field: a phrase, an addr-spec or a comment, with
    its tokens (a comment unit holds its one ``COMMENT`` token)."""

    role: UnitRole
    start: int
    end: int
    tokens: tuple[Token, ...]


def address_units(data: bytes, start: int, end: int) -> list[Unit]:
    """Split the address list ``data[start:end]`` into phrases, addr-specs
    and comments, in order, with absolute offsets (see :func:`units_of`)."""
    return units_of(tokenize(data[start:end], start, comments=True))


def units_of(tokens: Sequence[Token]) -> list[Unit]:
    """The units of an address list, from its tokens with comments.

    Display names (before ``<``) and group names (before ``:``) are phrases;
    the inside of ``<...>`` and bare addresses are addr-specs. Reads what
    the mailbox reader reads, but keeps going where a mailbox is in error:
    the encoded-word rules need to know where each word stands in any list.
    """
    units: list[Unit] = []
    seg: list[Token] = []
    angle = False
    in_group = False
    has_at = False  # an "@" in seg: then ":" ends no group name
    phrase, addr = UnitRole.PHRASE, UnitRole.ADDR

    def flush(role: UnitRole) -> None:
        if seg:
            units.append(Unit(role, seg[0].start, seg[-1].end, tuple(seg)))
            seg.clear()

    for tok in tokens:
        kind = tok.kind
        if kind is _COMMENT:
            units.append(Unit(UnitRole.COMMENT, tok.start, tok.end, (tok,)))
        elif angle:
            if kind is _GT:
                flush(addr)
                has_at = False
                angle = False
            else:
                seg.append(tok)
        elif kind is _LT:
            flush(phrase)
            has_at = False
            angle = True
        elif kind is _COMMA or kind is _SEMICOLON:
            flush(addr)
            has_at = False
            in_group = in_group and kind is _COMMA
        elif kind is _COLON and not in_group and not has_at:
            flush(phrase)
            in_group = True
        else:
            if kind is _AT:
                has_at = True
            seg.append(tok)
    flush(addr)
    units.sort(key=lambda u: u.start)
    return units


def phrase_text(data: bytes, unit: Unit) -> str | None:
    """What a phrase says: quotes removed, encoded-words decoded; None if unclear."""
    pieces: list[bytes] = []
    prev = -1
    for token in unit.tokens:
        s, e = token.start, token.end
        if prev >= 0:
            pieces.append(_FOLDS.sub(b"", data[prev:s]))
        if token.kind is TokenKind.QUOTED:
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
