"""Boundaries: the lines that split a multipart body into its parts.

A multipart body is cut at lines ``--boundary`` (RFC 2046 §5.1.1). When a
boundary is missing, reused, ambiguous or occurs in content, receivers cut
the body in different places and see different parts, or none. One rule
per module; the boundary grammar and the facts these rules share live in
:mod:`mimelint.mime.boundaries`, the shared repair in :mod:`.shared`.
"""

from .m201_missing_boundary import missing_boundary
from .m202_reused_boundary import reused_boundary
from .m203_ambiguous_nested_boundary import ambiguous_nested_boundary
from .m204_boundary_in_content import boundary_in_content
from .m205_invalid_boundary import invalid_boundary
from .m206_missing_close_delimiter import missing_close_delimiter
from .m207_empty_multipart import empty_multipart
from .m208_empty_part_between_delimiters import empty_part_between_delimiters

RULES = [
    missing_boundary,
    reused_boundary,
    ambiguous_nested_boundary,
    boundary_in_content,
    invalid_boundary,
    missing_close_delimiter,
    empty_multipart,
    empty_part_between_delimiters,
]
