"""M302 header-missing-colon: a line in the header section without a colon."""

from __future__ import annotations

from mimelint.mime.lines import line_end
from mimelint.mime.quoting import quoted
from mimelint.mime.tree import NO_COLON, Header, Part
from mimelint.rule import Context, Problem, fields, rule


@rule(
    code="M302",
    name="header-missing-colon",
    severity="error",
    summary="A line in the header section without a colon",
    visits=fields(kinds=[NO_COLON]),
)
def header_missing_colon(header: Header, part: Part, context: Context) -> list[Problem] | None:
    """## What it does
    Flags a line inside the header section that is neither a header field
    (name, colon, value) nor a folded continuation of one.

    ## Why is this bad?
    RFC 5322 §2.2 requires every header field to be a name followed by a
    colon. Receivers disagree on such a line: some end the header section
    there and show the rest of the headers as body text, others drop it.
    Amazon SES refuses messages whose header section does not parse (errors
    such as ``Illegal header``).

    ## Example
    ```
    Subject: Report
    X-Mailer Acme 2.0
    From: ann@example.com
    ```

    ## Use instead
    ```
    Subject: Report
    X-Mailer: Acme 2.0
    From: ann@example.com
    ```

    ## Fix safety
    Not fixable: where the colon belongs (or whether the line belongs to the
    body) is a guess.

    ## References
    RFC 5322 §2.2, §3.6.8; RFC 7103 §7.
    """
    data = part.data
    end = line_end(data, header.start, header.end)
    return [
        Problem(
            header.start,
            end,
            f"header line {quoted(data[header.start : end], 40)} has no colon; write "
            "'Name: value', or end the header section with a blank line before it",
        )
    ]
