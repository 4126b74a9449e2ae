"""Header syntax: lines that are not well-formed header fields (M301-M307).

RFC 5322 §2.2 defines a header field as a name of printable US-ASCII
characters other than the colon, a colon, and a body; §2.1.1 caps a line at
998 octets; §2.2.3 lets a long field be folded before white space. The
parser keeps every line it meets and labels the odd ones
(:class:`mimelint.mime.tree.HeaderKind`); these rules report them with their
positions.
"""

from mimelint.registry import indexed

from .. import index

#: This family's rules, from the generated index (``python -m mimelint.docs``):
#: each rule's module is imported when the walk first calls it.
RULES = indexed(index.RULES, __name__)
