"""Input: is there a message to check at all?

These rules are gates (``gate=True``): the engine runs them first, and when
one reports, its finding is the whole report. Random bytes, an empty file or
a text file given by mistake get one clear finding instead of a dozen
unrelated ones (a missing From, 8-bit bytes, long lines ...).
"""

from mimelint.rule import Rule

from .m001_not_a_message import not_a_message
from .m002_empty_input import empty_input

RULES: list[Rule] = [not_a_message, empty_input]
