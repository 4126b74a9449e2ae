"""Header syntax: lines that are not well-formed header fields.

RFC 5322 §2.2 defines a header field as a name of printable US-ASCII
characters other than the colon, a colon, and a body; §2.1.1 caps a line at
998 octets; §2.2.3 lets a long field be folded before white space. The
parser keeps every line it meets and labels the odd ones (see
:mod:`mimelint.tree`); these rules report them with their positions.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator

from mimelint.encode import fold_field, line_separator
from mimelint.rule import Context, Edit, Fix, Problem, Safety, rule
from mimelint.tree import (
    BAD_NAME,
    CONTINUATION_FIRST,
    EMPTY_NAME,
    ENVELOPE,
    FIELD,
    NO_COLON,
    Header,
    Message,
)

_WS_ONLY_LINE = re.compile(rb"\n([ \t]+)(?=\r?\n|\Z)")
_NAME_CHARS = re.compile(rb"[!-9;-~]+")
_LINES = re.compile(rb"\r?\n")
#: Name characters plus 8-bit bytes: a name M304 leaves to M101.
_NAME_OR_8BIT = re.compile(rb"[!-9;-~\x80-\xff]+")
_SCAN_KEY = "_mimelint_header_scan"
#: (part path, line): paths, not parts, as a cache on the message holding the
#: message would be a reference cycle.
_Lines = list[tuple[str, Header]]

#: Tests turn this off to prove the shortcuts change no finding.
FAST_PATHS = True


class _Scan:
    """What M301-M306 need from the header sections, found in one pass."""

    __slots__ = ("names", "odd", "widest")

    def __init__(self, odd: _Lines, names: _Lines, widest: int) -> None:
        self.odd = odd  #: lines that are not well-formed fields (kind other than FIELD)
        self.names = names  #: M304's candidates: BAD_NAME lines, white space before ':'
        self.widest = widest  #: the longest header section, in octets


def _scan(message: Message) -> _Scan:
    """The header lines M301-M306 report on, found in one pass per message.

    ``odd`` holds the lines that are not well-formed fields (any kind but
    ``FIELD``), ``names`` the candidates for M304 (``BAD_NAME`` fields and
    fields with white space before the colon), both in message order.
    Most messages have neither, so these rules cost one dictionary lookup;
    M301 reads ``widest`` and looks no further when no header section is
    longer than its limit.
    """
    return message.memo(_SCAN_KEY, _scan_sections)


def _scan_sections(message: Message) -> _Scan:
    data = message.data
    odd: _Lines = []
    names: _Lines = []
    widest = 0
    field = FIELD
    for part in message.parts():
        widest = max(widest, part.header_end - part.start)
        for h in part.headers:
            kind = h.kind
            if kind != field:
                odd.append((part.path, h))
                if kind == BAD_NAME:
                    names.append((part.path, h))
            elif data[h.colon - 1] in (32, 9):  # white space before the colon
                names.append((part.path, h))
    return _Scan(odd, names, widest)


@functools.lru_cache(maxsize=8)
def _long_line(limit: int) -> re.Pattern[bytes]:
    """A run of more than ``limit`` octets with no line break in it."""
    return re.compile(rb"[^\r\n]{%d,}" % (limit + 1))


def _first_line_end(data: bytes, header: Header) -> int:
    """Offset of the end of the header's first line, line ending excluded."""
    nl = data.find(b"\n", header.start, header.end)
    if nl < 0:
        return header.value_end if header.colon >= 0 else header.end
    return nl - 1 if nl > header.start and data[nl - 1] == 13 else nl


def readable(raw: bytes) -> str:
    """Header bytes quoted for a message: UTF-8 decoded, else ``\\xNN`` escapes.

    Never surrogate escapes or U+FFFD: a person should see either the text
    the sender meant or the exact bytes.
    """
    try:
        return repr(raw.decode("utf-8"))
    except UnicodeDecodeError:
        return repr(raw.decode("latin-1").encode("latin-1"))[1:]


def _preview(data: bytes, start: int, end: int, width: int = 40) -> str:
    text = data[start : min(end, start + width)].decode("utf-8", "replace")
    return text + ("..." if end - start > width else "")


@rule(
    code="M301",
    name="header-line-too-long",
    severity="error",
    summary="A header line longer than 998 octets",
    fix="safe",
)
def header_line_too_long(message: Message, context: Context) -> Iterator[Problem]:
    """## What it does
    Flags every physical line of a header field that is longer than 998
    octets, not counting the line ending (the profile's ``max_line_octets``).
    The finding's span covers the octets past the limit, so its column is
    999.

    ## Why is this bad?
    RFC 5322 §2.1.1 limits every line to 998 characters and RFC 5321
    §4.5.3.1.6 limits an SMTP text line to 1000 octets with CRLF. Amazon SES
    refuses raw messages with longer lines (SES API v2 reference,
    RawMessage); relays that accept them may break the line anywhere, which
    corrupts the field.

    ## Example
    ```
    References: <a1@example.com> <a2@example.com> ... (1,200 octets on one line)
    ```

    ## Use instead
    ```
    References: <a1@example.com>
     <a2@example.com> ...
    ```

    ## Fix safety
    Safe: the field is folded (a line break inserted before existing white
    space, RFC 5322 §2.2.3), which unfolding removes again, so the value is
    unchanged. Not fixable when the over-long line has no white space to
    fold at (for instance one huge token).

    ## References
    RFC 5322 §2.1.1, §2.2.3; RFC 5321 §4.5.3.1.6; SES API v2 RawMessage.
    """
    limit = context.profile.max_line_octets
    if FAST_PATHS and _scan(message).widest <= limit:
        return  # no header section, so no line in one, is over the limit
    pattern = _long_line(limit)
    data = message.data
    for part in message.parts():
        if part.header_end - part.start <= limit:
            continue
        for header in part.headers:
            if header.end - header.start <= limit:
                continue
            fix: Fix | None = None
            first = True
            for m in pattern.finditer(data, header.start, header.end):
                name = header.name or "header"
                advice = "fold the field onto several lines (a line break before white space)"
                if first:
                    fix = _fold_fix(header, line_separator(message), limit)
                    if fix is None:
                        advice = (
                            "the line has no white space to fold at: shorten the value "
                            "(for a long parameter, use RFC 2231 continuations)"
                        )
                yield Problem(
                    m.start() + limit,
                    m.end(),
                    f"a line of the {name} field is {m.end() - m.start()} octets long, "
                    f"over the limit of {limit}; {advice}",
                    part.path,
                    fix if first else None,
                )
                first = False


def _fold_fix(header: Header, linesep: bytes, limit: int) -> Fix | None:
    """Fold the field before white space, if that brings every line in."""
    if header.kind != FIELD:
        return None
    raw = header.raw
    folded = fold_field(raw, linesep)
    if folded == raw or any(len(line) > limit for line in _LINES.split(folded)):
        return None
    return Fix(
        (Edit(header.start, header.end, folded),),
        Safety.SAFE,
        f"fold the {header.name} field before white space",
    )


@rule(
    code="M302",
    name="header-missing-colon",
    severity="error",
    summary="A line in the header section without a colon",
)
def header_missing_colon(message: Message, context: Context) -> Iterator[Problem]:
    """## What it does
    Flags a line inside the header section that is neither a header field
    (name, colon, value) nor a folded continuation of one.

    ## Why is this bad?
    RFC 5322 §2.2 requires every header field to be a name followed by a
    colon. Receivers disagree on such a line: some end the header section
    there and show the rest of the headers as body text, others drop it.
    Amazon SES refuses messages whose header section does not parse (errors
    such as ``Illegal header``).

    ## Example
    ```
    Subject: Report
    X-Mailer Acme 2.0
    From: ann@example.com
    ```

    ## Use instead
    ```
    Subject: Report
    X-Mailer: Acme 2.0
    From: ann@example.com
    ```

    ## Fix safety
    Not fixable: where the colon belongs (or whether the line belongs to the
    body) is a guess.

    ## References
    RFC 5322 §2.2, §3.6.8; RFC 7103 §7.
    """
    data = message.data
    for path, header in _scan(message).odd:
        if header.kind == NO_COLON:
            end = _first_line_end(data, header)
            yield Problem(
                header.start,
                end,
                f"header line {_preview(data, header.start, end)!r} has no colon; write "
                "'Name: value', or end the header section with a blank line before it",
                path,
            )


@rule(
    code="M303",
    name="empty-header-name",
    severity="error",
    summary="A header line that starts with a colon",
)
def empty_header_name(message: Message, context: Context) -> Iterator[Problem]:
    """## What it does
    Flags a header line that starts with a colon, so that the field has no
    name.

    ## Why is this bad?
    RFC 5322 §2.2 and §3.6.8 require a field name of at least one character.
    Amazon SES refuses such a message with ``Empty header names are
    illegal.``

    ## Example
    ```
    Subject: Report
    : Acme 2.0
    ```

    ## Use instead
    ```
    Subject: Report
    X-Mailer: Acme 2.0
    ```

    ## Fix safety
    Not fixable: the intended name is unknown.

    ## References
    RFC 5322 §2.2, §3.6.8.
    """
    for path, header in _scan(message).odd:
        if header.kind == EMPTY_NAME:
            yield Problem(
                header.start,
                header.start + 1,
                "header line starts with ':' and has no field name; give it a name "
                "or remove the line",
                path,
            )


@rule(
    code="M304",
    name="invalid-header-name",
    severity="error",
    summary="A header field name with illegal characters or white space before the colon",
    fix="safe",
)
def invalid_header_name(message: Message, context: Context) -> Iterator[Problem]:
    """## What it does
    Flags a field name that holds characters RFC 5322 does not allow in a
    name (space, control characters), and a name followed by white space
    before its colon (``Subject : hi``). A name whose only illegal
    characters are 8-bit bytes is left to M101 (eight-bit-header), which
    points at exactly those bytes, so the same bytes are not reported
    twice; a name with 8-bit bytes and a space is reported here, shown as
    UTF-8 text when it is UTF-8 and as ``\\xNN`` escapes otherwise.

    ## Why is this bad?
    A field name is printable US-ASCII except the colon (RFC 5322 §3.6.8).
    White space between name and colon is obsolete syntax (RFC 5322 §4.5)
    that must not be generated; strict receivers and MTAs (KumoMTA flags it)
    reject or mis-read it, and a name with a space inside is not a field at
    all to most parsers (SES: ``Illegal header``).

    ## Example
    ```
    X Mailer: Acme 2.0
    Subject : Report
    ```

    ## Use instead
    ```
    X-Mailer: Acme 2.0
    Subject: Report
    ```

    ## Fix safety
    White space before the colon is removed safely: the name and value stay
    the same. A name with illegal characters inside is not fixable: the
    intended name is a guess.

    ## References
    RFC 5322 §3.6.8, §4.5.
    """
    data = message.data
    for path, header in _scan(message).names:
        if header.kind == BAD_NAME:
            name_end = header.start + len(data[header.start : header.colon].rstrip(b" \t"))
            raw_name = data[header.start : name_end]
            if _NAME_OR_8BIT.fullmatch(raw_name):
                continue  # only 8-bit bytes are wrong: M101 reports exactly those
            yield Problem(
                header.start,
                name_end,
                f"field name {readable(raw_name)} holds characters not allowed in a name "
                "(only printable US-ASCII without spaces or ':'); rename the field",
                path,
            )
        else:  # a field with white space before its colon
            nm = _NAME_CHARS.match(data, header.start, header.colon)
            name_end = nm.end() if nm is not None else header.start
            yield Problem(
                name_end,
                header.colon,
                f"white space between the field name {header.name!r} and its colon is "
                "obsolete syntax (RFC 5322 §4.5); remove it",
                path,
                Fix(
                    (Edit(name_end, header.colon, b""),),
                    Safety.SAFE,
                    f"remove the white space before the colon of {header.name}",
                ),
            )


@rule(
    code="M305",
    name="continuation-first-line",
    severity="error",
    summary="The header section starts with a folded continuation line",
)
def continuation_first_line(message: Message, context: Context) -> Iterator[Problem]:
    """## What it does
    Flags a header section whose first line starts with white space, so it
    continues a field that does not exist.

    ## Why is this bad?
    A line starting with white space is the continuation of the previous
    field (RFC 5322 §2.2.3); as the first line it belongs to nothing.
    Parsers drop it or take the whole header section for body text (Python's
    ``email`` records ``FirstHeaderLineIsContinuationDefect``). It is often
    a sign of stray white space before the message, left by a template.

    ## Example
    ```
     Subject: Report
    From: ann@example.com
    ```

    ## Use instead
    ```
    Subject: Report
    From: ann@example.com
    ```

    ## Fix safety
    Not fixable: removing the white space may turn the line into a field
    nobody meant to send.

    ## References
    RFC 5322 §2.2.3; RFC 7103 §7.
    """
    data = message.data
    for path, header in _scan(message).odd:
        if header.kind == CONTINUATION_FIRST:
            end = _first_line_end(data, header)
            yield Problem(
                header.start,
                end,
                "the header section starts with white space, so this line continues no "
                "field; remove the leading white space or the line",
                path,
            )


@rule(
    code="M306",
    name="envelope-from-line",
    severity="error",
    summary="An mbox 'From ' envelope line at the top of the message",
    fix="safe",
)
def envelope_from_line(message: Message, context: Context) -> Iterator[Problem]:
    """## What it does
    Flags an mbox ``From sender date`` line (no colon) at the very top of a
    message, a leftover of storage in an mbox file.

    ## Why is this bad?
    The ``From `` line is mbox framing (RFC 4155), not a header field: RFC
    5322 §2.2 has no place for it. Amazon SES refuses the message
    (``Illegal header``) and other receivers show it as garbage or end the
    header section there.

    ## Example
    ```
    From ann@example.com Wed Nov 25 10:00:00 2026
    From: Ann <ann@example.com>
    ```

    ## Use instead
    ```
    From: Ann <ann@example.com>
    ```

    ## Fix safety
    Safe: the line is removed; it is storage framing, not part of the
    message, and no header field or body byte changes.

    ## References
    RFC 4155; RFC 5322 §2.2; RFC 7103 §7.
    """
    data = message.data
    for path, header in _scan(message).odd:
        if header.kind == ENVELOPE:
            end = _first_line_end(data, header)
            yield Problem(
                header.start,
                end,
                "the message starts with an mbox 'From ' envelope line, which is not a "
                "header field; remove it before sending",
                path,
                Fix(
                    (Edit(header.start, header.end, b""),),
                    Safety.SAFE,
                    "remove the mbox 'From ' line",
                ),
            )


@rule(
    code="M307",
    name="blank-continuation-line",
    severity="warning",
    summary="A folded header line made only of white space",
    fix="safe",
)
def blank_continuation_line(message: Message, context: Context) -> Iterator[Problem]:
    """## What it does
    Flags a continuation line of a header field that holds only spaces or
    tabs.

    ## Why is this bad?
    RFC 5322 §3.2.2 forbids generating a fold that leaves a line of only
    white space (it survives only in the obsolete syntax, §4.2). Many
    receivers treat such a line as the blank line that ends the header
    section, so every field after it is shown as body text.

    ## Example
    ```
    Subject: Quarterly
    ␠␠
    ␠report
    ```
    (``␠`` stands for a space.)

    ## Use instead
    ```
    Subject: Quarterly
    ␠report
    ```

    ## Fix safety
    Safe: the line break before the white-space-only line is removed, so
    its spaces join the previous line; unfolding gives the same value.

    ## References
    RFC 5322 §2.2.3, §3.2.2, §4.2.
    """
    data = message.data
    for part in message.parts():
        if _WS_ONLY_LINE.search(data, part.start, part.header_end) is None:
            continue
        for header in part.headers:
            if header.kind == CONTINUATION_FIRST:
                continue
            for m in _WS_ONLY_LINE.finditer(data, header.start, header.end):
                nl = m.start()
                brk = nl - 1 if nl > header.start and data[nl - 1] == 13 else nl
                name = header.name or "header"
                yield Problem(
                    m.start(1),
                    m.end(1),
                    f"a folded line of the {name} field holds only white space, which many "
                    "receivers take for the end of the header section; remove the line break "
                    "before it",
                    part.path,
                    Fix(
                        (Edit(brk, m.start(1), b""),),
                        Safety.SAFE,
                        f"join the white-space-only line of {name} to the line before",
                    ),
                )


RULES = [
    header_line_too_long,
    header_missing_colon,
    empty_header_name,
    invalid_header_name,
    continuation_first_line,
    envelope_from_line,
    blank_continuation_line,
]
