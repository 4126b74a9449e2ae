"""M723 quoted-printable-trailing-whitespace: white space at the end of a line."""

from __future__ import annotations

from mimelint.mime.tree import Part
from mimelint.rule import Context, Fact, Problem, Safety, parts, rule

from ._common import plural, qp_reencode


@rule(
    code="M723",
    name="quoted-printable-trailing-whitespace",
    severity="warning",
    summary="White space at the end of a quoted-printable line",
    fix_safety="unsafe",
    visits=parts(
        leaf=True,
        multipart=False,
        transfer_encoding=["quoted-printable"],
        requires=[Fact.QP_TRAILING_SPACE],
    ),
)
def quoted_printable_trailing_whitespace(part: Part, context: Context) -> list[Problem] | None:
    """## What it does
    Flags spaces or tabs at the end of a line of a quoted-printable body
    (including after a soft-break ``=``).

    ## Why is this bad?
    RFC 2045 §6.7 rule 3: white space at the end of an encoded line must be
    encoded (``=20``), because gateways strip it, and decoders must delete
    it. Some decoders keep it (Python's does), so readers disagree on the
    text; after ``=`` it can also turn a soft line break into a literal ``=``.

    ## Example
    ```
    Regards,
    ```

    ## Use instead
    ```
    Regards, =20
    ```

    ## Fix safety
    Unsafe: the fix keeps the white space (encodes it as ``=20``), which is
    what a lenient decoder showed, not what RFC 2045 tells decoders to do.

    ## References
    RFC 2045 §6.7.
    """
    scan = part.quoted_printable_scan
    assert scan is not None  # a quoted-printable leaf (Fact.QP_TRAILING_SPACE)
    count = scan.space_count
    others = f" ({plural(count, 'line')} in all)" if count > 1 else ""
    return [
        Problem(
            scan.space_start,
            scan.space_end,
            f"white space at the end of a quoted-printable line{others}: transports strip it "
            "and decoders must delete it (RFC 2045 §6.7); encode it as =20 or =09",
            part.path,
            qp_reencode(part, Safety.UNSAFE, "re-encode the body, keeping the white space"),
        )
    ]
