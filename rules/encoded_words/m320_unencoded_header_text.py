"""M320 unencoded-header-text: non-ASCII text written raw in a header field."""

from __future__ import annotations

import bisect
import re

from mimelint.mime.address_units import UnitRole
from mimelint.mime.fields import NO_WORDS, FieldKind, field_kind
from mimelint.mime.tree import FIELD, Header, Part
from mimelint.rule import Context, Fact, Problem, parts, rule

from ._common import repair_fix

_NON_ASCII = re.compile(rb"[\x80-\xff]+")


@rule(
    code="M320",
    name="unencoded-header-text",
    severity="error",
    summary="Non-ASCII text written raw in a header field",
    fix_safety="safe",
    visits=parts(requires=[Fact.EIGHT_BIT, Fact.HEADER_EIGHT_BIT]),
)
def unencoded_header_text(part: Part, context: Context) -> list[Problem] | None:
    """## What it does
    Flags non-ASCII text (valid UTF-8) written as it is in a header field:
    in unstructured fields (Subject, Comments, X-…), in display names and
    comments of address fields, in MIME parameters (``filename``, ``name``)
    and in structured fields where it can never be encoded (Message-ID,
    Received, Date, the media type of Content-Type). Bytes that are not
    UTF-8 are M101's; non-ASCII in an address itself is the address rules'.

    ## Why is this bad?
    RFC 5322 §2.2 allows only US-ASCII in header fields unless every hop
    supports SMTPUTF8 (RFC 6532). Amazon SES asks for header text to be
    encoded with RFC 2047 (display names, subject) and receivers without
    SMTPUTF8 refuse or mangle raw 8-bit headers. Parameters take RFC 2231
    extended values instead (RFC 2231 §4).

    ## Example
    ```
    Subject: Grüße aus Köln
    From: Jörg Müller <joerg@example.com>
    Content-Disposition: attachment; filename="Übersicht.pdf"
    ```

    ## Use instead
    ```
    Subject: =?utf-8?q?Gr=C3=BC=C3=9Fe?= aus =?utf-8?q?K=C3=B6ln?=
    From: =?utf-8?q?J=C3=B6rg_M=C3=BCller?= <joerg@example.com>
    Content-Disposition: attachment; filename*=utf-8''%C3%9Cbersicht.pdf
    ```

    ## Fix safety
    Safe: unstructured text and display names are re-encoded as UTF-8
    encoded-words (at most 75 characters each, whole characters only, Q or
    B whichever is shorter, lines folded) and ``name``/``filename`` with
    RFC 2231, all of which decode to exactly the same text. Addr-specs are
    never touched. Not fixable in structured fields that allow no encoding,
    in other parameters, or when the field also holds a malformed
    encoded-word; nor in a field whose syntax mimelint does not know (not
    ``X-``, not one of the fields above: ``Signed-Off-By``, ``List-Id``),
    where the message says that free text may be encoded-words.

    ## References
    RFC 5322 §2.2; RFC 2047 §2, §5; RFC 2231 §3-4; RFC 6532.
    """
    data = part.data
    problems: list[Problem] = []
    for header in part.headers:
        if header.kind != FIELD or header.raw.isascii():
            continue
        try:
            data[header.value_start : header.value_end].decode("utf-8")
        except UnicodeDecodeError:
            continue  # M101 reports bytes that are not UTF-8
        kind = field_kind(header.lname)
        runs = _reportable_runs(data, header, kind)
        if not runs:
            continue
        where = {
            FieldKind.ADDRESS: " in its display name or comment",
            FieldKind.PARAMS: " in its parameter",
        }
        if kind is FieldKind.STRUCTURED and header.lname in NO_WORDS:
            advice = f"{header.name} allows no encoding: write it in ASCII"
        elif kind is FieldKind.STRUCTURED:
            # A field whose grammar mimelint does not hold: a phrase or
            # comment in it, or the whole value of a field no standard
            # defines (RFC 5322 §3.6.8), may be encoded-words; which, the
            # field's own definition says. No fix guesses it.
            advice = (
                "write it in ASCII, or as RFC 2047 encoded-words where the field holds free "
                f"text (mimelint does not know the syntax of {header.name})"
            )
        elif kind is FieldKind.PARAMS:
            advice = "encode parameter values with RFC 2231 (name*=utf-8''%XX)"
        else:
            advice = "encode it as RFC 2047 encoded-words (=?utf-8?q?...?=)"
        problems.append(
            Problem(
                runs[0][0],
                runs[-1][1],
                f"{header.name} holds raw non-ASCII text{where.get(kind, '')}; {advice}",
                fix=None
                if kind is FieldKind.STRUCTURED
                else repair_fix(part, header, f"encode the non-ASCII text of {header.name}"),
            )
        )
    return problems


def _reportable_runs(data: bytes, header: Header, kind: FieldKind) -> list[tuple[int, int]]:
    """The raw non-ASCII runs this family reports (in an address field: not in addr-specs).

    A run is kept when a phrase or comment holds its first byte: with the
    units' starts in order and the furthest end reached so far, one
    bisection per run answers that (units may nest: a comment in a phrase).
    """
    runs = [m.span() for m in _NON_ASCII.finditer(data, header.value_start, header.value_end)]
    if kind is not FieldKind.ADDRESS or not runs:
        return runs
    starts: list[int] = []
    reach: list[int] = []  # the furthest end of the units up to each start
    for u in header.address_units:
        if u.role is not UnitRole.ADDR:
            starts.append(u.start)
            reach.append(max(u.end, reach[-1]) if reach else u.end)
    keep: list[tuple[int, int]] = []
    for run in runs:
        k = bisect.bisect_right(starts, run[0]) - 1
        if k >= 0 and reach[k] > run[0]:
            keep.append(run)
    return keep
