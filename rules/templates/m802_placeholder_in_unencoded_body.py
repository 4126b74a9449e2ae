"""M802: a placeholder in a 7bit or quoted-printable body, not encoded."""

from __future__ import annotations

from mimelint.mime.tree import Message
from mimelint.rule import Context, Problem, message, rule


@rule(
    code="M802",
    name="placeholder-in-unencoded-body",
    severity="warning",
    summary="A placeholder in a 7bit or quoted-printable body without an encoding step",
    visits=message(template=True),
)
def placeholder_in_unencoded_body(message: Message, context: Context) -> list[Problem] | None:
    """## What it does
    In a template, flags a placeholder in the body of a part whose
    Content-Transfer-Encoding is ``7bit`` (or absent) or ``quoted-printable``.
    Not flagged: a placeholder whose filter encodes its value
    (``template-encoding-filters``), and in a ``7bit`` body a variable
    declared ASCII-safe (``template-ascii``).

    ## Why is this bad?
    A ``7bit`` body must hold only ASCII (RFC 2045 §2.7): a non-ASCII value
    makes 8-bit bytes in it, which Amazon SES and strict relays refuse or
    readers decode wrongly. A ``quoted-printable`` body must hold its value
    encoded (RFC 2045 §6.7): even an ASCII value with ``=`` in it (a URL
    with a query) becomes a broken escape.

    ## Example
    ```
    Content-Type: text/plain; charset=utf-8
    Content-Transfer-Encoding: 7bit

    Hello {{ first_name }},
    ```

    ## Use instead
    ```
    Content-Type: text/plain; charset=utf-8
    Content-Transfer-Encoding: quoted-printable

    Hello {{ first_name | qp }},
    ```
    with ``template-encoding-filters = ["qp"]``, or declare the part ``8bit``
    when the value may be any UTF-8 text and the path to the reader accepts it.

    ## Fix safety
    No fix: the encoding step belongs in the template.

    ## References
    RFC 2045 §2.7, §6.7; SES developer guide, "Sending raw email".
    """
    template = message.template
    assert template is not None  # visits=message(template=True)
    from mimelint.placeholders import Where  # loaded only for a template

    parts = {part.path: part for part in message.parts()}
    problems: list[Problem] = []
    for site in template.sites:
        if site.where is not Where.BODY:
            continue
        part = parts.get(site.part)
        if part is None:
            continue
        p = site.placeholder
        cte = part.transfer_encoding
        what = f"'{p.name}'" if p.name else "this placeholder"
        if cte == "7bit" and template.needs_encoding(p):
            problems.append(
                Problem(
                    p.start,
                    p.end,
                    f"the body is 7bit, so a non-ASCII value of {what} makes 8-bit bytes in it; "
                    "encode the part (quoted-printable or base64, with a filter listed in "
                    "template-encoding-filters) or declare the variable in template-ascii",
                    site.part,
                )
            )
        elif cte == "quoted-printable" and not template.is_encoded(p):
            problems.append(
                Problem(
                    p.start,
                    p.end,
                    f"the body is quoted-printable, but {what} is inserted without encoding: "
                    "a non-ASCII value or an '=' in it breaks the encoding; apply a "
                    "quoted-printable filter (listed in template-encoding-filters)",
                    site.part,
                )
            )
    return problems
