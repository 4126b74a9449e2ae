"""M002: the input is empty, or only white space."""

from __future__ import annotations

from mimelint.mime.parse import is_blank
from mimelint.mime.tree import Message
from mimelint.rule import Context, Problem, rule


@rule(
    code="M002",
    name="empty-input",
    severity="error",
    summary="The input is empty, or holds only white space and line breaks",
    gate=True,
)
def empty_input(message: Message, context: Context) -> list[Problem] | None:
    """## What it does
    Flags an input of zero bytes, or of nothing but spaces, tabs and line
    breaks. It is the only finding for such an input: the other rules do
    not run.

    ## Why is this bad?
    An empty input is no message (RFC 5322 §3.6 requires at least the Date
    and From fields), and almost always a mistake upstream: a template that
    rendered to nothing, a file truncated by a failed write, standard input
    that a pipeline never filled. Without this rule it would be reported
    as a message that lacks From, Date and Message-ID, hiding the cause.

    ## Example
    ```

    ```

    ## Use instead
    ```
    From: Ann <ann@example.com>
    Date: Mon, 2 Mar 2026 10:00:00 +0000

    Hello Bob,
    ```

    ## Fix safety
    Not fixable: there is nothing to repair.

    ## References
    RFC 5322 §3.6.
    """
    data = message.data
    if not is_blank(data):
        return None
    what = "is empty" if not data else "holds only white space and line breaks"
    return [
        Problem(
            0,
            len(data),
            f"the input {what}: there is no message to check (no other rule was run on it)",
        )
    ]
