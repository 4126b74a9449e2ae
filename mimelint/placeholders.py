"""What a template tells the template rules: its placeholders and where they stand.

The engine's side of templates: the types :attr:`mimelint.mime.tree.Message.template`
holds and the template rules (M801-M808) read. The face fills them in:
:mod:`mimelint.templates.scan` finds the placeholders,
:mod:`mimelint.templates.mask` places them in the message and
:mod:`mimelint.templates.render` reports what rendering met. Nothing here
reads a template; it only describes one, so the tree and the rules need
nothing from the face.
"""

from __future__ import annotations

import enum
import fnmatch
from dataclasses import dataclass, field

__all__ = [
    "Block",
    "Kind",
    "Placeholder",
    "RenderProblem",
    "RenderProblemKind",
    "Site",
    "TemplateDefect",
    "TemplateInfo",
    "Where",
]


class Kind(str, enum.Enum):
    """What a placeholder does to the rendered text."""

    OUTPUT = "output"  #: writes a value: {{ x }}, {{{ x }}}, {% include %}, {{> p}}
    OPEN = "open"  #: opens a block: {% if %}, {% for %}, {{#if}}, {{^x}}
    MIDDLE = "middle"  #: splits a block: {% else %}, {% elif %}, {{else}}
    CLOSE = "close"  #: closes a block: {% endif %}, {{/if}}
    STATEMENT = "statement"  #: writes nothing: {% set x = 1 %}, {% import %}
    COMMENT = "comment"  #: {# ... #}, {{! ... }}

    @property
    def writes(self) -> bool:
        """Whether the placeholder is replaced by a value when rendered."""
        return self is Kind.OUTPUT


@dataclass(frozen=True, slots=True)
class Placeholder:
    """One tag of a template, with its byte span ``[start, end)``.

    ``name`` is the dotted path of the variable an output reads (``user.name``),
    or None when the expression does not start with one. ``filters`` are the
    Jinja filters (``{{ x | upper }}``) or the Handlebars helper
    (``{{rfc2047 x}}``) applied to it; ``tag`` is a block's keyword (``if``,
    ``for``, ``each``). ``strip_before``/``strip_after`` record whitespace
    control (``{%-``, ``-%}``, ``{{~``, ``~}}``).
    """

    kind: Kind
    start: int
    end: int
    name: str | None = None
    filters: tuple[str, ...] = ()
    tag: str = ""
    strip_before: bool = False
    strip_after: bool = False
    #: Offsets of the expression inside the delimiters (for renderers).
    inner_start: int = 0
    inner_end: int = 0


@dataclass(frozen=True, slots=True)
class Block:
    """An opening tag and the tag that closes it (offsets into the placeholder list)."""

    open: int
    close: int


@dataclass(frozen=True, slots=True)
class TemplateDefect:
    """A tag the scanner could not read: unterminated, or a block left open or never opened."""

    start: int
    end: int
    message: str


class RenderProblemKind(str, enum.Enum):
    """What went wrong while rendering a template with sample data."""

    UNDEFINED = "undefined"  #: a variable the data does not define (M807)
    ERROR = "error"  #: a syntax error or a renderer failure (M808)


@dataclass(frozen=True, slots=True)
class RenderProblem:
    """Something that went wrong while rendering, at a template span."""

    kind: RenderProblemKind
    start: int
    end: int
    message: str


class Where(str, enum.Enum):
    """Where a writing placeholder stands in the message it will be part of."""

    RAW_HEADER = "raw-header"  #: text sent as written: Subject, a display name, a file name
    ADDRESS = "address"  #: a whole address, an addr-spec or its local part
    DOMAIN = "domain"  #: inside the domain of an addr-spec
    STRUCTURE = "structure"  #: a boundary, the media type, Content-Transfer-Encoding
    DELIMITER = "delimiter"  #: a boundary delimiter line of a multipart body
    #: a boundary the data gives (made for each message), written with the same
    #: template text in the ``boundary`` parameter and in every delimiter line
    GENERATED_BOUNDARY = "generated-boundary"
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

    placeholders: tuple[Placeholder, ...]
    sites: tuple[Site, ...]
    blocks: tuple[Block, ...]
    defects: tuple[TemplateDefect, ...]
    #: Variables declared ASCII-safe (``template-ascii``; globs allowed).
    ascii_names: tuple[str, ...] = ()
    #: Filters or helpers that encode their input (``template-encoding-filters``).
    encoding_filters: tuple[str, ...] = ()
    #: Problems found while rendering (render mode).
    render_problems: tuple[RenderProblem, ...] = field(default=())

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
