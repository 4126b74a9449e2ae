"""M504 filename-path: a file name that holds a directory path."""

from __future__ import annotations

import functools
import re

from mimelint.mime.quoting import quoted
from mimelint.mime.tree import Message
from mimelint.rule import Context, Fact, Problem, message, rule


# Compiled on first use: only a file name with a colon needs it.
@functools.cache
def _drive() -> re.Pattern[str]:
    """A Windows drive at the start of a path (``C:\\``, ``c:/``)."""
    return re.compile(r"[A-Za-z]:[\\/]")


@rule(
    code="M504",
    name="filename-path",
    severity="warning",
    summary="A file name that holds a directory path ('/', '\\\\', '..', 'C:')",
    visits=message(requires=[Fact.FILE_NAME]),
)
def filename_path(message: Message, context: Context) -> list[Problem] | None:
    """## What it does
    Flags a file name that holds a directory separator (``/`` or ``\\``),
    a parent-directory step (``..`` as a path component) or a Windows drive
    (``C:``), after RFC 2231 and RFC 2047 decoding.

    ## Why is this bad?
    RFC 2183 §2.3 says the file name is a name, not a path, and that a
    receiver must not trust a path in it: ``../../.bashrc`` is an attack on
    clients that save attachments naively. Receivers strip or refuse such
    names, and a full path such as ``C:\\Users\\ann\\report.pdf`` leaks the
    sender's directories.

    ## Example
    ```
    Content-Disposition: attachment; filename="../../etc/passwd"
    ```

    ## Use instead
    ```
    Content-Disposition: attachment; filename="passwd"
    ```

    ## Fix safety
    Not fixable automatically: the name is part of what the recipient
    receives.

    ## References
    RFC 2183 §2.3, §5; RFC 2231.
    """
    problems: list[Problem] = []
    for name in message.file_names_within:
        value = name.value
        if "/" not in value and "\\" not in value and ":" not in value and ".." not in value:
            continue
        components = re.split(r"[/\\]", value)
        why: str | None = None
        if _drive().match(value):
            why = "a drive letter"
        elif ".." in (c.strip() for c in components):
            why = "a parent-directory step '..'"
        elif len(components) > 1:
            why = "a directory separator"
        if why is None:
            continue
        base = components[-1]
        problems.append(
            Problem(
                name.start,
                name.end,
                f"{name.label} holds {why}; a file name must not carry a path, "
                f"use the bare name {quoted(base)}",
                name.part,
            )
        )
    return problems
