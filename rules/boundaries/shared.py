"""What the boundary rules share: where to point, and the one repair of a multipart.

Not a rule. The safe fix shared by M203, M204, M205 and M206 gives the
multipart a fresh boundary (chosen once per message:
:attr:`mimelint.mime.tree.Message.boundary_renames`, built on
:func:`mimelint.mime.writers.fresh_boundary`: 37 characters from RFC 2046's set,
found nowhere in the message, neither a prefix nor an extension of any
other boundary) and rewrites the boundary parameter and every delimiter
line of that multipart in one fix; a missing close delimiter is added by
the same fix. Content is untouched. When the declared boundaries leave no
fresh one free (:class:`mimelint.mime.writers.NoFreeBoundary`), the findings
stay and no rename is offered.
"""

from __future__ import annotations

from mimelint.mime.boundaries import boundary_param
from mimelint.mime.tree import Part
from mimelint.rule import Edit, Fix, Safety


def type_span(part: Part) -> tuple[int, int]:
    """The media type of the Content-Type field (or the part's start)."""
    ct = part.content_type_value
    if ct is None:
        return part.start, part.start
    return ct.main_start, ct.main_end


def boundary_span(part: Part) -> tuple[int, int]:
    """Where to point for a boundary: inside the quotes of its value."""
    param = boundary_param(part)
    if param is None:
        return type_span(part)
    start, end = param.value_start, param.value_end
    if param.quoted:
        start += 1
        if not param.unterminated:
            end -= 1
    return start, max(start, end)


def reuses_enclosing(part: Part) -> bool:
    """Whether a multipart declares the boundary of a multipart it is nested in (M202)."""
    return part.start in part.message.multipart_shape.reusing


def repair_fix(part: Part) -> Fix | None:
    """The one fix for a multipart: a fresh boundary and/or its close delimiter.

    Every finding about the same multipart carries this same fix (it is
    built from message-wide facts, so every rule gets an equal one):
    applying any of them repairs all, and two can never disagree.
    """
    message = part.message
    assert part.boundary is not None
    new = message.boundary_renames.get(part.start)
    missing_close = bool(part.delimiters) and not part.closed
    if new is None and not missing_close:
        return None
    boundary = new if new is not None else part.boundary
    raw_new = boundary.encode("utf-8", "surrogateescape")
    edits: list[Edit] = []
    if new is not None:
        param = boundary_param(part)
        assert param is not None
        edits.append(Edit(param.value_start, param.value_end, b'"' + raw_new + b'"'))
        size = len(part.boundary.encode("utf-8", "surrogateescape"))
        edits.extend(Edit(d.dash + 2, d.dash + 2 + size, raw_new) for d in part.delimiters)
    if missing_close:
        linesep = message.line_separator
        data = message.data
        at_end = part.body_end == len(data) and data.endswith(b"\n")
        close = linesep + b"--" + raw_new + b"--" + (linesep if at_end else b"")
        last = part.delimiters[-1]
        if last.end == part.body_end and data[last.end - 1 : last.end] != b"\n":
            # The body stops on the last delimiter line, before its line
            # break: that line needs one to end it, then the close delimiter
            # its own. With one, the two delimiter lines touch (M208's shape)
            # and Python's email still finds no close delimiter.
            close = linesep + close
        edits.append(Edit(part.body_end, part.body_end, close))
    what = []
    if new is not None:
        what.append(f"give the multipart {part.path or '(the message)'} a fresh boundary")
    if missing_close:
        what.append("add its close delimiter")
    return Fix(edits=tuple(edits), safety=Safety.SAFE, description=" and ".join(what))
