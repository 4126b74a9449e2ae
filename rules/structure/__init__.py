"""Structure: the frame of a message that every reader must agree on.

MIME-Version, the syntax of Content-Type and Content-Disposition and their
parameters, fields that may occur only once, required fields, the blank
line between header section and body, nesting depth and the provider's size
limit. When readers disagree about these, they disagree about everything
below them: which part is the body, which charset, which file name. One
rule per module; what they share is in :mod:`.shared`, the date grammar in
:mod:`mimelint.mime.dates`.
"""

from .m601_missing_mime_version import missing_mime_version
from .m602_invalid_content_type import invalid_content_type
from .m603_invalid_content_disposition import invalid_content_disposition
from .m604_malformed_parameter import malformed_parameter
from .m605_duplicate_header import duplicate_header
from .m606_message_too_large import message_too_large
from .m607_missing_header_separator import missing_header_separator
from .m608_no_header_section import no_header_section
from .m609_nesting_too_deep import nesting_too_deep
from .m610_missing_date import missing_date
from .m611_missing_message_id import missing_message_id
from .m612_invalid_date import invalid_date
from .m613_invalid_message_id import invalid_message_id
from .m614_invalid_mime_version import invalid_mime_version
from .m615_header_section_cut_short import header_section_cut_short
from .m616_thread_field_without_msg_id import thread_field_without_msg_id
from .m617_content_length_mismatch import content_length_mismatch

RULES = [
    missing_mime_version,
    invalid_content_type,
    invalid_content_disposition,
    malformed_parameter,
    duplicate_header,
    message_too_large,
    missing_header_separator,
    no_header_section,
    nesting_too_deep,
    missing_date,
    missing_message_id,
    invalid_date,
    invalid_message_id,
    invalid_mime_version,
    header_section_cut_short,
    thread_field_without_msg_id,
    content_length_mismatch,
]
