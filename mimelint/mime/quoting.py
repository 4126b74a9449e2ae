"""Text from a message, quoted for a person in a finding's message.

A finding quotes what it found as text in single quotes, never as a Python
repr (``b' '``, ``'\\r'``): UTF-8 text as itself, other bytes and control
characters (which would not show) as ``\\xNN``.
"""

from __future__ import annotations

import re

__all__ = ["quoted"]

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def quoted(value: str | bytes, width: int | None = None) -> str:
    """``value`` in single quotes for a message; with ``width``, cut to that many characters and "...".

    Bytes are read as UTF-8, else as ASCII with ``\\xNN`` for the other
    bytes; control characters are written as ``\\xNN`` either way.
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
    return "'" + _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text) + "'"
