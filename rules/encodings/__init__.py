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

from __future__ import annotations

from .m701_composite_transfer_encoding import composite_transfer_encoding
from .m702_unknown_transfer_encoding import unknown_transfer_encoding
from .m703_private_transfer_encoding import private_transfer_encoding
from .m704_decorated_transfer_encoding import decorated_transfer_encoding
from .m710_invalid_base64_character import invalid_base64_character
from .m711_invalid_base64_padding import invalid_base64_padding
from .m712_base64_line_too_long import base64_line_too_long
from .m720_invalid_quoted_printable_escape import invalid_quoted_printable_escape
from .m721_lowercase_quoted_printable_escape import lowercase_quoted_printable_escape
from .m722_quoted_printable_line_too_long import quoted_printable_line_too_long
from .m723_quoted_printable_trailing_whitespace import quoted_printable_trailing_whitespace
from .m730_unknown_charset import unknown_charset
from .m731_undecodable_text import undecodable_text
from .m732_eight_bit_text_without_charset import eight_bit_text_without_charset
from .m733_binary_content_in_text_part import binary_content_in_text_part
from .m734_utf8_text_in_single_byte_charset import utf8_text_in_single_byte_charset

RULES = [
    composite_transfer_encoding,
    unknown_transfer_encoding,
    private_transfer_encoding,
    decorated_transfer_encoding,
    invalid_base64_character,
    invalid_base64_padding,
    base64_line_too_long,
    invalid_quoted_printable_escape,
    lowercase_quoted_printable_escape,
    quoted_printable_line_too_long,
    quoted_printable_trailing_whitespace,
    unknown_charset,
    undecodable_text,
    eight_bit_text_without_charset,
    binary_content_in_text_part,
    utf8_text_in_single_byte_charset,
]
