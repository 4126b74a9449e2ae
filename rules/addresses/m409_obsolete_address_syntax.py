"""M409 obsolete-address-syntax: empty list elements, or a source route the provider takes."""

from __future__ import annotations

from mimelint.mime.quoting import quoted
from mimelint.mime.tree import Message
from mimelint.rule import Context, Edit, Fact, Fix, Problem, Safety, message, rule

from .fieldwise import route_fix


@rule(
    code="M409",
    name="obsolete-address-syntax",
    severity="warning",
    summary="Empty elements in an address list (a@x,, b@x), or a source route outside SES",
    fix_safety="unsafe",
    visits=message(requires=[Fact.ADDRESS_EMPTY_ELEMENT]),
)
def obsolete_address_syntax(message: Message, context: Context) -> list[Problem] | None:
    """## What it does
    Flags obsolete address-list syntax that readers accept but writers must
    not generate: empty list elements, that is a ``,`` with no address
    before or after it (``To: a@example.com,, b@example.com``, a leading
    or trailing comma), and, under profiles other than ``ses``, a source
    route (``<@relay.example:bob@example.org>``; under ``ses`` that is
    M408, an error). A group with no members
    (``undisclosed-recipients:;``) is valid and not flagged.

    ## Why is this bad?
    RFC 5322 §4.4 (obs-addr-list, obs-mbox-list, obs-angle-addr) keeps
    these forms for reading old mail; §4 says they must not be generated.
    Most readers skip an empty element (Python's ``email`` reports "empty
    element in address-list"), but they usually come from a template that
    joined an empty address, so check that no recipient was lost. A
    warning, not an error: every conforming reader still gets the same
    addresses.

    ## Example
    ```
    To: ann@example.com,, bob@example.org,
    ```

    ## Use instead
    ```
    To: ann@example.com, bob@example.org
    ```

    ## Fix safety
    Unsafe for the commas: the fix deletes the superfluous ones (white
    space and comments stay), so an RFC 5322 reader gets the same
    addresses, but Python's compat32 ``getaddresses`` and readers like it
    read an empty address for each empty element, and that entry goes;
    review that no recipient was meant to be there. Safe for a route
    (under ``rfc``): as in M408, the address read is unchanged.

    ## References
    RFC 5322 §4, §4.4; RFC 5322 §3.4 (address-list).
    """
    routes = not context.profile.refuses_source_routes  # else M408 reports them
    read = message.address_fields
    problems: list[Problem] = []
    for field in read.fields:
        header = field.header
        for run in field.empties:
            count = len(run.commas)
            what = "an empty element" if count == 1 else f"{count} empty elements"
            problems.append(
                Problem(
                    run.start,
                    run.end,
                    f"{header.name}: {what} in the address list ({count} ',' too many) is obsolete "
                    "syntax; remove the extra ',' and check that no address is missing",
                    "",
                    Fix(
                        tuple(Edit(at, at + 1, b"") for at in run.commas),
                        Safety.UNSAFE,  # compat32 readers lose an empty ('', '') entry
                        "remove the extra ','",
                    ),
                )
            )
        if not routes or field.simple or b":" not in field.raw:
            continue  # a simple list has no route, and a route ends with ':'
        for address in field.addresses:
            if address.route_start < address.route_end:
                problems.append(
                    Problem(
                        address.route_start,
                        address.route_end,
                        f"{header.name}: the source route before {quoted(address.addr_spec)} is obsolete "
                        f"syntax (RFC 5322 §4.4) that must not be generated; write <{address.addr_spec}>",
                        "",
                        route_fix(address),
                    )
                )
    return problems
