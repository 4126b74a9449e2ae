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
#: The first byte that is not ASCII, or the end of the line.
_NON_ASCII_OR_LF = re.compile(rb"[\x80-\xff\n]")
#: Lookups answered by counting before the full line index pays off.
_INDEX_AFTER = 16
#: Columns up to this many bytes into a line are counted from its start;
#: further in, from where the line's ASCII prefix ends (see ``position``).
_NEAR = 256


class LineIndex:
    """Maps byte offsets of one buffer to lines and columns.

    Most messages need a handful of positions (their findings), so the first
    lookups count line feeds with ``bytes.count`` (C speed, no allocation)
    from the nearest offset already mapped, before or after: a finding's
    end, counted from its start, costs next to nothing, and :meth:`mark`
    adds offsets whose lines another reading of the buffer counted. Past
    :data:`_INDEX_AFTER` lookups the index of every line start is built
    once, and each lookup is then a binary search, so many findings never
    make the work quadratic.
    """

    __slots__ = ("_ascii_to", "_data", "_known", "_known_lines", "_lookups", "_starts", "marked")

    def __init__(self, data: bytes) -> None:
        self._data = data
        self._starts: list[int] | None = None
        self._known = [0]  #: offsets already mapped, sorted
        self._known_lines = [1]  #: their line numbers
        self._lookups = 0  #: offsets mapped by counting (marks not included)
        self.marked = False  #: whether :meth:`mark` was called
        #: For a long line's first byte: where the line's ASCII prefix ends.
        self._ascii_to: dict[int, int] = {}

    def mark(self, offsets: tuple[int, ...], lines: tuple[int, ...]) -> None:
        """Learn the 1-based ``lines`` of ``offsets`` (counted elsewhere)."""
        known = dict(zip(self._known, self._known_lines))
        known.update(zip(offsets, lines))
        self._known = sorted(known)
        self._known_lines = [known[at] for at in self._known]
        self.marked = True

    def _line_starts(self) -> list[int]:
        if self._starts is None:
            starts = [0]
            starts.extend(m.end() for m in _LF.finditer(self._data))
            self._starts = starts
        return self._starts

    def line_start(self, line: int) -> int:
        """Offset of the first byte of a 1-based line."""
        return self._line_starts()[line - 1]

    def _line_of(self, offset: int) -> tuple[int, int]:
        """(1-based line, offset of that line's first byte)."""
        data = self._data
        known = self._known
        if self._starts is None and self._lookups < _INDEX_AFTER:
            at = bisect.bisect_right(known, offset) - 1
            if known[at] != offset:
                self._lookups += 1
                after = at + 1
                if after < len(known) and known[after] - offset < offset - known[at]:
                    # Nearer the next known offset: count back from it.
                    line = self._known_lines[after] - data.count(b"\n", offset, known[after])
                else:
                    line = self._known_lines[at] + data.count(b"\n", known[at], offset)
                known.insert(after, offset)
                self._known_lines.insert(after, line)
            else:
                line = self._known_lines[at]
            return line, data.rfind(b"\n", 0, offset) + 1
        starts = self._line_starts()
        index = bisect.bisect_right(starts, offset) - 1
        return index + 1, starts[index]

    def position(self, offset: int) -> tuple[int, int]:
        """The 1-based (line, column) of a byte offset.

        Offsets are clamped to the buffer, so an offset at the very end (an
        empty span after the last byte) maps to the column after it.
        """
        data = self._data
        offset = max(0, min(offset, len(data)))
        line, start = self._line_of(offset)
        if offset - start > _NEAR:
            # Far into a long line (a 100 KB Subject with a finding per
            # word): where its ASCII prefix ends is found once per line, so
            # many findings on it do not each read the line from its start.
            ascii_to = self._ascii_to.get(start)
            if ascii_to is None:
                m = _NON_ASCII_OR_LF.search(data, start)
                ascii_to = self._ascii_to[start] = len(data) if m is None else m.start()
            if offset <= ascii_to:
                return line, offset - start + 1
        prefix = data[start:offset]
        if prefix.isascii():
            return line, len(prefix) + 1
        return line, len(prefix.decode("utf-8", "replace")) + 1

    @property
    def line_count(self) -> int:
        """Number of lines (a final line without LF counts)."""
        data = self._data
        count = data.count(b"\n") + 1
        if count > 1 and data.endswith(b"\n"):
            return count - 1
        return count
