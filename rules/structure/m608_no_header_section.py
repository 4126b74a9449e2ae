"""M608 no-header-section: a message that has no header fields at all."""

from __future__ import annotations

from mimelint.mime.lines import line_end
from mimelint.mime.tree import DefectKind, Message
from mimelint.rule import Context, Problem, rule


@rule(
    code="M608",
    name="no-header-section",
    severity="error",
    summary="A message that has no header fields at all",
)
def no_header_section(message: Message, context: Context) -> list[Problem] | None:
    """## What it does
    Flags a message whose first line is not a header field: a body with no
    header section (for example a file saved from the body of a mail, or
    text with a leading blank line).

    ## Why is this bad?
    RFC 5322 §3.6 requires at least Date and From, and a receiver reads
    everything up to the first blank line as the header. A provider
    refuses such a message, or delivers an empty one.

    ## Example
    ```

    Hello Bob,
    ```

    ## Use instead
    ```
    From: Ann <ann@example.com>
    Date: Mon, 2 Mar 2026 10:00:00 +0000

    Hello Bob,
    ```

    ## Fix safety
    Not fixable: the fields must come from the sender.

    ## References
    RFC 5322 §2.1, §3.6.
    """
    problems: list[Problem] = []
    for d in message.defects:
        if d.kind is DefectKind.NO_HEADER_SECTION:
            end = line_end(message.data, d.start, d.end)
            problems.append(
                Problem(
                    d.start,
                    end,
                    "the message has no header fields: its first line is not 'Name: value'; "
                    "put the header section (From, Date, Subject, ...) before the body",
                    "",
                )
            )
    if not message.headers and message.separator is not None and message.separator[0] == 0:
        sep_end = message.separator[1]
        if not any(d.kind is DefectKind.NO_HEADER_SECTION for d in message.defects):
            problems.append(
                Problem(
                    0,
                    sep_end,
                    "the message starts with a blank line, so it has no header fields and "
                    "everything after is body; remove the blank line or add the header section",
                    "",
                )
            )
    return problems
