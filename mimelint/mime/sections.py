"""Where the header sections of a message lie, to tell header lines from content.

A line that lies in a part's header section is the header rules' business
(a line without a colon, a missing blank line), even when it also starts
like a delimiter; content rules skip it, so one problem gets one finding.
"""

from __future__ import annotations

import bisect
import re

from mimelint.mime.tree import DefectKind

TYPE_CHECKING = False  # typing's flag, without importing typing at start-up
if TYPE_CHECKING:
    from mimelint.mime.tree import Message

__all__ = ["FIELD_LINE", "HeaderSections", "header_sections"]

#: The start of a line that reads as a header field: a name (printable
#: ASCII without ":") and a colon, blanks allowed before it (RFC 5322 §2.2,
#: the obsolete §4.5 form). What the parser takes for a field line.
FIELD_LINE = re.compile(rb"[!-9;-~]+[ \t]*:")

#: Defects at the first line after a header section: that line was read
#: as a broken header line or as a part's missing header, so it belongs to
#: the header section's findings.
_ENDS_BADLY = (DefectKind.MISSING_SEPARATOR, DefectKind.PART_WITHOUT_HEADERS)


class HeaderSections:
    """The header sections of every part, as sorted, disjoint spans (read-only)."""

    __slots__ = ("ends", "starts")

    def __init__(self, starts: tuple[int, ...], ends: tuple[int, ...]) -> None:
        self.starts = starts
        self.ends = ends

    def holds(self, offset: int) -> bool:
        """Whether ``offset`` lies in a header section (or on a line that broke one)."""
        i = bisect.bisect_right(self.starts, offset) - 1
        return i >= 0 and offset < self.ends[i]


def header_sections(message: Message) -> HeaderSections:
    """Every part's header section, the line that ended one badly included."""
    spans: list[tuple[int, int]] = []
    for part in message.parts():
        end = part.body_start
        if any(d.kind in _ENDS_BADLY and d.start == end for d in part.defects):
            end += 1  # the offending line's first byte
        if end > part.start:
            spans.append((part.start, end))
    spans.sort()
    return HeaderSections(tuple(s for s, _ in spans), tuple(e for _, e in spans))
