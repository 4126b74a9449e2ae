"""Boundaries: what a multipart boundary may be, what its delimiter lines
look like, and how the multiparts of one message relate (RFC 2046 §5.1.1).

A multipart body is cut at lines ``--boundary`` (a delimiter) and ends at
``--boundary--`` (the close delimiter), each optionally followed by white
space. The parser (:mod:`mimelint.mime.parse`) cuts bodies with
:data:`DELIMITER_TAIL`; rules and fixes ask the questions below, and the
tree keeps the message-wide answers as lazy facts
(:attr:`mimelint.mime.tree.Message.multipart_shape`,
:attr:`mimelint.mime.tree.Message.boundary_renames`).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Mapping
from types import MappingProxyType

TYPE_CHECKING = False  # typing's flag, without importing typing at start-up
if TYPE_CHECKING:
    from mimelint.mime.params import Param
    from mimelint.mime.tree import Message, Part

__all__ = [
    "BCHARS",
    "DELIMITER_TAIL",
    "MAX_BOUNDARY",
    "MultipartShape",
    "boundary_param",
    "boundary_problem",
    "delimiter_tail",
    "enclosing_prefix",
    "lookalike_lines",
    "multipart_shape",
    "plan_renames",
]

#: RFC 2046 §5.1.1: a boundary is 1 to 70 characters.
MAX_BOUNDARY = 70
#: RFC 2046 §5.1.1 ``bcharsnospace``: what a boundary may hold besides
#: space (which it may hold, but not last). In the order fresh boundaries
#: are built from (:func:`mimelint.mime.writers.free_prefix`).
BCHARS = "=_0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'()+,-./:?"
#: Deletes every character a boundary may hold: what is left is not allowed.
_NOT_BCHARS = str.maketrans(dict.fromkeys(BCHARS + " "))
#: What may follow ``--boundary`` on a delimiter line: ``--`` for the close
#: delimiter, then white space (RFC 2046 §5.1.1 transport padding) and the
#: line's end.
DELIMITER_TAIL = re.compile(rb"(--)?[ \t]*(?:\r?\n|\Z)")


def _shown(ch: str) -> str:
    """One character for a person: itself in quotes, or its code point."""
    return f"'{ch}'" if ch.isprintable() and not ch.isspace() else f"U+{ord(ch):04X}"


def boundary_problem(boundary: str) -> str | None:
    """What is wrong with a boundary's characters or length, or None."""
    if len(boundary) > MAX_BOUNDARY:
        return f"is {len(boundary)} characters long (at most {MAX_BOUNDARY} are allowed)"
    others = boundary.translate(_NOT_BCHARS)
    if others:
        return f"holds {_shown(others[0])}, which is not among the characters RFC 2046 allows"
    if boundary.endswith(" "):
        return "ends with a space, which RFC 2046 forbids"
    return None


def delimiter_tail(data: bytes, dash: int, boundary: bytes, end: int) -> tuple[int, bool] | None:
    """Whether the line whose ``--`` is at ``dash`` is a delimiter of ``boundary``.

    Returns (offset after the line's end, whether it is the close
    delimiter), or None when the line only starts like one.
    """
    if not data.startswith(b"--", dash) or not data.startswith(boundary, dash + 2):
        return None
    m = DELIMITER_TAIL.match(data, dash + 2 + len(boundary), end)
    if m is None:
        return None
    return m.end(), m.group(1) is not None


def boundary_param(part: Part) -> Param | None:
    """The Content-Type parameter the boundary came from, when there is exactly one."""
    ct = part.content_type_value
    if ct is None:
        return None
    found = ct.named("boundary")
    return found[0] if len(found) == 1 else None


class MultipartShape:
    """How the multiparts of one message relate; offsets and indices only.

    It is kept on the message, so it holds no part (that would be a cycle).
    Read-only by convention: a plain slotted class, because a frozen
    dataclass costs about 4 million instructions to define at start-up.
    """

    __slots__ = ("delimiters", "multiparts", "reused", "reusing", "stray_dash_lines")

    def __init__(
        self,
        multiparts: tuple[int, ...],
        reusing: frozenset[int],
        reused: frozenset[int],
        delimiters: frozenset[int],
        stray_dash_lines: bool,
    ) -> None:
        #: positions in ``message.parts()`` of the parts split at a boundary
        self.multiparts = multiparts
        #: starts of multiparts that declare the boundary of one they are nested in
        self.reusing = reusing
        #: starts of multiparts whose boundary a multipart nested in them declares again
        self.reused = reused
        #: offsets of the ``--`` of every delimiter line the parser cut at
        self.delimiters = delimiters
        #: whether some line starting with ``--`` is not a delimiter line
        self.stray_dash_lines = stray_dash_lines


def multipart_shape(message: Message) -> MultipartShape:
    """The :class:`MultipartShape` of a message, in one pass over its parts."""
    indices: list[int] = []
    reusing: set[int] = set()
    reused: set[int] = set()
    dashes: list[int] = []
    for i, part in enumerate(message.parts()):
        boundary = part.boundary
        if boundary is None:  # not split at a boundary: no delimiter either
            continue
        indices.append(i)
        dashes += [d.dash for d in part.delimiters]
        above = part.parent
        while above is not None:
            if above.boundary == boundary:
                reusing.add(part.start)
                reused.add(above.start)
            above = above.parent
    known = frozenset(dashes)
    stray = not known.issuperset(message.dash_lines())
    return MultipartShape(tuple(indices), frozenset(reusing), frozenset(reused), known, stray)


def enclosing_prefix(part: Part) -> Part | None:
    """The nearest enclosing multipart whose boundary is a prefix or an extension of ``part``'s.

    Such delimiter lines are ambiguous: ``--b1-x`` starts with ``--b1``.
    """
    b = part.boundary
    if b is None:
        return None
    for a in part.ancestors():
        ab = a.boundary
        if ab is not None and ab != b and (ab.startswith(b) or b.startswith(ab)):
            return a
    return None


def lookalike_lines(part: Part) -> list[int]:
    """Lines in a multipart's body that start like its delimiter but are none.

    Offsets of their ``--``, in order: ``--b1x``, ``--b1 text``, a second
    ``--b1--``. Found among the message's ``--`` lines, so the cost is the
    number of such lines in the body, not its size.
    """
    if part.boundary is None:
        return []
    message = part.message
    known = message.multipart_shape.delimiters
    marker = b"--" + part.boundary.encode("utf-8", "surrogateescape")
    data = message.data
    lines = message.dash_lines()
    found: list[int] = []
    i = bisect.bisect_left(lines, part.body_start)
    while i < len(lines) and lines[i] < part.body_end:
        at = lines[i]
        i += 1
        if at not in known and data.startswith(marker, at):
            found.append(at)
    return found


def _renamable(part: Part, reusing: bool) -> bool:
    param = boundary_param(part)
    return (
        param is not None
        and "*" not in param.raw_name
        and bool(part.children)  # an empty multipart's body is its content
        and not reusing
        and not param.unterminated
    )


def plan_renames(message: Message) -> Mapping[int, str]:
    """A fresh boundary for each multipart whose boundary readers may misread.

    Keyed by the multipart's start offset. A boundary is misread when it
    clashes with an enclosing one (:func:`enclosing_prefix`), breaks the
    grammar (:func:`boundary_problem`) or occurs at the start of content
    lines (:func:`lookalike_lines`). Chosen once per message, each avoiding
    the others, so that renames of nested multiparts applied together
    cannot collide. A multipart that reuses an enclosing boundary is not
    renamed here (which delimiter lines are its own is another question),
    nor one whose parameter cannot be rewritten in place (RFC 2231 form,
    an unclosed quote). When the declared boundaries leave no fresh one
    free, the plan stops there.
    """
    from mimelint.mime.writers import NoFreeBoundary, fresh_boundary

    shape = message.multipart_shape
    parts = message.parts()
    chosen: dict[int, str] = {}
    for i in shape.multiparts:
        part = parts[i]
        assert part.boundary is not None
        reusing = part.start in shape.reusing
        if reusing or not _renamable(part, reusing):
            continue
        if (
            enclosing_prefix(part) is None
            and boundary_problem(part.boundary) is None
            and not lookalike_lines(part)
        ):
            continue
        try:
            chosen[part.start] = fresh_boundary(message, avoid=chosen.values())
        except NoFreeBoundary:
            break  # avoiding more only narrows the choice: the rest stay unrenamed
    return MappingProxyType(chosen)
