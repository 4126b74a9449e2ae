"""Text from a message, quoted for a person in a finding's message.

The one way a finding shows a value it found (a boundary, an encoded-word,
a transfer-encoding name, a parameter): as text in quotes, never as a
Python repr (``b' '``, ``'\\r'``). UTF-8 text stands as itself; what would
not show, or would show as something else, is escaped: other bytes and
control characters as ``\\xNN``, other invisible characters (bidirectional
overrides, zero-width spaces) as ``\\uNNNN``. Where the result holds an
escape, or the value holds text that reads as one, the value's own
backslashes are doubled: ``'\\x0d'`` is always a CR and ``'\\\\x0d'`` the four
characters, while a path such as ``'C:\\Users\\ann'`` stays as written.
"""

from __future__ import annotations

import functools
import re

__all__ = ["quoted"]


# Compiled on first use: only a quoted value with a backslash needs it.
@functools.cache
def _looks_escaped() -> re.Pattern[str]:
    """A backslash of the value that a reader would take for one of the
    escapes below (or for an escaped backslash)."""
    return re.compile(r"\\(?:x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|\\)")


def _escaped(c: str) -> str:
    code = ord(c)
    if 0xDC80 <= code <= 0xDCFF:  # a byte kept by surrogateescape: show that byte
        return f"\\x{code - 0xDC00:02x}"
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def quoted(value: str | bytes, width: int | None = None) -> str:
    """``value`` quoted for a message; with ``width``, cut to that many characters and "...".

    In single quotes (``'x-uue'``), or in double quotes when the value holds
    an apostrophe and no double quote (``"'utf-8'"``). Bytes are read as UTF-8, else as ASCII
    with ``\\xNN`` for the other bytes; characters that do not print
    (:meth:`str.isprintable`: controls, format characters, lone surrogates)
    are escaped either way; a backslash is doubled where the result holds
    an escape or the value text that reads as one, so an escape in the
    result is never the value's own text.
    """
    if isinstance(value, bytes):
        try:
            text = value.decode("utf-8")
        except UnicodeDecodeError:
            # Each other byte becomes a lone surrogate, shown as that byte.
            text = value.decode("ascii", "surrogateescape")
    else:
        text = value
    if width is not None and len(text) > width:
        text = text[:width] + "..."
    printable = text.isprintable()
    if "\\" in text and (not printable or _looks_escaped().search(text)):
        # Where an escape is or could be read, the value's own backslashes
        # are doubled; a plain path such as C:\\Users stays as written.
        text = text.replace("\\", "\\\\")
    if not printable:
        text = "".join(c if c.isprintable() else _escaped(c) for c in text)
    return f'"{text}"' if "'" in text and '"' not in text else f"'{text}'"
