"""M206 missing-close-delimiter: a multipart body that never reaches its close delimiter."""

from __future__ import annotations

from mimelint.mime.tree import DefectKind, Message, Part
from mimelint.rule import Context, Edit, Fix, Problem, Safety, message, rule

from .shared import repair_fix, reuses_enclosing


def _unclosed(message: Message) -> dict[int, list[Part]]:
    """Multiparts that end without a close delimiter, by where it belongs.

    Each list is outermost first.
    """
    data = message.data
    parts = message.parts()
    ending: dict[int, list[Part]] = {}
    for i in message.multipart_shape.multiparts:
        part = parts[i]
        if part.closed or not part.delimiters or reuses_enclosing(part):
            continue
        at = part.body_end
        if at > part.body_start and data[at - 1] == 10:
            at -= 1
            if at > part.body_start and data[at - 1] == 13:
                at -= 1
        ending.setdefault(at, []).append(part)
    return ending


def _close_all_fix(parts: list[Part]) -> Fix | None:
    """One fix closing nested multiparts that end at one point (innermost first).

    Each part's own fix (:func:`repair_fix`) ends with the insertion of its
    close delimiter; the insertions are joined into one, innermost first,
    which is what applying them one after the other would give, and the
    renames of all of them come along. When the parts' bodies do not end at
    one offset, the innermost's fix alone is offered (the fix engine
    applies the rest in later passes).
    """
    fixes = [repair_fix(p) for p in parts]
    first = fixes[0]
    end = parts[0].body_end
    if any(f is None for f in fixes) or any(p.body_end != end for p in parts):
        return first
    edits: list[Edit] = []
    closes: list[bytes] = []
    for fix in fixes:
        assert fix is not None
        *renames, close = fix.edits
        if close.start != end or close.end != end:
            return first
        edits.extend(renames)
        closes.append(close.replacement)
    edits.append(Edit(end, end, b"".join(closes)))
    return Fix(
        edits=tuple(edits),
        safety=Safety.SAFE,
        description=f"add the close delimiters of {len(parts)} nested multiparts",
    )


@rule(
    code="M206",
    name="missing-close-delimiter",
    severity="error",
    summary="A multipart body never reaches its close delimiter",
    fix_safety="safe",
    visits=message(defects=[DefectKind.MISSING_CLOSE_DELIMITER]),
)
def missing_close_delimiter(message: Message, context: Context) -> list[Problem] | None:
    """## What it does
    Flags a multipart whose body ends without the close delimiter line
    ``--boundary--``; the finding points at the end of the body, where it
    should be.

    ## Why is this bad?
    RFC 2046 §5.1.1 ends every multipart body with a close delimiter. It is
    common in the wild (truncated or hand-assembled mail) and most readers
    cope, but some drop the last part or flag the message as truncated, and
    Amazon SES asks for multipart parts to be well formed (SES API v2
    reference, RawMessage): in a message about to be sent it means the
    generator is broken, so this is an error.

    ## Example
    ```
    --b1
    Content-Type: text/plain

    last part
    (end of message)
    ```

    ## Use instead
    ```
    --b1
    Content-Type: text/plain

    last part

    --b1--
    ```

    Nested multiparts that all end at the same point without their close
    delimiters (a truncated message) give one finding there, naming how
    many multiparts end there.

    ## Fix safety
    Safe: the close delimiter is added after the last part, preceded by a
    line break of its own, so the last part's content is unchanged. For
    nested multiparts ending at one point, one fix adds all their close
    delimiters there, innermost first.

    ## References
    RFC 2046 §5.1.1.
    """
    problems: list[Problem] = []
    for at, unclosed in _unclosed(message).items():
        if len(unclosed) == 1:
            part = unclosed[0]
            problems.append(
                Problem(
                    at,
                    at,
                    f"the multipart body ends without its close delimiter --{part.boundary}--; "
                    "add it after the last part",
                    part.path,
                    repair_fix(part),
                )
            )
            continue
        inner = sorted(unclosed, key=lambda p: -p.depth)  # innermost first
        shown = ", ".join(f"--{p.boundary}--" for p in inner[:3])
        if len(inner) > 3:
            shown += f", ... --{inner[-1].boundary}--"
        problems.append(
            Problem(
                at,
                at,
                f"{len(inner)} nested multipart bodies end here without their close delimiters "
                f"({shown}, innermost first); add them after the last part",
                inner[0].path,
                _close_all_fix(inner),
            )
        )
    return problems
