"""M408 route-address: an obsolete source route, refused by SES."""

from __future__ import annotations

from mimelint.mime.quoting import quoted
from mimelint.mime.tree import Message
from mimelint.rule import Context, Fact, Problem, message, rule

from .fieldwise import one_per_field, route_fix


@rule(
    code="M408",
    name="route-address",
    severity="error",
    summary="An address with an obsolete source route (the @relay: before the address), refused by SES",
    fix_safety="safe",
    visits=message(requires=[Fact.ADDRESS_NOT_SIMPLE]),
)
def route_address(message: Message, context: Context) -> list[Problem] | None:
    """## What it does
    Under the ``ses`` profiles, flags an angle address that carries an
    obsolete source route, the ``@relay.example:`` in
    ``<@relay.example:bob@example.org>``. Under other profiles the same
    route is M409, a warning: see "Why" below.

    ## Why is this bad?
    SES refuses the message with ``Extra route-addr`` (the error text
    people report from SES client libraries). Source routes date from
    RFC 822; RFC 5322 §4.4 keeps them only as obsolete syntax that readers
    must accept and writers must not generate (RFC 5322 §4), and readers
    drop the route (Python's ``email`` reports "obsolete route
    specification in angle-addr" and reads ``bob@example.org``). The
    severity follows the profile by code: an error where the provider
    refuses the message (this rule), a warning where the syntax is only
    obsolete (M409, ``rfc``).

    ## Example
    ```
    To: Bob <@relay.example:bob@example.org>
    ```

    ## Use instead
    ```
    To: Bob <bob@example.org>
    ```

    ## Fix safety
    Safe: the fix deletes the route (from its ``@`` to its ``:``); the
    address that readers take, ``bob@example.org``, is unchanged.

    ## References
    RFC 5322 §4, §4.4 (obs-angle-addr, obs-route); RFC 7103 §7.1;
    SES error text ``Extra route-addr`` (see the project's SES facts).
    """
    if not context.profile.refuses_source_routes:
        return None  # M409 reports it as obsolete syntax
    read = message.address_fields
    problems: list[Problem] = []
    for field in read.fields:
        if field.simple or b"<@" not in field.raw.replace(b" ", b""):
            continue  # a simple list has no route; a route starts with '<' then '@'
        header = field.header
        found: list[Problem] = []
        for address in field.addresses:
            if address.route_start < address.route_end:
                found.append(
                    Problem(
                        address.route_start,
                        address.route_end,
                        f"{header.name}: the source route "
                        f"{quoted(message.data[address.route_start : address.route_end].decode('utf-8', 'replace'))} "
                        f"in <...{address.addr_spec}> is obsolete syntax that SES refuses "
                        f"(Extra route-addr); write <{address.addr_spec}>",
                        "",
                        route_fix(address),
                    )
                )
        problems.extend(one_per_field(found))
    return problems
