"""Structure: the frame of a message that every reader must agree on.

MIME-Version, the syntax of Content-Type and Content-Disposition and their
parameters, fields that may occur only once, required fields, the blank
line between header section and body, nesting depth and the provider's size
limit. When readers disagree about these, they disagree about everything
below them: which part is the body, which charset, which file name.

The parser records what it met (:class:`~mimelint.tree.Defect`,
:class:`~mimelint.params.ParamDefect`) without judging; these rules decide
what to report. Fixes insert or remove whole header fields or single
characters, always with the message's own line separator.
"""

from __future__ import annotations

import datetime
import functools
import re
from collections.abc import Iterator

from mimelint.encode import line_separator
from mimelint.params import TOKEN_RE, ParamDefect, StructuredValue
from mimelint.profile import PROFILES, SES_SINGLE_HEADERS
from mimelint.rule import Context, Edit, Fix, Problem, Safety, rule
from mimelint.tree import FIELD, Header, Message, Part, uncomment

#: RFC 5322 §3.6: Date and From exactly once; Sender, Reply-To, To, Cc, Bcc,
#: Message-ID, In-Reply-To, References and Subject at most once.
RFC5322_SINGLE = frozenset(
    "date from sender reply-to to cc bcc message-id in-reply-to references subject".split()  # noqa: SIM905
)
#: MIME fields: RFC 2045 §4-§8 and RFC 2183 give an entity one of each; two
#: that disagree leave readers to pick one.
MIME_SINGLE = frozenset(
    "mime-version content-type content-transfer-encoding content-disposition "  # noqa: SIM905
    "content-id content-description".split()
)
#: The fields SES's header page itself lists (the profile's set adds To, Cc
#: and Bcc from RFC 5322): only for these does a message quote SES's refusal.
_SES_LISTED = SES_SINGLE_HEADERS - {"to", "cc", "bcc"}
_MIME_USED = ("content-type", "content-transfer-encoding", "content-disposition")
_WSP_RUN = re.compile(rb"[ \t]+")
_FOLD = re.compile(rb"\r?\n(?=[ \t])")


def _owner(part: Part) -> str:
    return f"part {part.path}" if part.path else "the message"


def _header_owner(part: Part) -> str:
    """Names a header section for a person."""
    if part.parent is not None and part.parent.embedded is part:
        return f"the embedded message in {_owner(part.parent)}"
    return f"the header of {_owner(part)}"


def _name_span(h: Header) -> tuple[int, int]:
    return h.start, h.colon if h.colon > h.start else h.value_end


def _line_end(data: bytes, start: int, end: int) -> int:
    """End of the line at ``start`` (line ending excluded), at most ``end``."""
    nl = data.find(b"\n", start, end)
    if nl < 0:
        return end
    return nl - 1 if nl > start and data[nl - 1] == 13 else nl


#: Tests turn this off to prove the shortcuts change no finding.
FAST_PATHS = True


# -------------------------------------------------------------- M601
@rule(
    code="M601",
    name="missing-mime-version",
    severity="error",
    summary="MIME header fields used without MIME-Version: 1.0",
    fix="safe",
)
def missing_mime_version(message: Message, context: Context) -> Iterator[Problem]:
    """## What it does
    Flags a message whose top-level header section has a Content-Type,
    Content-Transfer-Encoding or Content-Disposition field but no
    MIME-Version field. Embedded messages (``message/rfc822``) and body
    parts are not checked: RFC 2045 §4 requires the field only at the top.

    ## Why is this bad?
    RFC 2045 §4 requires ``MIME-Version: 1.0`` in the header of every MIME
    message; without it a reader may treat the message as plain RFC 822
    text and show the raw MIME structure. Spam filters score a Content-Type
    without MIME-Version (SpamAssassin ``MISSING_MIMEOLE``-style rules).

    ## Example
    ```
    From: ann@example.com
    Content-Type: text/plain; charset=utf-8
    ```

    ## Use instead
    ```
    From: ann@example.com
    MIME-Version: 1.0
    Content-Type: text/plain; charset=utf-8
    ```

    ## Fix safety
    Safe: ``MIME-Version: 1.0`` is inserted before the first MIME field,
    with the message's own line separator; no content changes.

    ## References
    RFC 2045 §4; RFC 2049 §2.
    """
    if message.headers_named("mime-version"):
        return
    first: Header | None = None
    for h in message.headers:
        if h.kind == FIELD and h.lname in _MIME_USED:
            first = h
            break
    if first is None:
        return
    linesep = line_separator(message)
    fix = Fix(
        (Edit(first.start, first.start, b"MIME-Version: 1.0" + linesep),),
        Safety.SAFE,
        "insert MIME-Version: 1.0",
    )
    start, end = _name_span(first)
    yield Problem(
        start,
        end,
        f"the message uses {first.name} but has no MIME-Version field; add "
        "'MIME-Version: 1.0' to its header (RFC 2045 §4)",
        "",
        fix,
    )


# -------------------------------------------------------------- M602, M603
def _structured(part: Part, name: str) -> tuple[Header, StructuredValue] | None:
    h = part.header(name)
    if h is None or h.kind != FIELD:
        return None
    sv = part.content_type_value if name == "content-type" else part.disposition_value
    return (h, sv) if sv is not None else None


def _main_span(h: Header, sv: StructuredValue) -> tuple[int, int]:
    if sv.main:
        return sv.main_start, sv.main_end
    return h.value_start, h.value_end


@functools.lru_cache(maxsize=256)
def _media_type_problem(main: str) -> str | None:
    """What is wrong with a media type as written, or None (few distinct values: cached)."""
    major, slash, minor = main.partition("/")
    if not main:
        return "is empty"
    if not slash:
        return f"has no subtype ({main!r} is not type/subtype)"
    if TOKEN_RE.match(major) and TOKEN_RE.match(minor):
        return None
    return f"is not a valid type/subtype ({main!r})"


@rule(
    code="M602",
    name="invalid-content-type",
    severity="error",
    summary="A Content-Type that is not type/subtype",
)
def invalid_content_type(message: Message, context: Context) -> Iterator[Problem]:
    """## What it does
    Flags a Content-Type field whose value does not start with a media type
    ``type/subtype`` made of two tokens: an empty value, a type without a
    subtype (``text``), a stray character (``text/html,``) or white space
    inside (``text/ html``). Parameter syntax is M604's business.

    ## Why is this bad?
    RFC 2045 §5.2 tells readers to treat a part whose Content-Type they
    cannot parse as ``text/plain; charset=us-ascii``: an HTML body is shown
    as source, a multipart as one block of raw MIME, an attachment as text.
    Readers differ in how much they forgive, so the message looks different
    everywhere.

    ## Example
    ```
    Content-Type: text; charset=utf-8
    ```

    ## Use instead
    ```
    Content-Type: text/plain; charset=utf-8
    ```

    ## Fix safety
    Not fixable: only the sender knows which type was meant.

    ## References
    RFC 2045 §5.1, §5.2; RFC 2046 §1.
    """
    for part in message.parts():
        if FAST_PATHS:  # the type first: it is parsed already, and nearly always valid
            value = part.content_type_value  # None exactly without a Content-Type
            if value is None or _media_type_problem(value.main) is None:
                continue
        found = _structured(part, "content-type")
        if found is None:
            continue
        h, sv = found
        why = _media_type_problem(sv.main)
        if why is None:
            continue
        start, end = _main_span(h, sv)
        yield Problem(
            start,
            end,
            f"the Content-Type of {_owner(part)} {why}; readers fall back to text/plain "
            "(RFC 2045 §5.2): write a media type such as text/plain or multipart/mixed",
            part.path,
        )


@rule(
    code="M603",
    name="invalid-content-disposition",
    severity="warning",
    summary="A Content-Disposition without a valid disposition type",
)
def invalid_content_disposition(message: Message, context: Context) -> Iterator[Problem]:
    """## What it does
    Flags a Content-Disposition field whose value does not start with a
    disposition type token (``inline``, ``attachment`` or an extension
    token): an empty value, a parameter with no type before it
    (``filename=a.pdf``) or a stray character. Parameter syntax is M604's
    business.

    ## Why is this bad?
    RFC 2183 §2 makes the disposition type mandatory. Readers that cannot
    parse the field ignore it, parameters included: the file name is lost
    and the part may be shown inline, or hidden.

    ## Example
    ```
    Content-Disposition: filename="report.pdf"
    ```

    ## Use instead
    ```
    Content-Disposition: attachment; filename="report.pdf"
    ```

    ## Fix safety
    Not fixable: inline or attachment is the sender's choice.

    ## References
    RFC 2183 §2, §2.8.
    """
    for part in message.parts():
        found = _structured(part, "content-disposition")
        if found is None:
            continue
        h, sv = found
        if sv.main and TOKEN_RE.match(sv.main):
            continue
        why = "is empty" if not sv.main else f"does not start with a disposition type ({sv.main!r})"
        start, end = _main_span(h, sv)
        yield Problem(
            start,
            end,
            f"the Content-Disposition of {_owner(part)} {why}; readers may ignore the whole "
            "field: start it with 'attachment' or 'inline'",
            part.path,
        )


# -------------------------------------------------------------- M604
def _defect_text(data: bytes, defect: ParamDefect) -> str:
    """What is wrong and what to do, for one parameter defect."""
    if defect.kind == "duplicate-parameter":
        name = data[defect.start : defect.end].partition(b"=")[0].strip().decode("latin-1")
        return (
            f"gives the parameter {name!r} more than once: readers disagree about which "
            "counts, keep one"
        )
    if defect.kind == "bad-parameter":
        return f"has text that is not name=value ({defect.message}): quote it or remove it"
    if defect.kind == "missing-semicolon":
        return "has parameters not separated by ';': insert the semicolon"
    if defect.kind == "unterminated-quote":
        return "has a quoted value with no closing '\"': close the quote"
    if defect.kind == "unquoted-special":
        raw = data[defect.start : defect.end]
        special = _TSPECIAL.search(raw)
        what = (
            "white space"
            if special is None or special.group().isspace()
            else (f"{special.group().decode('latin-1')!r}")
        )
        head = raw[: special.start()] if special is not None else raw
        return (
            f"has the unquoted value {raw.decode('latin-1')!r}, which holds {what}: a bare "
            "value must be a token (RFC 2045 §5.1), so readers disagree where it ends "
            f"(Python's email with policy.default reads only {head.decode('latin-1')!r}); "
            f"quote it: {_quoted(raw).decode('latin-1')}"
        )
    return f"has a malformed parameter ({defect.message})"


_TSPECIAL = re.compile(rb'[ \t()<>@,;:\\"/\[\]?=]')


def _quoted(raw: bytes) -> bytes:
    """``raw`` as a quoted-string: '"' and '\\' become quoted-pairs (RFC 5322 §3.2.4)."""
    return b'"' + raw.replace(b"\\", b"\\\\").replace(b'"', b'\\"') + b'"'


def _quote_fix(sv: StructuredValue, defect: ParamDefect) -> Fix | None:
    """Quote an unquoted value holding white space or tspecials; the value is unchanged."""
    for p in sv.params:
        if p.value_start == defect.start and not p.quoted:
            if "*" in p.raw_name or defect.end != p.value_end:
                return None  # an RFC 2231 ext-value may not be quoted (RFC 2231 §7)
            return Fix(
                (Edit(p.value_start, p.value_end, _quoted(p.raw_value.encode("latin-1"))),),
                Safety.SAFE,
                f"quote the value of {p.raw_name}",
            )
    return None


def _clean_parameters(data: bytes, sv: StructuredValue) -> bool:
    """What :func:`_param_defects` tests first: True when it yields nothing."""
    return not sv.defects and (
        not sv.params or not sv.main or data.find(b";", sv.main_end, sv.params[0].start) >= 0
    )


def _param_defects(data: bytes, sv: StructuredValue) -> Iterator[tuple[ParamDefect, int | None]]:
    """(defect, where a ';' belongs or None) for one structured field.

    ``parse_structured`` does not expect a ';' between the main value and
    the first parameter; ``text/html charset=utf-8`` is caught here.
    """
    if sv.params:
        first = sv.params[0]
        if sv.main and data.find(b";", sv.main_end, first.start) < 0:
            yield (
                ParamDefect(
                    "missing-semicolon",
                    "parameters must be separated by ';'",
                    first.start,
                    first.end,
                ),
                sv.main_end,
            )
    if not sv.defects:
        return
    by_start = {p.start: i for i, p in enumerate(sv.params)}
    for d in sv.defects:
        if d.kind == "bad-parameter":
            text = data[d.start : d.end]
            if text.startswith(b"(") and text.endswith(b")"):
                continue  # a comment (RFC 2045 §5.1 allows them), not a parameter
        at: int | None = None
        if d.kind == "missing-semicolon":
            index = by_start.get(d.start)
            if index:
                at = sv.params[index - 1].end
        yield d, at


@rule(
    code="M604",
    name="malformed-parameter",
    severity="error",
    summary="A Content-Type or Content-Disposition parameter that readers disagree on",
    fix="safe",
)
def malformed_parameter(message: Message, context: Context) -> Iterator[Problem]:
    """## What it does
    Flags parameter syntax errors in Content-Type and Content-Disposition:
    a parameter given twice, text that is not ``name=value``, parameters
    not separated by ``;`` (including ``text/html charset=utf-8``), a
    quoted value with no closing quote, and an unquoted value holding white
    space or a tspecial (``boundary=----=_Part_1``, ``name=My File.pdf``).
    Comments in parentheses are allowed.

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
    A missing ``;`` is inserted, and an unquoted value holding white space
    or tspecials is quoted (``"`` and ``\\`` inside written as quoted-pairs);
    both are safe: the parameters are read the same before and after by
    readers that took the whole run, and the lenient reading is the one
    kept. An RFC 2231 extended value (``name*=``) is not quoted (RFC 2231
    forbids it). The other defects are not fixable: which value was meant
    is a guess.

    ## References
    RFC 2045 §5.1; RFC 2183 §2; RFC 2231 §7; RFC 5322 §3.2.4.
    """
    data = message.data
    for part in message.parts():
        for lname, label in (
            ("content-type", "Content-Type"),
            ("content-disposition", "Content-Disposition"),
        ):
            if FAST_PATHS:  # the value first (no lookup for the parsed Content-Type)
                if lname == "content-type":
                    value = part.content_type_value  # None exactly without the field
                else:
                    value = part.disposition_value if part.header(lname) is not None else None
                if value is None or _clean_parameters(data, value):
                    continue
            found = _structured(part, lname)
            if found is None:
                continue
            for defect, semicolon_at in _param_defects(message.data, found[1]):
                fix = None
                if semicolon_at is not None:
                    fix = Fix((Edit(semicolon_at, semicolon_at, b";"),), Safety.SAFE, "insert ';'")
                elif defect.kind == "unquoted-special":
                    fix = _quote_fix(found[1], defect)
                yield Problem(
                    defect.start,
                    defect.end,
                    f"the {label} of {_owner(part)} {_defect_text(message.data, defect)}",
                    part.path,
                    fix,
                )


# -------------------------------------------------------------- M605
_MESSAGE_SINGLE = RFC5322_SINGLE | MIME_SINGLE
_SES_MESSAGE_SINGLE = SES_SINGLE_HEADERS | RFC5322_SINGLE | MIME_SINGLE


def _single_fields(part: Part, context: Context) -> tuple[frozenset[str], bool]:
    """The fields that may occur once in this header section; whether SES counts."""
    if part.parent is None:
        if context.profile.provider == "ses":
            return _SES_MESSAGE_SINGLE, True
        return _MESSAGE_SINGLE, False
    if part.parent.embedded is part:
        return _MESSAGE_SINGLE, False
    return MIME_SINGLE, False


def _normalised(h: Header) -> bytes:
    return _WSP_RUN.sub(b" ", _FOLD.sub(b"", h.raw_value)).strip(b" \t")


@rule(
    code="M605",
    name="duplicate-header",
    severity="error",
    summary="A header field that may occur only once occurs twice",
    fix="safe",
)
def duplicate_header(message: Message, context: Context) -> Iterator[Problem]:
    """## What it does
    Flags the second and later occurrences of a field that may occur once:
    in the top-level header, the fields of RFC 5322 §3.6 (Date, From,
    Sender, Reply-To, To, Cc, Bcc, Message-ID, In-Reply-To, References,
    Subject) and the MIME fields, or under an SES profile SES's list of 60
    fields (Subject, Content-Type, DKIM-Signature, List-Unsubscribe,
    User-Agent, ...); in an embedded message the RFC 5322 and MIME fields;
    in a body part the MIME fields (Content-Type, Content-Transfer-Encoding,
    Content-Disposition, Content-ID, Content-Description, MIME-Version).
    Fields that may repeat (Received, Resent-* blocks, Comments under
    ``rfc``) are never flagged.

    ## Why is this bad?
    Amazon SES refuses the message with ``Duplicate header 'NAME'``. Where
    it is accepted, readers disagree about which copy counts: two Subject
    or Content-Type fields show one subject or one body type here and
    another there, and DKIM verifiers treat duplicates as a sign of forgery.

    ## Example
    ```
    Subject: Invoice 42
    Subject: Invoice 42
    ```

    ## Use instead
    ```
    Subject: Invoice 42
    ```

    ## Fix safety
    Safe when every copy has the same value (after unfolding and collapsing
    white space): the later copies are removed. Not fixable when the values
    differ: which one was meant is the sender's decision.

    ## References
    RFC 5322 §3.6; RFC 2045 §3; SES developer guide, "Amazon SES header
    fields".
    """
    for part in message.parts():
        headers = part.headers
        if len(headers) < 2:
            continue
        if len({h.lname for h in headers}) == len(headers):
            continue  # no name occurs twice: the usual case
        single, ses = _single_fields(part, context)
        counted: dict[str, list[Header]] = {}
        for h in part.headers:
            if h.kind == FIELD and h.lname in single:
                counted.setdefault(h.lname, []).append(h)
        for copies in counted.values():
            if len(copies) < 2:
                continue
            first = copies[0]
            line, _column = message.position(first.start)
            reference = _normalised(first)
            for h in copies[1:]:
                same = _normalised(h) == reference
                fix = (
                    Fix((Edit(h.start, h.end, b""),), Safety.SAFE, f"remove the repeated {h.name}")
                    if same
                    else None
                )
                consequence = (
                    f"Amazon SES refuses the message with \"Duplicate header '{first.name}'\""
                    if ses and h.lname in _SES_LISTED
                    else "readers disagree about which copy counts"
                )
                advice = (
                    "it repeats the same value: remove it"
                    if same
                    else "the values differ: keep the one you mean and remove the other"
                )
                start, end = _name_span(h)
                yield Problem(
                    start,
                    end,
                    f"{h.name} occurs again in {_header_owner(part)} (first on line {line}); "
                    f"{consequence}; {advice}",
                    part.path,
                    fix,
                )


# -------------------------------------------------------------- M606
@rule(
    code="M606",
    name="message-too-large",
    severity="error",
    summary="A message larger than the provider accepts",
)
def message_too_large(message: Message, context: Context) -> Iterator[Problem]:
    """## What it does
    Flags a message whose size in bytes, as given, exceeds the profile's
    ``max_message_size``: 10,485,760 bytes for ``ses`` (SendRawEmail, API
    v1), 40 MiB for ``ses-v2`` (API v2 and SMTP), no limit for ``rfc``. The
    finding points at the first byte past the limit.

    ## Why is this bad?
    SES refuses the whole message (``Message length is more than 10485760
    bytes long``). The limit applies after encoding: base64 makes an
    attachment about 37% larger than the file, so a 7.7 MB file already
    fills 10 MB.

    ## Example
    A message with a 9 MB PDF attached in base64 (about 12.3 MB).

    ## Use instead
    Link to the file, compress it, or send through SES API v2 or SMTP,
    whose limit is 40 MB.

    ## Fix safety
    Not fixable.

    ## References
    SES developer guide, "Service quotas in Amazon SES"; SendRawEmail API
    reference.
    """
    limit = context.profile.max_message_size
    size = len(message.data)
    if limit is None or size <= limit:
        return
    base = PROFILES.get(context.profile.name)
    if base is not None and base.max_message_size != limit:
        who = f"the configured max-message-size allows at most {limit:,}"
    else:
        provider = "Amazon SES" if context.profile.provider == "ses" else "the provider"
        who = f"{provider} accepts at most {limit:,} (profile {context.profile.name!r})"
    yield Problem(
        limit,
        size,
        f"the message is {size:,} bytes; {who}, counted after encoding; the excess "
        "starts here: link to large files instead of attaching them",
        "",
    )


# -------------------------------------------------------------- M607-M609
@rule(
    code="M607",
    name="missing-header-separator",
    severity="error",
    summary="No blank line between a header section and its body",
    fix="unsafe",
)
def missing_header_separator(message: Message, context: Context) -> Iterator[Problem]:
    """## What it does
    Flags a header section that runs into its body without the blank line
    between them: a line that is not a header field where the next field
    was expected, or a body part that starts with body text instead of
    header fields or a blank line. The finding points at that line.

    ## Why is this bad?
    RFC 5322 §2.1 and RFC 2046 §5.1.1 separate header and body by an empty
    line. Without it readers guess: some take the line as the start of the
    body, some as a broken header that ends the message, and Amazon SES
    refuses it (``Illegal header``). A body part's own fields may then be
    read as text, or its text as fields.

    ## Example
    ```
    Subject: Hello
    Content-Type: text/plain
    Hello Bob,
    ```

    ## Use instead
    ```
    Subject: Hello
    Content-Type: text/plain

    Hello Bob,
    ```

    ## Fix safety
    A blank line is inserted before the line. Safe for a body part that has
    no header field at all (the part keeps no fields and the same body).
    Unsafe after header fields: the line might be a broken header field
    the sender meant, not the body's first line.

    ## References
    RFC 5322 §2.1, §3.5; RFC 2046 §5.1.1; RFC 7103 §7.
    """
    linesep: bytes | None = None
    for part in message.parts():
        for d in part.defects:
            if d.kind not in ("missing-separator", "part-without-headers"):
                continue
            if linesep is None:
                linesep = line_separator(message)
            end = _line_end(message.data, d.start, part.end)
            if d.kind == "part-without-headers":
                text = (
                    f"{_owner(part)} starts with body text, not header fields or a blank "
                    "line; insert a blank line after the boundary line"
                )
                safety = Safety.SAFE
            else:
                ses = " (Amazon SES: 'Illegal header')" if context.profile.provider == "ses" else ""
                text = (
                    f"{_header_owner(part)} ends without a blank line: this line is not a "
                    f"header field, so readers may take it as a broken header{ses}; insert a "
                    "blank line before the body"
                )
                safety = Safety.UNSAFE
            fix = Fix((Edit(d.start, d.start, linesep),), safety, "insert a blank line")
            yield Problem(d.start, end, text, part.path, fix)


@rule(
    code="M608",
    name="no-header-section",
    severity="error",
    summary="A message that has no header fields at all",
)
def no_header_section(message: Message, context: Context) -> Iterator[Problem]:
    """## What it does
    Flags a message whose first line is not a header field: a body with no
    header section (for example a file saved from the body of a mail, or
    text with a leading blank line).

    ## Why is this bad?
    RFC 5322 §3.6 requires at least Date and From, and a receiver reads
    everything up to the first blank line as the header. A provider
    refuses such a message, or delivers an empty one.

    ## Example
    ```

    Hello Bob,
    ```

    ## Use instead
    ```
    From: Ann <ann@example.com>
    Date: Mon, 2 Mar 2026 10:00:00 +0000

    Hello Bob,
    ```

    ## Fix safety
    Not fixable: the fields must come from the sender.

    ## References
    RFC 5322 §2.1, §3.6.
    """
    for d in message.defects:
        if d.kind == "no-header-section":
            end = _line_end(message.data, d.start, d.end)
            yield Problem(
                d.start,
                end,
                "the message has no header fields: its first line is not 'Name: value'; "
                "put the header section (From, Date, Subject, ...) before the body",
                "",
            )
    if not message.headers and message.separator is not None and message.separator[0] == 0:
        sep_end = message.separator[1]
        if not any(d.kind == "no-header-section" for d in message.defects):
            yield Problem(
                0,
                sep_end,
                "the message starts with a blank line, so it has no header fields and "
                "everything after is body; remove the blank line or add the header section",
                "",
            )


@rule(
    code="M609",
    name="nesting-too-deep",
    severity="error",
    summary="Multiparts or embedded messages nested deeper than the limit",
)
def nesting_too_deep(message: Message, context: Context) -> Iterator[Problem]:
    """## What it does
    Flags a multipart or embedded message nested deeper than the profile's
    ``max_depth`` (100 by default). The parts below the limit are not read,
    so no other rule checks them. The finding points at the body that was
    not opened.

    ## Why is this bad?
    No real mailer nests this deep; such messages are built to exhaust the
    stack or time of parsers and scanners. Receivers refuse them or give up
    scanning, and spam filters score them.

    ## Example
    A multipart/mixed inside a multipart/mixed, 150 levels down.

    ## Use instead
    Attach forwarded messages side by side rather than inside one another.

    ## Fix safety
    Not fixable.

    ## References
    RFC 2046 §5.1; RFC 7103 §8.
    """
    for part in message.parts():
        for d in part.defects:
            if d.kind == "depth-exceeded":
                yield Problem(
                    d.start,
                    _line_end(message.data, d.start, d.end),
                    f"{_owner(part)} reaches the nesting limit ({message.max_depth} "
                    "levels of multiparts and embedded messages); the parts inside it are "
                    "not checked: flatten the structure",
                    part.path,
                )


# -------------------------------------------------------------- M610, M611
def _missing(message: Message, context: Context, name: str) -> bool:
    if context.profile.provider == "ses" or not message.headers:
        return False
    return not any(h.kind == FIELD for h in message.headers_named(name))


@rule(
    code="M610",
    name="missing-date",
    severity="error",
    summary="No Date field (RFC 5322 requires one; SES adds its own)",
)
def missing_date(message: Message, context: Context) -> Iterator[Problem]:
    """## What it does
    Flags a message without a Date field in its top-level header. Not
    reported under the SES profiles: Amazon SES sets its own Date on every
    message it sends. The finding points at the end of the header section.

    ## Why is this bad?
    RFC 5322 §3.6 requires exactly one Date (the origination date). Without
    it, receivers stamp the time they received the message, or sort it
    oddly, and spam filters score its absence.

    ## Example
    ```
    From: Ann <ann@example.com>
    Subject: Hello
    ```

    ## Use instead
    ```
    From: Ann <ann@example.com>
    Date: Mon, 2 Mar 2026 10:00:00 +0000
    Subject: Hello
    ```

    ## Fix safety
    Not fixable: the date must be the time of sending, which a linter run
    before the send does not know. Let the sending code add it.

    ## References
    RFC 5322 §3.3, §3.6, §3.6.1; SES developer guide, "Amazon SES header
    fields".
    """
    if _missing(message, context, "date"):
        at = message.header_end
        yield Problem(
            at,
            at,
            "the message has no Date field (RFC 5322 §3.6 requires one); add "
            "'Date: <time of sending>' to its header",
            "",
        )


@rule(
    code="M611",
    name="missing-message-id",
    severity="warning",
    summary="No Message-ID field (RFC 5322 says it should have one; SES adds its own)",
)
def missing_message_id(message: Message, context: Context) -> Iterator[Problem]:
    """## What it does
    Flags a message without a Message-ID field in its top-level header. Not
    reported under the SES profiles: Amazon SES sets its own Message-ID. The
    finding points at the end of the header section.

    ## Why is this bad?
    RFC 5322 §3.6.4 says every message should have a Message-ID. Replies
    thread by it (In-Reply-To, References), duplicate suppression keys on
    it, and spam filters score its absence.

    ## Example
    ```
    From: Ann <ann@example.com>
    Date: Mon, 2 Mar 2026 10:00:00 +0000
    ```

    ## Use instead
    ```
    From: Ann <ann@example.com>
    Date: Mon, 2 Mar 2026 10:00:00 +0000
    Message-ID: <20260302100000.42@example.com>
    ```

    ## Fix safety
    Not fixable: the identifier must be unique and belongs to the sending
    domain; let the sending code create it.

    ## References
    RFC 5322 §3.6.4; SES developer guide, "Amazon SES header fields".
    """
    if _missing(message, context, "message-id"):
        at = message.header_end
        yield Problem(
            at,
            at,
            "the message has no Message-ID field (RFC 5322 §3.6.4 says it should); add "
            "one such as '<unique-id@your-domain>'",
            "",
        )


# -------------------------------------------------------------- M612-M614
_DATE = re.compile(
    r"""\A\s*(?:(?P<dow>mon|tue|wed|thu|fri|sat|sun)\s*,\s*)?
    (?P<day>\d{1,2})\s+
    (?P<month>jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\s+
    (?P<year>\d{2,4})\s+
    (?P<hour>\d{2})\s*:\s*(?P<minute>\d{2})(?:\s*:\s*(?P<second>\d{2}))?\s*
    (?P<zone>[+-]\d{4}|[a-z]{1,5})\s*\Z""",
    re.IGNORECASE | re.VERBOSE,
)
#: The pieces of :data:`_DATE` in order, to name the first one that fails.
_DATE_STEP_PATTERNS = (
    ("the day name (Mon..Sun, then ',')", r"\s*(?:(?:mon|tue|wed|thu|fri|sat|sun)\s*,\s*)?"),
    ("the day of the month (1 or 2 digits)", r"\d{1,2}\s+"),
    ("the month (Jan..Dec)", r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\s+"),
    ("the year (4 digits)", r"\d{2,4}\s+"),
    ("the time (HH:MM:SS, a 2-digit hour)", r"\d{2}\s*:\s*\d{2}(?:\s*:\s*\d{2})?\s*"),
    ("the zone (+ZZZZ, -ZZZZ or GMT)", r"(?:[+-]\d{4}|[a-z]{1,5})\s*\Z"),
)


@functools.cache
def _date_steps() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """The Date grammar step by step, compiled on first use: only a Date that
    is already known to be wrong is explained with them (not at start-up)."""
    return tuple((what, re.compile(p, re.IGNORECASE)) for what, p in _DATE_STEP_PATTERNS)


_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
#: RFC 5322 §4.3 obs-zone names, and UTC, which every date parser knows (Go writes it).
_NAMED_ZONES = frozenset(
    {"ut", "utc", "gmt", "est", "edt", "cst", "cdt", "mst", "mdt", "pst", "pdt"}
)
_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_ATEXT = r"A-Za-z0-9!#$%&'*+/=?^_`{|}~\x80-\xff-"
_MSG_ID = re.compile(
    rf"""\A\s*<\s*(?:[{_ATEXT}.]+|"(?:[^"\\]|\\.)*")\s*
    @\s*(?:[{_ATEXT}.]+|\[[^\[\]\\]*\])\s*>\s*\Z""",
    re.VERBOSE | re.DOTALL,
)


def _value_span(data: bytes, h: Header) -> tuple[int, int]:
    """The field's value without surrounding white space (empty: just after the colon)."""
    raw = data[h.value_start : h.value_end]
    lead = len(raw) - len(raw.lstrip(b" \t\r\n"))
    trail = len(raw.rstrip(b" \t\r\n"))
    if trail <= lead:
        return h.value_start, h.value_start
    return h.value_start + lead, h.value_start + trail


def date_problem(value: str) -> str | None:
    """Why a Date value is not an RFC 5322 date-time, or None when it is.

    Obsolete forms (RFC 5322 §4.3) are accepted: comments, two- and
    three-digit years, the named and military zones (UT, GMT, EST, Z...)
    and UTC, seconds left out. Other zone names (CET, IST) are not: readers
    take them as -0000, a wrong time.
    """
    text = uncomment(value)
    if text is None:
        return "it has an unbalanced comment parenthesis"
    m = _DATE.match(text)
    if m is None:
        pos = 0
        for what, step in _date_steps():
            piece = step.match(text, pos)
            if piece is None:
                shown = text[pos : pos + 12].strip()
                where = f"is wrong at {shown!r}" if shown else "is missing"
                return f"{what} {where}: it is not 'Day, DD Mon YYYY HH:MM:SS +ZZZZ'"
            pos = piece.end()
        return "it is not 'Day, DD Mon YYYY HH:MM:SS +ZZZZ'"
    year = int(m.group("year"))
    if len(m.group("year")) == 2:
        year += 2000 if year < 50 else 1900  # RFC 5322 §4.3
    elif len(m.group("year")) == 3:
        year += 1900
    month = _MONTHS.index(m.group("month").lower()) + 1
    try:
        day = datetime.date(year, month, int(m.group("day")))
    except ValueError:
        return f"{m.group('day')} {m.group('month')} {m.group('year')} is not a calendar day"
    if int(m.group("hour")) > 23 or int(m.group("minute")) > 59:
        return "its time of day is out of range"
    if m.group("second") is not None and int(m.group("second")) > 60:
        return "its seconds are out of range"
    zone = m.group("zone")
    if zone[0] in "+-":
        if int(zone[3:]) > 59:
            return f"its zone {zone} has more than 59 minutes"
    elif zone.lower() not in _NAMED_ZONES and (len(zone) > 1 or zone in "jJ"):
        return (
            f"its zone {zone!r} is not an RFC 5322 zone, so readers take it as -0000 "
            "(RFC 5322 §4.3), a wrong time"
        )
    dow = m.group("dow")
    if dow is not None and _DAYS.index(dow.lower()) != day.weekday():
        return (
            f"{day.isoformat()} is a {day.strftime('%a')}, not a {dow} "
            "(RFC 5322 §3.3: the day name must match the date)"
        )
    return None


@rule(
    code="M612",
    name="invalid-date",
    severity="error",
    summary="A Date field that is not an RFC 5322 date-time",
)
def invalid_date(message: Message, context: Context) -> Iterator[Problem]:
    """## What it does
    Flags a top-level Date field whose value is not an RFC 5322 date-time
    (``Date: yesterday``, ISO 8601 ``2026-03-02T10:00:00Z``, no time zone,
    a day that does not exist, a day name that does not match the date).
    The obsolete forms every reader must accept (RFC 5322 §4.3) pass:
    comments, two-digit years, ``GMT``/``EST``-style and military zones,
    no seconds; so does ``UTC`` (not in the grammar, but every date parser
    reads it). Other zone names (``CET``) are flagged: RFC 5322 §4.3 has
    readers take an unknown zone as ``-0000``, so the time shown is wrong.
    Not reported under the SES profiles: Amazon SES replaces the Date of
    every message it accepts with its own time stamp, so the value never
    reaches a reader (``--profile rfc`` reports it).

    ## Why is this bad?
    RFC 5322 §3.3 defines the date-time syntax and §3.6.1 requires the
    origination date in it. Clients that cannot parse the Date sort the
    message at 1970 or at the time received, and spam filters score an
    invalid date (SpamAssassin ``INVALID_DATE``).

    ## Example
    ```
    Date: 2026-03-02T10:00:00Z
    ```

    ## Use instead
    ```
    Date: Mon, 2 Mar 2026 10:00:00 +0000
    ```

    ## Fix safety
    Not fixable: the date must be the time of sending, which a linter does
    not know; have the sending code write it (Python:
    ``email.utils.format_datetime``).

    ## References
    RFC 5322 §3.3, §3.6.1, §4.3; SES developer guide, "Amazon SES header
    fields" (SES overwrites Date).
    """
    if context.profile.provider == "ses":
        return
    data = message.data
    for h in message.headers_named("date"):
        if h.kind != FIELD:
            continue
        why = date_problem(h.unfolded.decode("latin-1"))
        if why is not None:
            start, end = _value_span(data, h)
            yield Problem(
                start,
                end,
                f"the Date field is not an RFC 5322 date-time: {why}; write it like "
                "'Mon, 2 Mar 2026 10:00:00 +0000' (RFC 5322 §3.3)",
                "",
            )


@rule(
    code="M613",
    name="invalid-message-id",
    severity="error",
    summary="A Message-ID that is not <id-left@id-right>",
)
def invalid_message_id(message: Message, context: Context) -> Iterator[Problem]:
    """## What it does
    Flags a top-level Message-ID whose value is not one ``<id-left@id-right>``:
    no angle brackets, no ``@``, several identifiers, or characters an
    identifier cannot hold (a colon, a space). Comments around it are
    allowed; the obsolete forms are accepted (RFC 5322 §4.5.4): a
    quoted-string left part, and white space or comments inside the
    brackets (``< abc@example.com >``). Not reported
    under the SES profiles: Amazon SES replaces the Message-ID of every
    message it sends with its own (``--profile rfc`` reports it).

    ## Why is this bad?
    RFC 5322 §3.6.4 defines ``msg-id = "<" id-left "@" id-right ">"``.
    Gmail refuses such mail with "550-5.7.1 Messages missing a valid
    Message-ID header are not accepted" (or replaces the field), and
    replies cannot thread on an identifier that clients read differently.

    ## Example
    ```
    Message-ID: 20260302100000.42@example.com
    ```

    ## Use instead
    ```
    Message-ID: <20260302100000.42@example.com>
    ```

    ## Fix safety
    Not fixable: a fix would change the identifier that replies and
    References already point at; have the sending code write a correct one
    (Python: ``email.utils.make_msgid``).

    ## References
    RFC 5322 §3.6.4, §4.5.4; SES developer guide, "Amazon SES header
    fields" (SES overwrites Message-ID).
    """
    if context.profile.provider == "ses":
        return
    data = message.data
    for h in message.headers_named("message-id"):
        if h.kind != FIELD:
            continue
        text = uncomment(h.unfolded.decode("latin-1"))
        if text is not None and _MSG_ID.match(text):
            continue
        start, end = _value_span(data, h)
        yield Problem(
            start,
            end,
            "the Message-ID is not one '<id-left@id-right>' (RFC 5322 §3.6.4); Gmail "
            "refuses mail without a valid one: write it like '<unique-id@your-domain>'",
            "",
        )


@rule(
    code="M614",
    name="invalid-mime-version",
    severity="warning",
    summary="A MIME-Version other than 1.0",
)
def invalid_mime_version(message: Message, context: Context) -> Iterator[Problem]:
    """## What it does
    Flags a MIME-Version field whose value, comments removed, is not
    ``1.0`` (``MIME-Version: 2.0``, ``MIME-Version: yes``, an empty value).
    Comments are allowed anywhere, as RFC 2045 §4 shows:
    ``MIME-Version: 1.0 (produced by MetaSend Vx.x)`` and even
    ``1.(produced by MetaSend Vx.x)0`` are ``1.0``. The top-level header
    and the sender's own body parts are checked; a message embedded as
    ``message/rfc822`` (a bounce, a forward) is not, as M612 and M613 do not
    check it: its headers belong to someone else and the sender cannot fix
    them.

    ## Why is this bad?
    RFC 2045 §4 defines only version 1.0 and requires the field to read
    exactly ``MIME-Version: 1.0``. A reader that checks the version may
    treat any other value as not MIME and show the raw structure; most
    only look for the field, which is why this is a warning.

    ## Example
    ```
    MIME-Version: 2.0
    ```

    ## Use instead
    ```
    MIME-Version: 1.0
    ```

    ## Fix safety
    Not fixable: which standard the sender followed is a guess; set the
    value to 1.0 in the sending code.

    ## References
    RFC 2045 §4; RFC 2049 §2.
    """
    data = message.data
    for part in message.parts():
        headers = part.headers_named("mime-version")
        if not headers or (part.parent is not None and _inside_embedded_message(part)):
            continue  # (the top message is inside nothing)
        for h in headers:
            if h.kind != FIELD:
                continue
            if FAST_PATHS and data[h.value_start : h.value_end].strip(b" \t") == b"1.0":
                continue  # no line break, no comment: the value is 1.0 as written
            text = uncomment(h.unfolded.decode("latin-1"))
            if text is not None and "".join(text.split()) == "1.0":
                continue
            start, end = _value_span(data, h)
            shown = data[start:end].decode("latin-1")
            yield Problem(
                start,
                end,
                f"MIME-Version is {shown!r}, but 1.0 is the only MIME version (RFC 2045 §4); "
                "write 'MIME-Version: 1.0'",
                part.path,
            )


def _inside_embedded_message(part: Part) -> bool:
    """Whether ``part`` is (inside) a message/rfc822 body: a message someone else wrote."""
    node: Part | None = part
    while node is not None and node.parent is not None:
        if node.parent.embedded is node:
            return True
        node = node.parent
    return False


RULES = [
    missing_mime_version,
    invalid_content_type,
    invalid_content_disposition,
    malformed_parameter,
    duplicate_header,
    message_too_large,
    missing_header_separator,
    no_header_section,
    nesting_too_deep,
    missing_date,
    missing_message_id,
    invalid_date,
    invalid_message_id,
    invalid_mime_version,
]
