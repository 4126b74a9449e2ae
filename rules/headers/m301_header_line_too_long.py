"""M301 header-line-too-long: a header line over 998 octets."""

from __future__ import annotations

from mimelint.mime.lines import long_lines, split_lines
from mimelint.mime.tree import FIELD, Header, Part
from mimelint.rule import Context, Edit, Fix, Problem, Safety, parts, rule


@rule(
    code="M301",
    name="header-line-too-long",
    severity="error",
    summary="A header line longer than 998 octets",
    fix_safety="safe",
    visits=parts(),
)
def header_line_too_long(part: Part, context: Context) -> list[Problem] | None:
    """## What it does
    Flags every physical line of a header field that is longer than 998
    octets, not counting the line ending (the profile's ``max_line_octets``).
    The finding's span covers the octets past the limit, so its column is
    999.

    ## Why is this bad?
    RFC 5322 §2.1.1 limits every line to 998 characters and RFC 5321
    §4.5.3.1.6 limits an SMTP text line to 1000 octets with CRLF. Amazon SES
    refuses raw messages with longer lines (SES API v2 reference,
    RawMessage); relays that accept them may break the line anywhere, which
    corrupts the field.

    ## Example
    ```
    References: <a1@example.com> <a2@example.com> ... (1,200 octets on one line)
    ```

    ## Use instead
    ```
    References: <a1@example.com>
     <a2@example.com> ...
    ```

    ## Fix safety
    Safe: the field is folded (a line break inserted before existing white
    space, RFC 5322 §2.2.3), which unfolding removes again, so the value is
    unchanged. Not fixable when the over-long line has no white space to
    fold at (for instance one huge token).

    ## References
    RFC 5322 §2.1.1, §2.2.3; RFC 5321 §4.5.3.1.6; SES API v2 RawMessage.
    """
    limit = context.profile.max_line_octets
    if part.header_end - part.start <= limit:
        return None  # no line of this header section can be over the limit
    data = part.data
    problems: list[Problem] = []
    for header in part.headers:
        if header.end - header.start <= limit:
            continue
        first = True
        for start, end in long_lines(data, header.start, header.end, limit):
            name = header.name or "header"
            advice = "fold the field onto several lines (a line break before white space)"
            fix: Fix | None = None
            if first:
                fix = _fold_fix(header, part.message.line_separator, limit)
                if fix is None:
                    advice = (
                        "the line has no white space to fold at: shorten the value "
                        "(for a long parameter, use RFC 2231 continuations)"
                    )
            problems.append(
                Problem(
                    start + limit,
                    end,
                    f"a line of the {name} field is {end - start} octets long, "
                    f"over the limit of {limit}; {advice}",
                    fix=fix,
                )
            )
            first = False
    return problems


def _fold_fix(header: Header, linesep: bytes, limit: int) -> Fix | None:
    """Fold the field before white space, if that brings every line in."""
    from mimelint.mime.writers import fold_field  # fixes only (start-up)

    if header.kind != FIELD:
        return None
    raw = header.raw
    folded = fold_field(raw, linesep)
    if folded == raw or any(len(line) > limit for line in split_lines(folded)):
        return None
    return Fix(
        (Edit(header.start, header.end, folded),),
        Safety.SAFE,
        f"fold the {header.name} field before white space",
    )
