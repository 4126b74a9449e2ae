"""M106 bare-cr: a carriage return not followed by a line feed."""

from __future__ import annotations

from mimelint.mime.scan import ContentBytes
from mimelint.mime.tree import Message
from mimelint.rule import Context, Fact, Problem, message, rule

from ._stray import stray_byte_problems


def _first(scan: ContentBytes) -> int:
    return scan.first_bare_cr


def _count(scan: ContentBytes) -> int:
    return scan.bare_cr_count


@rule(
    code="M106",
    name="bare-cr",
    severity="error",
    summary="A carriage return not followed by a line feed",
    fix_safety="safe",
    visits=message(requires=[Fact.BARE_CR]),
)
def bare_cr(message: Message, context: Context) -> list[Problem] | None:
    """## What it does
    Flags CR (0x0D) bytes not followed by LF, in a header section, a body,
    a preamble or an epilogue. One finding per place, at the first bare CR,
    with the count. LF-only line endings are not flagged here.

    ## Why is this bad?
    CR and LF may occur in message text only together, as a line break
    (RFC 5322 §2.2, §2.3; RFC 2045 §2.7). Receivers disagree about a bare
    CR: some end the line there, some drop it, some keep it, so the text a
    reader sees depends on the software; SMTP servers often refuse it
    outright (it has been used for SMTP smuggling).

    ## Example
    ```
    Content-Type: text/plain

    line one\\rline two
    ```

    ## Use instead
    ```
    Content-Type: text/plain
    Content-Transfer-Encoding: quoted-printable

    line one=0Dline two
    ```

    ## Fix safety
    Safe in a leaf part's body: re-encoded (see M102) so the CR survives as
    an escape. Not fixable in a header or a preamble or epilogue.

    ## References
    RFC 5322 §2.2, §2.3; RFC 2045 §2.7; RFC 5321 §2.3.8.
    """
    problems: list[Problem] = []
    for part in message.parts():
        problems.extend(stray_byte_problems(part, _first, _count, "a bare CR", "bare CRs"))
    return problems
