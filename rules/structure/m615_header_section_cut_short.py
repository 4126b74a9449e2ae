"""M615 header-section-cut-short: an empty line inside a folded field ends the header section early."""

from __future__ import annotations

import functools
import re

from mimelint.mime.address_fields import ADDRESS_FIELDS
from mimelint.mime.addresses import parse_addresses
from mimelint.mime.boundaries import delimiter_tail
from mimelint.mime.fields import NO_WORDS, SIGNATURES
from mimelint.mime.sections import FIELD_LINE
from mimelint.mime.tree import FIELD, Header, Part
from mimelint.rule import Context, Problem, parts, rule

#: At most this many lost field names are listed in a finding.
_SHOWN = 4
#: Bodies made of ``name:value`` lines besides message/*: RFC 6522 §4's
#: returned headers, and directory and calendar objects, whose content
#: lines are ``name ":" value`` (vCard, RFC 6350 §3.3 and RFC 2425 §5.8.2,
#: with vCard 2.1's text/x-vcard; iCalendar, RFC 5545 §3.1, with vCalendar
#: 1.0's text/x-vcalendar). Their lines after the empty line are what the
#: part holds: a Thunderbird vCard attachment (``begin:vcard``, ``fn:...``,
#: mu's testdata) follows a folded Content-Disposition.
_FIELDS_AS_BODY = frozenset(
    {
        "text/rfc822-headers",
        "text/vcard",
        "text/x-vcard",
        "text/directory",
        "text/calendar",
        "text/x-vcalendar",
    }
)


#: Header fields whose names, on the lines after the empty line, tell that
#: a header section went on there: every field mimelint's own tables name
#: (the address fields, the structured fields RFC 2047 §5 keeps words out
#: of, the DKIM and ARC signatures), the rest of RFC 5322 §3.6's, and the
#: trace, list, authentication, key and feedback fields mailers add; with
#: ``Content-*``, ``Resent-*``, ``List-*``, ``ARC-*``, ``Original-*`` and
#: ``X-`` fields. Text that merely starts with ``Name: value`` lines (a
#: Subversion patch's ``Index: path``, a form, a log) names none: there the
#: empty line is where the header section ends. Names that such text uses
#: as often as headers do (``Summary``, ``Expires``, ``Path``, ``Lines``)
#: stay out.
_HEADER_FIELDS = ADDRESS_FIELDS | NO_WORDS | SIGNATURES | frozenset(
    {
        "subject", "comments", "keywords", "user-agent", "organization", "importance",
        "priority", "sensitivity", "precedence", "auto-submitted", "thread-topic",
        "thread-index", "delivered-to", "envelope-to", "delivery-date",
        "authentication-results", "received-spf", "domainkey-signature", "autocrypt",
        "autocrypt-gossip", "openpgp", "feedback-id", "archived-at", "accept-language",
        "newsgroups", "followup-to", "tls-required", "require-recipient-valid-since",
        "mt-priority", "message-context", "solicitation", "vbr-info", "bounces-to",
    }
)  # fmt: skip
_HEADER_PREFIXES = ("content-", "resent-", "list-", "arc-", "original-", "x-")


def _names_a_header_field(lost: list[str]) -> bool:
    """Whether one of the lines after the empty line names a header field."""
    for name in lost:
        lname = name.lower()
        if lname in _HEADER_FIELDS or lname.startswith(_HEADER_PREFIXES):
            return True
    return False


@functools.cache  # compiled on first use: only an indented line after a blank one needs it
def _more_parameters() -> re.Pattern[bytes]:
    """An indented line that goes on with a media type's or disposition's
    parameters: a ";" or "name=" (RFC 2045 §5.1, RFC 2231 "name*0*=")."""
    return re.compile(rb"[ \t]+(?:;|[!#$%&'*+.^_`|~0-9A-Za-z-]+[ \t]*=)")


def _goes_on(last: Header, data: bytes, at: int, end: int) -> bool:
    """Whether the indented line at ``at`` reads as more of the field ``last``.

    Only where the field's syntax says so: parameters after a Content-Type
    or Content-Disposition, an address after an address field. Body text
    may start with white space too (an indented first line, a quotation),
    and a guess is no ground for an error.
    """
    if last.lname in ("content-type", "content-disposition"):
        return _more_parameters().match(data, at, end) is not None
    if last.lname in ADDRESS_FIELDS:
        # The indented lines that follow (a display name folded from its
        # address puts the address on the second) read as addresses, every
        # one of them: prose that mentions one (Pine's indented preamble,
        # "Send mail to mime@docserver...") does not.
        pos = at
        while pos < end and data[pos] in (32, 9):
            nl = data.find(b"\n", pos, end)
            pos = end if nl < 0 else nl + 1
        read = parse_addresses(data[at:pos])
        return bool(read) and all(a.ok for a in read)
    return False


def _fields_after(data: bytes, at: int, end: int, boundary: bytes | None) -> list[str]:
    """The names of the header fields that start the body at ``at``, past
    indented lines; none past another empty line, a delimiter line, or an
    indented delimiter line of the part's own ``boundary``."""
    lost: list[str] = []
    pos = at
    while pos < end:
        nl = data.find(b"\n", pos, end)
        stop = end if nl < 0 else nl + 1
        if data[pos] in (32, 9):
            line = data[pos:stop]
            text = line.strip(b" \t\r\n")
            if boundary is not None and text.startswith(b"--"):
                dash = pos + len(line) - len(line.lstrip(b" \t"))
                if delimiter_tail(data, dash, boundary, stop) is not None:
                    # An indented delimiter line (M209): the fields after it
                    # are a part's. Other text that starts "--" (a folded
                    # Subject's "--delete flag") is the rest of the field.
                    break
            if text:
                pos = stop
                continue
            break  # another blank line
        if data.startswith(b"--", pos):
            break  # a delimiter line ("--0-1554447476-1189354317=:31362" reads as a field)
        field = FIELD_LINE.match(data, pos, stop)
        if field is None:
            break
        lost.append(data[pos : field.end() - 1].rstrip(b" \t").decode("ascii", "replace"))
        pos = stop
    return lost


@rule(
    code="M615",
    name="header-section-cut-short",
    severity="error",
    summary="An empty line inside a folded field ends the header section early",
    visits=parts(),
)
def header_section_cut_short(part: Part, context: Context) -> list[Problem] | None:
    """## What it does
    Flags an empty line that ends a header section in the middle of a field:
    the lines after it still continue the field before it (they start with
    white space and go on with its syntax: more parameters of a Content-Type
    or Content-Disposition, an address of an address field), or header
    fields (``Name: value``) follow, after a folded field or after indented
    lines that read as the rest of the field before. The finding points at
    the empty line and names the fields that became body text. A body that
    merely starts with a line such as ``Note: ...`` after an unfolded field,
    or with indented lines of text and no field after them, is not flagged,
    nor lines after the empty line none of which names a header field mail
    uses (RFC 5322's, MIME's ``Content-*``, trace, list, authentication,
    key and feedback fields, ``Resent-*``, ``Original-*`` and ``X-``
    fields, in any case): a patch attachment starting ``Index: path``, a
    form. Nor are the fields that a message/rfc822 part (or
    text/rfc822-headers) holds as its body, nor the ``name:value`` content
    lines of a vCard or iCalendar part, nor a delimiter line that reads like
    a field, nor the header fields of a part after an indented delimiter
    line (that line is M209's). (A fold made of white space only, which some
    readers take for the end of the header section, is M307's.)

    ## Why is this bad?
    RFC 5322 §2.1 ends the header section at the first empty line, and
    §2.2.3 forbids a fold that leaves an empty line. Every reader stops
    there: the fields after it (often Subject, MIME-Version, Content-Type)
    and the whole MIME structure become the text of an implicit
    ``text/plain`` body, so the message shows raw MIME and loses its
    attachments.

    ## Example
    ```
    Subject: Quarterly
     report

     for March
    MIME-Version: 1.0
    Content-Type: text/html
    ```

    ## Use instead
    ```
    Subject: Quarterly
     report
     for March
    MIME-Version: 1.0
    Content-Type: text/html
    ```

    ## Fix safety
    Not fixable: removing the empty line makes every reader see other
    header fields and another structure, which no proof can call the same
    message; fix the program that folds the field.

    ## References
    RFC 5322 §2.1, §2.2.3, §3.5.
    """
    if part.separator is None or not part.headers:
        return None
    last = part.headers[-1]
    data = part.data
    at, end = part.body_start, part.body_end
    if at >= end:
        return None
    indented = data[at] in (32, 9)
    goes_on = indented and _goes_on(last, data, at, end)
    if not indented and (last.kind is not FIELD or last.line_count < 2):
        return None  # a body after an unfolded field: the blank line is where it belongs
    if part.maintype == "message" or part.content_type in _FIELDS_AS_BODY:
        # The body is a message, header fields of its own, or content lines
        # that read as fields: fields after the empty line are what the part
        # holds; only the field's own syntax going on tells of a cut.
        lost: list[str] = []
    else:
        boundary = (
            None if part.boundary is None else part.boundary.encode("utf-8", "surrogateescape")
        )
        lost = _fields_after(data, at, end, boundary)
        if not _names_a_header_field(lost):
            lost = []  # content that starts with "Name: value" lines
    if not goes_on and not lost:
        return None  # indented body text, and no field after it
    if lost:
        names = ", ".join(lost[:_SHOWN]) + (
            f" and {len(lost) - _SHOWN} more" if len(lost) > _SHOWN else ""
        )
        what = f"the fields after it ({names}) are read as body text"
        if indented:  # the lines before those fields are the rest of this one
            what = f"the rest of the {last.name} field and {what}"
    else:
        what = f"the rest of the {last.name} field is read as body text"
    blank = part.separator[0]
    return [
        Problem(
            blank,
            blank,
            f"this empty line inside the folded {last.name} field ends the header section: "
            f"{what}; remove the empty line (RFC 5322 §2.2.3)",
        )
    ]
