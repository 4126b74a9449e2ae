"""M609 nesting-too-deep: multiparts or embedded messages nested deeper than the limit."""

from __future__ import annotations

from mimelint.mime.lines import line_end
from mimelint.mime.tree import DefectKind, Message
from mimelint.rule import Context, Problem, message, rule

from .shared import parts_with


@rule(
    code="M609",
    name="nesting-too-deep",
    severity="error",
    summary="Multiparts or embedded messages nested deeper than the limit",
    visits=message(defects=[DefectKind.DEPTH_EXCEEDED]),
)
def nesting_too_deep(message: Message, context: Context) -> list[Problem] | None:
    """## What it does
    Flags a multipart or embedded message nested deeper than the profile's
    ``max_depth`` (100 by default). The parts below the limit are not read,
    so no other rule checks them. The finding points at the body that was
    not opened.

    ## Why is this bad?
    No real mailer nests this deep; such messages are built to exhaust the
    stack or time of parsers and scanners. Receivers refuse them or give up
    scanning, and spam filters score them.

    ## Example
    A multipart/mixed inside a multipart/mixed, 150 levels down.

    ## Use instead
    Attach forwarded messages side by side rather than inside one another.

    ## Fix safety
    Not fixable.

    ## References
    RFC 2046 §5.1; RFC 7103 §8.
    """
    problems: list[Problem] = []
    for part in parts_with(message, DefectKind.DEPTH_EXCEEDED):
        for d in part.defects:
            if d.kind is DefectKind.DEPTH_EXCEEDED:
                problems.append(
                    Problem(
                        d.start,
                        line_end(message.data, d.start, d.end),
                        f"the nesting limit ({message.max_depth} levels of multiparts and "
                        "embedded messages) is reached here; the parts inside are not checked: "
                        "flatten the structure",
                        part.path,
                    )
                )
    return problems
