"""M107 mixed-line-endings: a message that mixes CR LF and bare LF line endings."""

from __future__ import annotations

import re

from mimelint.mime.charsets import foreign_breaks
from mimelint.mime.tree import Message, Part
from mimelint.rule import Context, Edit, Fact, Fix, Problem, Safety, message, rule

_BARE_LF = re.compile(rb"(?<!\r)\n")
_CRLF = re.compile(rb"\r\n")
#: "=0D" then a bare LF: the CR of a CR LF line break, encoded. Not after a
#: stray "=" ("==0D"), which readers decode differently (Python: "=0D").
_ENCODED_CR_LF = re.compile(rb"(?<!=)=0[Dd]\n")


@rule(
    code="M107",
    name="mixed-line-endings",
    severity="warning",
    summary="A message that mixes CRLF and bare LF line endings",
    fix_safety="safe",
    visits=message(requires=[Fact.MIXED_LINE_ENDINGS]),
)
def mixed_line_endings(message: Message, context: Context) -> list[Problem] | None:
    """## What it does
    Flags a message in which some lines end with CR LF and others with a
    bare LF. Points at the first line ending that differs from the
    majority, with both counts. Files whose lines all end with LF (templates
    on disk) are not flagged, nor are messages in canonical CR LF; LF bytes
    inside a body declared ``binary`` are data and not counted.

    ## Why is this bad?
    The line ending of a message is CR LF (RFC 5322 §2.3, RFC 5321 §2.3.8).
    A file that is all LF is converted as a whole by whatever sends it; a
    mix usually means text was pasted or templated into a CR LF message,
    and the bare LFs survive. Since SMTP smuggling (2023) many servers
    refuse bare LF or treat it differently from CR LF, and a converter that
    sees CR LF somewhere may leave the rest alone: readers then disagree on
    where lines end, and DKIM body hashes computed before and after
    conversion differ.

    ## Example
    ```
    Subject: Report<CR><LF>
    <CR><LF>
    line one<LF>
    line two<CR><LF>
    ```

    ## Use instead
    ```
    Subject: Report<CR><LF>
    <CR><LF>
    line one<CR><LF>
    line two<CR><LF>
    ```

    ## Fix safety
    Safe: every bare LF becomes CR LF in the header sections, in text
    (``text/*`` bodies in 7bit, 8bit or quoted-printable, where CR LF is the
    canonical line break, RFC 2046 §4.1.1, and readers show the same lines),
    in base64 bodies (line breaks there are not content), and in preambles
    and epilogues. In a quoted-printable text body, an encoded CR (``=0D``)
    just before a bare LF (not after a stray ``=``) is that line break's CR, and the pair becomes one
    CR LF (written as is, the CR would be decoded twice: an extra line). A bare LF inside any other body (``binary``, a
    non-text body in 7bit, 8bit or quoted-printable, or text in UTF-16,
    UTF-32 or EBCDIC, where a 0x0A byte is part of another character) is data and is left
    alone; if only such LFs remain, the finding has no fix. Generators
    that write bare LF into a CR LF message (a text body pasted or templated
    in) are the usual cause: write CR LF in the program that builds it.

    ## References
    RFC 5322 §2.3; RFC 5321 §2.3.8, §4.1.1.4.
    """
    # Counted once for the message, binary bodies left out (their bytes are
    # data, not lines), base64 bodies from their scans (shared with M710-M712).
    whole = message.whole_scan
    lf, crlf = whole.lf, whole.crlf
    bare = lf - crlf  # some of each (Fact.MIXED_LINE_ENDINGS)
    odd = _BARE_LF if bare <= crlf else _CRLF
    at = _first_outside_binary(message, odd)
    if at is None:
        return None
    start, end = at
    if odd is _BARE_LF:
        lines = "1 line ends" if bare == 1 else f"{bare} lines end"
        what = f"ends with a bare LF; {lines} with LF and {crlf} with CR LF"
    else:
        what = f"ends with CR LF while most end with a bare LF ({bare} LF, {crlf} CR LF)"
    part = message.part_at(start)
    return [
        Problem(
            start,
            end,
            f"this line {what}: mail must use CR LF throughout (RFC 5322 §2.3), and servers "
            "refuse or reinterpret bare LF; write every line ending as CR LF",
            part.path,
            _crlf_fix(message),
        )
    ]


def _crlf_fix(message: Message) -> Fix | None:
    """Every bare LF as CR LF, outside the bodies where an LF is data."""
    data = message.data
    leaves = [p for p in message.parts() if p.is_leaf]
    kept = [(p.body_start, p.body_end, True) for p in leaves if _lf_is_data(p)]
    qp_text = [(p.body_start, p.body_end, False) for p in leaves if _cr_encoded_before_lf(p)]
    edits = []
    pos = 0
    for s, e, is_data in sorted([*kept, *qp_text, (len(data), len(data), True)]):
        if pos < s and _BARE_LF.search(data, pos, s) is not None:
            edits.append(Edit(pos, s, _BARE_LF.sub(b"\r\n", data[pos:s])))
        if not is_data and _BARE_LF.search(data, s, e) is not None:
            # "=0D" and a bare LF: the CR of a CR LF line break encoded as
            # content (Ruby's mail 2.7 writes "</html>=0D" and LF). The pair
            # is that line break: written as CR LF, readers decode the same.
            chunk = _ENCODED_CR_LF.sub(b"\r\n", data[s:e])
            edits.append(Edit(s, e, _BARE_LF.sub(b"\r\n", chunk)))
        pos = max(pos, e)
    if not edits:
        return None
    return Fix(tuple(edits), Safety.SAFE, "write every bare LF as CR LF")


def _cr_encoded_before_lf(part: Part) -> bool:
    """Whether this quoted-printable text body has a "=0D" before a bare LF."""
    return (
        part.maintype == "text"
        and part.transfer_encoding == "quoted-printable"
        and _ENCODED_CR_LF.search(part.data, part.body_start, part.body_end) is not None
    )


def _lf_is_data(part: Part) -> bool:
    """Whether an LF in this leaf's body is content, not a line break to canonicalize."""
    cte = part.transfer_encoding
    if cte == "base64":
        return False  # line breaks in base64 are not content
    text = part.maintype == "text" and cte in ("7bit", "8bit", "quoted-printable")
    return not text or foreign_breaks(part.charset)


def _first_outside_binary(message: Message, pattern: re.Pattern[bytes]) -> tuple[int, int] | None:
    """The first match of ``pattern`` not inside a binary body."""
    data = message.data
    skips = sorted(
        (p.body_start, p.body_end)
        for p in message.parts()
        if p.transfer_encoding == "binary" and p.is_leaf
    )
    pos = 0
    for s, e in [*skips, (len(data), len(data))]:
        m = pattern.search(data, pos, s)
        if m is not None:
            return m.span()
        pos = max(pos, e)
    return None
