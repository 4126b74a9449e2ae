"""Template rules: what the value a placeholder receives at send time can break.

They read the placeholders that raw-template mode found
(:attr:`mimelint.mime.tree.Message.template`, see :mod:`mimelint.templates`) and
yield nothing for a plain message.
"""

from mimelint.registry import indexed

from .. import index

#: This family's rules, from the generated index (``python -m mimelint.docs``):
#: each rule's module is imported when the walk first calls it.
RULES = indexed(index.RULES, __name__)
