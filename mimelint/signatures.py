"""The bytes of a message that a signature covers, which fixes must not touch.

A fix that re-encodes signed bytes keeps what a reader sees, yet the
recipient's client or MTA then reports a bad signature. So the fix engine
asks :class:`Signatures` about every fix and leaves those that would touch
signed bytes, with a reason; the findings stay. Two kinds of signatures:

- ``multipart/signed`` (RFC 1847 §2.1; PGP/MIME, RFC 3156 §5; S/MIME,
  RFC 8551 §3.5): the first body part, header and body, is signed as it
  stands, from the end of the delimiter line before it to the line break
  that starts the next delimiter. No edit may fall inside it, nor insert
  at either end. The signature part and the outer headers are not signed;
  re-wrapping the signature's base64 keeps its decoded bytes.
- ``DKIM-Signature`` (RFC 6376 §3.7) and ``ARC-Message-Signature``
  (RFC 8617 §4.1.2) in the top-level header section: they sign the body
  and the header fields named in ``h=``. No edit may touch the body, a
  field of a signed name (any instance: the signer takes the last ones,
  so removing a duplicate moves the signed one), the signature fields
  themselves (and ``ARC-Seal``/``ARC-Authentication-Results``, which the
  seal signs), nor add a field of a signed name (an absent field listed in
  ``h=`` is signed as absent). Without a readable ``h=``, every field
  counts as signed. The whole body counts even when ``l=`` limits the
  body hash: a fix cannot know which canonical bytes that length covers.

A pre-send linter normally runs before signing, so a signature present
means the message was already signed: fix before signing, or re-sign (and
ask ``fix(keep_signatures=False)`` to edit anyway).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable

from mimelint.mime.tree import Message
from mimelint.rule import Edit

#: Why a fix that touches signed bytes was left: the hint after the place.
HINT = "fixing would invalidate the signature: fix before signing, or re-sign"

#: Header fields that carry a signature over other fields and the body.
SIGNING_FIELDS = ("dkim-signature", "arc-message-signature")
#: Fields that are signatures or sealed by one: never edited when present.
SIGNATURE_FIELDS = frozenset({*SIGNING_FIELDS, "arc-seal", "arc-authentication-results"})

# A header field line inside a replacement: name, optional blanks, colon.
_FIELD_LINE = re.compile(rb"(?m)^([!-9;-~]+)[ \t]*:")
_BLANKS = re.compile(r"[ \t\r\n]+")


class _Regions:
    """Byte regions with a reason each; which one (if any) an edit hits.

    ``inclusive``: an insertion at either end of a region hits it (a signed
    part gains bytes); otherwise only an insertion strictly inside does (a
    new field between two signed fields leaves both as they are). A
    replacement hits a region when they share at least one byte. Regions
    are sorted by start with a running maximum of their ends, so one
    bisect answers (regions may nest: a signed part inside a signed part).
    """

    def __init__(self, regions: Iterable[tuple[int, int, str]], inclusive: bool) -> None:
        ordered = sorted(regions, key=lambda r: (r[0], r[1]))
        self.inclusive = inclusive
        self._starts = [r[0] for r in ordered]
        self._reasons = [r[2] for r in ordered]
        self._ends = [r[1] for r in ordered]
        self._best: list[int] = []  # index of the largest end so far
        best = -1
        for i, end in enumerate(self._ends):
            if best < 0 or end > self._ends[best]:
                best = i
            self._best.append(best)

    def __bool__(self) -> bool:
        return bool(self._starts)

    def hit(self, start: int, end: int) -> str | None:
        if not self._starts:
            return None
        if start == end and self.inclusive:
            k = bisect.bisect_right(self._starts, start)
            reach = start  # some region with s <= p must have e >= p
        else:
            k = bisect.bisect_left(self._starts, end)
            reach = start + 1  # some region with s < end must have e > start
        if k == 0:
            return None
        i = self._best[k - 1]
        return self._reasons[i] if self._ends[i] >= reach else None


def _tags(value: str) -> dict[str, str]:
    """A DKIM tag list (RFC 6376 §3.2): ``tag=value`` pairs split on ``;``."""
    tags: dict[str, str] = {}
    for item in value.split(";"):
        name, eq, tag_value = item.partition("=")
        if eq:
            tags[_BLANKS.sub("", name).lower()] = _BLANKS.sub("", tag_value)
    return tags


class Signatures:
    """What the signatures of one message cover, for :meth:`why`.

    Build one per parse of the message; it is empty (and ``why`` answers
    None at once) for a message that carries no signature.
    """

    def __init__(self, message: Message) -> None:
        self._parts = _Regions(self._signed_parts(message), inclusive=True)
        self._fields = _Regions((), inclusive=False)
        self._names: frozenset[str] | None = frozenset()
        self._body_reason = ""
        self._field_reason = ""
        self._header_end = message.header_end
        if any(h.lname in SIGNING_FIELDS for h in message.headers):
            self._read_dkim(message)

    def __bool__(self) -> bool:
        return bool(self._parts) or bool(self._body_reason)

    @staticmethod
    def _signed_parts(message: Message) -> list[tuple[int, int, str]]:
        regions = []
        for part in message.parts():
            if part.content_type != "multipart/signed" or not part.children:
                continue
            signed = part.children[0]
            protocol = part.content_type_value.get("protocol") if part.content_type_value else None
            kind = f"multipart/signed, {protocol.lower()}" if protocol else "multipart/signed"
            reason = f"part {signed.path} is signed ({kind}); {HINT}"
            regions.append((signed.start, signed.end, reason))
        return regions

    def _read_dkim(self, message: Message) -> None:
        names: set[str] | None = set()
        who: list[str] = []
        for h in message.headers:
            if h.lname not in SIGNING_FIELDS:
                continue
            tags = _tags(h.unfolded.decode("latin-1"))
            if h.lname == "dkim-signature":
                who.append(f"{h.name} (d={tags['d']})" if tags.get("d") else h.name)
            else:
                who.append(f"{h.name} (i={tags['i']})" if tags.get("i") else h.name)
            listed = tags.get("h")
            if not listed:
                names = None
            elif names is not None:
                names.update(n.lower() for n in listed.split(":") if n)
        signer = who[0] if len(who) == 1 else f"{who[0]} and {len(who) - 1} more"
        self._names = frozenset(names) if names is not None else None
        self._body_reason = f"the message body is signed by {signer}; {HINT}"
        self._field_reason = f"signed by {signer}; {HINT}"
        regions = []
        for h in message.headers:
            if h.lname in SIGNATURE_FIELDS:
                regions.append((h.start, h.end, f"the {h.name} field is a signature; {HINT}"))
            elif self._signed_name(h.lname):
                regions.append((h.start, h.end, f"the {h.name} field is {self._field_reason}"))
        self._fields = _Regions(regions, inclusive=False)

    def _signed_name(self, lname: str) -> bool:
        return self._names is None or lname in self._names or lname in SIGNATURE_FIELDS

    def why(self, edits: Iterable[Edit]) -> str | None:
        """Why these edits would break a signature (the first reason), or None."""
        if not self:
            return None
        for e in edits:
            reason = self._parts.hit(e.start, e.end)
            if reason is None and self._body_reason:
                reason = self._dkim(e)
            if reason is not None:
                return reason
        return None

    def _dkim(self, e: Edit) -> str | None:
        if e.end > self._header_end or e.start > self._header_end:
            return self._body_reason
        reason = self._fields.hit(e.start, e.end)
        if reason is not None:
            return reason
        for m in _FIELD_LINE.finditer(e.replacement):
            name = m.group(1).decode("latin-1")
            if self._signed_name(name.lower()):
                return f"adding a {name} field, which is {self._field_reason}"
        return None
