"""M503 filename-control-characters: a file name with control or bidirectional-override characters."""

from __future__ import annotations

import unicodedata

from mimelint.mime.tree import Message
from mimelint.rule import Context, Fact, Problem, message, rule

# Characters that change how a name is displayed without being seen: the C0
# and C1 controls and DEL (category Cc), and the bidirectional formatting
# characters (U+200E, U+200F, U+202A-U+202E, U+2066-U+2069, U+061C).
_BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _invisible(value: str) -> list[str]:
    if value.isprintable():  # no Cc, no Cf (every character above is one): the usual name
        return []
    return [c for c in value if c in _BIDI or unicodedata.category(c) == "Cc"]


@rule(
    code="M503",
    name="filename-control-characters",
    severity="error",
    summary="A file name holding control or bidirectional-override characters",
    visits=message(requires=[Fact.FILE_NAME]),
)
def filename_control_characters(message: Message, context: Context) -> list[Problem] | None:
    """## What it does
    Flags a file name that holds control characters (C0, C1, DEL) or
    Unicode bidirectional formatting characters (U+202E RIGHT-TO-LEFT
    OVERRIDE and its kin U+202A-U+202D, the isolates U+2066-U+2069, the
    marks U+200E, U+200F, U+061C), after RFC 2231 and RFC 2047 decoding.
    Folding line breaks of a quoted value are not counted.

    ## Why is this bad?
    A right-to-left override reverses what follows it on screen:
    ``invoice\\u202Efdp.exe`` is displayed as ``invoiceexe.pdf``. It is a
    well-known malware trick, spam filters score it, and control characters
    in a name break the clients and file systems that save it.

    ## Example
    ```
    Content-Disposition: attachment;
     filename*=utf-8''invoice%E2%80%AEfdp.exe
    ```

    ## Use instead
    ```
    Content-Disposition: attachment; filename="invoice.pdf"
    ```

    ## Fix safety
    Not fixable: the name the sender chose must be rewritten by a person.

    ## References
    Unicode Bidirectional Algorithm (UAX #9), §2; RFC 2183 §2.3; RFC 2231.
    """
    problems: list[Problem] = []
    for name in message.file_names_within:
        if name.value.isascii() and name.value.isprintable():
            continue
        found = _invisible(name.value)
        if not found:
            continue
        shown = ", ".join(dict.fromkeys(f"U+{ord(c):04X}" for c in found))
        problems.append(
            Problem(
                name.start,
                name.end,
                f"{name.label} holds invisible characters ({shown}) that hide or reorder what "
                "the reader sees; remove them from the name",
                name.part,
            )
        )
    return problems
