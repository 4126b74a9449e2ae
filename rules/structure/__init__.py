"""Structure: the frame of a message that every reader must agree on.

MIME-Version, the syntax of Content-Type and Content-Disposition and their
parameters, fields that may occur only once, required fields, the blank
line between header section and body, nesting depth and the provider's size
limit. When readers disagree about these, they disagree about everything
below them: which part is the body, which charset, which file name. One
rule per module; what they share is in :mod:`.shared`, the date grammar in
:mod:`mimelint.mime.dates`.
"""

from mimelint.registry import indexed

from .. import index

#: This family's rules, from the generated index (``python -m mimelint.docs``):
#: each rule's module is imported when the walk first calls it.
RULES = indexed(index.RULES, __name__)
