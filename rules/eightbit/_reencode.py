"""The fix M102-M106 share: re-encode a leaf part's body for 7-bit transport."""

from __future__ import annotations

from mimelint.mime.scan import RegionKind
from mimelint.mime.transfer_encodings import MECHANISMS
from mimelint.mime.tree import Part
from mimelint.rule import Edit, Fix, Safety


def where(what: RegionKind) -> str:
    """A phrase naming a region for a person: 'the body', 'the preamble of the multipart'.

    The part is not named: the report adds it.
    """
    return "the body" if what is RegionKind.BODY else f"the {what.value} of the multipart"


def reencode_fix(part: Part) -> Fix | None:
    """The safe fix that re-encodes a leaf part's body for 7-bit transport.

    None when the part cannot be re-encoded: not a leaf, a multipart or
    message type, an unknown transfer encoding, or no blank line between
    its header section and body (inserting a field there would be a
    structural repair, which is another rule's business). Every rule that
    offers it for a part offers the same edits (the encoding is a fact of
    the part, :attr:`~mimelint.mime.tree.Part.seven_bit_encoding`), so the fixer
    applies it once.
    """
    if not part.is_leaf or part.maintype in ("multipart", "message"):
        return None
    if part.transfer_encoding not in MECHANISMS or part.separator is None:
        return None
    cte, encoded = part.seven_bit_encoding
    return Fix(
        edits=(_cte_edit(part, cte), Edit(part.body_start, part.body_end, encoded)),
        safety=Safety.SAFE,
        description=f"re-encode the body as {cte}",
    )


def _cte_edit(part: Part, cte: str) -> Edit:
    header = part.header("content-transfer-encoding")
    if header is not None:
        return Edit(header.value_start, header.value_end, b" " + cte.encode("ascii"))
    field = b"Content-Transfer-Encoding: " + cte.encode("ascii") + part.message.line_separator
    return Edit(part.header_end, part.header_end, field)
