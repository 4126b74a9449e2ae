"""Content-Transfer-Encoding names and the base64 alphabet (RFC 2045 §6).

The one list of what each mechanism is: which names are identity encodings
(the body is sent as it is), which five RFC 2045 defines, which are
private, and the 64 characters base64 writes. The parser, the body scans,
the fix proof and the rules all read them from here.
"""

from __future__ import annotations

from mimelint.mime.params import TOKEN_RE

__all__ = [
    "BASE64_ALPHABET",
    "IDENTITY",
    "MECHANISMS",
    "NOT_BASE64",
    "UUENCODE",
    "is_private",
]

#: RFC 2045 §6.2: the body is the data as it is; only the line shape differs.
IDENTITY = frozenset({"7bit", "8bit", "binary"})
#: RFC 2045 §6.1: the five mechanisms.
MECHANISMS = IDENTITY | {"quoted-printable", "base64"}
#: uuencode has no RFC, but old mailers write these names; receivers that
#: decode it at all know these spellings.
UUENCODE = frozenset({"x-uuencode", "uuencode", "x-uue"})

#: RFC 2045 §6.8, Table 1: the 64 characters of base64 ("=" pads).
BASE64_ALPHABET = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
#: Every other byte, for ``bytes.translate(None, NOT_BASE64)``.
NOT_BASE64 = bytes(b for b in range(256) if b not in BASE64_ALPHABET)


def is_private(cte: str) -> bool:
    """A private transfer encoding (RFC 2045 §6.3): an ``x-`` token, or uuencode."""
    return cte in UUENCODE or (cte.startswith("x-") and TOKEN_RE.match(cte) is not None)
