"""Text from a message, quoted for a person in a finding's message.

The one way a finding shows a value it found (a boundary, an encoded-word,
a transfer-encoding name, a parameter): as text in quotes, never as a
Python repr (``b' '``, ``'\\r'``). UTF-8 text stands as itself; what would
not show, or would show as something else, is escaped: other bytes and
control characters as ``\\xNN``, other invisible characters (bidirectional
overrides, zero-width spaces) as ``\\uNNNN``.
"""

from __future__ import annotations

__all__ = ["quoted"]


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
    are escaped either way.
    """
    if isinstance(value, bytes):
        try:
            text = value.decode("utf-8")
        except UnicodeDecodeError:
            text = value.decode("ascii", "backslashreplace")
    else:
        text = value
    if width is not None and len(text) > width:
        text = text[:width] + "..."
    if not text.isprintable():
        text = "".join(c if c.isprintable() else _escaped(c) for c in text)
    return f'"{text}"' if "'" in text and '"' not in text else f"'{text}'"
