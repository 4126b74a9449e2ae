"""M105 nul-byte: NUL bytes in a header section or in content."""

from __future__ import annotations

from mimelint.mime.scan import ContentBytes
from mimelint.mime.tree import Message
from mimelint.rule import Context, Fact, Problem, message, rule

from ._stray import stray_byte_problems


def _first(scan: ContentBytes) -> int:
    return scan.first_nul


def _count(scan: ContentBytes) -> int:
    return scan.nul_count


@rule(
    code="M105",
    name="nul-byte",
    severity="error",
    summary="NUL bytes in a header or body",
    fix_safety="safe",
    visits=message(requires=[Fact.NUL_BYTE]),
)
def nul_byte(message: Message, context: Context) -> list[Problem] | None:
    """## What it does
    Flags NUL (0x00) bytes in a header section, a body, a preamble or an
    epilogue. One finding per place, at the first NUL, with the count.

    ## Why is this bad?
    NUL is not allowed in message text (RFC 5322 §2.2, §3.5; RFC 2045 §2.7
    and §2.8 exclude it from 7bit and 8bit data). C-based mail software
    truncates at it or refuses the message; spam filters score it.

    ## Example
    ```
    Content-Type: text/plain

    a\\x00b
    ```

    ## Use instead
    ```
    Content-Type: text/plain
    Content-Transfer-Encoding: quoted-printable

    a=00b
    ```

    ## Fix safety
    Safe in a leaf part's body: re-encoded (see M102), the decoded content
    keeps the NUL. Not fixable in a header (there is no encoding that keeps
    a NUL in a field) or a preamble or epilogue.

    ## References
    RFC 5322 §2.2, §3.5; RFC 2045 §2.7, §2.8.
    """
    problems: list[Problem] = []
    for part in message.parts():
        problems.extend(stray_byte_problems(part, _first, _count, "a NUL byte", "NUL bytes"))
    return problems
