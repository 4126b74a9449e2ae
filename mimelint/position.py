"""Byte offsets to 1-based (line, column) positions.

A line ends after LF (a preceding CR belongs to the same line ending). A bare
CR does not end a line: it is content, and rules flag it. Columns count
characters, not bytes, so that they match what an editor shows: the line's
prefix is decoded as UTF-8 with undecodable bytes counting one column each.
"""

from __future__ import annotations

import bisect
import re

_LF = re.compile(rb"\n")


class LineIndex:
    """Maps byte offsets of one buffer to lines and columns.

    The index of line starts is built once, on first use, with one C-speed
    scan; each lookup is then a binary search.
    """

    __slots__ = ("_data", "_starts")

    def __init__(self, data: bytes) -> None:
        self._data = data
        self._starts: list[int] | None = None

    def _line_starts(self) -> list[int]:
        if self._starts is None:
            starts = [0]
            starts.extend(m.end() for m in _LF.finditer(self._data))
            self._starts = starts
        return self._starts

    def line_start(self, line: int) -> int:
        """Offset of the first byte of a 1-based line."""
        return self._line_starts()[line - 1]

    def position(self, offset: int) -> tuple[int, int]:
        """The 1-based (line, column) of a byte offset.

        Offsets are clamped to the buffer, so an offset at the very end (an
        empty span after the last byte) maps to the column after it.
        """
        offset = max(0, min(offset, len(self._data)))
        starts = self._line_starts()
        index = bisect.bisect_right(starts, offset) - 1
        start = starts[index]
        prefix = self._data[start:offset]
        if prefix.isascii():
            column = len(prefix) + 1
        else:
            column = len(prefix.decode("utf-8", "replace")) + 1
        return index + 1, column

    @property
    def line_count(self) -> int:
        """Number of lines (a final line without LF counts)."""
        starts = self._line_starts()
        if starts[-1] == len(self._data) and len(starts) > 1:
            return len(starts) - 1
        return len(starts)
