"""M001: the input is not an email message (it has no header section at all)."""

from __future__ import annotations

from mimelint.mime.parse import has_header_section, is_blank
from mimelint.mime.tree import Message
from mimelint.rule import Context, Problem, rule


@rule(
    code="M001",
    name="not-a-message",
    severity="error",
    summary="The input is not an email message: it has no header section at all",
    gate=True,
)
def not_a_message(message: Message, context: Context) -> list[Problem] | None:
    """## What it does
    Flags an input that has no header section at all: its first line is
    not a header field (`Name: value`) and not an mbox `From ` line, and no
    line before the first blank line looks like a header field (`Name:`)
    either. Random bytes, a text file or a message body saved without its
    header are such inputs.

    When this rule reports, it is the only finding for the input: the
    other rules do not run, since each would only describe the same junk
    in its own way (a missing From, 8-bit bytes, long lines ...). A broken
    message that does have some header field (a line without a colon, a
    first line that is a continuation, a stray line before the fields) is
    a message, and is checked by every rule as usual; an input that
    starts with a blank line is reported by M608.

    A template (see docs/templates.md) without a header section is a body
    template (the HTML or text a mailer puts under headers it writes
    itself): the finding says so, since such a template cannot be checked
    as a message. Tags at its start do not make a header section of it.

    ## Why is this bad?
    RFC 5322 §2.1 defines a message as header fields, optionally followed
    by a blank line and a body, and §3.6 requires at least the Date and
    From fields. Without any header field there is no message: a provider
    refuses it or delivers an empty one, and the usual cause is that the
    wrong file or the wrong bytes were handed on (a file name passed as
    message text, a body saved without its header, an attachment).

    ## Example
    ```
    Hello Bob,

    here is the report you asked for.
    ```

    ## Use instead
    ```
    From: Ann <ann@example.com>
    Date: Mon, 2 Mar 2026 10:00:00 +0000

    Hello Bob,

    here is the report you asked for.
    ```

    ## Fix safety
    Not fixable: the header fields must come from the sender.

    ## References
    RFC 5322 §2.1, §3.6; RFC 7103 §7 (what broken messages look like).
    """
    if has_header_section(message):
        return None  # a message, however broken: the other rules judge it
    data = message.data
    if is_blank(data):
        return None  # empty input is M002's; a message with some header field is linted
    line_end = len(data)
    for stop in (b"\r", b"\n"):
        found = data.find(stop, 0, line_end)
        if found >= 0:
            line_end = found
    if message.template is not None:
        text = (
            "the template has no header section: its first line is not a header field "
            "('Name: value') and no header field comes before the first blank line; "
            "mimelint checks templates of whole messages (header fields, a blank line, the "
            "body), not a body that a mailer wraps (no other rule was run on it)"
        )
    else:
        text = (
            "the input is not an email message: its first line is not a header field "
            "('Name: value') and no header field comes before the first blank line; check "
            "that the right file was given (no other rule was run on it)"
        )
    return [Problem(0, line_end, text)]
