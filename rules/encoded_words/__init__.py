"""Header encoding: non-ASCII text and RFC 2047 encoded-words (M320-M330).

RFC 5322 §2.2 allows only US-ASCII in header fields; non-ASCII text is
written as RFC 2047 encoded-words (``=?utf-8?q?Gr=C3=BC=C3=9Fe?=``) where
RFC 2047 §5 allows them (unstructured text, comments, display names) and as
RFC 2231 extended values in MIME parameters (``filename*=utf-8''%C3%A9``).
These rules find raw non-ASCII text, malformed encoded-words and words in
places where decoders do not look for them. The knowledge is the engine's
(:mod:`mimelint.mime.encoded_words`, :mod:`mimelint.mime.fields`); fixes
re-encode the whole field with :func:`mimelint.mime.fields.reencoded_field`,
so every rule's fix for one field is the same.

Raw bytes that are not valid UTF-8 belong to M101 (they cannot be encoded
without guessing a charset); non-ASCII in an address itself is the address
rules' (M4xx).
"""

from mimelint.registry import indexed

from .. import index

#: This family's rules, from the generated index (``python -m mimelint.docs``):
#: each rule's module is imported when the walk first calls it.
RULES = indexed(index.RULES, __name__)
