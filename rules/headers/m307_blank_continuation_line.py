"""M307 blank-continuation-line: a folded header line of only white space."""

from __future__ import annotations

import re

from mimelint.mime.tree import CONTINUATION_FIRST, Part
from mimelint.rule import Context, Edit, Fix, Problem, Safety, parts, rule

_WS_ONLY_LINE = re.compile(rb"\n([ \t]+)(?=\r?\n|\Z)")


@rule(
    code="M307",
    name="blank-continuation-line",
    severity="warning",
    summary="A folded header line made only of white space",
    fix_safety="safe",
    visits=parts(),
)
def blank_continuation_line(part: Part, context: Context) -> list[Problem] | None:
    """## What it does
    Flags a continuation line of a header field that holds only spaces or
    tabs. One finding per field, at its first such line, says how many more
    the field holds; its fix joins them all.

    ## Why is this bad?
    RFC 5322 §3.2.2 forbids generating a fold that leaves a line of only
    white space (it survives only in the obsolete syntax, §4.2). Many
    receivers treat such a line as the blank line that ends the header
    section, so every field after it is shown as body text.

    ## Example
    ```
    Subject: Quarterly
    ␠␠
    ␠report
    ```
    (``␠`` stands for a space.)

    ## Use instead
    ```
    Subject: Quarterly
    ␠report
    ```

    ## Fix safety
    Safe: the line break before the white-space-only line is removed, so
    its spaces join the previous line; unfolding gives the same value.

    ## References
    RFC 5322 §2.2.3, §3.2.2, §4.2.
    """
    data = part.data
    if _WS_ONLY_LINE.search(data, part.start, part.header_end) is None:
        return None
    problems: list[Problem] = []
    for header in part.headers:
        if header.kind == CONTINUATION_FIRST:
            continue
        blank = list(_WS_ONLY_LINE.finditer(data, header.start, header.end))
        if not blank:
            continue
        edits = []
        for m in blank:
            nl = m.start()
            brk = nl - 1 if nl > header.start and data[nl - 1] == 13 else nl
            edits.append(Edit(brk, m.start(1), b""))
        name = header.name or "header"
        more = f" (and {len(blank) - 1:,} more in this field)" if len(blank) > 1 else ""
        problems.append(
            Problem(
                blank[0].start(1),
                blank[0].end(1),
                f"a folded line of the {name} field holds only white space{more}, which many "
                "receivers take for the end of the header section; remove the line break "
                "before it",
                fix=Fix(
                    tuple(edits),
                    Safety.SAFE,
                    f"join the white-space-only lines of {name} to the lines before",
                ),
            )
        )
    return problems
