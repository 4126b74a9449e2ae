"""M805: a block tag whose two ends lie on different sides of MIME structure."""

from __future__ import annotations

import bisect

from mimelint.mime.lines import line_end
from mimelint.mime.tree import Message, Part
from mimelint.rule import Context, Problem, Related, message, rule

_BLANK = b" \t\r\n"


@rule(
    code="M805",
    name="block-across-mime-structure",
    severity="error",
    summary="A block tag that opens and closes on different sides of a boundary or the header/body separator",
    visits=message(template=True),
)
def block_across_mime_structure(message: Message, context: Context) -> list[Problem] | None:
    """## What it does
    In a template, flags a block (``{% if %}...{% endif %}``,
    ``{% for %}``, ``{{#if}}...{{/if}}``, ``{{#each}}``) that opens on one
    side of a boundary delimiter line or of the blank line that ends a
    header section and closes on the other. A block that wraps whole body
    parts (it opens just before a delimiter line and closes just before
    another delimiter line of the same multipart) is fine: an optional
    attachment, a part per item.

    ## Why is this bad?
    Which lines are headers, which are body and where the parts begin then
    depends on the data: with one value the message is well formed, with
    another a part loses its header section or its delimiter (RFC 2046
    §5.1.1, RFC 5322 §2.1), and a check of one rendering cannot tell.

    ## Example
    ```
    Subject: Your order
    {% if html %}
    Content-Type: text/html

    <p>Thanks</p>
    {% endif %}
    ```

    ## Use instead
    ```
    Subject: Your order
    {% if html %}
    Content-Type: text/html
    {% else %}
    Content-Type: text/plain
    {% endif %}

    Thanks
    ```

    ## Fix safety
    No fix.

    ## References
    RFC 2046 §5.1.1; RFC 5322 §2.1.
    """
    template = message.template
    assert template is not None  # visits=message(template=True)
    if not template.blocks:
        return None
    data = message.data
    # Every structural line: (offset, what, the multipart it splits or None).
    marks: list[tuple[int, str, Part | None]] = []
    for part in message.parts():
        if part.separator is not None and part.headers:
            marks.append((part.separator[0], "the blank line that ends a header section", None))
        for delim in part.delimiters:
            marks.append((delim.dash, "a boundary delimiter line", part))
    if not marks:
        return None
    marks.sort(key=lambda m: m[0])
    offsets = [m[0] for m in marks]
    dashes: dict[str, list[int]] = {}  # each multipart's delimiter offsets, listed once
    placeholders = template.placeholders
    problems: list[Problem] = []
    for block in template.blocks:
        opened, closed = placeholders[block.open], placeholders[block.close]
        first = bisect.bisect_left(offsets, opened.end)
        last = bisect.bisect_left(offsets, closed.start)
        if first >= last or _wraps_whole_parts(data, marks, first, opened.end, closed.end, dashes):
            continue
        offset, what, _ = marks[first]
        problems.append(
            Problem(
                opened.start,
                opened.end,
                f"this block closes on the other side of {what}: the message's structure "
                "depends on the data; open and close it on the same side, or around whole parts",
                related=(
                    Related(closed.start, closed.end, "the tag that closes the block"),
                    Related(offset, line_end(data, offset, len(data)), what),
                ),
            )
        )
    return problems


def _wraps_whole_parts(
    data: bytes,
    marks: list[tuple[int, str, Part | None]],
    first: int,
    open_end: int,
    close_end: int,
    dashes: dict[str, list[int]],
) -> bool:
    """Whether the block holds whole parts of one multipart, delimiters included."""
    offset, _, multipart = marks[first]
    if multipart is None or data[open_end:offset].strip(_BLANK):
        return False
    if not multipart.body_start <= close_end <= multipart.body_end:
        return False
    # The next thing after the closing tag must be a delimiter of that multipart.
    found = dashes.get(multipart.path)
    if found is None:
        found = dashes[multipart.path] = [d.dash for d in multipart.delimiters]
    at = bisect.bisect_left(found, close_end)
    return at < len(found) and not data[close_end : found[at]].strip(_BLANK)
