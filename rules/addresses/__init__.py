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

from mimelint.registry import indexed

from .. import index

#: This family's rules, from the generated index (``python -m mimelint.docs``):
#: each rule's module is imported when the walk first calls it.
RULES = indexed(index.RULES, __name__)
