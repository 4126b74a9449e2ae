"""M722 quoted-printable-line-too-long: encoded lines longer than 76 characters."""

from __future__ import annotations

from mimelint.mime.tree import Part
from mimelint.rule import Context, Fact, Problem, Safety, parts, rule

from ._common import bad_escape, long_line_problem, qp_reencode


@rule(
    code="M722",
    name="quoted-printable-line-too-long",
    severity="warning",
    summary="Quoted-printable lines longer than 76 characters",
    fix_safety="safe",
    visits=parts(
        leaf=True,
        multipart=False,
        transfer_encoding=["quoted-printable"],
        requires=[Fact.QP_LONG_LINE],
    ),
)
def quoted_printable_line_too_long(part: Part, context: Context) -> list[Problem] | None:
    """## What it does
    Flags a quoted-printable body with encoded lines longer than 76
    characters (the soft break ``=`` counts, the line break does not).
    Reports the first such line and how many there are.

    ## Why is this bad?
    RFC 2045 §6.7 rule 5: encoded lines must be at most 76 characters; long
    lines are broken with soft line breaks. Spam filters score violations
    (SpamAssassin ``MIME_QP_LONG_LINE``), and past 998 characters SMTP
    servers and Amazon SES refuse or break the line.

    ## Example
    ```
    Content-Transfer-Encoding: quoted-printable

    <p>A paragraph written on one line of two hundred characters ...</p>
    ```

    ## Use instead
    ```
    Content-Transfer-Encoding: quoted-printable

    <p>A paragraph written on one line of two hundred characters =
    ...</p>
    ```

    ## Fix safety
    Safe: the body is re-encoded from its decoded bytes and decodes to
    exactly the same bytes. Not offered when the body has invalid escapes
    or trailing white space (M720, M723), whose meaning decoders disagree on.

    ## References
    RFC 2045 §6.7; SpamAssassin rule MIME_QP_LONG_LINE.
    """
    scan = part.quoted_printable_scan
    assert scan is not None and scan.long is not None  # Fact.QP_LONG_LINE
    fix = None
    # Re-encoding is exact only without bad escapes or trailing white space.
    exact = scan.space_start < 0 and (
        scan.odd_at < 0 or bad_escape().search(part.data, scan.odd_at, part.body_end) is None
    )
    if exact:
        fix = qp_reencode(part, Safety.SAFE, "re-encode the body with 76-character lines")
    problems: list[Problem] = []
    problems.append(long_line_problem(part, scan.long, "quoted-printable", fix))
    return problems
