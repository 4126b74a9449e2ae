"""M326 encoded-word-in-parameter: an encoded-word in a MIME parameter without an RFC 2231 twin."""

from __future__ import annotations

from bisect import bisect_left

from mimelint.mime.encoded_words import LIMIT_LINE, decode_span, decode_text
from mimelint.mime.fields import FIXABLE_PARAMS, FieldKind, field_kind
from mimelint.mime.params import Param
from mimelint.mime.tree import FIELD, Header, Part
from mimelint.mime.writers import encode_param, fold_field
from mimelint.rule import Context, Edit, Fact, Fix, Problem, Safety, parts, rule

from ._common import repair_fix


@rule(
    code="M326",
    name="encoded-word-in-parameter",
    severity="info",
    summary="An RFC 2047 encoded-word in a MIME parameter value with no RFC 2231 twin",
    fix_safety="safe",
    visits=parts(encoded_words=True, requires=[Fact.WORD_IN_PARAMETERS]),
)
def encoded_word_in_parameter(part: Part, context: Context) -> list[Problem] | None:
    """## What it does
    Flags an encoded-word inside a Content-Type or Content-Disposition
    parameter value (``filename="=?utf-8?B?w5xiZXJzaWNodC5wZGY=?="``) when
    the part gives no RFC 2231 form of the file name beside it. A ``name``
    or ``filename`` written with encoded-words is not reported when the
    part's Content-Disposition also carries ``filename*=`` (RFC 2231): that
    is the pair Thunderbird writes, and the encoded-word is then a
    deliberate fallback for clients that do not read RFC 2231.

    ## Why is this bad?
    RFC 2047 §5 says an encoded-word "MUST NOT be used in parameter of a
    MIME Content-Type or Content-Disposition field"; RFC 2231 is the
    standard way to write non-ASCII parameter values. In practice Gmail,
    Outlook and Thunderbird all write ``name="=?UTF-8?B?...?="`` and every
    major client decodes it, which is why this is only ``info``: it is a
    standards-letter issue. Strict RFC 2231-only readers (nmh, some
    libraries) show the attachment named ``=?utf-8?B?...?=``, while old
    Outlook, Lotus Notes and many webmail and mobile clients read no RFC
    2231 at all, so the interoperable form carries both (as mutt and
    Thunderbird do; HTTP's RFC 6266 §4.3 recommends the same pair of
    ``filename`` and ``filename*``, the starred one taking precedence).

    ## Example
    ```
    Content-Type: application/pdf; name="=?utf-8?B?w5xiZXJzaWNodC5wZGY=?="
    Content-Disposition: attachment; filename="=?utf-8?B?w5xiZXJzaWNodC5wZGY=?="
    ```

    ## Use instead
    ```
    Content-Type: application/pdf; name="=?utf-8?B?w5xiZXJzaWNodC5wZGY=?="
    Content-Disposition: attachment; filename="=?utf-8?B?w5xiZXJzaWNodC5wZGY=?=";
     filename*=utf-8''%C3%9Cbersicht.pdf
    ```

    ## Fix safety
    Safe: ``filename*=`` with the decoded name is added to the
    Content-Disposition, and the encoded-words stay as the fallback old
    clients read, so every reader shows the same name as before. A name
    that decodes to plain ASCII is written as an ordinary quoted-string
    instead. Not fixable when the part has no Content-Disposition (adding
    one could change whether it shows inline), when the Content-Disposition
    filename is plain text that differs from the encoded name, for other
    parameters, or when a word is malformed.

    ## References
    RFC 2047 §5; RFC 2231 §3-4; RFC 2183 §2.3; RFC 6266 §4.3 (the same
    fallback pair in HTTP).
    """
    problems: list[Problem] = []
    twin: bool | None = None
    # One fix per part: both a Content-Type name and a Content-Disposition
    # filename in encoded-words get the same filename* added, built once.
    fix: Fix | None = None
    built = False
    for header, words in part.worded_fields:
        if field_kind(header.lname) is not FieldKind.PARAMS:
            continue
        starts = [w.start for w in words]  # in order: each parameter bisects its words
        for p in header.structured.params:
            inside = words[bisect_left(starts, p.value_start) : bisect_left(starts, p.value_end)]
            if not inside or "*" in p.raw_name:
                continue
            if p.raw_name.lower() in FIXABLE_PARAMS:  # no "*": the name as written
                if twin is None:
                    twin = _has_rfc2231_filename(part)
                if twin:
                    continue  # the fallback beside an RFC 2231 filename*
                if not built:
                    fix = _fallback_fix(part)
                    built = True
                found = fix
            else:
                found = None
            problems.append(
                Problem(
                    inside[0].start,
                    inside[-1].end,
                    f"parameter {p.raw_name} of {header.name} holds an RFC 2047 encoded-word, which "
                    "RFC 2047 §5 forbids in parameters; most clients read it, strict ones do not: "
                    "add filename*=utf-8''%XX (RFC 2231) to Content-Disposition and keep the "
                    "encoded-word as the fallback",
                    fix=found,
                )
            )
    return problems


def _has_rfc2231_filename(part: Part) -> bool:
    """Whether the part's Content-Disposition carries ``filename*`` (RFC 2231)."""
    sv = part.disposition_value
    return sv is not None and any("*" in p.raw_name and p.name == "filename" for p in sv.params)


def _fallback_fix(part: Part) -> Fix | None:
    """Add ``filename*`` (RFC 2231) to Content-Disposition, keeping every old parameter.

    The encoded-words stay where they are as the fallback that clients
    without RFC 2231 read (old Outlook, Lotus Notes, many webmail and mobile
    clients); RFC 2231 readers take ``filename*``. A name that decodes to
    plain ASCII needs no fallback and is written as a quoted-string instead.
    None when there is no Content-Disposition (adding one would change how
    the part is shown), when its filename is plain text (the two names
    disagree and the fix would pick one), or when a word is malformed.
    """
    cd = part.header("content-disposition")
    if cd is None or cd.kind is not FIELD:
        return None
    sv = cd.structured
    if sv.defects:
        return None
    holder: Header | None = cd
    source = _first_named(sv.params, "filename")
    if source is None:
        holder = part.header("content-type")
        source = None if holder is None else _first_named(holder.structured.params, "name")
    if source is None or holder is None or "*" in source.raw_name:
        return None
    data = part.data
    if data.find(b"=?", source.value_start, source.value_end) < 0:
        return None
    value = _decoded(part, holder, source)
    if value is None:
        return None
    if value.isascii() and value.isprintable():  # plain ASCII: no fallback needed
        return repair_fix(part, holder, "write the plain ASCII name without encoded-words")
    at = sv.params[-1].end if sv.params else sv.main_end
    linesep = part.message.line_separator
    new = (
        data[cd.start : at]
        + b"; "
        + encode_param("filename", value).encode("ascii")
        + data[at : cd.end]
    )
    if not new.endswith(b"\n"):
        new += linesep
    return Fix(
        (Edit(cd.start, cd.end, fold_field(new, linesep, LIMIT_LINE)),),
        Safety.SAFE,
        "add filename* (RFC 2231) beside the encoded-word fallback",
    )


def _decoded(part: Part, holder: Header, source: Param) -> str | None:
    """The parameter's value with its encoded-words decoded strictly (None when
    a reader could read it otherwise: :func:`decode_text`).

    Where the value is the bytes as written (no quoted-pair, no fold) and
    no word of the field crosses its ends, the words the part's
    :attr:`~mimelint.mime.tree.Part.worded_fields` examined are the words of
    the value: they are decoded as they are, not searched for again.
    """
    start, end = source.value_start, source.value_end
    raw = source.raw_value
    if source.quoted:
        start, end = start + 1, end - 1  # inside the quotes
    words = next((ws for h, ws in part.worded_fields if h is holder), None)
    if words is not None and not (
        "\n" in raw or (source.quoted and ("\\" in raw or source.unterminated))
    ):
        starts = [w.start for w in words]
        first = bisect_left(starts, start)
        inside = words[first : bisect_left(starts, end)]
        if not (first and words[first - 1].end > start) and not (inside and inside[-1].end > end):
            return decode_span(part.data, start, end, inside)
    # A quoted-pair or a fold, or a word across an end: the value read again.
    return decode_text(source.value.encode("latin-1"))


def _first_named(params: tuple[Param, ...], name: str) -> Param | None:
    """The first parameter whose base name is ``name`` (RFC 2231 sections included)."""
    for p in params:
        if (p.name if "*" in p.raw_name else p.raw_name.lower()) == name:
            return p
    return None
