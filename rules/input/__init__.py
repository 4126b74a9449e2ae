"""Input: is there a message to check at all?

These rules are gates (``gate=True``): the engine runs them first, and when
one reports, its finding is the whole report. Random bytes, an empty file or
a text file given by mistake get one clear finding instead of a dozen
unrelated ones (a missing From, 8-bit bytes, long lines ...).
"""

from mimelint.registry import indexed

from .. import index

#: This family's rules, from the generated index (``python -m mimelint.docs``):
#: each rule's module is imported when the walk first calls it.
RULES = indexed(index.RULES, __name__)
