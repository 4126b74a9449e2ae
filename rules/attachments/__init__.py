"""Attachments: file names that providers refuse or that deceive the reader.

Each rule reads the engine's fact
:attr:`mimelint.mime.tree.Part.file_names_within`: the file names every part of
the message declares (Content-Disposition ``filename`` and Content-Type
``name``, RFC 2231 and RFC 2047 decoded; see :mod:`mimelint.mime.filenames`),
collected once per message and nearly always empty. The rules visit the
message, not each part: measured with callgrind on 200 generated small
messages, four part visits per part cost 43,000 instructions a message,
more than the checks themselves. Findings point at the parameter's value as
written; for an RFC 2231 continuation, at its first section. None of these
rules can fix: renaming an attachment changes what the recipient receives.
"""

from mimelint.registry import indexed

from .. import index

#: This family's rules, from the generated index (``python -m mimelint.docs``):
#: each rule's module is imported when the walk first calls it.
RULES = indexed(index.RULES, __name__)
