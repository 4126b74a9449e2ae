"""M702 unknown-transfer-encoding: a Content-Transfer-Encoding no receiver knows."""

from __future__ import annotations

from mimelint.mime.quoting import quoted
from mimelint.mime.transfer_encodings import is_private
from mimelint.mime.tree import Header, Part
from mimelint.rule import Context, Fact, Problem, fields, rule

from ._common import in_effect, is_composite


@rule(
    code="M702",
    name="unknown-transfer-encoding",
    severity="error",
    summary="A Content-Transfer-Encoding that no receiver knows",
    visits=fields("content-transfer-encoding", requires=[Fact.UNKNOWN_TRANSFER_ENCODING]),
)
def unknown_transfer_encoding(header: Header, part: Part, context: Context) -> list[Problem] | None:
    """## What it does
    Flags a Content-Transfer-Encoding other than the five that RFC 2045
    §6.1 defines (``7bit``, ``8bit``, ``binary``, ``quoted-printable``,
    ``base64``) and that is not a private ``x-`` name either (see M703):
    typically a typo such as ``7-bit`` or ``base-64``.

    ## Why is this bad?
    RFC 2045 §6.4: a body in an unrecognised encoding must be treated as
    ``application/octet-stream``. The reader gets an opaque attachment, or
    the raw encoded text, instead of the content.

    ## Example
    ```
    Content-Type: text/plain; charset=utf-8
    Content-Transfer-Encoding: 7-bit
    ```

    ## Use instead
    ```
    Content-Type: text/plain; charset=utf-8
    Content-Transfer-Encoding: 7bit
    ```

    ## Fix safety
    Not fixed: which encoding was meant is a guess; the message suggests it.

    ## References
    RFC 2045 §6.1, §6.4.
    """
    cte = part.transfer_encoding
    # M701 speaks for multipart and message parts; M703 for private names.
    if is_composite(part) or is_private(cte):
        return None
    if header is not in_effect(part, header):
        return None
    start, end = header.value_span
    squeezed = cte.replace("-", "").replace(" ", "").replace("_", "")
    guess = {"7bit": "7bit", "8bit": "8bit", "quotedprintable": "quoted-printable"}.get(
        squeezed, "base64" if squeezed.startswith("base") else ""
    )
    hint = f"; did you mean {quoted(guess)}?" if guess else "; use base64 or quoted-printable"
    return [
        Problem(
            start,
            end,
            f"unknown Content-Transfer-Encoding {quoted(cte)}: receivers must treat the body "
            f"as opaque data (RFC 2045 §6.4){hint}",
            part.path,
        )
    ]
