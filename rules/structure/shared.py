"""What the structure rules share: how to name a header section, where to point.

Not a rule. The parser records what it met (:class:`~mimelint.mime.tree.Defect`,
:class:`~mimelint.mime.params.ParamDefect`) without judging; the rules of this
family decide what to report. Their fixes insert or remove whole header
fields or single characters, always with the message's own line separator.
"""

from __future__ import annotations

from mimelint.mime.params import StructuredValue
from mimelint.mime.tree import FIELD, DefectKind, Header, Message, Part
from mimelint.rule import Context


def header_section(part: Part) -> str:
    """Names a header section for a person, without naming the part (the report does)."""
    if part.parent is not None and part.parent.embedded is part:
        return "the header section of the attached message"
    return "the header section"


def name_span(h: Header) -> tuple[int, int]:
    """The field's name (its whole line when it has no colon)."""
    return h.start, h.colon if h.colon > h.start else h.value_end


def structured(part: Part, h: Header) -> StructuredValue | None:
    """The parsed value of a Content-Type or Content-Disposition field, when it counts.

    Only the first field of the name counts (as the part's own reading
    does), and only when it is a well-formed field.
    """
    if h.kind is not FIELD or part.fields_by_name[h.lname][0] is not h:
        return None  # (a field with a colon is in fields_by_name under its lname)
    return part.content_type_value if h.lname == "content-type" else part.disposition_value


def main_span(h: Header, sv: StructuredValue) -> tuple[int, int]:
    """The media or disposition type as written (the whole value when it is empty)."""
    if sv.main:
        return sv.main_start, sv.main_end
    return h.value_start, h.value_end


def inside_embedded_message(part: Part) -> bool:
    """Whether ``part`` is (inside) a message/rfc822 body: a message someone else wrote."""
    node: Part | None = part
    while node is not None and node.parent is not None:
        if node.parent.embedded is node:
            return True
        node = node.parent
    return False


def missing_field(message: Message, context: Context, name: str) -> bool:
    """Whether the top-level header lacks a field that the provider does not add (M610, M611).

    Amazon SES sets its own Date and Message-ID, so under the SES profiles
    nothing is missing; a message with no header section at all is M608's.
    """
    if context.profile.overwrites_date_and_message_id or not message.headers:
        return False
    return not any(h.kind == FIELD for h in message.headers_named(name))


def parts_with(message: Message, *kinds: DefectKind) -> list[Part]:
    """The parts with a defect of one of these kinds, in order (nearly always none)."""
    index = message.parts_with_defect
    found = sorted({i for kind in kinds for i in index.get(kind, ())})
    if not found:
        return []
    parts = message.parts()
    return [parts[i] for i in found]
