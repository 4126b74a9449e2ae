"""Domains (RFC 5890, RFC 5891): what IDNA 2008 makes of a domain as written.

Checked with the ``idna`` package (IDNA 2008, RFC 5891) with UTS #46
mapping, non-transitional: ``BÜCHER.example`` maps to ``bücher.example``
and then ``xn--bcher-kva.example``, as browsers and current mail libraries
do, while ``ß`` stays ``ß`` (``xn--strae-oqa``). Used for the domains of
header addresses and of the envelope.
"""

from __future__ import annotations

import functools
import re

from mimelint._records import NamedTuple
from mimelint.mime.quoting import quoted

__all__ = ["DomainCheck", "check_domain"]


# Compiled on first use: only a domain that idna refuses needs it.
@functools.cache
def _repr() -> re.Pattern[str]:
    """Where the idna package's messages show the label or domain as a
    Python repr (" of 'ab\\u202e'", " in label 'x'"): the finding quotes the
    label itself, so these go."""
    return re.compile(r""" (?:of|in)(?: label)? (?:'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")""")


def _reason(exc: Exception) -> str:
    """The idna package's reason, without the Python reprs it writes."""
    return _repr().sub("", str(exc))


class DomainCheck(NamedTuple):
    """What IDNA makes of a domain as written.

    ``ascii_form`` is the domain with every U-label turned into its A-label,
    or None when that is impossible or the domain is already ASCII.
    ``error`` explains an invalid label; ``error_start``/``error_end`` are
    its offsets relative to the domain's first byte.
    """

    ascii_form: str | None = None
    error: str | None = None
    error_start: int = 0
    error_end: int = 0


def check_domain(raw: bytes) -> DomainCheck:
    """Check a domain (bytes as written) label by label with ``idna``.

    U-labels are encoded with UTS #46 mapping, non-transitional; ASCII
    labels that start with ``xn--`` are decoded to prove they are valid
    A-labels. Other ASCII labels and domain literals are not checked here.
    """
    if raw.startswith(b"["):
        return DomainCheck()
    ascii_domain = raw.isascii()
    if ascii_domain and b"xn--" not in raw.lower():
        return DomainCheck()
    import idna  # here, not at the top: its tables cost start-up and most mail is ASCII

    labels: list[str] = []
    pos = 0
    for label in raw.split(b"."):
        label_end = pos + len(label)
        if label.isascii():
            text = label.decode("ascii")
            if text[:4].lower() == "xn--":
                try:
                    idna.decode(text.lower())
                except (idna.IDNAError, UnicodeError) as exc:
                    why = f"label {quoted(text)} is not a valid IDNA A-label ({_reason(exc)})"
                    return DomainCheck(None, why, pos, label_end)
            labels.append(text)
        else:
            try:
                unicode = label.decode("utf-8")
            except UnicodeDecodeError:
                return DomainCheck(None, "label is not valid UTF-8", pos, label_end)
            try:
                labels.append(idna.encode(unicode, uts46=True).decode("ascii"))
            except (idna.IDNAError, UnicodeError) as exc:
                why = f"label {quoted(unicode)} is not a valid IDNA 2008 label ({_reason(exc)})"
                return DomainCheck(None, why, pos, label_end)
        pos = label_end + 1
    return DomainCheck(None if ascii_domain else ".".join(labels))
