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

from __future__ import annotations

from .m410_invalid_envelope_address import invalid_envelope_address
from .m411_envelope_non_ascii_local_part import envelope_non_ascii_local_part
from .m412_envelope_domain_not_punycode import envelope_domain_not_punycode
from .m413_too_many_envelope_recipients import too_many_envelope_recipients

RULES = [
    invalid_envelope_address,
    envelope_non_ascii_local_part,
    envelope_domain_not_punycode,
    too_many_envelope_recipients,
]
