"""M804: a placeholder in MIME structure (boundary, media type, transfer encoding)."""

from __future__ import annotations

from mimelint.mime.tree import Message
from mimelint.rule import Context, Problem, message, rule


@rule(
    code="M804",
    name="placeholder-in-mime-structure",
    severity="error",
    summary="A placeholder in a boundary, a media type or Content-Transfer-Encoding",
    visits=message(template=True),
)
def placeholder_in_mime_structure(message: Message, context: Context) -> list[Problem] | None:
    """## What it does
    In a template, flags a placeholder in what decides the message's MIME
    structure: a ``boundary`` parameter or a boundary delimiter line, the
    media type of ``Content-Type``, or ``Content-Transfer-Encoding``.

    A boundary that the data gives and that is written with the same
    template text in the ``boundary`` parameter and at the start of every
    delimiter line (``boundary="{{ b }}"``, ``--{{ b }}``) is not flagged:
    the program makes a fresh one for each message, as MIME libraries do,
    which keeps it out of the parts better than a constant could.

    ## Why is this bad?
    How a reader splits and decodes the message then depends on the data
    (RFC 2046 §5.1.1: the boundary must not occur in any part; RFC 2045 §5,
    §6: the media type and encoding say how to read the body). A value with
    a space, a quote or a line break, or one that occurs in a part, breaks
    the structure, and no check of the template can tell.

    ## Example
    ```
    Content-Type: {{ media_type }}
    ```

    ## Use instead
    ```
    Content-Type: text/plain; charset=utf-8
    ```

    ## Fix safety
    No fix.

    ## References
    RFC 2045 §5, §6; RFC 2046 §5.1.1.
    """
    template = message.template
    assert template is not None  # visits=message(template=True)
    from mimelint.placeholders import Where  # loaded only for a template

    problems: list[Problem] = []
    for site in template.sites:
        if site.where is Where.STRUCTURE:
            where = f"{site.field} depends on the data"
        elif site.where is Where.DELIMITER:
            where = "a boundary delimiter line depends on the data"
        else:
            continue
        p = site.placeholder
        problems.append(
            Problem(
                p.start,
                p.end,
                f"{where}: the message's MIME structure is then decided at send time; "
                "write it as a constant in the template",
                site.part,
            )
        )
    return problems
