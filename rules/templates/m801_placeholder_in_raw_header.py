"""M801: a placeholder in header text that is sent as written."""

from __future__ import annotations

from mimelint.mime.tree import Message
from mimelint.rule import Context, Problem, message, rule


@rule(
    code="M801",
    name="placeholder-in-raw-header",
    severity="warning",
    summary="A placeholder in header text sent as written (Subject, display name, file name)",
    visits=message(template=True),
)
def placeholder_in_raw_header(message: Message, context: Context) -> list[Problem] | None:
    """## What it does
    In a template, flags a placeholder inside header text that is sent as
    written: an unstructured field such as ``Subject``, a display name in an
    address field, or a ``filename``/``name`` parameter. Not flagged: a
    variable declared ASCII-safe (``template-ascii``) and a placeholder
    whose filter or helper encodes its value (``template-encoding-filters``).

    ## Why is this bad?
    The value arrives at send time. As soon as it is not ASCII (a customer
    called Zoë), the header holds raw 8-bit text, which RFC 5322 §2.2 does
    not allow without SMTPUTF8 (RFC 6532) and which Amazon SES refuses in
    ``SendRawEmail`` unless it is RFC 2047 encoded (SES developer guide,
    "Sending raw email": header fields must be 7-bit ASCII).

    ## Example
    ```
    Subject: Welcome aboard, {{ first_name }}!
    ```

    ## Use instead
    ```
    Subject: Welcome aboard, {{ first_name | rfc2047 }}!
    ```
    with ``template-encoding-filters = ["rfc2047"]`` naming the filter that
    writes RFC 2047 encoded-words.

    ## Fix safety
    No fix: the encoding step belongs in the template (a filter) or in the
    code that fills it.

    ## References
    RFC 5322 §2.2; RFC 2047 §5; RFC 2231 §4 (file names); RFC 6532.
    """
    template = message.template
    assert template is not None  # visits=message(template=True)
    from mimelint.placeholders import Where  # loaded only for a template

    problems: list[Problem] = []
    for site in template.sites:
        if site.where is Where.RAW_HEADER and template.needs_encoding(site.placeholder):
            p = site.placeholder
            what = f"'{p.name}'" if p.name else "this value"
            problems.append(
                Problem(
                    p.start,
                    p.end,
                    f"{site.field or 'the header'} will hold {what} as written: a non-ASCII "
                    "value makes a raw 8-bit header; encode it as RFC 2047 encoded-words "
                    "(a filter listed in template-encoding-filters) or declare the variable "
                    "in template-ascii",
                    site.part,
                )
            )
    return problems
