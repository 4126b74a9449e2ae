"""M710 invalid-base64-character: characters outside the base64 alphabet."""

from __future__ import annotations

from mimelint.mime.quoting import quoted
from mimelint.mime.tree import Part
from mimelint.rule import Context, Fact, Problem, Safety, parts, rule

from ._common import plural, rewrap_fix


@rule(
    code="M710",
    name="invalid-base64-character",
    severity="error",
    summary="Characters outside the base64 alphabet in a base64 body",
    fix_safety="unsafe",
    visits=parts(
        leaf=True, multipart=False, transfer_encoding=["base64"], requires=[Fact.BASE64_JUNK]
    ),
)
def invalid_base64_character(part: Part, context: Context) -> list[Problem] | None:
    """## What it does
    Flags a base64 body holding characters other than ``A-Z a-z 0-9 + /``,
    the ``=`` padding and line breaks: spaces, tabs, ``-`` or ``_`` (the URL
    alphabet), stray punctuation, 8-bit bytes. Reports the first one and how
    many there are. One finding for the body: when its padding is wrong as
    well (often because characters from another alphabet upset the count),
    the message says so and M711 stays silent; M731 does not judge the
    charset of bytes decoded from damaged base64.

    ## Why is this bad?
    RFC 2045 §6.8 tells decoders to ignore such characters, but says they
    indicate damage in transit; some decoders refuse the part instead, and
    characters from another alphabet (``-``, ``_``) mean the data itself was
    encoded wrongly, so what is left after skipping them is not the content.

    ## Example
    ```
    Content-Transfer-Encoding: base64

    SGVsbG8g d29y_bGQ=
    ```

    ## Use instead
    ```
    Content-Transfer-Encoding: base64

    SGVsbG8gd29ybGQ=
    ```

    ## Fix safety
    Unsafe: the fix re-encodes what a lenient decoder makes of the body
    (invalid characters skipped). That is what most clients show, but when
    the characters came from another alphabet it is not what the sender
    meant.

    ## References
    RFC 2045 §6.8; RFC 4648 §3.3, §5.
    """
    scan = part.base64_scan
    assert scan is not None  # a base64 leaf (Fact.BASE64_JUNK)
    byte = part.data[scan.junk_at]
    char = f"character {quoted(chr(byte))}" if 0x21 <= byte <= 0x7E else f"byte 0x{byte:02X}"
    if byte in (0x20, 0x09):
        char = "a space" if byte == 0x20 else "a tab"
    others = (
        f" ({plural(scan.junk_count, 'invalid character')} in all)" if scan.junk_count > 1 else ""
    )
    if scan.pad_start >= 0:  # one finding for the body: M711 stays silent
        others += ", and the padding is wrong too"
    return [
        Problem(
            scan.junk_at,
            scan.junk_at + 1,
            f"{char} is not in the base64 alphabet{others}; decoders skip or "
            "refuse it (RFC 2045 §6.8). Re-encode the content as base64",
            part.path,
            rewrap_fix(
                part,
                scan.core_end,
                Safety.UNSAFE,
                "re-encode the base64 body, skipping invalid characters",
            ),
        )
    ]
