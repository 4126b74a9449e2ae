"""M711 invalid-base64-padding: misplaced, wrong or missing '=' padding."""

from __future__ import annotations

from mimelint.mime.tree import Part
from mimelint.rule import Context, Fact, Problem, Safety, parts, rule

from ._common import rewrap_fix


@rule(
    code="M711",
    name="invalid-base64-padding",
    severity="error",
    summary="Base64 data with misplaced, wrong or missing '=' padding",
    fix_safety="unsafe",
    visits=parts(
        leaf=True, multipart=False, transfer_encoding=["base64"], requires=[Fact.BASE64_PADDING]
    ),
)
def invalid_base64_padding(part: Part, context: Context) -> list[Problem] | None:
    """## What it does
    Flags base64 whose ``=`` padding is wrong: ``=`` in the middle of the
    data (often two encoded files glued together), more or fewer ``=`` than
    the data length needs, or a length that leaves one lone character.
    When the body also holds characters outside the alphabet, M710 reports
    the body (its fix re-encodes the padding too) and this rule stays
    silent.

    ## Why is this bad?
    RFC 2045 §6.8: ``=`` only pads the final group of four characters.
    Decoders disagree on anything else: Python stops at the first ``=`` and
    drops the rest, others carry on, strict ones (.NET, Java's
    ``Base64.getDecoder()``) refuse the part. A lone final character is
    truncated data.

    ## Example
    ```
    Content-Transfer-Encoding: base64

    SGVsbG8=IHdvcmxk
    ```

    ## Use instead
    ```
    Content-Transfer-Encoding: base64

    SGVsbG8gd29ybGQ=
    ```

    ## Fix safety
    Missing final padding only: safe, every decoder that accepted the body
    reads the same bytes after the fix. Otherwise unsafe: the fix re-encodes
    what a lenient decoder makes of the body, which may drop data after a
    misplaced ``=``.

    ## References
    RFC 2045 §6.8; RFC 4648 §3.2, §4.
    """
    scan = part.base64_scan
    assert scan is not None  # a base64 leaf (Fact.BASE64_PADDING)
    if scan.junk_at >= 0:
        return None  # M710 reports the body (characters from another alphabet upset the count)
    safety = Safety.SAFE if scan.pad_safe and scan.junk_at < 0 else Safety.UNSAFE
    return [
        Problem(
            scan.pad_start,
            scan.pad_end,
            f"{scan.pad_message} (RFC 2045 §6.8); re-encode the content as base64",
            part.path,
            rewrap_fix(
                part, scan.core_end, safety, "re-encode the base64 body with correct padding"
            ),
        )
    ]
