"""The envelope: the SES ``Source`` and ``Destinations`` (SMTP MAIL FROM, RCPT TO).

These addresses are not in the message bytes (see :mod:`.values` for where
they come from). Findings about them have no place in the message: they
carry an empty span at the start (line 1, column 1), the top-level part,
and a message that names the value (``envelope sender <...>``,
``envelope recipient 3 <...>``).

SES's rules for envelope addresses (developer guide, "Sending raw email
using the Amazon SES API"): 7-bit ASCII only, the domain in IDNA A-label
(Punycode) form, a display name (allowed in ``Source``) encoded as RFC 2047
encoded-words. The error texts of SES (``Missing final '@domain'``, ``Local
address contains control or whitespace``, ``Domain contains illegal
character``) are reused so that people recognise them.
"""

from mimelint.registry import indexed

from .. import index

#: This family's rules, from the generated index (``python -m mimelint.docs``):
#: each rule's module is imported when the walk first calls it.
RULES = indexed(index.RULES, __name__)
