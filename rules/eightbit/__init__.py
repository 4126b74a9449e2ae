"""Non-7-bit content: bytes that SES and SMTP relays will not carry intact.

RFC 5321 SMTP is a 7-bit protocol unless both ends negotiate 8BITMIME, and
Amazon SES may re-encode a message it rewrites (open and click tracking),
damaging raw 8-bit content. Everything outside US-ASCII must be encoded, and
lines must stay within the SMTP limit.

Where content is looked at: the header section of every part, the body of
every leaf part, and the preamble and epilogue of every multipart (they are
content too, though readers hide them). Bodies declared ``binary`` are left
to M103 alone: NUL bytes, bare CRs and long lines are what binary means.
The bytes are read through the tree's body scans
(:mod:`mimelint.mime.scan`), shared with the encodings family.

The fix shared by M102-M106 re-encodes one leaf part: quoted-printable when
at most a sixth of the bytes need escaping (mostly-ASCII text stays readable
and no longer than base64), base64 otherwise; see
:func:`mimelint.mime.writers.encode_part`. Text parts keep their line breaks as
real line breaks. The Content-Transfer-Encoding field is replaced (or
inserted before the blank line) and the charset parameter is left alone.
Multipart and message parts are never re-encoded (RFC 2045 §6.4 allows them
only 7bit, 8bit or binary): their children are fixed instead.
"""

from mimelint.registry import indexed

from .. import index

#: This family's rules, from the generated index (``python -m mimelint.docs``):
#: each rule's module is imported when the walk first calls it.
RULES = indexed(index.RULES, __name__)
