"""M208 empty-part-between-delimiters: a delimiter line directly followed by another, so readers count parts differently."""

from __future__ import annotations

import itertools

from mimelint.mime.quoting import quoted
from mimelint.mime.tree import Part
from mimelint.rule import Context, Edit, Fix, Problem, Safety, parts, rule


@rule(
    code="M208",
    name="empty-part-between-delimiters",
    severity="warning",
    summary="A delimiter line directly followed by another: the part count depends on the reader",
    fix_safety="unsafe",
    visits=parts(multipart=True),
)
def empty_part_between_delimiters(part: Part, context: Context) -> list[Problem] | None:
    """## What it does
    Flags a delimiter line ``--boundary`` directly followed by another
    delimiter line of the same multipart, or by its close delimiter, with
    no line break of its own in between: doubled delimiter lines, or an
    empty last part written without its line break. The finding points at
    the second line.

    ## Why is this bad?
    RFC 2046 §5.1.1 makes the line break before ``--boundary`` part of the
    delimiter, so an empty part is written as a delimiter line, an empty
    line and the next delimiter line. Without that empty line the second
    line is, by the grammar, no delimiter at all, yet it looks like one,
    and readers count differently: this parser sees an empty part there;
    Python's ``email`` sees none between two delimiters and, before a
    close delimiter, misses the close; others drop the multipart. Part
    numbers after it and attachment lists then differ between clients.

    ## Example
    ```
    --b1
    --b1
    Content-Type: text/plain

    hello
    --b1--
    ```

    ## Use instead
    ```
    --b1
    Content-Type: text/plain

    hello
    --b1--
    ```

    ## Fix safety
    Unsafe: removing the first of two delimiter lines removes the empty
    part this parser sees (Python's ``email`` did not see it), so some
    reader's part count changes; that is the point, but it changes what a
    reader sees. No fix is offered before a close delimiter, where removing
    the line would leave the multipart without parts.

    ## References
    RFC 2046 §5.1.1.
    """
    delimiters = part.delimiters
    doubled = [
        (opening, following)
        for opening, following in itertools.pairwise(delimiters)
        if not opening.close and following.dash == opening.end
    ]
    if not doubled:
        return None
    following = doubled[0][1]
    # One finding per multipart, with the count; the fix removes every
    # doubled line that a part follows (before a close, removing it would
    # leave the multipart without parts).
    removable = [o for o, f in doubled if not f.close]
    fix = None
    if removable:
        fix = Fix(
            tuple(Edit(o.dash, o.end, b"") for o in removable),
            Safety.UNSAFE,
            "remove the doubled delimiter lines"
            if len(removable) > 1
            else "remove the doubled delimiter line",
        )
    kind = "close delimiter" if following.close else "delimiter line"
    more = f" ({len(doubled)} such places)" if len(doubled) > 1 else ""
    stop = following.end
    data = part.data
    while stop > following.dash and data[stop - 1] in (10, 13):
        stop -= 1
    return [
        Problem(
            following.dash,
            stop,
            f"this {kind} of boundary {quoted(part.boundary or '')} directly follows another "
            f"delimiter line, with no line break between them{more}, so readers "
            "disagree whether there is a part (this parser counts an empty one, Python's "
            "email none): remove the doubled line or write the part between them",
            part.path,
            fix,
        )
    ]
