"""M303 empty-header-name: a header line that starts with a colon."""

from __future__ import annotations

from mimelint.mime.tree import EMPTY_NAME, Header, Part
from mimelint.rule import Context, Problem, fields, rule


@rule(
    code="M303",
    name="empty-header-name",
    severity="error",
    summary="A header line that starts with a colon",
    visits=fields(kinds=[EMPTY_NAME]),
)
def empty_header_name(header: Header, part: Part, context: Context) -> list[Problem] | None:
    """## What it does
    Flags a header line that starts with a colon, so that the field has no
    name.

    ## Why is this bad?
    RFC 5322 §2.2 and §3.6.8 require a field name of at least one character.
    Amazon SES refuses such a message with ``Empty header names are
    illegal.``

    ## Example
    ```
    Subject: Report
    : Acme 2.0
    ```

    ## Use instead
    ```
    Subject: Report
    X-Mailer: Acme 2.0
    ```

    ## Fix safety
    Not fixable: the intended name is unknown.

    ## References
    RFC 5322 §2.2, §3.6.8.
    """
    return [
        Problem(
            header.start,
            header.start + 1,
            "header line starts with ':' and has no field name; give it a name or remove the line",
        )
    ]
