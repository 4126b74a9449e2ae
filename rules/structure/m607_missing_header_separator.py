"""M607 missing-header-separator: no blank line between a header section and its body."""

from __future__ import annotations

from mimelint.mime.lines import line_end
from mimelint.mime.tree import DefectKind, Message
from mimelint.rule import Context, Edit, Fix, Problem, Safety, message, rule

from .shared import header_section, parts_with

_KINDS = (DefectKind.MISSING_SEPARATOR, DefectKind.PART_WITHOUT_HEADERS)


@rule(
    code="M607",
    name="missing-header-separator",
    severity="error",
    summary="No blank line between a header section and its body",
    fix_safety="unsafe",
    visits=message(defects=[*_KINDS]),
)
def missing_header_separator(message: Message, context: Context) -> list[Problem] | None:
    """## What it does
    Flags a header section that runs into its body without the blank line
    between them: a line that is not a header field where the next field
    was expected, or a body part that starts with body text instead of
    header fields or a blank line. The finding points at that line.

    ## Why is this bad?
    RFC 5322 §2.1 and RFC 2046 §5.1.1 separate header and body by an empty
    line. Without it readers guess: some take the line as the start of the
    body, some as a broken header that ends the message, and Amazon SES
    refuses it (``Illegal header``). A body part's own fields may then be
    read as text, or its text as fields.

    ## Example
    ```
    Subject: Hello
    Content-Type: text/plain
    Hello Bob,
    ```

    ## Use instead
    ```
    Subject: Hello
    Content-Type: text/plain

    Hello Bob,
    ```

    ## Fix safety
    A blank line is inserted before the line. Safe for a body part that has
    no header field at all (the part keeps no fields and the same body).
    Unsafe after header fields: the line might be a broken header field
    the sender meant, not the body's first line.

    ## References
    RFC 5322 §2.1, §3.5; RFC 2046 §5.1.1; RFC 7103 §7.
    """
    problems: list[Problem] = []
    for part in parts_with(message, *_KINDS):
        for d in part.defects:
            if d.kind not in _KINDS:
                continue
            end = line_end(message.data, d.start, part.end)
            if d.kind is DefectKind.PART_WITHOUT_HEADERS:
                # A message/rfc822 part's own fields and blank line come
                # before the message it holds: no boundary line is next to it.
                attached = part.parent is not None and part.parent.embedded is part
                text = (
                    "the attached message starts with body text, not header fields or a "
                    "blank line; insert a blank line before it"
                    if attached
                    else "the part starts with body text, not header fields or a blank "
                    "line; insert a blank line after the boundary line"
                )
                safety = Safety.SAFE
            else:
                profile = context.profile
                ses = (
                    f" ({profile.provider_label}: 'Illegal header')"
                    if profile.quotes_provider_errors
                    else ""
                )
                text = (
                    f"{header_section(part)} ends without a blank line: this line is not a "
                    f"header field, so readers may take it as a broken header{ses}; insert a "
                    "blank line before the body"
                )
                safety = Safety.UNSAFE
            linesep = message.line_separator
            fix = Fix((Edit(d.start, d.start, linesep),), safety, "insert a blank line")
            problems.append(Problem(d.start, end, text, part.path, fix))
    return problems
