"""Header bytes quoted for a person, shared by the header-syntax rules."""

from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def quoted(raw: bytes, width: int | None = None) -> str:
    """Header bytes in single quotes for a message: UTF-8 text, else ``\\xNN`` escapes.

    Never surrogate escapes, U+FFFD or a Python repr: a person sees either
    the text the sender meant or the exact bytes; control characters,
    which would not show, are written as ``\\xNN``. With ``width``, text
    longer than that many characters is cut and ends in "...".
    """
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("ascii", "backslashreplace")
    if width is not None and len(text) > width:
        text = text[:width] + "..."
    return "'" + _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text) + "'"
