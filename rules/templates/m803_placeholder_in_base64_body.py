"""M803: a placeholder inside a base64 body."""

from __future__ import annotations

from mimelint.mime.tree import Message
from mimelint.rule import Context, Problem, message, rule


@rule(
    code="M803",
    name="placeholder-in-base64-body",
    severity="error",
    summary="A placeholder inside a base64 body",
    visits=message(template=True),
)
def placeholder_in_base64_body(message: Message, context: Context) -> list[Problem] | None:
    """## What it does
    In a template, flags a placeholder in the body of a part declared
    ``Content-Transfer-Encoding: base64``, unless its filter encodes the
    value (``template-encoding-filters``).

    ## Why is this bad?
    A base64 body is data in the base64 alphabet in lines of at most 76
    characters, padded as a whole (RFC 2045 §6.8). Text inserted into it is
    decoded as base64 like the rest: the reader sees garbage, or the decoder
    stops at the first character outside the alphabet. Even an encoded
    value spliced into the middle shifts the 4-character groups unless it
    is whole groups.

    ## Example
    ```
    Content-Type: text/plain; charset=utf-8
    Content-Transfer-Encoding: base64

    SGVsbG8g{{ first_name }}
    ```

    ## Use instead
    ```
    Content-Type: text/plain; charset=utf-8
    Content-Transfer-Encoding: base64

    {{ body | b64 }}
    ```
    with ``template-encoding-filters = ["b64"]``: the whole body encoded at
    send time.

    ## Fix safety
    No fix.

    ## References
    RFC 2045 §6.8.
    """
    template = message.template
    assert template is not None  # visits=message(template=True)
    from mimelint.placeholders import Where  # loaded only for a template

    parts = {part.path: part for part in message.parts()}
    problems: list[Problem] = []
    for site in template.sites:
        if site.where is not Where.BODY or template.is_encoded(site.placeholder):
            continue
        part = parts.get(site.part)
        if part is not None and part.transfer_encoding == "base64":
            p = site.placeholder
            what = f"'{p.name}'" if p.name else "this value"
            problems.append(
                Problem(
                    p.start,
                    p.end,
                    f"{what} is inserted into a base64 body, where it is decoded as base64 data; "
                    "encode the whole body at send time (a filter listed in "
                    "template-encoding-filters) or use quoted-printable",
                    site.part,
                )
            )
    return problems
