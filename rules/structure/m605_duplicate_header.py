"""M605 duplicate-header: a header field that may occur only once occurs twice."""

from __future__ import annotations

import re

from mimelint.mime.tree import FIELD, Header, Part
from mimelint.rule import Context, Edit, Fact, Fix, Problem, Related, Safety, parts, rule

from .shared import header_section, name_span

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
_MESSAGE_SINGLE = RFC5322_SINGLE | MIME_SINGLE
#: To, Cc and Bcc are in a provider's list as RFC 5322 has them; only for the
#: fields the provider's own page lists does a message quote its refusal.
_FROM_RFC = frozenset({"to", "cc", "bcc"})
_WSP_RUN = re.compile(rb"[ \t]+")


def single_fields(part: Part, context: Context) -> tuple[frozenset[str], frozenset[str]]:
    """The fields that may occur once in this header section, and those of
    them whose repetition the provider refuses by its own list."""
    if part.parent is None:
        provider = context.profile.provider_single_fields
        if provider:
            return provider | _MESSAGE_SINGLE, provider - _FROM_RFC
        return _MESSAGE_SINGLE, frozenset()
    if part.parent.embedded is part:
        return _MESSAGE_SINGLE, frozenset()
    return MIME_SINGLE, frozenset()


def _normalised(h: Header) -> bytes:
    return _WSP_RUN.sub(b" ", h.unfolded)


@rule(
    code="M605",
    name="duplicate-header",
    severity="error",
    summary="A header field that may occur only once occurs twice",
    fix_safety="safe",
    visits=parts(requires=[Fact.REPEATED_FIELD]),
)
def duplicate_header(part: Part, context: Context) -> list[Problem] | None:
    """## What it does
    Flags the second and later occurrences of a field that may occur once:
    in the top-level header, the fields of RFC 5322 §3.6 (Date, From,
    Sender, Reply-To, To, Cc, Bcc, Message-ID, In-Reply-To, References,
    Subject) and the MIME fields, or under an SES profile SES's list of 60
    fields (Subject, Content-Type, DKIM-Signature, List-Unsubscribe,
    User-Agent, ...); in an embedded message the RFC 5322 and MIME fields;
    in a body part the MIME fields (Content-Type, Content-Transfer-Encoding,
    Content-Disposition, Content-ID, Content-Description, MIME-Version).
    Fields that may repeat (Received, Resent-* blocks, and under ``rfc``
    Comments and Return-Path, which each trace block may start with, RFC
    5322 §3.6.7) are never flagged, identical copies included.

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
    headers = part.headers
    single, refused = single_fields(part, context)
    counted: dict[str, list[Header]] = {}
    for h in headers:
        if h.kind == FIELD and h.lname in single:
            counted.setdefault(h.lname, []).append(h)
    problems: list[Problem] = []
    for copies in counted.values():
        if len(copies) < 2:
            continue
        first = copies[0]
        first_place = (Related(*name_span(first), f"the first {first.name} field"),)
        reference = _normalised(first)
        for h in copies[1:]:
            same = _normalised(h) == reference
            fix = (
                Fix((Edit(h.start, h.end, b""),), Safety.SAFE, f"remove the repeated {h.name}")
                if same
                else None
            )
            consequence = (
                f"{context.profile.provider_label} refuses the message with "
                f"\"Duplicate header '{first.name}'\""
                if h.lname in refused
                else "readers disagree about which copy counts"
            )
            advice = (
                "it repeats the same value: remove it"
                if same
                else "the values differ: keep the one you mean and remove the other"
            )
            start, end = name_span(h)
            problems.append(
                Problem(
                    start,
                    end,
                    f"{h.name} occurs again in {header_section(part)}; {consequence}; {advice}",
                    part.path,
                    fix,
                    related=first_place,
                )
            )
    return problems
