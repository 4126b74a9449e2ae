"""M209 indented-delimiter: a delimiter line indented by white space hides the part after it."""

from __future__ import annotations

from mimelint.mime.boundaries import delimiter_tail
from mimelint.mime.lines import line_end, line_start
from mimelint.mime.quoting import quoted
from mimelint.mime.tree import Part
from mimelint.rule import Context, Problem, parts, rule


def _indented_delimiter(part: Part, start: int, end: int) -> tuple[int, int] | None:
    """Where the first indented delimiter line of ``part`` in ``[start, end)``
    starts, and where its ``--boundary`` ends.

    A line of white space, then ``--boundary``, then nothing but an
    optional ``--`` and white space, with more than white space after it
    in ``[start, end)`` (the part it hides). Each line is looked at once (after a
    hit on a line the search goes on from the next line), and the regions
    searched (preambles, bodies without parts) of different multiparts
    never overlap: linear in the message.
    """
    assert part.boundary is not None
    data = part.message.data
    boundary = part.boundary.encode("utf-8", "surrogateescape")
    marker = b"--" + boundary
    pos = data.find(marker, start, end)
    while pos >= 0:
        begins = line_start(data, pos, start)
        tail = delimiter_tail(data, pos, boundary, end)
        if tail is not None and pos > begins and not data[begins:pos].strip(b" \t"):
            if not data[tail[0] : end].strip():
                # Only white space after it up to the first delimiter line
                # (or the end): no part is hidden, and no later line can
                # be another hit.
                return None
            return begins, pos + len(marker)
        pos = data.find(marker, line_end(data, pos, end), end)
    return None


@rule(
    code="M209",
    name="indented-delimiter",
    severity="error",
    summary="A delimiter line indented by white space: readers hide the part after it",
    visits=parts(multipart=True),
)
def indented_delimiter(part: Part, context: Context) -> list[Problem] | None:
    """## What it does
    Flags a line in a multipart's preamble (before its first delimiter
    line, or anywhere in a body with no delimiter line at all) that is one
    of its delimiter lines, ``--boundary``, with white space before it
    (seen as the first delimiter line, indented, right after the blank
    line that ends a header section whose last field is folded), and
    followed by more than white space before the first delimiter line:
    such a line with nothing after it hides nothing. Indented lines
    further on (in a part's content) are not looked for: there the text
    of a part may quote one.

    ## Why is this bad?
    RFC 2046 §5.1.1 starts a delimiter line with the two hyphens at the
    start of the line; readers (Python's email package among them) take
    the indented line for preamble text. The part it was meant to open,
    its header fields and content, is read as preamble too, which no
    reader shows: the first part (often the text of the message) is lost.

    ## Example
    ```
    Content-Type: multipart/mixed; boundary="b1"

     --b1
    Content-Type: text/plain

    Hello
    --b1
    Content-Type: application/pdf
    ```

    ## Use instead
    ```
    Content-Type: multipart/mixed; boundary="b1"

    --b1
    Content-Type: text/plain

    Hello
    --b1
    Content-Type: application/pdf
    ```

    ## Fix safety
    Not fixable: removing the white space gives every reader a part it
    does not show now, which no proof can call the same message.

    ## References
    RFC 2046 §5.1.1.
    """
    if part.boundary is None:
        return None
    if part.preamble is not None:
        start, end = part.preamble
    elif not part.delimiters:  # no parts at all (M207): the whole body is the preamble
        start, end = part.body_start, part.body_end
    else:
        return None
    found = _indented_delimiter(part, start, end)
    if found is None:
        return None
    return [
        Problem(
            *found,
            f"this delimiter line of boundary {quoted(part.boundary)} is indented by white "
            "space, so it is no delimiter (RFC 2046 §5.1.1): readers take it and the part "
            "after it for the preamble and do not show that part; remove the white space "
            "before '--'",
            part.path,
        )
    ]
