"""M604 malformed-parameter: a Content-Type or Content-Disposition parameter that readers disagree on."""

from __future__ import annotations

from mimelint.mime.params import (
    NOT_TOKEN,
    Param,
    ParamDefect,
    ParamDefectKind,
    StructuredValue,
)
from mimelint.mime.quoting import quoted
from mimelint.mime.tree import Header, Part
from mimelint.rule import Context, Edit, Fact, Fix, Problem, Safety, fields, rule

from .parameter_forms import rfc2231_and_empty
from .shared import structured


def _name(data: bytes, defect: ParamDefect) -> str:
    return data[defect.start : defect.end].partition(b"=")[0].strip().decode("latin-1")


def _defect_text(data: bytes, defect: ParamDefect, times: int) -> str:
    """What is wrong and what to do, for one parameter defect (``times``:
    how often a repeated parameter is given)."""
    from mimelint.mime.writers import quoted_string  # a defect only (start-up)

    if defect.kind is ParamDefectKind.DUPLICATE_PARAMETER:
        name = _name(data, defect)
        often = "more than once" if times == 2 else f"{times:,} times"
        return (
            f"gives the parameter {quoted(name)} {often}: readers disagree about which "
            "counts, keep one"
        )
    if defect.kind is ParamDefectKind.BAD_PARAMETER:
        return (
            f"has text that is not name=value ({quoted(data[defect.start : defect.end])}): "
            "quote it or remove it"
        )
    if defect.kind is ParamDefectKind.MISSING_SEMICOLON:
        return "has parameters not separated by ';': insert the semicolon"
    if defect.kind is ParamDefectKind.UNTERMINATED_QUOTE:
        return "has a quoted value with no closing '\"': close the quote"
    if defect.kind is ParamDefectKind.UNQUOTED_SPECIAL:
        raw = data[defect.start : defect.end]
        text = raw.decode("latin-1")  # one character a byte: offsets are the same
        special = NOT_TOKEN.search(text)
        what = (
            "white space"
            if special is None or special.group().isspace()
            else quoted(special.group())
        )
        head = raw[: special.start()] if special is not None else raw
        return (
            f"has the unquoted value {quoted(raw)}, which holds {what}: a bare "
            "value must be a token (RFC 2045 §5.1), so readers disagree where it ends "
            f"(Python's email with policy.default reads only {quoted(head)}); "
            f"quote it: {quoted_string(text)}"
        )
    return f"has a malformed parameter ({defect.message})"


def _bare_values(sv: StructuredValue) -> dict[int, Param]:
    """The unquoted parameters by where their value starts (one look-up per
    defect: a field of thousands of bad values stays linear)."""
    return {p.value_start: p for p in sv.params if not p.quoted}


def _quote_fix(bare: dict[int, Param], defect: ParamDefect) -> Fix | None:
    """Quote an unquoted value holding white space or tspecials; the value is unchanged."""
    from mimelint.mime.writers import quoted_string  # a defect only (start-up)

    p = bare.get(defect.start)
    if p is None or "*" in p.raw_name or defect.end != p.value_end:
        return None  # an RFC 2231 ext-value may not be quoted (RFC 2231 §7)
    # Python's email (policy.default) ends a bare value at the first white
    # space or tspecial (``name=My File.pdf`` is ``My``;
    # ``boundary=----=_Part_1`` is ``----``, which divides the body into no
    # parts), so quoting settles one reading: unsafe.
    return Fix(
        (Edit(p.value_start, p.value_end, quoted_string(p.raw_value).encode("latin-1")),),
        Safety.UNSAFE,
        f"quote the value of {p.raw_name}",
    )


def _param_defects(data: bytes, sv: StructuredValue) -> list[tuple[ParamDefect, int | None]]:
    """(defect, where a ';' belongs or None) for one structured field.

    ``parse_structured`` does not expect a ';' between the main value and
    the first parameter; ``text/html charset=utf-8`` is caught here. A list
    (nearly always empty), not a generator: asked for every field M604 visits.
    """
    found: list[tuple[ParamDefect, int | None]] = []
    if sv.params:
        first = sv.params[0]
        if sv.main and data.find(b";", sv.main_end, first.start) < 0:
            found.append(
                (
                    ParamDefect(
                        ParamDefectKind.MISSING_SEMICOLON,
                        "parameters must be separated by ';'",
                        first.start,
                        first.end,
                    ),
                    sv.main_end,
                )
            )
    if not sv.defects:
        return found
    by_start = {p.start: i for i, p in enumerate(sv.params)}
    for d in sv.defects:
        if d.kind is ParamDefectKind.BAD_PARAMETER:
            text = data[d.start : d.end]
            if text.startswith(b"(") and text.endswith(b")"):
                continue  # a comment (RFC 2045 §5.1 allows them), not a parameter
        at: int | None = None
        if d.kind is ParamDefectKind.MISSING_SEMICOLON:
            index = by_start.get(d.start)
            if index:
                at = sv.params[index - 1].end
        found.append((d, at))
    return found


@rule(
    code="M604",
    name="malformed-parameter",
    severity="error",
    summary="A Content-Type or Content-Disposition parameter that readers disagree on",
    fix_safety="safe",
    visits=fields("content-type", "content-disposition", requires=[Fact.PARAMETERS_IRREGULAR]),
)
def malformed_parameter(header: Header, part: Part, context: Context) -> list[Problem] | None:
    """## What it does
    Flags parameter syntax errors in Content-Type and Content-Disposition:
    a parameter given twice, text that is not ``name=value``, parameters
    not separated by ``;`` (including ``text/html charset=utf-8``), a
    quoted value with no closing quote, and an unquoted value holding white
    space or a tspecial (``boundary=----=_Part_1``, ``name=My File.pdf``),
    an RFC 2231 extended value written as a quoted string
    (``name*="utf-8''x.txt"``), an empty parameter (``multipart/mixed;;``),
    and a multipart boundary given only in RFC 2231 form (``boundary*=``).
    Comments in parentheses are allowed, and so is one ``;`` at the end.
    A quoted extended value is a warning: mailers write it (Kopano) and
    Python's ``email`` and the common clients read it as if it were bare.

    ## Why is this bad?
    The boundary, charset and file name live in these parameters (RFC 2045
    §5.1, RFC 2183 §2). Readers repair broken syntax each in its own way: a
    duplicated ``charset`` or ``boundary`` picks a different value in
    different clients, a missing ``;`` or quote swallows the following
    parameters in some, so the message decodes differently everywhere. A
    bare value must be a token (RFC 2045 §5.1: no white space, no
    tspecials); Python's ``email`` with ``policy.default`` reads
    ``boundary=----=_Part_1`` as ``----`` (and then finds no parts) and
    ``name=My File.pdf`` as ``My``, while other clients take the whole run.

    ## Example
    ```
    Content-Type: text/html charset="utf-8"
    Content-Disposition: attachment; filename="report.pdf
    Content-Type: multipart/mixed; boundary=----=_Part_1
    ```

    ## Use instead
    ```
    Content-Type: text/html; charset="utf-8"
    Content-Disposition: attachment; filename="report.pdf"
    Content-Type: multipart/mixed; boundary="----=_Part_1"
    ```

    ## Fix safety
    Two fixes are unsafe, applied only with ``--unsafe-fixes``, because
    Python's ``email`` reads the input differently, so the fix settles one
    of two readings: inserting a missing ``;`` (Python reads
    ``text/html charset="utf-8"`` as the media type) and quoting an
    unquoted value holding white space or tspecials (``"`` and ``\\``
    inside written as quoted-pairs): Python's ``policy.default`` reads
    ``name=My File.pdf`` as ``My``, ``filename=a=b.pdf`` as ``a`` and
    ``boundary=----=_Part_1`` as ``----``, so it finds no parts in that
    multipart before the fix and all of them after. An RFC 2231 extended value
    (``name*=``) is not quoted (RFC 2231 forbids it). Also safe, since
    every reader that takes the parameter reads the same value before and
    after: a quoted extended value made
    only of the characters an ext-value may hold is written bare, the
    extra ``;`` of an empty parameter is removed, and a boundary given as
    one ``boundary*=`` whose value is a valid boundary is written as
    ``boundary="..."``. The other defects are not fixable: which value was
    meant is a guess.

    ## References
    RFC 2045 §5.1; RFC 2183 §2; RFC 2231 §7; RFC 5322 §3.2.4.
    """
    sv = structured(part, header)
    if sv is None:
        return None
    data = part.data
    label = "Content-Type" if header.lname == "content-type" else "Content-Disposition"
    problems: list[Problem] = []
    defects = _param_defects(data, sv)
    # A parameter given N times is one finding, at its first repeat.
    repeated = ParamDefectKind.DUPLICATE_PARAMETER
    repeats: dict[str, int] = {}  # (a dict: a Counter per field cost more than the check)
    for d, _ in defects:
        if d.kind is repeated:
            key = _name(data, d).lower()
            repeats[key] = repeats.get(key, 0) + 1
    bare: dict[int, Param] | None = None
    for defect, semicolon_at in defects:
        count = 0
        if defect.kind is repeated:
            count = repeats.pop(_name(data, defect).lower(), -1) + 1
            if not count:
                continue  # a later repeat of a parameter already reported
        fix = None
        if semicolon_at is not None:
            # Python's email reads the type or the previous value through the
            # gap (``text/html charset="utf-8"`` is its type): unsafe.
            fix = Fix((Edit(semicolon_at, semicolon_at, b";"),), Safety.UNSAFE, "insert ';'")
        elif defect.kind is ParamDefectKind.UNQUOTED_SPECIAL:
            bare = _bare_values(sv) if bare is None else bare
            fix = _quote_fix(bare, defect)
        problems.append(
            Problem(
                defect.start,
                defect.end,
                f"the {label} {_defect_text(data, defect, count)}",
                part.path,
                fix,
            )
        )
    # RFC 2231 forms need a "*" in a name; an empty parameter needs ";;".
    extended = data.find(b"*", sv.main_end, header.value_end) >= 0
    for start, end, text, fix, severity in rfc2231_and_empty(part, header, sv, extended):
        problems.append(Problem(start, end, f"the {label} {text}", part.path, fix, severity))
    return problems
