"""Quoting text in a finding's message: shown as text, never as a Python repr."""

from __future__ import annotations

__all__ = ["quote"]


def quote(text: str) -> str:
    """``text`` in single quotes for a finding's message, shown as text.

    Not ``repr()``: a person reads it, so nothing is escaped but what cannot
    be shown: a control or other invisible character appears as ``<U+XXXX>``,
    a byte that was not UTF-8 (surrogate-escaped) as ``<0xNN>``.
    """
    if text.isprintable():
        return f"'{text}'"
    shown = []
    for c in text:
        code = ord(c)
        if c.isprintable():
            shown.append(c)
        elif 0xDC80 <= code <= 0xDCFF:
            shown.append(f"<0x{code - 0xDC00:02X}>")
        else:
            shown.append(f"<U+{code:04X}>")
    return "'" + "".join(shown) + "'"
