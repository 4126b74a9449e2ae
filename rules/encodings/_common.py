"""What the encodings rules share: which parts take only identity encodings, messages, fixes."""

from __future__ import annotations

import functools
import re

from mimelint.mime.scan import MAX_ENCODED_LINE, LongLines
from mimelint.mime.tree import Header, Part
from mimelint.rule import Edit, Fix, Problem, Safety

#: RFC 2046 §5.2.1-5.2.3: these message subtypes take only identity
#: encodings. message/global and its kin (RFC 6532 §3.5) may be encoded.
COMPOSITE_MESSAGES = frozenset({"message/rfc822", "message/partial", "message/external-body"})


# Compiled on first use: only a quoted-printable body with an odd "=" needs it.
@functools.cache
def bad_escape() -> re.Pattern[bytes]:
    """An "=" in quoted-printable that is neither an escape nor a soft line
    break (lowercase hex is an escape here: M721's business)."""
    return re.compile(rb"=(?![0-9A-Fa-f]{2}|[ \t]*(?:\r?\n|\Z))")


def is_composite(part: Part) -> bool:
    """A multipart or message part that RFC 2045 §6.4 allows only identity encodings."""
    return part.maintype == "multipart" or part.content_type in COMPOSITE_MESSAGES


def in_effect(part: Part, header: Header) -> Header | None:
    """The field of ``header``'s name that the part's parsed values come from: its first.

    Rules that visit a field by name are called for every copy of it; the
    part's ``transfer_encoding`` and ``content_type_value`` read the first,
    so those rules report on that one only (duplicates are M605's).
    """
    return part.header(header.name)


def is_attachment(part: Part) -> bool:
    """A part declared ``Content-Disposition: attachment``: the reader saves it as a file."""
    disposition = part.disposition_value
    return disposition is not None and disposition.main.strip().lower() == "attachment"


def plural(n: int, word: str) -> str:
    """``1 word`` or ``n words``."""
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def long_line_problem(part: Part, found: LongLines, kind: str, fix: Fix | None) -> Problem:
    """The finding for encoded lines over 76 characters (M712, M722)."""
    start = found.first + MAX_ENCODED_LINE
    end = max(start, found.first_end)
    others = ""
    if found.count > 1:
        others = f"; {plural(found.count - 1, 'more line')} too, the longest {found.longest}"
    return Problem(
        start,
        end,
        f"{kind} line is {end - found.first} characters long, over the limit of "
        f"{MAX_ENCODED_LINE} (RFC 2045){others}. "
        f"Re-encode the body with lines of at most {MAX_ENCODED_LINE} characters",
        part.path,
        fix,
    )


def rewrap_fix(part: Part, core_end: int, safety: Safety, what: str) -> Fix:
    """Replace the base64 text with the payload re-encoded in 76-column lines.

    The line breaks after the last base64 character (``core_end``) stay as
    they are: in a multipart the final one belongs to the next delimiter.
    """
    from mimelint.mime.writers import wrap_base64  # fixes only (start-up)

    linesep = part.message.line_separator
    encoded = wrap_base64(part.payload, linesep).removesuffix(linesep)
    return Fix((Edit(part.body_start, core_end, encoded),), safety, what)


def qp_reencode(part: Part, safety: Safety, what: str) -> Fix | None:
    """Re-encode the decoded payload as quoted-printable (or base64 if shorter).

    ``encode_body`` guarantees the new body decodes to the same bytes; if it
    picks base64, the Content-Transfer-Encoding value changes with it.
    """
    from mimelint.mime.writers import encode_body  # fixes only (start-up)

    header = part.header("content-transfer-encoding")
    if header is None:
        return None
    cte, body = encode_body(
        part.payload, is_text=part.maintype == "text", linesep=part.message.line_separator
    )
    edits = [Edit(part.body_start, part.body_end, body)]
    if cte != "quoted-printable":
        start, end = header.value_span
        edits.insert(0, Edit(start, end, cte.encode("ascii")))
    return Fix(tuple(edits), safety, what)


def first_undecodable(payload: bytes, codec: str) -> UnicodeDecodeError | None:
    """The first decoding error of ``payload`` in ``codec``, or None."""
    try:
        payload.decode(codec)
    except UnicodeDecodeError as exc:
        # Without its traceback: the traceback's frame would hold the caller
        # (and the message) in a cycle that only the collector frees.
        return exc.with_traceback(None)
    return None
