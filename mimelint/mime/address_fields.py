"""Address fields (RFC 5322 §3.6): which fields hold addresses, and their roles.

The one table of the fields whose values are read as address lists
(:data:`ADDRESS_FIELD_ROLES`), the sets derived from it, and the resent
blocks of a header section (:func:`resent_blocks`). The engine, the rules,
the fix proof and the template reader take their lists from here;
:mod:`mimelint.mime.addresses` reads the values.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from types import MappingProxyType

TYPE_CHECKING = False  # typing's flag, without importing typing at start-up
if TYPE_CHECKING:
    from mimelint.mime.tree import Header

__all__ = [
    "ADDRESS_FIELDS",
    "ADDRESS_FIELD_ROLES",
    "MAILBOX_FIELDS",
    "RECIPIENT_FIELDS",
    "RESENT_BLOCK_FIELDS",
    "RESENT_FIELDS",
    "AddressRole",
    "resent_blocks",
]


class AddressRole(enum.Enum):
    """What an address field says about the message (its row in
    :data:`ADDRESS_FIELD_ROLES`)."""

    ORIGINATOR = "originator"  #: From, Sender, Reply-To (RFC 5322 §3.6.2)
    RECIPIENT = "recipient"  #: To, Cc, Bcc (RFC 5322 §3.6.3)
    RESENT = "resent"  #: Resent-From ... Resent-Bcc (RFC 5322 §3.6.6)
    OTHER = "other"  #: a trace or extension field whose value holds addresses


#: Every field, by lower-case name, whose value is read as an address list,
#: and its role: the one table the engine, the rules, the fix proof and the
#: template reader take their lists from.
ADDRESS_FIELD_ROLES: Mapping[str, AddressRole] = MappingProxyType(
    {
        "from": AddressRole.ORIGINATOR,
        "sender": AddressRole.ORIGINATOR,
        "reply-to": AddressRole.ORIGINATOR,
        "to": AddressRole.RECIPIENT,
        "cc": AddressRole.RECIPIENT,
        "bcc": AddressRole.RECIPIENT,
        "resent-from": AddressRole.RESENT,
        "resent-sender": AddressRole.RESENT,
        "resent-to": AddressRole.RESENT,
        "resent-cc": AddressRole.RESENT,
        "resent-bcc": AddressRole.RESENT,
        "return-path": AddressRole.OTHER,  # RFC 5322 §3.6.7: a path, "<>" allowed
        "resent-reply-to": AddressRole.OTHER,  # RFC 822 §4.6.3, obsolete
        "disposition-notification-to": AddressRole.OTHER,  # RFC 8098 §2.1
        "return-receipt-to": AddressRole.OTHER,  # never standardised, still written
        "mail-followup-to": AddressRole.OTHER,  # draft-ietf-drums-mail-followup-to
        "mail-reply-to": AddressRole.OTHER,  # the same draft
        "errors-to": AddressRole.OTHER,  # never standardised, still written
    }
)
#: Every field read as an address list: encoded-words may stand in its
#: phrases and comments (RFC 2047 §5), the fixer re-encodes only those, and
#: the fix proof and the template reader compare and place its addresses.
ADDRESS_FIELDS = frozenset(ADDRESS_FIELD_ROLES)
#: The fields RFC 5322 gives a mailbox or address-list grammar (§3.6.2,
#: §3.6.3, §3.6.6): what :attr:`mimelint.mime.tree.Part.address_fields`
#: reads and the address rules check. The others stay out on purpose:
#: Return-Path is a path in which the null sender ``<>`` is right, and the
#: extension fields follow no one grammar, so reporting their addresses as
#: broken (or counting them as recipients) would be wrong more than right.
MAILBOX_FIELDS = frozenset(
    name for name, role in ADDRESS_FIELD_ROLES.items() if role is not AddressRole.OTHER
)
#: The fields whose addresses receive the message.
RECIPIENT_FIELDS = tuple(
    name for name, role in ADDRESS_FIELD_ROLES.items() if role is AddressRole.RECIPIENT
)
#: The resent fields that hold addresses (RFC 5322 §3.6.6): read like the
#: originating ones, block by block.
RESENT_FIELDS = tuple(
    name for name, role in ADDRESS_FIELD_ROLES.items() if role is AddressRole.RESENT
)
#: Every field of a resent block (RFC 5322 §3.6.6): the resent address
#: fields, Resent-Date and Resent-Message-ID.
RESENT_BLOCK_FIELDS = frozenset((*RESENT_FIELDS, "resent-date", "resent-message-id"))
#: The trace fields (RFC 5322 §3.6.7) each relay prepends: one ends a resent block.
_TRACE_FIELDS = frozenset({"received", "return-path"})


def resent_blocks(headers: Sequence[Header]) -> list[list[Header]]:
    """The resent blocks of a header section, newest first (RFC 5322 §3.6.6).

    Each resending adds its ``Resent-*`` fields together at the top, below
    the trace fields its relays prepend (§3.6.7): a block is a run of
    ``Resent-*`` fields that a trace field (Received, Return-Path) ends,
    and a field whose name the current block already holds (a second
    Resent-From, Resent-Date...) starts the next one, so two blocks written
    one after the other are told apart. Other fields between them do not
    end a block: mailing list software writes its List-* and X-* fields in
    the middle of its resent fields (Debian's SmartList: Resent-From, then
    List-Post..., then Resent-Sender and Resent-Date). A Resent-Sender
    alone, past a trace field, is the agent of the block above that has
    none (§3.6.6 with §3.6.2: it qualifies a Resent-From and is no
    resending by itself): Debian's bug tracker writes the block at the top
    and its Resent-Sender below the original message's fields.
    """
    blocks: list[list[Header]] = []
    block: list[Header] = []
    names: set[str] = set()
    for header in headers:
        lname = header.lname
        if not lname.startswith("resent-") or header.colon < 0:
            if block and lname in _TRACE_FIELDS:
                blocks.append(block)
                block, names = [], set()
            continue
        if lname in names:
            blocks.append(block)
            block, names = [], set()
        block.append(header)
        names.add(lname)
    if block:
        blocks.append(block)
    merged: list[list[Header]] = []
    for block in blocks:
        if (
            merged
            and len(block) == 1
            and block[0].lname == "resent-sender"
            and all(h.lname != "resent-sender" for h in merged[-1])
        ):
            merged[-1] = [*merged[-1], block[0]]
        else:
            merged.append(block)
    return merged
