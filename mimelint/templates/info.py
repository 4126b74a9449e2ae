"""What raw-template mode tells the template rules: placeholders and where they stand.

Kept apart from :mod:`mimelint.templates.mask` so that loading the rules
(every run, templates or not) imports nothing the masking needs.
"""

from __future__ import annotations

import enum
import fnmatch
from dataclasses import dataclass, field

from mimelint.templates import Syntax
from mimelint.templates.scan import Block, Placeholder, TemplateDefect


class Where(str, enum.Enum):
    """Where a writing placeholder stands in the message it will be part of."""

    RAW_HEADER = "raw-header"  #: text sent as written: Subject, a display name, a file name
    ADDRESS = "address"  #: a whole address, an addr-spec or its local part
    DOMAIN = "domain"  #: inside the domain of an addr-spec
    STRUCTURE = "structure"  #: a boundary, the media type, Content-Transfer-Encoding
    DELIMITER = "delimiter"  #: a boundary delimiter line of a multipart body
    STRUCTURED_HEADER = "structured-header"  #: Date, Message-ID, other parameters ...
    BODY = "body"  #: the body of a leaf part
    MULTIPART_TEXT = "multipart-text"  #: a multipart's preamble or epilogue


@dataclass(frozen=True, slots=True)
class Site:
    """A writing placeholder and where it stands (``part``: IMAP section path)."""

    placeholder: Placeholder
    where: Where
    part: str
    field: str = ""  #: the header field's name as written, when in a header


@dataclass(frozen=True)
class TemplateInfo:
    """What the template rules read: placeholders, their sites, blocks, defects.

    Holds no reference to the message or its parts (paths and offsets only),
    so the tree stays free of reference cycles.
    """

    syntax: Syntax
    placeholders: tuple[Placeholder, ...]
    sites: tuple[Site, ...]
    blocks: tuple[Block, ...]
    defects: tuple[TemplateDefect, ...]
    #: Variables declared ASCII-safe (``template-ascii``; globs allowed).
    ascii_names: tuple[str, ...] = ()
    #: Filters or helpers that encode their input (``template-encoding-filters``).
    encoding_filters: tuple[str, ...] = ()
    #: Problems found while rendering (render mode): (start, end, message, kind).
    render_problems: tuple[tuple[int, int, str, str], ...] = field(default=())

    def is_ascii(self, p: Placeholder) -> bool:
        """Whether the value is declared ASCII-safe (by its variable's name)."""
        return p.name is not None and any(
            fnmatch.fnmatchcase(p.name, pattern) for pattern in self.ascii_names
        )

    def is_encoded(self, p: Placeholder) -> bool:
        """Whether a filter or helper that encodes its input is applied."""
        return any(f in self.encoding_filters for f in p.filters)

    def needs_encoding(self, p: Placeholder) -> bool:
        """Whether a non-ASCII value could reach the message as written."""
        return not self.is_ascii(p) and not self.is_encoded(p)
