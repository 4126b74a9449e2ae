"""Header bytes quoted for a person, shared by the header-syntax rules."""

from __future__ import annotations


def readable(raw: bytes) -> str:
    """Header bytes quoted for a message: UTF-8 decoded, else ``\\xNN`` escapes.

    Never surrogate escapes or U+FFFD: a person should see either the text
    the sender meant or the exact bytes.
    """
    try:
        return repr(raw.decode("utf-8"))
    except UnicodeDecodeError:
        return repr(raw.decode("latin-1").encode("latin-1"))[1:]


def preview(data: bytes, start: int, end: int, width: int = 40) -> str:
    """The first ``width`` octets of a line, as text, "..." if cut."""
    text = data[start : min(end, start + width)].decode("utf-8", "replace")
    return text + ("..." if end - start > width else "")
