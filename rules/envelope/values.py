"""The envelope values (SES ``Source`` and ``Destinations``), read for M410-M412.

These addresses are not in the message bytes. They come from the command
line (``--envelope-from``, ``--envelope-to``) or the library
(``lint(..., envelope_from=..., envelope_to=[...])``), and from the SES
client guard (:mod:`mimelint.integrations.ses`), which passes the call's own
parameters. Each is read with the one address reader
(:func:`mimelint.mime.addresses.parse_addresses`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from mimelint.mime.addresses import AddressSpan, parse_addresses
from mimelint.rule import Context

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def envelope_values(context: Context) -> Iterator[tuple[str, str]]:
    """(label for a person, value) of each envelope address given."""
    if context.envelope_from is None and not context.envelope_to:
        return  # the usual case: no envelope to check
    if context.envelope_from is not None:
        yield f"envelope sender <{context.envelope_from}>", context.envelope_from
    for number, value in enumerate(context.envelope_to, 1):
        yield f"envelope recipient {number} <{value}>", value


def single_address(value: str) -> tuple[AddressSpan | None, bytes, str | None]:
    """The one mailbox of an envelope value, its bytes, or why there is none.

    The offsets of the mailbox are in the value's UTF-8 bytes (returned).
    """
    data = value.encode("utf-8", "surrogateescape")
    addresses = parse_addresses(data)
    if not addresses:
        return None, data, "is empty; give one address, local@domain"
    if len(addresses) > 1:
        return None, data, "holds more than one address; give one address per value"
    address = addresses[0]
    if address.error is not None:
        if _CONTROL.search(value):
            return None, data, "cannot be read: Local address contains control or whitespace"
        return None, data, f"cannot be read: {address.error}"
    return address, data, None
