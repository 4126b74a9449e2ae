"""M712 base64-line-too-long: base64 lines longer than 76 characters."""

from __future__ import annotations

from mimelint.mime.tree import Part
from mimelint.rule import Context, Fact, Problem, Safety, parts, rule

from ._common import long_line_problem, rewrap_fix


@rule(
    code="M712",
    name="base64-line-too-long",
    severity="warning",
    summary="Base64 lines longer than 76 characters",
    fix_safety="safe",
    visits=parts(
        leaf=True, multipart=False, transfer_encoding=["base64"], requires=[Fact.BASE64_LONG_LINE]
    ),
)
def base64_line_too_long(part: Part, context: Context) -> list[Problem] | None:
    """## What it does
    Flags a base64 body with lines longer than 76 characters (line break
    not counted), such as one unbroken line written by an encoder that
    forgot to wrap. Reports the first such line and how many there are.

    ## Why is this bad?
    RFC 2045 §6.8 limits encoded lines to 76 characters. Past 998
    characters SMTP servers and Amazon SES refuse or break the line (RFC
    5321 §4.5.3.1.6, RFC 5322 §2.1.1), which corrupts the attachment; below
    that, spam filters count unwrapped base64 against the message.

    ## Example
    ```
    Content-Transfer-Encoding: base64

    JVBERi0xLjcKJeLjz9MKMSAwIG9iago8PC9UeXBlL0NhdGFsb2cvUGFnZXMgMiAwIFI+PgplbmRvYmoK...
    ```

    ## Use instead
    The same characters broken into lines of 76.

    ## Fix safety
    Safe: the body is re-wrapped at 76 characters; the decoded bytes are
    identical. Not offered when the body also has invalid characters or
    padding (M710, M711), whose fixes re-wrap it as well.

    ## References
    RFC 2045 §6.8; RFC 5322 §2.1.1; RFC 5321 §4.5.3.1.6.
    """
    scan = part.base64_scan
    assert scan is not None and scan.long is not None  # Fact.BASE64_LONG_LINE
    fix = None
    if scan.junk_at < 0 and scan.pad_start < 0:
        fix = rewrap_fix(
            part, scan.core_end, Safety.SAFE, "re-wrap the base64 body at 76 characters"
        )
    problems: list[Problem] = []
    problems.append(long_line_problem(part, scan.long, "base64", fix))
    return problems
