"""An address list cut into the places RFC 2047 §5 tells apart.

Encoded-words may stand in a phrase (a display or group name, §5(3)) and in
a comment (§5(2)), never in a quoted-string or an addr-spec. This module
cuts an address field's value into those units, with byte positions, so
the encoded-word rules and the re-encoding fix can tell where a word or a
run of raw text sits. The cutting itself is done by the one address
tokenizer, :func:`mimelint.mime.addresses.address_units` (re-exported
here); this module says what a phrase or a comment reads as.
"""

from __future__ import annotations

import re

from mimelint.mime.addresses import TokenKind, Unit, UnitRole, address_units, units_of
from mimelint.mime.encoded_words import decode_text

__all__ = ["Unit", "UnitRole", "address_units", "comment_text", "phrase_text", "units_of"]

_QUOTED_PAIR = re.compile(rb"\\(.)", re.DOTALL)
_FOLDS = re.compile(rb"\r?\n")


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
