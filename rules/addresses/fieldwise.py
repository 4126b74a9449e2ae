"""What the address rules share: one finding per field, and the route fix.

A field with several bad mailboxes gets one finding, at the first, saying
how many more there are (issue 13: one ``To:`` of 19 bad mailboxes gave 19
findings). Their fixes, if any, become one fix with all the edits.
"""

from __future__ import annotations

from collections.abc import Iterator

from mimelint.mime.addresses import AddressSpan
from mimelint.rule import Edit, Fix, Problem, Safety


def one_per_field(problems: list[Problem]) -> Iterator[Problem]:
    """Yield ``problems`` (all about one field, in order) as one problem.

    The message gains "(and N more in this field)". The fix
    joins every problem's edits when every problem has a fix of the same
    safety; otherwise the one problem has no fix (a partial fix would leave
    the finding it fixed standing).
    """
    if not problems:
        return
    first = problems[0]
    if len(problems) == 1:
        yield first
        return
    message = f"{first.message} (and {len(problems) - 1} more in this field)"
    fixes = [p.fix for p in problems if p.fix is not None]
    fix = None
    if len(fixes) == len(problems) and len({f.safety for f in fixes}) == 1:
        edits = tuple(e for f in fixes for e in f.edits)
        fix = Fix(edits, fixes[0].safety, f"{fixes[0].description}, and likewise for the others")
    yield Problem(first.start, first.end, message, first.part, fix)


def route_fix(address: AddressSpan) -> Fix:
    """Remove the obsolete source route of ``address`` (M408 under the ``ses``
    profiles, M409 under the others): the ``@relay.example:`` of
    ``<@relay.example:bob@example.org>``; the address stays the same."""
    return Fix(
        (Edit(address.route_start, address.route_end, b""),),
        Safety.SAFE,
        "remove the source route; the address stays the same",
    )
