"""M614 invalid-mime-version: a MIME-Version other than 1.0."""

from __future__ import annotations

from mimelint.mime.quoting import quoted
from mimelint.mime.tree import Header, Part, uncomment
from mimelint.rule import Context, Problem, fields, rule

from .shared import inside_embedded_message


@rule(
    code="M614",
    name="invalid-mime-version",
    severity="warning",
    summary="A MIME-Version other than 1.0",
    visits=fields("mime-version"),
)
def invalid_mime_version(header: Header, part: Part, context: Context) -> list[Problem] | None:
    """## What it does
    Flags a MIME-Version field whose value, comments removed, is not
    ``1.0`` (``MIME-Version: 2.0``, ``MIME-Version: yes``, an empty value).
    Comments are allowed anywhere, as RFC 2045 §4 shows:
    ``MIME-Version: 1.0 (produced by MetaSend Vx.x)`` and even
    ``1.(produced by MetaSend Vx.x)0`` are ``1.0``. The top-level header
    and the sender's own body parts are checked; a message embedded as
    ``message/rfc822`` (a bounce, a forward) is not, as M612 and M613 do not
    check it: its headers belong to someone else and the sender cannot fix
    them.

    ## Why is this bad?
    RFC 2045 §4 defines only version 1.0 and requires the field to read
    exactly ``MIME-Version: 1.0``. A reader that checks the version may
    treat any other value as not MIME and show the raw structure; most
    only look for the field, which is why this is a warning.

    ## Example
    ```
    MIME-Version: 2.0
    ```

    ## Use instead
    ```
    MIME-Version: 1.0
    ```

    ## Fix safety
    Not fixable: which standard the sender followed is a guess; set the
    value to 1.0 in the sending code.

    ## References
    RFC 2045 §4; RFC 2049 §2.
    """
    if part.parent is not None and inside_embedded_message(part):
        return None  # (the top message is inside nothing)
    text = uncomment(header.unfolded.decode("latin-1"))
    if text is not None and "".join(text.split()) == "1.0":
        return None
    data = part.data
    start, end = header.value_span
    shown = data[start:end].decode("latin-1")
    return [
        Problem(
            start,
            end,
            f"MIME-Version is {quoted(shown)}, but 1.0 is the only MIME version (RFC 2045 §4); "
            "write 'MIME-Version: 1.0'",
            part.path,
        )
    ]
