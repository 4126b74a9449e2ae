"""An example third-party mimelint rule: Message-IDs naming a local host.

Installed, it adds X001 to ``mimelint check`` through the ``mimelint.rules``
entry point declared in this package's ``pyproject.toml``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from mimelint.mime.tree import Header, Part
from mimelint.rule import Context, Problem, fields, rule

# The domain part of a msg-id: after the last "@", up to ">".
_LOCAL_DOMAIN = re.compile(
    rb"@((?:[^>@\s]*\.)?(?:localhost|localdomain|local|lan|internal|home\.arpa))\s*>",
    re.IGNORECASE,
)


@rule(
    code="X001",
    name="message-id-local-host",
    severity="warning",
    summary="A Message-ID whose domain is a local host name",
    visits=fields("message-id"),  # called once per Message-ID field, nowhere else
)
def message_id_local_host(header: Header, part: Part, context: Context) -> Iterator[Problem]:
    """## What it does
    Flags a Message-ID whose right-hand side is a local name such as
    ``localhost``, ``*.local``, ``*.lan`` or ``*.internal``.

    ## Why is this bad?
    RFC 5322 §3.6.4 asks for a globally unique Message-ID and suggests a
    domain the sender controls on its right-hand side. A local host name is
    shared by countless machines, so IDs collide, and it tells the world
    the name of the machine that built the message.

    ## Example
    ```
    Message-ID: <20250602.1@build-7.localdomain>
    ```

    ## Use instead
    ```
    Message-ID: <20250602.1@mail.example.com>
    ```

    ## Fix safety
    Not fixable: only the sender knows which domain is theirs.

    ## References
    RFC 5322 §3.6.4.
    """
    found = _LOCAL_DOMAIN.search(part.data, header.value_start, header.value_end)
    if found is not None:
        yield Problem(
            found.start(1),
            found.end(1),
            f"Message-ID uses the local host name {found.group(1).decode('ascii', 'replace')!r}; "
            "use a domain you control so that IDs are globally unique",
        )


RULES = [message_id_local_host]
