"""Boundaries: the lines that split a multipart body into its parts.

A multipart body is cut at lines ``--boundary`` (RFC 2046 §5.1.1). When a
boundary is missing, reused, ambiguous or occurs in content, receivers cut
the body in different places and see different parts, or none. One rule
per module; the boundary grammar and the facts these rules share live in
:mod:`mimelint.mime.boundaries`, the shared repair in :mod:`.shared`.
"""

from mimelint.registry import indexed

from .. import index

#: This family's rules, from the generated index (``python -m mimelint.docs``):
#: each rule's module is imported when the walk first calls it.
RULES = indexed(index.RULES, __name__)
