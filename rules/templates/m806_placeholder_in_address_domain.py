"""M806: a placeholder inside the domain of an address."""

from __future__ import annotations

from mimelint.mime.tree import Message
from mimelint.rule import Context, Problem, message, rule


@rule(
    code="M806",
    name="placeholder-in-address-domain",
    severity="warning",
    summary="A placeholder inside the domain of an address (IDNA)",
    visits=message(template=True),
)
def placeholder_in_address_domain(message: Message, context: Context) -> list[Problem] | None:
    """## What it does
    In a template, flags a placeholder that fills part of an address's
    domain (``{{ user }}@{{ domain }}``, ``support@{{ tenant }}.example``).
    A placeholder that fills a whole address, an addr-spec or a local part
    is fine. Not flagged: a variable declared ASCII-safe (``template-ascii``)
    or a filter that encodes (``template-encoding-filters``, an IDNA filter).

    ## Why is this bad?
    A domain in a header field must be ASCII: an internationalized domain
    is written in its IDNA A-label form (``xn--...``, RFC 5890, RFC 5891).
    A non-ASCII value makes a raw 8-bit address, which Amazon SES refuses
    (SES developer guide: domains in Punycode).

    ## Example
    ```
    Reply-To: support@{{ tenant_domain }}
    ```

    ## Use instead
    ```
    Reply-To: {{ reply_address }}
    ```
    a whole address, built (and IDNA-encoded) by the code that sends.

    ## Fix safety
    No fix.

    ## References
    RFC 5890; RFC 5891; RFC 5322 §3.4.1; SES developer guide, "Sending raw email".
    """
    template = message.template
    assert template is not None  # visits=message(template=True)
    from mimelint.placeholders import Where  # loaded only for a template

    problems: list[Problem] = []
    for site in template.sites:
        if site.where is Where.DOMAIN and template.needs_encoding(site.placeholder):
            p = site.placeholder
            what = f"'{p.name}'" if p.name else "this value"
            problems.append(
                Problem(
                    p.start,
                    p.end,
                    f"{what} fills part of an address's domain in {site.field}: a non-ASCII "
                    "value must be written as its IDNA A-label (xn--...); pass the whole "
                    "address, apply an IDNA filter (listed in template-encoding-filters) or "
                    "declare the variable in template-ascii",
                    site.part,
                )
            )
    return problems
