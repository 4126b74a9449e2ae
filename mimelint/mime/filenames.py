"""File names of attachments: where a part names its file, decoded.

A part's file name comes from the Content-Disposition ``filename``
parameter or the Content-Type ``name`` parameter (RFC 2183 §2.3, RFC 2046
§4.5.1). Both are read here, each after RFC 2231 decoding (continuations,
``name*=charset''%XX``) and after RFC 2047 encoded-words (which RFC 2047
§5 forbids in parameters but Outlook and others write anyway). When both
are present and decode to the same name, only the first is kept.

A :class:`FileName` points at the parameter's value as written; for an
RFC 2231 continuation, at its first section. Read through the tree's fact
:attr:`mimelint.mime.tree.Part.file_names`.
"""

from __future__ import annotations

import functools
import re

from mimelint._records import NamedTuple
from mimelint.mime.encoded_words import decode_words
from mimelint.mime.params import Param, StructuredValue
from mimelint.mime.quoting import quoted

TYPE_CHECKING = False  # typing's flag, without importing typing at start-up
if TYPE_CHECKING:
    from mimelint.mime.tree import Part

__all__ = ["FileName", "file_names"]

_FOLD = re.compile(r"\r?\n(?=[ \t])")


@functools.cache  # compiled on first use: only a file name split by RFC 2231 needs it
def _section_number() -> re.Pattern[str]:
    """The section number of an RFC 2231 parameter name (``filename*1*``)."""
    return re.compile(r"\*(\d+)")


class FileName(NamedTuple):
    """One decoded file name and where its parameter's value stands."""

    part: str  #: the path of the part that declares it ("" for the message)
    value: str  #: decoded, folds removed
    header: str  #: "Content-Disposition" or "Content-Type"
    param: str  #: "filename" or "name"
    start: int  #: offset of the value as written (first section of a continuation)
    end: int

    @property
    def label(self) -> str:
        """A phrase naming the parameter for a person (findings name the part).

        Invisible characters (a right-to-left override, other format and
        control characters) are shown as ``<U+XXXX>``: written raw, they
        would reorder the finding itself as they reorder the name.
        """
        value = self.value
        if not value.isprintable():
            value = "".join(c if c.isprintable() else f"<U+{ord(c):04X}>" for c in value)
        return f"the {self.header} {self.param} {quoted(value)}"

    @property
    def stripped(self) -> str:
        """The name as Windows saves it: trailing dots and spaces removed."""
        return self.value.rstrip(". ")

    @property
    def extension(self) -> str:
        """The lower-case extension after the last dot, or ''."""
        stem, dot, ext = self.stripped.rpartition(".")
        return ext.lower() if dot and stem else ""


def _first_section(params: list[Param]) -> Param:
    """The parameter that starts the value: RFC 2231 section 0 when split."""
    sections = [p for p in params if "*" in p.raw_name]
    if not sections:
        return params[0]

    def number(p: Param) -> int:
        m = _section_number().search(p.raw_name)
        return int(m.group(1)) if m else 0

    return min(sections, key=number)


def _read(
    part: str, sv: StructuredValue, header: str, key: str, other: str | None
) -> FileName | None:
    """The name ``key`` of ``sv``, or None; also None when it decodes to ``other``."""
    value = sv.get(key)
    if value is None:
        return None
    params = sv.params
    if len(params) == 1 and "*" not in params[0].raw_name:
        # The usual `filename="a.pdf"` alone: sv.get found it, so it is the one.
        at = params[0]
    else:
        # sv.named(key), without a regex per parameter for plain names
        named = [p for p in params if (p.name if "*" in p.raw_name else p.raw_name.lower()) == key]
        if not named:
            return None
        at = _first_section(named)
    decoded = decode_words(value)
    if "\n" in decoded:
        decoded = _FOLD.sub("", decoded)
    if decoded == other:
        return None
    return FileName(part, decoded, header, key, at.value_start, at.value_end)


def file_names(part: Part) -> list[FileName]:
    """The names ``part`` declares: Content-Disposition ``filename``, then
    Content-Type ``name`` unless it decodes to the same name.

    The parser has already read the Content-Type (it needs the type to split
    the body); ``StructuredValue.get`` is one dictionary lookup once the
    parameters are collected.
    """
    found: list[FileName] = []
    disposition = part.disposition_value
    first = None
    if disposition is not None:  # most parts have none: no call then
        first = _read(part.path, disposition, "Content-Disposition", "filename", None)
        if first is not None:
            found.append(first)
    content_type = part.content_type_value
    if content_type is not None and content_type.params:
        second = _read(
            part.path,
            content_type,
            "Content-Type",
            "name",
            None if first is None else first.value,
        )
        if second is not None:
            found.append(second)
    return found
