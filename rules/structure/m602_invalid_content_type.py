"""M602 invalid-content-type: a Content-Type that is not type/subtype."""

from __future__ import annotations

import re

from mimelint.mime.params import TOKEN_RE
from mimelint.mime.quoting import quoted
from mimelint.mime.tree import Header, Part
from mimelint.rule import Context, Problem, fields, rule

from .shared import main_span, structured

_TOKEN = TOKEN_RE.pattern.removesuffix(r"\Z")
#: RFC 2045 §5.1: type "/" subtype, each a token.
_MEDIA_TYPE = re.compile(rf"{_TOKEN}/{_TOKEN}\Z")


def _media_type_problem(main: str) -> str | None:
    """What is wrong with a media type as written, or None."""
    if _MEDIA_TYPE.match(main):
        return None
    if not main:
        return "is empty"
    if "/" not in main:
        return f"has no subtype ({quoted(main)} is not type/subtype)"
    return f"is not a valid type/subtype ({quoted(main)})"


@rule(
    code="M602",
    name="invalid-content-type",
    severity="error",
    summary="A Content-Type that is not type/subtype",
    visits=fields("content-type"),
)
def invalid_content_type(header: Header, part: Part, context: Context) -> list[Problem] | None:
    """## What it does
    Flags a Content-Type field whose value does not start with a media type
    ``type/subtype`` made of two tokens: an empty value, a type without a
    subtype (``text``), a stray character (``text/html,``) or white space
    inside (``text/ html``). Parameter syntax is M604's business.

    ## Why is this bad?
    RFC 2045 §5.2 tells readers to treat a part whose Content-Type they
    cannot parse as ``text/plain; charset=us-ascii``: an HTML body is shown
    as source, a multipart as one block of raw MIME, an attachment as text.
    Readers differ in how much they forgive, so the message looks different
    everywhere.

    ## Example
    ```
    Content-Type: text; charset=utf-8
    ```

    ## Use instead
    ```
    Content-Type: text/plain; charset=utf-8
    ```

    ## Fix safety
    Not fixable: only the sender knows which type was meant.

    ## References
    RFC 2045 §5.1, §5.2; RFC 2046 §1.
    """
    sv = structured(part, header)
    if sv is None:
        return None
    why = _media_type_problem(sv.main)
    if why is None:
        return None
    start, end = main_span(header, sv)
    return [
        Problem(
            start,
            end,
            f"the Content-Type {why}; readers fall back to text/plain "
            "(RFC 2045 §5.2): write a media type such as text/plain or multipart/mixed",
            part.path,
        )
    ]
