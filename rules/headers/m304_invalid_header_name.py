"""M304 invalid-header-name: illegal characters in a name, or white space before the colon."""

from __future__ import annotations

import functools
import re

from mimelint.mime.quoting import quoted
from mimelint.mime.tree import BAD_NAME, FIELD, Part
from mimelint.rule import Context, Edit, Fix, Problem, Safety, parts, rule


# Compiled on first use: only a header line with a bad name needs it.
@functools.cache
def _name_or_8bit() -> re.Pattern[bytes]:
    """Name characters plus 8-bit bytes: a name M304 leaves to M101."""
    return re.compile(rb"[!-9;-~\x80-\xff]+")


@rule(
    code="M304",
    name="invalid-header-name",
    severity="error",
    summary="A header field name with illegal characters or white space before the colon",
    fix_safety="unsafe",
    visits=parts(),
)
def invalid_header_name(part: Part, context: Context) -> list[Problem] | None:
    """## What it does
    Flags a field name that holds characters RFC 5322 does not allow in a
    name (space, control characters), and a name followed by white space
    before its colon (``Subject : hi``). A name whose only illegal
    characters are 8-bit bytes is left to M101 (eight-bit-header), which
    points at exactly those bytes, so the same bytes are not reported
    twice; a name with 8-bit bytes and a space is reported here, shown as
    UTF-8 text when it is UTF-8 and as ``\\xNN`` escapes otherwise.

    ## Why is this bad?
    A field name is printable US-ASCII except the colon (RFC 5322 §3.6.8).
    White space between name and colon is obsolete syntax (RFC 5322 §4.5)
    that must not be generated; strict receivers and MTAs (KumoMTA flags it)
    reject or mis-read it, and a name with a space inside is not a field at
    all to most parsers (SES: ``Illegal header``).

    ## Example
    ```
    X Mailer: Acme 2.0
    Subject : Report
    ```

    ## Use instead
    ```
    X-Mailer: Acme 2.0
    Subject: Report
    ```

    ## Fix safety
    Unsafe: removing the white space before the colon keeps mimelint's
    reading (a field with the same name and value), but Python's ``email``
    package reads ``Subject : Report`` and every line after it as body
    text, so the fix settles one of two readings (applied only with
    ``--unsafe-fixes``). A name with illegal characters inside is not
    fixable: the intended name is a guess.

    ## References
    RFC 5322 §3.6.8, §4.5.
    """
    # One look at the byte before each colon the parser found: cheaper than
    # searching the section for " :" first (a header section has a few lines).
    data = part.data
    problems: list[Problem] = []
    for header in part.headers:
        if header.kind is BAD_NAME:
            name_end = header.start + len(data[header.start : header.colon].rstrip(b" \t"))
            raw_name = data[header.start : name_end]
            if _name_or_8bit().fullmatch(raw_name):
                continue  # only 8-bit bytes are wrong: M101 reports exactly those
            problems.append(
                Problem(
                    header.start,
                    name_end,
                    f"field name {quoted(raw_name)} holds characters not allowed in a name "
                    "(only printable US-ASCII without spaces or ':'); rename the field",
                )
            )
        elif header.kind is FIELD and data[header.colon - 1] in (32, 9):
            name_end = header.start + len(header.name)  # the parser's name: all ftext
            problems.append(
                Problem(
                    name_end,
                    header.colon,
                    f"white space between the field name {quoted(header.name)} and its colon is "
                    "obsolete syntax (RFC 5322 §4.5); remove it",
                    fix=Fix(
                        (Edit(name_end, header.colon, b""),),
                        Safety.UNSAFE,  # Python's email reads the line as body text
                        f"remove the white space before the colon of {header.name}",
                    ),
                )
            )
    return problems
