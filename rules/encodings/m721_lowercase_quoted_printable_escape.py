"""M721 lowercase-quoted-printable-escape: an escape with lowercase hex digits."""

from __future__ import annotations

import functools
import re

from mimelint.mime.quoting import quoted
from mimelint.mime.tree import Part
from mimelint.rule import Context, Edit, Fact, Fix, Problem, Safety, parts, rule

from ._common import plural


# Compiled on first use: only a quoted-printable body with an odd "=" needs it.
@functools.cache
def _lower_escape() -> re.Pattern[bytes]:
    """A quoted-printable escape with a lowercase hex digit."""
    return re.compile(rb"=(?:[a-f][0-9A-Fa-f]|[0-9A-F][a-f])")


def _upper(match: re.Match[bytes]) -> bytes:
    return match.group().upper()


@rule(
    code="M721",
    name="lowercase-quoted-printable-escape",
    severity="info",
    summary="A quoted-printable escape written with lowercase hex digits",
    fix_safety="safe",
    visits=parts(
        leaf=True,
        multipart=False,
        transfer_encoding=["quoted-printable"],
        requires=[Fact.QP_ODD_ESCAPE],
    ),
)
def lowercase_quoted_printable_escape(part: Part, context: Context) -> list[Problem] | None:
    """## What it does
    Flags quoted-printable escapes with lowercase hex digits (``=c3=a9``
    instead of ``=C3=A9``).

    ## Why is this bad?
    RFC 2045 §6.7 rule 1 requires uppercase. The same section advises
    robust decoders to accept lowercase, and the common ones do, so this is
    informational: a strict decoder or a filter matching on escapes may
    still trip on it.

    ## Example
    ```
    Caf=c3=a9
    ```

    ## Use instead
    ```
    Caf=C3=A9
    ```

    ## Fix safety
    Safe: only the hex digits change case; the decoded bytes are identical.

    ## References
    RFC 2045 §6.7.
    """
    scan = part.quoted_printable_scan
    assert scan is not None  # a quoted-printable leaf (Fact.QP_ODD_ESCAPE)
    data, end = part.data, part.body_end
    first = _lower_escape().search(data, scan.odd_at, end)
    if first is None:
        return None
    fixed, count = _lower_escape().subn(_upper, data[first.start() : end])
    others = f" ({plural(count, 'lowercase escape')} in all)" if count > 1 else ""
    return [
        Problem(
            first.start(),
            first.end(),
            f"quoted-printable escape {quoted(first.group().decode('ascii'))} uses lowercase hex"
            f"{others}; RFC 2045 §6.7 requires uppercase ({quoted(first.group().upper().decode('ascii'))})",
            part.path,
            Fix((Edit(first.start(), end, fixed),), Safety.SAFE, "uppercase the hex digits"),
        )
    ]
