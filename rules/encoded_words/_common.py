"""What the encoded-word rules share: the one field repair."""

from __future__ import annotations

from mimelint.mime.fields import reencoded_field
from mimelint.mime.tree import FIELD, Header, Part
from mimelint.rule import Edit, Fix, Safety


def repair_fix(part: Part, header: Header, why: str) -> Fix | None:
    """The field re-encoded correctly, as a safe fix; None when not possible."""
    if header.kind != FIELD:
        return None
    new = reencoded_field(part.data, header, part.message.line_separator)
    if new is None or new == header.raw:
        return None
    return Fix((Edit(header.start, header.end, new),), Safety.SAFE, why)
