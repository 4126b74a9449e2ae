"""M204 boundary-in-content: a line in a multipart's content that starts like one of its delimiter lines."""

from __future__ import annotations

from mimelint.mime.boundaries import lookalike_lines
from mimelint.mime.lines import line_end
from mimelint.mime.quoting import quoted
from mimelint.mime.tree import Part
from mimelint.rule import Context, Problem, Severity, parts, rule

from .shared import repair_fix


@rule(
    code="M204",
    name="boundary-in-content",
    severity="error",
    summary="A line in a multipart's content starts like one of its delimiter lines",
    fix_safety="safe",
    visits=parts(multipart=True),
)
def boundary_in_content(part: Part, context: Context) -> list[Problem] | None:
    """## What it does
    Flags lines inside a multipart body (in a part's content, a nested
    part's content, or after the close delimiter) that begin with
    ``--boundary`` but are not delimiter lines: ``--b1x``, ``--b1 text``, a
    second ``--b1--``. One finding per multipart, at the first such line,
    with the count. The boundary mentioned in the middle of a line, and
    ``-- `` signature separators, are fine. Such lines only in the
    epilogue of the outermost multipart (after the message's last close
    delimiter, where nothing is cut and readers show nothing) are reported
    as info. A line in a header section is left to the header rules
    (M302, M607), so that one line gets one finding.

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
    message = part.message
    shape = message.multipart_shape
    if not shape.stray_dash_lines or part.boundary is None:
        return None  # every line starting with "--" is a delimiter
    if part.start in shape.reused or part.start in shape.reusing:
        return None  # M202 explains these lines
    sections = message.header_sections
    # A line in a header section is the header rules' (M302, M607): one finding.
    found = [at for at in lookalike_lines(part) if not sections.holds(at)]
    if not found:
        return None
    more = f" ({len(found)} such lines)" if len(found) > 1 else ""
    boundary = quoted(part.boundary)
    epilogue = part.epilogue[0] if part.parent is None and part.epilogue is not None else None
    at = found[0]
    stop = line_end(message.data, at, part.body_end)
    fix = repair_fix(part)
    problems: list[Problem] = []
    if epilogue is not None and at >= epilogue:
        # After the message's last close delimiter: nothing is cut there
        # and readers do not show the epilogue.
        problems.append(
            Problem(
                at,
                stop,
                f"this line after the message's close delimiter starts like a delimiter of "
                f"boundary {boundary}{more}; readers do not show the epilogue, but a parser "
                "that matches by prefix may read it as another delimiter: use a boundary that "
                "occurs nowhere in the message",
                part.path,
                fix,
                Severity.INFO,
            )
        )
        return problems
    holder = part.part_at(at)
    if holder is part:
        where = "the preamble or epilogue of this multipart"
    elif holder.parent is not None and holder.parent.embedded is holder:
        where = "the attached message"
    else:
        where = "the content of a part"
    problems.append(
        Problem(
            at,
            stop,
            f"this line in {where} starts like a delimiter of boundary {boundary} "
            f"but is content{more}; parsers that match by prefix split the part here: "
            "use a boundary that occurs nowhere in the content",
            holder.path,
            fix,
        )
    )
    return problems
