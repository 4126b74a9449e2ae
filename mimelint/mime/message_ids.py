"""Message identifiers: RFC 5322 §3.6.4 ``msg-id``, with the obsolete forms of §4.5.4.

``msg-id = "<" id-left "@" id-right ">"``. Readers must accept a quoted
string as the left part, a domain literal as the right part, and white
space or comments inside the brackets; comments around identifiers are
removed before matching (:func:`mimelint.mime.tree.uncomment`).
"""

from __future__ import annotations

import re

__all__ = ["MSG_ID", "has_msg_id", "is_msg_id"]

_ATEXT = r"A-Za-z0-9!#$%&'*+/=?^_`{|}~\x80-\xff-"
#: One msg-id anywhere in a text (comments removed first).
MSG_ID = re.compile(
    rf"""<\s*(?:[{_ATEXT}.]+|"(?:[^"\\]|\\.)*")\s*
    @\s*(?:[{_ATEXT}.]+|\[[^\[\]\\]*\])\s*>""",
    re.VERBOSE | re.DOTALL,
)


def is_msg_id(text: str) -> bool:
    """Whether ``text`` (comments removed) is exactly one msg-id."""
    return MSG_ID.fullmatch(text.strip()) is not None


def has_msg_id(text: str) -> bool:
    """Whether ``text`` (comments removed) holds at least one msg-id."""
    return MSG_ID.search(text) is not None
