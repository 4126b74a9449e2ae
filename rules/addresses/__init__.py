"""Addresses in the header: syntax, internationalised parts, lengths, count.

The address fields (From, Sender, Reply-To, To, Cc, Bcc and their
``Resent-`` forms, RFC 5322 §3.6.6) are read once per
message by the engine (:attr:`mimelint.mime.tree.Part.address_fields`, built on
:mod:`mimelint.mime.addresses`, which keeps the byte span of every address,
local part and domain); each rule here reads that fact.

A field with several bad mailboxes gets one finding per rule, at the
first, with the count of the others (:mod:`.fieldwise`).

Only the top-level header section is read. An embedded ``message/rfc822``
is content that the recipient opens; neither SES nor an SMTP relay reads
its addresses, so its missing From or odd address is not a sending problem.
"""

from __future__ import annotations

from .m401_unparseable_address import unparseable_address
from .m402_non_ascii_local_part import non_ascii_local_part
from .m403_non_ascii_domain import non_ascii_domain
from .m404_invalid_idna_domain import invalid_idna_domain
from .m405_address_too_long import address_too_long
from .m406_missing_from import missing_from
from .m407_too_many_recipients import too_many_recipients
from .m408_route_address import route_address
from .m409_obsolete_address_syntax import obsolete_address_syntax
from .m414_several_authors_without_sender import several_authors_without_sender
from .m415_obsolete_phrase import obsolete_phrase
from .m416_empty_recipient_field import empty_recipient_field

RULES = [
    unparseable_address,
    non_ascii_local_part,
    non_ascii_domain,
    invalid_idna_domain,
    address_too_long,
    missing_from,
    too_many_recipients,
    route_address,
    obsolete_address_syntax,
    several_authors_without_sender,
    obsolete_phrase,
    empty_recipient_field,
]
