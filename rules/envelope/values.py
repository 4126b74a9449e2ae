"""The envelope values (SES ``Source`` and ``Destinations``) M410-M412 check.

These addresses are not in the message bytes. They come from the command
line (``--envelope-from``, ``--envelope-to``) or the library
(``lint(..., envelope_from=..., envelope_to=[...])``), and from the SES
client guard (:mod:`mimelint.integrations.ses`), which passes the call's own
parameters. Each is read by the engine's
:func:`mimelint.mime.addresses.read_single_address`.
"""

from __future__ import annotations

from collections.abc import Iterator

from mimelint.rule import Context


def envelope_values(context: Context) -> Iterator[tuple[str, str]]:
    """(label for a person, value) of each envelope address given."""
    if context.envelope_from is None and not context.envelope_to:
        return  # the usual case: no envelope to check
    if context.envelope_from is not None:
        yield f"envelope sender <{context.envelope_from}>", context.envelope_from
    for number, value in enumerate(context.envelope_to, 1):
        yield f"envelope recipient {number} <{value}>", value
