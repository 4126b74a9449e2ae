"""M104 long-body-line: a body line longer than the SMTP line limit."""

from __future__ import annotations

from mimelint.mime.scan import RegionKind
from mimelint.mime.tree import Message
from mimelint.rule import Context, Problem, rule

from ._reencode import reencode_fix, where

#: Messages up to this size are searched whole before body by body.
_WHOLE_SCAN = 1 << 16


@rule(
    code="M104",
    name="long-body-line",
    severity="error",
    summary="A body line longer than 998 octets (the SMTP line limit)",
    fix_safety="safe",
)
def long_body_line(message: Message, context: Context) -> list[Problem] | None:
    """## What it does
    Flags lines of a body, preamble or epilogue longer than the profile's
    ``max_line_octets`` (998), not counting the CR LF. One finding per
    part, at the first octet past the limit, with the number of long lines.
    Header lines are the header rules' business (M3xx).

    ## Why is this bad?
    RFC 5322 §2.1.1 caps lines at 998 characters, and an SMTP text line is
    at most 1000 octets with its CR LF (RFC 5321 §4.5.3.1.6). Relays break
    or refuse longer lines, and Amazon SES refuses them ("no line longer
    than 1,000 characters including CRLF", SES API v2 RawMessage). One-line
    HTML from templating engines and unwrapped base64 are the usual causes.

    ## Example
    ```
    Content-Type: text/html; charset=utf-8

    <html><body><table>...(3000 characters on one line)...</table></body></html>
    ```

    ## Use instead
    ```
    Content-Type: text/html; charset=utf-8
    Content-Transfer-Encoding: quoted-printable

    <html><body><table>...=
    ...</table></body></html>
    ```

    ## Fix safety
    Safe for a leaf part: the body is re-encoded (quoted-printable soft
    line breaks or base64 lines of 76 characters), the decoded content is
    identical. A long line in a preamble or epilogue is not fixable.

    ## References
    RFC 5322 §2.1.1; RFC 5321 §4.5.3.1.6; RFC 2045 §6.7, §6.8.
    """
    limit = context.profile.max_line_octets
    # A small message is searched whole first (a line of a body is part of a
    # line of the message): most have no long line. A large one is searched
    # body by body, where uniformly wrapped base64 is proven short at once.
    if len(message.data) <= _WHOLE_SCAN and message.span_scan.long_lines(limit) is None:
        return None
    problems: list[Problem] = []
    for part in message.parts():
        if part.transfer_encoding == "binary":
            continue
        for region, scan in part.content_scans:
            found = scan.long_lines(limit)
            if found is None:
                continue
            lines = f"{found.count} lines are" if found.count > 1 else "a line is"
            body = region.kind is RegionKind.BODY
            advice = (
                "encode the part as quoted-printable or base64"
                if body
                else "break the text into shorter lines or remove it (it has no transfer encoding)"
            )
            problems.append(
                Problem(
                    found.first + limit,
                    found.first_end,
                    f"in {where(region.kind)} {lines} longer than {limit} octets (longest "
                    f"{found.longest}); relays and Amazon SES refuse them: {advice}",
                    part.path,
                    reencode_fix(part) if body else None,
                )
            )
    return problems
