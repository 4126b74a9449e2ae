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

from __future__ import annotations

from .m320_unencoded_header_text import unencoded_header_text
from .m321_invalid_encoded_word import invalid_encoded_word
from .m322_unknown_encoded_word_charset import unknown_encoded_word_charset
from .m323_encoded_word_too_long import encoded_word_too_long
from .m324_encoded_word_line_too_long import encoded_word_line_too_long
from .m325_misplaced_encoded_word import misplaced_encoded_word
from .m326_encoded_word_in_parameter import encoded_word_in_parameter
from .m327_encoded_word_control_character import encoded_word_control_character
from .m328_encoded_words_without_space import encoded_words_without_space
from .m329_empty_encoded_word import empty_encoded_word
from .m330_mailbox_in_encoded_word import mailbox_in_encoded_word_rule

RULES = [
    unencoded_header_text,
    invalid_encoded_word,
    unknown_encoded_word_charset,
    encoded_word_too_long,
    encoded_word_line_too_long,
    misplaced_encoded_word,
    encoded_word_in_parameter,
    encoded_word_control_character,
    encoded_words_without_space,
    empty_encoded_word,
    mailbox_in_encoded_word_rule,
]
