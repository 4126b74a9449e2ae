"""Boundaries: the lines that split a multipart body into its parts.

A multipart body is cut at lines ``--boundary`` (RFC 2046 §5.1.1). When a
boundary is missing, reused, ambiguous or occurs in content, receivers cut
the body in different places and see different parts, or none.

The safe fix shared by M203, M204 and M205 gives the multipart a fresh
boundary (:func:`mimelint.encode.fresh_boundary`: 37 characters from RFC
2046's set, found nowhere in the message, neither a prefix nor an extension
of any other boundary) and rewrites the boundary parameter and every
delimiter line of that multipart in one fix; a missing close delimiter is
added by the same fix. Content is untouched. When the declared boundaries
leave no fresh one free (:class:`mimelint.encode.NoFreeBoundary`), the
findings stay and no rename is offered.
"""

from __future__ import annotations

import bisect
import re
import weakref
from collections.abc import Iterator

from mimelint.encode import NoFreeBoundary, fresh_boundary, line_separator
from mimelint.params import Param
from mimelint.rule import Context, Edit, Fix, Problem, Safety, rule
from mimelint.tree import Message, Part

#: RFC 2046 §5.1.1 bchars: what a boundary may hold (space not last).
_BCHARS = re.compile(r"[0-9A-Za-z'()+_,\-./:=? ]*\Z")
_NOT_BCHAR = re.compile(r"[^0-9A-Za-z'()+_,\-./:=? ]")
_MAX_BOUNDARY = 70


# ------------------------------------------------------------------ helpers
class _Multiparts:
    """How the multiparts of one message relate, found once for all M2xx rules.

    Holds offsets and indices, never a part: it is kept on the message
    (:meth:`~mimelint.tree.Message.memo`), where a part would make a cycle.
    """

    __slots__ = ("indices", "known", "reused", "reusing")

    def __init__(self, message: Message) -> None:
        parts = message.parts()
        #: positions in ``message.parts()`` of the parts with a boundary
        self.indices = [i for i, p in enumerate(parts) if p.boundary is not None]
        #: ids of multiparts that reuse an enclosing multipart's boundary (M202)
        self.reusing: set[int] = set()
        #: ids of multiparts whose boundary a nested one reuses
        self.reused: set[int] = set()
        for i in self.indices:
            part = parts[i]
            for a in part.ancestors():
                if a.boundary == part.boundary:
                    self.reusing.add(id(part))
                    self.reused.add(id(a))
        #: offsets of every delimiter line's "--"
        self.known = {d.dash for p in parts for d in p.delimiters}


def _shape(message: Message) -> _Multiparts:
    return message.memo("_mimelint_multiparts", _Multiparts)


def _multiparts(message: Message) -> list[Part]:
    parts = message.parts()
    return [parts[i] for i in _shape(message).indices]


def _boundary_param(part: Part) -> Param | None:
    """The parameter the boundary came from, when there is exactly one."""
    ct = part.content_type_value
    if ct is None:
        return None
    found = ct.named("boundary")
    return found[0] if len(found) == 1 else None


def _value_span(part: Part) -> tuple[int, int]:
    """Where to point for a boundary: inside the quotes of its value."""
    param = _boundary_param(part)
    if param is None:
        return _type_span(part)
    start, end = param.value_start, param.value_end
    if param.quoted:
        start += 1
        if end - start >= 1 and param.raw_value.endswith('"') and len(param.raw_value) >= 2:
            end -= 1
    return start, max(start, end)


def _type_span(part: Part) -> tuple[int, int]:
    """The media type of the Content-Type field (or the part's start)."""
    ct = part.content_type_value
    if ct is None:
        return part.start, part.start
    return ct.main_start, ct.main_end


def _reuses_ancestor(part: Part) -> bool:
    """Whether a multipart declares the boundary of a multipart it is nested in."""
    message = part.message
    assert isinstance(message, Message)
    return id(part) in _shape(message).reusing


def _prefix_ancestor(part: Part) -> Part | None:
    """The nearest ancestor whose boundary is a prefix or extension of this one."""
    b = part.boundary
    assert b is not None
    for a in part.ancestors():
        ab = a.boundary
        if ab is not None and ab != b and (ab.startswith(b) or b.startswith(ab)):
            return a
    return None


def _syntax_problem(boundary: str) -> str | None:
    """What is wrong with a boundary's characters or length, or None."""
    if len(boundary) > _MAX_BOUNDARY:
        return f"is {len(boundary)} characters long (at most {_MAX_BOUNDARY} are allowed)"
    if not _BCHARS.match(boundary):
        m = _NOT_BCHAR.search(boundary)
        bad = m.group() if m else "?"
        return f"holds {bad!r}, which is not among the characters RFC 2046 allows"
    if boundary.endswith(" "):
        return "ends with a space, which RFC 2046 forbids"
    return None


def _part_at(top: Part, offset: int) -> Part:
    """The deepest part below ``top`` whose span holds ``offset``."""
    node = top
    while True:
        if node.embedded is not None and node.embedded.start <= offset < node.embedded.end:
            node = node.embedded
            continue
        starts = [c.start for c in node.children]
        i = bisect.bisect_right(starts, offset) - 1
        if i < 0 or offset >= node.children[i].end:
            return node
        node = node.children[i]


def _content_lookalikes(message: Message, part: Part, known: set[int]) -> list[int]:
    """Lines in the multipart's body that start like its delimiter but are not one."""
    assert part.boundary is not None
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


def _line_stop(data: bytes, at: int, end: int) -> int:
    nl = data.find(b"\n", at, end)
    stop = end if nl < 0 else nl
    return stop - 1 if nl >= 0 and stop > at and data[stop - 1] == 13 else stop


# ------------------------------------------------------------------- fixes
_FIXES: weakref.WeakKeyDictionary[Part, Fix | None] = weakref.WeakKeyDictionary()


def _delimiter_positions(message: Message) -> set[int]:
    return _shape(message).known


def _needs_rename(message: Message, part: Part, known: set[int]) -> bool:
    assert part.boundary is not None
    if _reuses_ancestor(part):
        return False
    return (
        _prefix_ancestor(part) is not None
        or _syntax_problem(part.boundary) is not None
        or bool(_content_lookalikes(message, part, known))
    )


def _new_boundaries(message: Message) -> dict[int, str]:
    """A fresh boundary for each multipart that needs one, keyed by part start.

    Chosen once per message, each avoiding the others, so that fixes on
    nested multipart parts applied together cannot collide.
    """
    return message.memo("_mimelint_boundary_renames", _choose_renames)


def _choose_renames(message: Message) -> dict[int, str]:
    chosen: dict[int, str] = {}
    known = _delimiter_positions(message)
    for part in _multiparts(message):
        if _needs_rename(message, part, known) and _renamable(part):
            try:
                chosen[part.start] = fresh_boundary(message, avoid=chosen.values())
            except NoFreeBoundary:
                # The declared boundaries leave no free one (and avoiding
                # more only narrows the choice): these findings stay
                # without a rename.
                break
    return chosen


def _renamable(part: Part) -> bool:
    param = _boundary_param(part)
    return (
        param is not None
        and "*" not in param.raw_name
        and bool(part.children)  # an empty multipart is M207's, and its body is its content
        and not _reuses_ancestor(part)
        and not (param.quoted and not (len(param.raw_value) >= 2 and param.raw_value.endswith('"')))
    )


def repair_fix(part: Part) -> Fix | None:
    """The one fix for a multipart: fresh boundary and/or close delimiter.

    Every finding about the same multipart carries this same fix, so
    applying any of them repairs all, and two can never disagree. (The
    folded M206 finding for nested multiparts unclosed at one point carries
    :func:`_close_all_fix` instead, which joins these fixes.)
    """
    return _own_fix(part)


def _unclosed(message: Message) -> dict[int, list[Part]]:
    """Multiparts that end without a close delimiter, by where it belongs (M206).

    Each list is outermost first.
    """
    data = message.data
    ending: dict[int, list[Part]] = {}
    for part in _multiparts(message):
        if part.closed or not part.delimiters or _reuses_ancestor(part):
            continue
        at = part.body_end
        if at > part.body_start and data[at - 1] == 10:
            at -= 1
            if at > part.body_start and data[at - 1] == 13:
                at -= 1
        ending.setdefault(at, []).append(part)
    return ending


def _own_fix(part: Part) -> Fix | None:
    """Fresh boundary and/or close delimiter for one multipart alone."""
    if part in _FIXES:
        return _FIXES[part]
    message = part.message
    assert isinstance(message, Message) and part.boundary is not None
    new = _new_boundaries(message).get(part.start)
    missing_close = bool(part.delimiters) and not part.closed
    fix: Fix | None = None
    if new is not None or missing_close:
        boundary = new if new is not None else part.boundary
        raw_new = boundary.encode("utf-8", "surrogateescape")
        edits: list[Edit] = []
        if new is not None:
            param = _boundary_param(part)
            assert param is not None
            edits.append(Edit(param.value_start, param.value_end, b'"' + raw_new + b'"'))
            size = len(part.boundary.encode("utf-8", "surrogateescape"))
            edits.extend(Edit(d.dash + 2, d.dash + 2 + size, raw_new) for d in part.delimiters)
        if missing_close:
            linesep = line_separator(message)
            at_end = part.body_end == len(message.data) and message.data.endswith(b"\n")
            close = linesep + b"--" + raw_new + b"--" + (linesep if at_end else b"")
            edits.append(Edit(part.body_end, part.body_end, close))
        what = []
        if new is not None:
            what.append(f"give the multipart {part.path or '(the message)'} a fresh boundary")
        if missing_close:
            what.append("add its close delimiter")
        fix = Fix(edits=tuple(edits), safety=Safety.SAFE, description=" and ".join(what))
    _FIXES[part] = fix
    return fix


# ------------------------------------------------------------------- rules
@rule(
    code="M201",
    name="missing-boundary",
    severity="error",
    summary="A multipart Content-Type without a boundary parameter",
)
def missing_boundary(message: Message, context: Context) -> Iterator[Problem]:
    """## What it does
    Flags a ``multipart/*`` part whose Content-Type has no ``boundary``
    parameter, or an empty one.

    ## Why is this bad?
    The boundary is required for every multipart type (RFC 2046 §5.1.1):
    without it no receiver can find the parts, and the whole body is shown
    as one blob of text or dropped. Amazon SES asks for multipart parts to
    be well formed (SES API v2 reference, RawMessage).

    ## Example
    ```
    Content-Type: multipart/mixed
    ```

    ## Use instead
    ```
    Content-Type: multipart/mixed; boundary="=_part_1"
    ```

    ## Fix safety
    Not fixable: which lines of the body were meant as delimiters is unknown.

    ## References
    RFC 2046 §5.1.1; RFC 2045 §5.1.
    """
    for part in message.parts():
        for defect in part.defects:
            if defect.kind != "no-boundary":
                continue
            start, end = _type_span(part)
            param = _boundary_param(part)
            if param is not None:
                start, end = param.start, param.end
                text = "has an empty boundary parameter"
            else:
                text = "has no boundary parameter"
            yield Problem(
                start,
                end,
                f"{part.content_type} {text}, so its parts cannot be found; add "
                'boundary="..." naming the delimiter lines of its body',
                part.path,
            )


@rule(
    code="M202",
    name="reused-boundary",
    severity="error",
    summary="A nested multipart reuses the boundary of an enclosing one",
)
def reused_boundary(message: Message, context: Context) -> Iterator[Problem]:
    """## What it does
    Flags a multipart nested inside another (directly, or inside an
    attached message) that declares the same boundary as an enclosing one.

    ## Why is this bad?
    RFC 2046 §5.1.1 requires a nested multipart to use a different
    boundary. Receivers split the outer body at every ``--boundary`` line,
    including the inner multipart's, so the inner parts become parts of the
    outer one, the inner multipart is empty and its close delimiter ends the
    outer body early. Different clients show different structures.

    ## Example
    ```
    Content-Type: multipart/mixed; boundary="b1"

    --b1
    Content-Type: multipart/alternative; boundary="b1"
    ```

    ## Use instead
    ```
    Content-Type: multipart/mixed; boundary="b1"

    --b1
    Content-Type: multipart/alternative; boundary="b2"
    ```

    ## Fix safety
    Not fixable: the message itself does not say which delimiter lines
    belong to which multipart, so any repair is a guess at the structure.
    Fix the program that generates the message.

    ## References
    RFC 2046 §5.1.1, §5.1.2.
    """
    for part in _multiparts(message):
        if _reuses_ancestor(part):
            start, end = _value_span(part)
            yield Problem(
                start,
                end,
                f"this multipart reuses the boundary {part.boundary!r} of an enclosing "
                "multipart, so receivers cannot tell where its parts are; give each nested "
                "multipart its own boundary",
                part.path,
            )


@rule(
    code="M203",
    name="ambiguous-nested-boundary",
    severity="error",
    summary="A nested boundary is a prefix or an extension of an enclosing one",
    fix="safe",
)
def ambiguous_nested_boundary(message: Message, context: Context) -> Iterator[Problem]:
    """## What it does
    Flags a nested multipart whose boundary begins with an enclosing
    multipart's boundary, or is the beginning of it (``b1`` inside ``b1-x``,
    or ``b1-x`` inside ``b1``).

    ## Why is this bad?
    RFC 2046 §5.1.1 asks that a boundary not occur in the parts it
    delimits. ``--b1-x`` starts with ``--b1``: parsers that match delimiter
    lines by prefix (many do) split the outer body at the inner delimiters.

    ## Example
    ```
    Content-Type: multipart/mixed; boundary="part"
    --part
    Content-Type: multipart/alternative; boundary="part-alt"
    ```

    ## Use instead
    ```
    Content-Type: multipart/mixed; boundary="part"
    --part
    Content-Type: multipart/alternative; boundary="=_ml_3f2a..."
    ```

    ## Fix safety
    Safe: the nested multipart gets a fresh boundary, rewritten in its
    Content-Type and every one of its delimiter lines; content is untouched.

    ## References
    RFC 2046 §5.1.1.
    """
    for part in _multiparts(message):
        if _reuses_ancestor(part):
            continue
        other = _prefix_ancestor(part)
        if other is None:
            continue
        assert part.boundary is not None and other.boundary is not None
        relation = "an extension" if part.boundary.startswith(other.boundary) else "a prefix"
        start, end = _value_span(part)
        yield Problem(
            start,
            end,
            f"boundary {part.boundary!r} is {relation} of the enclosing boundary "
            f"{other.boundary!r}, so delimiter lines are ambiguous; use an unrelated boundary",
            part.path,
            repair_fix(part),
        )


@rule(
    code="M204",
    name="boundary-in-content",
    severity="error",
    summary="A line in a multipart's content starts like one of its delimiter lines",
    fix="safe",
)
def boundary_in_content(message: Message, context: Context) -> Iterator[Problem]:
    """## What it does
    Flags lines inside a multipart body (in a part's content, a nested
    part's content, or after the close delimiter) that begin with
    ``--boundary`` but are not delimiter lines: ``--b1x``, ``--b1 text``, a
    second ``--b1--``. One finding per multipart, at the first such line,
    with the count. The boundary mentioned in the middle of a line, and
    ``-- `` signature separators, are fine.

    ## Why is this bad?
    RFC 2046 §5.1.1: the boundary must not occur in the encapsulated parts.
    Strict parsers (such as this one) want ``--boundary`` alone on the
    line, but many match by prefix and cut the part there, so what the
    reader sees depends on the client.

    ## Example
    ```
    --b1
    Content-Type: text/plain

    --b1 is our boundary (a quoted line)
    --b1--
    ```

    ## Use instead
    ```
    --=_ml_3f2a...
    Content-Type: text/plain

    --b1 is our boundary (a quoted line)
    --=_ml_3f2a...--
    ```

    ## Fix safety
    Safe: the multipart gets a fresh boundary (rewritten in its Content-Type
    and every delimiter line); the content lines are left as they are.

    ## References
    RFC 2046 §5.1.1.
    """
    shape = _shape(message)
    known = shape.known
    if known.issuperset(message.dash_lines()):
        return  # every line starting with "--" is a delimiter
    data = message.data
    for part in _multiparts(message):
        if id(part) in shape.reused or id(part) in shape.reusing:
            continue  # M202 explains these lines
        found = _content_lookalikes(message, part, known)
        if not found:
            continue
        at = found[0]
        stop = _line_stop(data, at, part.body_end)
        holder = _part_at(part, at)
        if holder is part:
            where = "the preamble or epilogue of this multipart"
        else:
            where = f"part {holder.path}" if holder.path else "the attached message"
        more = f" ({len(found)} such lines)" if len(found) > 1 else ""
        yield Problem(
            at,
            stop,
            f"this line in {where} starts like a delimiter of boundary {part.boundary!r} "
            f"but is content{more}; parsers that match by prefix split the part here: "
            "use a boundary that occurs nowhere in the content",
            holder.path,
            repair_fix(part),
        )


@rule(
    code="M205",
    name="invalid-boundary",
    severity="warning",
    summary="A boundary longer than 70 characters or with characters RFC 2046 forbids",
    fix="safe",
)
def invalid_boundary(message: Message, context: Context) -> Iterator[Problem]:
    """## What it does
    Flags a boundary longer than 70 characters, holding a character outside
    RFC 2046's set (letters, digits, space and ``'()+_,-./:=?``), or ending
    with a space.

    ## Why is this bad?
    RFC 2046 §5.1.1 defines the boundary's grammar. Parsers written to it
    cut long boundaries, stop at other characters or strip the trailing
    space, then find no delimiter lines and show no parts. Most mailers
    accept such boundaries, so this is a warning.

    ## Example
    ```
    Content-Type: multipart/mixed; boundary="#part#1"
    ```

    ## Use instead
    ```
    Content-Type: multipart/mixed; boundary="=_part_1"
    ```

    ## Fix safety
    Safe: the multipart gets a fresh boundary (rewritten in its Content-Type
    and every delimiter line); content is untouched.

    ## References
    RFC 2046 §5.1.1 (boundary, bchars, bcharsnospace).
    """
    for part in _multiparts(message):
        assert part.boundary is not None
        problem = _syntax_problem(part.boundary)
        if problem is None:
            continue
        start, end = _value_span(part)
        yield Problem(
            start,
            end,
            f"boundary {problem}; use 1 to 70 characters from A-Z a-z 0-9 '()+_,-./:=? "
            "and space, not ending in a space",
            part.path,
            repair_fix(part),
        )


@rule(
    code="M206",
    name="missing-close-delimiter",
    severity="error",
    summary="A multipart body never reaches its close delimiter",
    fix="safe",
)
def missing_close_delimiter(message: Message, context: Context) -> Iterator[Problem]:
    """## What it does
    Flags a multipart whose body ends without the close delimiter line
    ``--boundary--``; the finding points at the end of the body, where it
    should be.

    ## Why is this bad?
    RFC 2046 §5.1.1 ends every multipart body with a close delimiter. It is
    common in the wild (truncated or hand-assembled mail) and most readers
    cope, but some drop the last part or flag the message as truncated, and
    Amazon SES asks for multipart parts to be well formed (SES API v2
    reference, RawMessage): in a message about to be sent it means the
    generator is broken, so this is an error.

    ## Example
    ```
    --b1
    Content-Type: text/plain

    last part
    (end of message)
    ```

    ## Use instead
    ```
    --b1
    Content-Type: text/plain

    last part

    --b1--
    ```

    Nested multiparts that all end at the same point without their close
    delimiters (a truncated message) give one finding there, naming how
    many multiparts end there.

    ## Fix safety
    Safe: the close delimiter is added after the last part, preceded by a
    line break of its own, so the last part's content is unchanged. For
    nested multiparts ending at one point, one fix adds all their close
    delimiters there, innermost first.

    ## References
    RFC 2046 §5.1.1.
    """
    for at, parts in _unclosed(message).items():
        if len(parts) == 1:
            part = parts[0]
            yield Problem(
                at,
                at,
                f"the multipart body ends without its close delimiter --{part.boundary}--; "
                "add it after the last part",
                part.path,
                repair_fix(part),
            )
            continue
        inner = sorted(parts, key=lambda p: -p.depth)  # innermost first
        shown = ", ".join(f"--{p.boundary}--" for p in inner[:3])
        if len(inner) > 3:
            shown += f", ... --{inner[-1].boundary}--"
        yield Problem(
            at,
            at,
            f"{len(inner)} nested multipart bodies end here without their close delimiters "
            f"({shown}, innermost first); add them after the last part",
            inner[0].path,
            _close_all_fix(inner),
        )


def _close_all_fix(parts: list[Part]) -> Fix | None:
    """One fix closing nested multiparts that end at one point (innermost first).

    Each part's own fix (:func:`_own_fix`) ends with the insertion of its
    close delimiter; the insertions are joined into one, innermost first,
    which is what applying them one after the other would give, and the
    renames of all of them come along. When the parts' bodies do not end at
    one offset, the innermost's fix alone is offered (the fix engine
    applies the rest in later passes). Cached on the innermost part.
    """
    key = parts[0]
    if key in _GROUP_FIXES:
        return _GROUP_FIXES[key]
    fix = _join_closes(parts)
    _GROUP_FIXES[key] = fix
    return fix


_GROUP_FIXES: weakref.WeakKeyDictionary[Part, Fix | None] = weakref.WeakKeyDictionary()


def _join_closes(parts: list[Part]) -> Fix | None:
    fixes = [_own_fix(p) for p in parts]
    first = fixes[0]
    end = parts[0].body_end
    if any(f is None for f in fixes) or any(p.body_end != end for p in parts):
        return first
    edits: list[Edit] = []
    closes: list[bytes] = []
    for fix in fixes:
        assert fix is not None
        *renames, close = fix.edits
        if close.start != end or close.end != end:
            return first
        edits.extend(renames)
        closes.append(close.replacement)
    edits.append(Edit(end, end, b"".join(closes)))
    return Fix(
        edits=tuple(edits),
        safety=Safety.SAFE,
        description=f"add the close delimiters of {len(parts)} nested multiparts",
    )


@rule(
    code="M207",
    name="empty-multipart",
    severity="error",
    summary="A multipart with no parts",
)
def empty_multipart(message: Message, context: Context) -> Iterator[Problem]:
    """## What it does
    Flags a multipart whose body holds no part: no delimiter line
    ``--boundary`` at all (often the body was written with another
    boundary than the one declared), or only a close delimiter.

    ## Why is this bad?
    RFC 2046 §5.1.1 requires at least one body part. Receivers show an
    empty message or the raw body, and Amazon SES asks for multipart parts
    to be well formed (SES API v2 reference, RawMessage).

    ## Example
    ```
    Content-Type: multipart/mixed; boundary="b1"

    --b2
    Content-Type: text/plain
    ```

    ## Use instead
    ```
    Content-Type: multipart/mixed; boundary="b2"

    --b2
    Content-Type: text/plain
    ```

    ## Fix safety
    Not fixable: which boundary was meant, or whether content was lost, is
    unknown.

    ## References
    RFC 2046 §5.1.1.
    """
    for part in _multiparts(message):
        if part.children or _reuses_ancestor(part):
            continue
        if not any(d.kind == "no-parts" for d in part.defects):
            continue
        start, end = _type_span(part)
        if part.delimiters:
            text = "has only a close delimiter and no parts"
        else:
            text = f"has no delimiter line --{part.boundary} in its body, so no parts"
        yield Problem(
            start,
            end,
            f"{part.content_type} {text}; check the boundary parameter against the body",
            part.path,
        )


RULES = [
    missing_boundary,
    reused_boundary,
    ambiguous_nested_boundary,
    boundary_in_content,
    invalid_boundary,
    missing_close_delimiter,
    empty_multipart,
]
