"""Header syntax: lines that are not well-formed header fields (M301-M307).

RFC 5322 §2.2 defines a header field as a name of printable US-ASCII
characters other than the colon, a colon, and a body; §2.1.1 caps a line at
998 octets; §2.2.3 lets a long field be folded before white space. The
parser keeps every line it meets and labels the odd ones
(:class:`mimelint.mime.tree.HeaderKind`); these rules report them with their
positions.
"""

from __future__ import annotations

from .m301_header_line_too_long import header_line_too_long
from .m302_header_missing_colon import header_missing_colon
from .m303_empty_header_name import empty_header_name
from .m304_invalid_header_name import invalid_header_name
from .m305_continuation_first_line import continuation_first_line
from .m306_envelope_from_line import envelope_from_line
from .m307_blank_continuation_line import blank_continuation_line

RULES = [
    header_line_too_long,
    header_missing_colon,
    empty_header_name,
    invalid_header_name,
    continuation_first_line,
    envelope_from_line,
    blank_continuation_line,
]
