"""Template rules: what the value a placeholder receives at send time can break.

They read the placeholders that raw-template mode found
(:attr:`mimelint.mime.tree.Message.template`, see :mod:`mimelint.templates`) and
yield nothing for a plain message.
"""

from .m801_placeholder_in_raw_header import placeholder_in_raw_header
from .m802_placeholder_in_unencoded_body import (
    placeholder_in_unencoded_body,
)
from .m803_placeholder_in_base64_body import placeholder_in_base64_body
from .m804_placeholder_in_mime_structure import (
    placeholder_in_mime_structure,
)
from .m805_block_across_mime_structure import (
    block_across_mime_structure,
)
from .m806_placeholder_in_address_domain import (
    placeholder_in_address_domain,
)
from .m807_undefined_template_variable import (
    undefined_template_variable,
)
from .m808_template_syntax_error import template_syntax_error

RULES = [
    placeholder_in_raw_header,
    placeholder_in_unencoded_body,
    placeholder_in_base64_body,
    placeholder_in_mime_structure,
    block_across_mime_structure,
    placeholder_in_address_domain,
    undefined_template_variable,
    template_syntax_error,
]
