"""M617 content-length-mismatch: a Content-Length field that disagrees with the body."""

from __future__ import annotations

from mimelint.mime.quoting import quoted
from mimelint.mime.tree import Header, Part
from mimelint.rule import Context, Problem, fields, rule


@rule(
    code="M617",
    name="content-length-mismatch",
    severity="info",
    summary="A Content-Length field that disagrees with the size of the body",
    visits=fields("content-length"),
)
def content_length_mismatch(header: Header, part: Part, context: Context) -> list[Problem] | None:
    """## What it does
    Flags a Content-Length field (in the message's header or a part's)
    whose value is not the number of bytes of that body as written, or is
    not a number at all.

    ## Why is this bad?
    No mail standard defines Content-Length (RFC 2045 and RFC 5322 do not;
    it comes from HTTP and from mbox files), so mail readers ignore it and
    this is only info. But the tools that trust it (some mbox readers,
    archivers, a few MTAs and filters) cut the body where the field says,
    or read past it into the next message.

    ## Example
    ```
    Content-Length: 5

    Hello, world
    ```

    ## Use instead
    ```

    Hello, world
    ```
    (Leave the field out; nothing in mail needs it.)

    ## Fix safety
    Not fixable: removing a header field changes the header every reader
    sees; remove it in the program that writes it.

    ## References
    RFC 2045 §3; RFC 5322 §3.6.8; RFC 4155 (mbox).
    """
    data = part.data
    start, end = header.value_span
    value = data[start:end]
    size = part.body_end - part.body_start
    # More than 18 digits is no size (and int() refuses thousands of digits).
    number = int(value) if value.isdigit() and len(value) <= 18 else None
    if number == size:
        return None
    said = f"{number:,} bytes" if number is not None else f"{quoted(value, 40)}, not a size"
    return [
        Problem(
            start,
            end,
            f"Content-Length says {said}, but the body has {size:,} bytes; mail readers ignore "
            "the field, tools that trust it cut the body or read past it: remove the field",
        )
    ]
