"""Transfer encodings and charsets: bodies that decoders read differently.

A body is what its Content-Transfer-Encoding (RFC 2045 §6) and charset
(RFC 2046 §4.1.2) say it is. When the encoding is unknown, the base64 or
quoted-printable is damaged, or the text does not match its charset, each
mail client repairs it its own way, and readers see different content (or
none). These rules say exactly where the damage is.

Speed matters here: a 10 MB message is mostly base64. The rules read the
tree's body scans (:mod:`mimelint.mime.scan`: a handful of C-speed passes
over each body, made once per part however many rules ask), and each rule
declares the parts it visits, so the engine calls the base64 rules only on
base64 leaves, the charset rules only on text leaves. Charsets are read
through the one table, :func:`mimelint.mime.charsets.lookup`.
"""

from mimelint.registry import indexed

from .. import index

#: This family's rules, from the generated index (``python -m mimelint.docs``):
#: each rule's module is imported when the walk first calls it.
RULES = indexed(index.RULES, __name__)
