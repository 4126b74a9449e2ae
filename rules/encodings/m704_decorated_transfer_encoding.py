"""M704 decorated-transfer-encoding: a comment, quotes or ';' around the mechanism."""

from __future__ import annotations

from mimelint.mime.quoting import quoted
from mimelint.mime.transfer_encodings import MECHANISMS
from mimelint.mime.tree import Header, Part
from mimelint.rule import Context, Edit, Fix, Problem, Safety, fields, rule

from ._common import in_effect


@rule(
    code="M704",
    name="decorated-transfer-encoding",
    severity="warning",
    summary="A Content-Transfer-Encoding with a comment, quotes or a ';' around the mechanism",
    fix_safety="unsafe",
    visits=fields("content-transfer-encoding"),
)
def decorated_transfer_encoding(
    header: Header, part: Part, context: Context
) -> list[Problem] | None:
    """## What it does
    Flags a Content-Transfer-Encoding field whose value is a known
    mechanism with something around it: a comment (``base64 (standard)``,
    nested ``base64 (a (b) c)`` or with a quoted-pair ``base64 (x\\)y)``),
    quotes (``"base64"``) or a trailing ``;`` (``base64;``). A comment that
    is never closed is not read through (M702 reports the value).

    ## Why is this bad?
    RFC 2045 §6.1 defines the value as a single token; comments are allowed
    (it is a structured field, RFC 2045 §3 and RFC 822 §3.4.3), quotes and
    a ``;`` are not. Many readers compare the whole value with the five
    mechanism names and do not strip comments or quotes: Python's ``email``
    package with the compat32 policy (the default of ``message_from_bytes``)
    and simple parsers then treat the body as an unknown encoding and show
    the raw base64 or quoted-printable text, or an opaque attachment
    (RFC 2045 §6.4). Lenient readers decode it, so readers disagree.
    mimelint reads the mechanism through them, as lenient readers do.

    ## Example
    ```
    Content-Type: text/plain; charset=utf-8
    Content-Transfer-Encoding: base64 (standard)
    ```

    ## Use instead
    ```
    Content-Type: text/plain; charset=utf-8
    Content-Transfer-Encoding: base64
    ```

    ## Fix safety
    Unsafe: the value becomes the bare mechanism that mimelint read through
    the comment or quotes, so mimelint decodes the same content before and
    after; but Python's ``email`` package (and every reader that compares
    the whole value) shows the encoded text before and the decoded content
    after, so the fix settles one of two readings (applied only with
    ``--unsafe-fixes``).

    ## References
    RFC 2045 §3, §6.1, §6.4; RFC 822 §3.4.3.
    """
    cte = part.transfer_encoding
    if cte not in MECHANISMS or header is not in_effect(part, header):
        return None  # M702/M703's business, or a later duplicate field (not read)
    if len(header.unfolded) == len(cte):
        return None  # bare (any case)
    raw = header.unfolded.decode("latin-1")
    if "(" in raw:
        what = "carries a comment, which RFC 2045 allows but many readers do not strip"
    elif '"' in raw:
        what = "is in quotes, which RFC 2045 §6.1 does not allow (the mechanism is a token)"
    elif ";" in raw:
        what = "ends with ';', which RFC 2045 §6.1 does not allow"
    else:
        return None
    start, end = header.value_span
    return [
        Problem(
            start,
            end,
            f"Content-Transfer-Encoding {quoted(raw)} {what}; readers that compare the whole value "
            f"(Python's compat32 email API, simple parsers) treat the body as an unknown "
            f"encoding and show it raw: write just {quoted(cte)}",
            part.path,
            Fix(
                (Edit(header.value_start, header.value_end, b" " + cte.encode("ascii")),),
                Safety.UNSAFE,  # readers that compare the whole value decode differently
                f"write the bare mechanism {quoted(cte)}",
            ),
        )
    ]
