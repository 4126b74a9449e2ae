"""Header address rules M401-M409, M414-M416 and the address-list reader they share."""

from __future__ import annotations

import email.policy
import email.utils
from email.parser import BytesHeaderParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import mimelint
from mimelint.mime.addresses import AddressSpan, parse_address_list, parse_addresses
from mimelint.mime.domains import check_domain
from mimelint.testing import apply_fix
from tests.profiles import examples
from tests.util import findings, msg, where

TAIL = "Subject: Hi\nDate: Wed, 25 Nov 2026 10:00:00 +0000\nMessage-ID: <1@example.com>\n\nHello\n"


def mail(headers: str) -> bytes:
    """A small message with the given address headers and the usual rest."""
    return msg(headers.rstrip("\n") + "\n" + TAIL)


# ------------------------------------------------------------ the reader
def spans(value: bytes) -> list[AddressSpan]:
    return parse_addresses(value, 100)


def test_reader_keeps_spans_of_every_piece() -> None:
    value = b'"Smith, John" <john@example.com>, ann@example.org (Ann)'
    john, ann = spans(value)
    assert (john.display_name, john.local_part, john.domain) == (
        '"Smith, John"',
        "john",
        "example.com",
    )
    assert value[john.start - 100 : john.end - 100] == b'"Smith, John" <john@example.com>'
    assert value[john.display_start - 100 : john.display_end - 100] == b'"Smith, John"'
    assert value[john.local_start - 100 : john.local_end - 100] == b"john"
    assert value[john.domain_start - 100 : john.domain_end - 100] == b"example.com"
    assert john.angle and not ann.angle
    assert ann.addr_spec == "ann@example.org" and ann.ok


def test_reader_groups_routes_literals_and_folding() -> None:
    value = b'Team: a@x.example,\r\n "b c"@y.example;, <@r1,@r2:joe@z.example>, d@[192.0.2.1], undisclosed:;'
    got = [(a.group, a.addr_spec) for a in spans(value)]
    assert got == [
        ("Team", "a@x.example"),
        ("Team", '"b c"@y.example'),
        (None, "joe@z.example"),
        (None, "d@[192.0.2.1]"),
    ]


@pytest.mark.parametrize(
    ("value", "error", "bad"),
    [
        (b"John Smith", "Missing final '@domain'", b"John Smith"),
        (b"john smith@x.example", "Local address contains control or whitespace", b"smith"),
        (b"a@x.example; b@y.example", "';' is not a separator", b";"),
        (b"@x.example", "Missing local name", b"@"),
        (b"<@x.example>", "Missing local name", b"@x.example"),
        (b"a@", "Missing domain", b""),
        (b"a@b..example", "empty label", b"."),
        (b"a..b@x.example", "empty piece", b"."),
        (b"a@exa!mple", "", b""),  # '!' is atext: legal in a header domain
        (b"<a@x.example> trailing", "text after the address", b"trailing"),
        (b'"open <a@x.example>', "quoted string is not closed", b'"open <a@x.example>'),
        (b"user@example.com <user@example.com>", "'@' in a display name", b"@"),
        (b"Team: a@x.example", "is not closed with ';'", b""),
        (b"<>", "empty address '<>'", b"<>"),
        (b"a\x01b@x.example", "not allowed here", b"\x01"),
        (b"a@example.com (Anna", "comment that starts with '(' is not closed", b"(Anna"),
        (b"a@example.com (Anna (work)", "not closed with ')'", b"(Anna (work)"),
        (b"a@example.com Anna)", "')' without a matching '('", b")"),
        (b"Anna <<anna@example.com>>", "<<...>> around the address", b"<<anna@example.com>>"),
        (b"<<anna@example.com>", "<<...> around the address", b"<<anna@example.com>"),
        (b"Anna <anna@example.com>>", "<...>> around the address", b"<anna@example.com>>"),
        (b"Smith, Anna <anna@example.com>", '"Smith, Anna" <anna@example.com>', b"Smith, Anna"),
        (b"a@x: b@y", "':' belongs after a group name", b":"),
        # A Q encoded-word that holds specials, as Mandrill wrote it
        # (mailcore2's unittest/data/parser/input/messages/headers.txt): the
        # ':' made a group and the ')' a stray; one error, the word's.
        (
            b"=?utf-8?Q?Chip=20:)?= <a@x.example>",
            "the encoded-word '=?utf-8?Q?Chip=20:)?=' holds ':' and ')', which RFC 2047",
            b"=?utf-8?Q?Chip=20:)?=",
        ),
        (b"=?utf-8?Q?Doe,_John?= <j@x.example>", "holds ','", b"=?utf-8?Q?Doe,_John?="),
        (b"=?utf-8?Q?Chip=20=3A=29?= <a@x.example>", "", b""),  # written as =XX: fine
    ],
)
def test_reader_errors(value: bytes, error: str, bad: bytes) -> None:
    errors = [a for a in spans(value) if a.error]
    if not error:
        assert not errors
        return
    assert len(errors) == 1 and error in (errors[0].error or "")
    assert value[errors[0].error_start - 100 : errors[0].error_end - 100] == bad


# Lists the standard library reads without complaint: both readers must agree.
AGREED = [
    b"ann@example.com",
    b"Ann Example <ann@example.com>",
    b'"Smith, John" <john@example.com>, ann@example.org',
    b"ann@example.org (Ann at home), <bob@example.net>",
    b'"john smith"@example.com',
    b"=?utf-8?q?J=C3=B6rg?= <joerg@example.com>",
    b"a@example.com,\r\n b@example.com,\r\n\tc@example.com",
    b"Team: a@x.example, b@y.example;",
    b"d@[192.0.2.1]",
    b"j.r.r.tolkien@example.org",
]


def _getaddresses(text: str) -> list[tuple[str, str]]:
    """``email.utils.getaddresses`` parsing the list, not vetting it.

    Python 3.13 (and the 3.11/3.12 security releases after CVE-2023-27043)
    call it with ``strict=True`` by default, which returns ``('', '')`` for
    any address holding ``[``: a domain literal (RFC 5322 §3.4.1) is then
    refused, not read. ``strict=False`` is the parse earlier Pythons do.
    """
    try:
        return email.utils.getaddresses([text], strict=False)  # type: ignore[call-arg,unused-ignore]
    except TypeError:  # 3.11.7 and 3.12.1: no strict parameter, never strict
        return email.utils.getaddresses([text])


@pytest.mark.parametrize("value", AGREED)
def test_reader_agrees_with_standard_library(value: bytes) -> None:
    text = value.decode("ascii")
    ours = [a.addr_spec for a in spans(value)]
    theirs = [addr for _, addr in _getaddresses(text) if addr]
    assert ours == theirs
    header = BytesHeaderParser(policy=email.policy.default).parsebytes(
        b"To: " + value + b"\r\n\r\n"
    )["to"]
    assert not header.defects
    assert ours == [a.addr_spec for a in header.addresses]


@pytest.mark.parametrize(
    "value", [b"Smith, John <j@example.com>", b"john smith@example.com", b'"x <a@b.example>']
)
def test_reader_flags_what_the_standard_library_calls_defects(value: bytes) -> None:
    header = BytesHeaderParser(policy=email.policy.default).parsebytes(
        b"To: " + value + b"\r\n\r\n"
    )["to"]
    assert header.defects
    assert any(not a.ok for a in spans(value))


@given(st.binary(max_size=200))
@settings(max_examples=examples(300))
def test_reader_is_total_and_spans_stay_inside(value: bytes) -> None:
    for a in parse_addresses(value, 7):
        offsets = [a.start, a.end, a.local_start, a.local_end, a.domain_start, a.domain_end]
        if a.error is not None:
            offsets += [a.error_start, a.error_end]
        for offset in offsets:
            assert 7 <= offset <= 7 + len(value)
        assert a.start <= a.end


def test_parse_address_list_uses_absolute_offsets() -> None:
    raw = mail("From: Ann <ann@example.com>\nTo: bob@example.org")
    message = mimelint.parse(raw)
    header = message.header("to")
    assert header is not None
    (bob,) = parse_address_list(header)
    assert raw[bob.local_start : bob.domain_end] == b"bob@example.org"


def test_check_domain() -> None:
    assert check_domain(b"example.com").ascii_form is None
    assert check_domain("BÜCHER.example".encode()).ascii_form == "xn--bcher-kva.example"
    assert check_domain("straße.example".encode()).ascii_form == "xn--strae-oqa.example"
    bad = check_domain(b"ok.xn--zz.example")
    assert bad.error and (bad.error_start, bad.error_end) == (3, 9)
    assert check_domain("a.☃.example".encode()).error is not None
    assert check_domain(b"[192.0.2.1]").error is None


# ------------------------------------------------------------- the rules
FROM = "From: Ann <ann@example.com>\n"


def test_m401_positions() -> None:
    raw = mail(FROM + "To: Smith, John <john@example.com>\nCc: a@example.com; b@example.com")
    assert where(raw, "M401") == [(2, 5, ""), (3, 18, "")]
    (first, second) = findings(raw, "M401")
    assert "Missing final '@domain'" in first.message and "'Smith'" in first.message
    assert "';' is not a separator" in second.message


def test_m401_last_first_suggests_the_quoted_name() -> None:
    raw = mail("From: Smith, Anna <anna@example.com>\nTo: bob@example.org")
    assert where(raw, "M401") == [(1, 7, "")]
    (f,) = findings(raw, "M401")
    assert raw[f.start : f.end] == b"Smith, Anna"
    assert 'put the name in double quotes: "Smith, Anna" <anna@example.com>' in f.message
    assert "Missing final '@domain'" in f.message  # the SES text, to recognise it
    # several names, some with more words; the quoted ones are fine
    raw = mail(
        FROM + 'To: van der Berg, Anna Maria <a@example.com>, "Jones, Bob" <b@example.com>,'
        "\n Lee, Kim <k@example.com>"
    )
    # one field, one finding: at the first name, counting the other
    assert where(raw, "M401") == [(2, 5, "")]
    (first,) = findings(raw, "M401")
    assert '"van der Berg, Anna Maria" <a@example.com>' in first.message
    assert first.message.endswith("(1 more mailbox in this field cannot be read either)")
    # a field on its own gets its own finding
    raw = mail(FROM + "To: Lee, Kim <k@example.com>\nCc: Smith, Bo <b@example.com>")
    assert where(raw, "M401") == [(2, 5, ""), (3, 5, "")]
    assert '"Lee, Kim" <k@example.com>' in findings(raw, "M401")[0].message


def test_m401_one_finding_per_field_with_a_count() -> None:
    # 19 words without a domain in one To: one finding, not 19
    raw = mail(FROM + "To: " + ", ".join(f"user{n}" for n in range(19)))
    assert where(raw, "M401") == [(2, 5, "")]
    (f,) = findings(raw, "M401")
    assert raw[f.start : f.end] == b"user0"
    assert "(18 more mailboxes in this field cannot be read either)" in f.message


def test_m401_quiet_on_a_whole_mailbox_in_an_encoded_word() -> None:
    # what Python's compat32 writes for msg["From"] = "Jörg <joerg@example.com>"
    word = "=?utf-8?b?SsO2cmcgPGpvZXJnQGV4YW1wbGUuY29tPg==?="
    assert where(mail(f"From: {word}\nTo: bob@example.org"), "M401") == []
    # near misses: a word that decodes to a name only, or to two mailboxes
    name_only = "=?utf-8?q?J=C3=B6rg?="
    assert where(mail(f"From: {name_only}\nTo: bob@example.org"), "M401") == [(1, 7, "")]
    two = "=?utf-8?q?a=40x=2Eexample=2C_b=40y=2Eexample?="
    assert where(mail(f"From: {two}\nTo: bob@example.org"), "M401") == [(1, 7, "")]


def test_m401_bare_name_without_a_following_address_is_not_last_first() -> None:
    (f,) = findings(mail(FROM + "To: Smith, bob@example.org"), "M401")
    assert "'Smith' has no @domain (SES: Missing final '@domain')" in f.message
    assert "double quotes" not in f.message


def test_m401_unclosed_comment_points_at_the_paren() -> None:
    raw = mail("From: a@example.com (Anna\nTo: bob@example.org")
    assert where(raw, "M401") == [(1, 21, "")]
    (f,) = findings(raw, "M401")
    assert raw[f.start : f.end] == b"(Anna"
    assert "not closed with ')'" in f.message and "end of header inside comment" in f.message
    raw = mail(FROM + "To: bob@example.org (Bob (work),\n carol@example.net")
    assert where(raw, "M401") == [(2, 21, "")]  # the comment swallows the rest of the field


def test_m401_near_miss_nested_balanced_comments() -> None:
    raw = mail("From: a@example.com (Anna (work))\nTo: Bob <bob@example.org> (Bob (home) \\( x)")
    assert where(raw, "M401") == []


def test_m401_doubled_angle_brackets() -> None:
    raw = mail(FROM + "To: Anna <<anna@example.com>>")
    assert where(raw, "M401") == [(2, 10, "")]
    (f,) = findings(raw, "M401")
    assert raw[f.start : f.end] == b"<<anna@example.com>>"
    assert "<<...>> around the address" in f.message and "Anna <anna@example.com>" in f.message
    assert "text after the address" not in f.message
    raw = mail(FROM + "To: <anna@example.com>>")
    assert where(raw, "M401") == [(2, 5, "")]
    assert "<...>> around the address" in findings(raw, "M401")[0].message


def test_m401_other_messages_say_what_to_do() -> None:
    cases = {
        "john smith@example.com": "white space inside the local part 'john smith'",
        "<>": "null sender",
        "a@example.com)": "')' without a matching '('",
        "Bob <bob@example.org": "'<' is not closed with '>'",
        "bob@example.org>": "'>' without a matching '<'",
    }
    for value, text in cases.items():
        (f,) = findings(mail(FROM + "To: " + value), "M401")
        assert f.message.startswith("To: ") and text in f.message, (value, f.message)


def test_m401_folded_value() -> None:
    raw = mail(
        FROM + "To: ok@example.com,\n  John Smith <john@example.com>,\n  bad address@example.com"
    )
    assert where(raw, "M401") == [(4, 7, "")]


def test_m401_near_misses() -> None:
    raw = mail(
        FROM + 'To: "Smith, John" <john@example.com>, "john smith"@example.com\n'
        "Cc: undisclosed-recipients:;\nBcc: <@relay.example:c@example.net>, d@[192.0.2.1]"
    )
    assert where(raw, "M401") == []


# ------------------------------------------------------------ M408, M409
ROUTE = FROM + "To: Bob <@relay.example:bob@example.org>, carol@example.net"


def _apply(raw: bytes, code: str, profile: str = "ses", safe: bool = True) -> bytes:
    (f,) = findings(raw, code, profile=profile)
    expected = mimelint.Safety.SAFE if safe else mimelint.Safety.UNSAFE
    assert f.fix is not None and f.fix.safety is expected
    return apply_fix(raw, f)


def test_m408_route_is_an_error_under_ses() -> None:
    raw = mail(ROUTE)
    for profile in ("ses", "ses-v2"):
        assert where(raw, "M408", profile=profile) == [(2, 10, "")]
        assert where(raw, "M409", profile=profile) == []
    (f,) = findings(raw, "M408")
    assert raw[f.start : f.end] == b"@relay.example:"
    assert "Extra route-addr" in f.message and "<bob@example.org>" in f.message
    fixed = _apply(raw, "M408")
    assert b"To: Bob <bob@example.org>, carol@example.net\r\n" in fixed
    assert where(fixed, "M408") == [] and where(fixed, "M401") == []


def test_m408_multi_hop_route_and_folding() -> None:
    raw = mail(FROM + "Cc: ann@example.com,\n <@r1.example,@r2.example:joe@example.org>")
    assert where(raw, "M408") == [(3, 3, "")]
    (f,) = findings(raw, "M408")
    assert raw[f.start : f.end] == b"@r1.example,@r2.example:"
    assert where(raw, "M409") == []  # the ',' inside the route separates nothing


def test_m409_route_is_a_warning_under_rfc() -> None:
    raw = mail(ROUTE)
    assert where(raw, "M408", profile="rfc") == []
    assert where(raw, "M409", profile="rfc") == [(2, 10, "")]
    fixed = _apply(raw, "M409", profile="rfc")
    assert b"To: Bob <bob@example.org>, carol" in fixed


def test_m408_near_misses() -> None:
    raw = mail(
        FROM + 'To: "@relay.example: Bob" <bob@example.org>, Team: c@example.net;\n'
        "Cc: <dave@example.com>, Eve <eve@example.com> (at: home)"
    )
    assert where(raw, "M408") == [] and where(raw, "M409", profile="rfc") == []


@pytest.mark.parametrize(
    ("value", "column", "span", "left"),
    [
        ("a@example.com,, b@example.com", 19, b",", b"a@example.com, b@example.com"),
        ("a@example.com, , ,b@example.com", 20, b", ,", b"a@example.com,  b@example.com"),
        (", a@example.com", 5, b",", b" a@example.com"),
        ("a@example.com,", 18, b",", b"a@example.com"),
        (
            "a@example.com, (nobody), b@example.com",
            28,
            b",",
            b"a@example.com, (nobody) b@example.com",
        ),
        ("Team: a@example.com,,b@example.com;", 25, b",", b"Team: a@example.com,b@example.com;"),
        (
            '"A" <a@example.com>,,\n b@example.com',
            25,
            b",",
            b'"A" <a@example.com>,\r\n b@example.com',
        ),
    ],
)
def test_m409_empty_list_elements(value: str, column: int, span: bytes, left: bytes) -> None:
    raw = mail(FROM + "To: " + value)
    assert where(raw, "M409") == [(2, column, "")]
    (f,) = findings(raw, "M409")
    assert raw[f.start : f.end] == span
    fixed = _apply(raw, "M409", safe=False)
    start = fixed.index(b"To: ") + 4
    assert fixed[start : fixed.index(b"\r\nSubject")] == left
    assert where(fixed, "M409") == []
    assert findings(raw, "M401") == []


def test_m409_near_misses() -> None:
    raw = mail(
        FROM + "To: undisclosed-recipients:;\n"
        'Cc: "Smith,, John" <john@example.com>, "x," <x@example.com>, Team: ;\n'
        "Bcc: a@example.com (a, , b), b@example.com"
    )
    assert where(raw, "M409") == []


def test_m401_only_reads_address_fields() -> None:
    assert where(mail(FROM + "To: a@example.com\nX-Owner: Smith, John"), "M401") == []


def test_m402_non_ascii_local_part() -> None:
    raw = mail(FROM + "To: Bob <bob@example.com>, 张伟@example.com")
    assert where(raw, "M402") == [(2, 28, "")]
    (f,) = findings(raw, "M402")
    assert f.end - f.start == len("张伟".encode()) and f.fix is None
    assert "not fixable" in f.message


def test_m402_near_miss_quoted_ascii_and_encoded_name() -> None:
    raw = mail(FROM + 'To: =?utf-8?b?5byg5Lyf?= <zhang.wei@example.com>, "zhang wei"@example.com')
    assert where(raw, "M402") == []


def test_m403_domain_and_its_fix() -> None:
    raw = mail(FROM + "To: Jörg <joerg@bücher.example>")
    assert where(raw, "M403") == [(2, 17, "")]
    (f,) = findings(raw, "M403")
    assert f.fix is not None and f.fix.safety is mimelint.Safety.SAFE
    (edit,) = f.fix.edits
    assert raw[edit.start : edit.end] == "bücher.example".encode()
    assert edit.replacement == b"xn--bcher-kva.example"
    fixed = raw[: edit.start] + edit.replacement + raw[edit.end :]
    assert where(fixed, "M403") == []


def test_m403_no_fix_when_a_comment_splits_the_domain() -> None:
    raw = mail(FROM + "To: joerg@bücher (shop) .example")
    (f,) = findings(raw, "M403")
    assert f.fix is None


def test_m403_near_miss_a_label() -> None:
    assert where(mail(FROM + "To: Joerg <joerg@xn--bcher-kva.example>"), "M403") == []


def test_m404_invalid_labels() -> None:
    raw = mail(FROM + "To: ann@xn--zz.example, bob@snow.☃.example")
    assert where(raw, "M404") == [(2, 9, "")]  # one field, one finding, with a count
    assert findings(raw, "M404")[0].message.endswith("(and 1 more in this field)")
    raw = mail(FROM + "To: ann@xn--zz.example\nCc: bob@snow.☃.example")
    assert where(raw, "M404") == [(2, 9, ""), (3, 14, "")]
    assert (
        where(mail(FROM + "To: ann@xn--bcher-kva.example, sales@xn--55qx5d.example"), "M404") == []
    )


def test_m405_lengths() -> None:
    local65 = "a" * 65
    raw = mail(FROM + f"To: {local65}@example.com")
    assert where(raw, "M405") == [(2, 5, "")]
    assert "65 octets" in findings(raw, "M405")[0].message
    domain = ".".join(["d" * 63] * 4)  # 255 octets: legal as a domain
    raw = mail(FROM + f"To: bob@{domain}")
    assert where(raw, "M405") == [(2, 5, "")]  # but 259 octets as an address
    assert "259 octets" in findings(raw, "M405")[0].message
    raw = mail(FROM + f"To: bob@{domain}x")
    assert where(raw, "M405") == [(2, 9, "")]


def test_m405_near_miss_64_octets() -> None:
    assert where(mail(FROM + "To: " + "a" * 64 + "@example.com"), "M405") == []


def test_m406_missing_from_points_at_end_of_header() -> None:
    raw = mail("To: bob@example.org")
    assert where(raw, "M406") == [(5, 1, "")]
    assert where(mail("From: \nTo: bob@example.org"), "M406") == [(1, 1, "")]


def test_m406_embedded_message_without_from_is_fine() -> None:
    raw = msg(
        FROM + "To: bob@example.org\nMIME-Version: 1.0\nContent-Type: message/rfc822\n\n"
        "To: carol@example.org\nSubject: draft\n\nbody\n"
    )
    assert where(raw, "M406") == []


def test_m407_first_recipient_over_the_limit() -> None:
    to = ", ".join(f"u{i}@example.org" for i in range(1, 31))
    cc = ",\n ".join(f"c{i}@example.org" for i in range(31, 52))
    raw = mail(FROM + f"To: {to}\nCc: {cc}")
    assert where(raw, "M407") == [(23, 2, "")]
    (f,) = findings(raw, "M407")
    assert raw[f.start : f.end] == b"c51@example.org"
    assert "51 recipients" in f.message
    assert where(raw, "M407", profile="rfc") == []


def test_m407_exactly_50_and_empty_groups() -> None:
    to = ", ".join(f"u{i}@example.org" for i in range(1, 51))
    assert where(mail(FROM + f"To: {to}\nBcc: undisclosed-recipients:;"), "M407") == []


def test_rules_never_raise_on_odd_bytes() -> None:
    raw = b'From: "\\\r\nTo: (((<@\xff\xfe>\r\nCc: a@\xc3(\r\nBcc: \x00;:,<>@[\r\n\r\n'
    report = mimelint.lint(raw, select=["M4"])
    assert not report.internal_errors


def test_m401_mentions_ses_only_under_an_ses_profile() -> None:
    raw = mail(FROM + "To: Smith, bob@example.org")
    (ses,) = findings(raw, "M401")
    (rfc,) = findings(raw, "M401", profile="rfc")
    assert (rfc.line, rfc.column, rfc.end_column) == (ses.line, ses.column, ses.end_column)
    assert "(SES: Missing final '@domain')" in ses.message
    assert "SES" not in rfc.message and "'Smith' has no @domain; write" in rfc.message


@pytest.mark.parametrize(
    ("value", "what"),
    [
        ("(nobody)", "a comment"),
        ("(Sent: by robot)", "a comment"),
        ("undisclosed:;", "an empty group"),
        ("list (x): ;", "an empty group"),
        (" ,, ", "separators"),
    ],
)
def test_m406_from_without_any_mailbox(value: str, what: str) -> None:
    raw = mail(f"From: {value}\nTo: bob@example.org")
    found = [f for f in mimelint.lint(raw).findings if f.code == "M406"]
    # at the first byte of the value that is not white space
    assert [(f.line, f.column) for f in found] == [(1, 7 + len(value) - len(value.lstrip()))]
    assert f"only {what}" in found[0].message


@pytest.mark.parametrize(
    "value", ["Team: ann@example.com;", "ann@example.com (Ann)", "nobody", "Ann <ann@example.com>"]
)
def test_m406_near_miss_from_with_a_mailbox_or_a_broken_one(value: str) -> None:
    # a group with a member, a comment after a mailbox, and a mailbox M401 reports
    assert where(mail(f"From: {value}\nTo: bob@example.org"), "M406") == []


# ------------------------------------------- Resent-* and M414-M416
RESENT = "Resent-From: ann@example.com\nResent-Date: Thu, 26 Nov 2026 09:00:00 +0000\n"


def test_resent_fields_are_read_like_the_originating_ones() -> None:
    raw = mail(RESENT + "Resent-To: Smith, Carol <carol@example.net>, 张伟@example.com\n" + FROM)
    assert where(raw, "M401") == [(3, 12, "")]
    assert "Resent-To:" in findings(raw, "M401")[0].message
    assert where(raw, "M402") == [(3, 46, "")]
    raw = mail(RESENT + "Resent-Cc: Bob <@relay.example:bob@example.org>\n" + FROM)
    assert where(raw, "M408") == [(3, 17, "")]
    # the originating recipients are still the ones counted against the limit
    many = ", ".join(f"u{n}@example.com" for n in range(60))
    assert where(mail(RESENT + f"Resent-To: {many}\n" + FROM), "M407") == []


def test_m414_several_authors_without_sender() -> None:
    raw = mail("From: ann@example.com, Bob <bob@example.org>\nTo: team@example.net")
    assert where(raw, "M414") == [(1, 24, "")]
    (f,) = findings(raw, "M414")
    assert raw[f.start : f.end] == b"Bob <bob@example.org>"
    assert "From names 2 mailboxes and there is no Sender field" in f.message


def test_m414_resent_block_needs_its_own_resent_sender() -> None:
    two = "Resent-From: ann@example.com, bob@example.org\n"
    date = "Resent-Date: Thu, 26 Nov 2026 09:00:00 +0000\n"
    raw = mail(two + date + FROM)
    assert where(raw, "M414") == [(1, 31, "")]
    assert "Resent-Sender" in findings(raw, "M414")[0].message
    # a Resent-Sender in the block, or a Sender for From, settles it
    assert where(mail(two + "Resent-Sender: ann@example.com\n" + date + FROM), "M414") == []
    # a Resent-Sender of another (older) block does not
    older = "Resent-Sender: ann@example.com\nResent-From: ann@example.com\n" + date
    assert where(
        mail(two + date + "Received: by x; Thu, 26 Nov 2026 09:00:00 +0000\n" + older + FROM),
        "M414",
    ) == [(1, 31, "")]


def test_m414_near_misses() -> None:
    for headers in [
        "From: ann@example.com\nTo: a@x.example, b@y.example",  # one author
        "From: ann@example.com, bob@example.org\nSender: ann@example.com\nTo: t@x.example",
        "From: Team: ann@example.com;\nTo: t@x.example",  # a group of one
        "From: ann@example.com, bob\nTo: t@x.example",  # the second is M401's
        'From: "a@b, c@d" <ann@example.com>\nTo: t@x.example',  # '@' inside a quoted name
    ]:
        assert where(mail(headers), "M414") == [], headers


def test_m415_obsolete_phrase_and_its_fix() -> None:
    raw = mail("From: John Q. Public <jqp@example.com>\nTo: bob@example.org")
    assert where(raw, "M415") == [(1, 13, "")]
    (f,) = findings(raw, "M415")
    assert raw[f.start : f.end] == b"."
    assert '"John Q. Public" <jqp@example.com>' in f.message
    fixed = apply_fix(raw, f)
    assert fixed.startswith(b'From: "John Q. Public" <jqp@example.com>\r\n')
    assert where(fixed, "M415") == []
    assert mimelint.fix(raw) == fixed  # the proof accepts it: every reader sees the same name


def test_m415_period_before_the_angle_and_one_finding_per_field() -> None:
    raw = mail(FROM + "To: John Doe.<john@example.com>, J. <j@example.net>, Dr. Who <w@x.example>")
    assert where(raw, "M415") == [(2, 13, "")]
    (f,) = findings(raw, "M415")
    assert f.message.endswith("(2 more display names in this field too)")
    # Python's email before 3.13 cannot read a field with '.<': no fix could pass
    # the proof on every supported Python, so none is offered on any
    assert f.fix is None
    raw = mail(FROM + "To: John Doe. <john@example.com>, J. <j@example.net>, Dr. Who <w@x.example>")
    (f,) = findings(raw, "M415")
    fixed = apply_fix(raw, f)
    assert b'To: "John Doe." <john@example.com>, "J." <j@example.net>, "Dr. Who" <w' in fixed
    assert where(fixed, "M415") == []
    assert mimelint.fix(raw).data == fixed


def test_m415_no_fix_where_quotes_would_change_the_name() -> None:
    raw = mail(FROM + "To: =?utf-8?q?J=C3=B6rg?= Q. Xu <x@example.net>")
    (f,) = findings(raw, "M415")
    assert (f.line, f.column) == (2, 28) and f.fix is None
    raw = mail(FROM + "To: John  Q. Public <x@example.net>")  # two spaces: quoting keeps them
    (f,) = findings(raw, "M415")
    assert f.fix is None


def test_m415_near_misses() -> None:
    for headers in [
        'From: "John Q. Public" <jqp@example.com>',
        "From: John (Q.) Public <jqp@example.com>",
        "From: john.q.public@example.com",
        "From: John Public <john.q@example.com>",
    ]:
        assert where(mail(headers + "\nTo: b@example.org"), "M415") == [], headers


_SEPARATORS = b'<>@,"\\'


def _dot_before_angle(text: bytes) -> bool:
    """M415's pre-filter by its definition: a '.' and, after it, a '<' with
    no separator between them."""
    for i, byte in enumerate(text):
        if byte == ord("."):
            for later in text[i + 1 :]:
                if later == ord("<"):
                    return True
                if later in _SEPARATORS:
                    break
    return False


@settings(max_examples=examples(400), deadline=None)
@given(st.lists(st.sampled_from([b".", b"<", b">", b"@", b",", b'"', b"\\", b"a", b" "])))
def test_m415_prefilter_is_its_definition(pieces: list[bytes]) -> None:
    from mimelint.rules.addresses.m415_obsolete_phrase import dot_before_angle

    text = b"".join(pieces)
    assert dot_before_angle(text) is _dot_before_angle(text)


@pytest.mark.parametrize(
    ("headers", "pos", "text"),
    [
        ("To:", (2, 1), "To is empty"),
        ("To: \nCc:  ", (2, 1), "To is empty"),
        ("Cc: (nobody)", (2, 5), "Cc holds no address, only a comment"),
        ("To: ,,", (2, 5), "To holds no address, only separators"),
        (RESENT + "Resent-To:", (4, 1), "Resent-To is empty"),
    ],
)
def test_m416_empty_recipient_fields(headers: str, pos: tuple[int, int], text: str) -> None:
    raw = mail(FROM + headers)
    assert where(raw, "M416")[0] == (*pos, "")
    assert text in findings(raw, "M416")[0].message


def test_m416_near_misses() -> None:
    for headers in [
        "To: undisclosed-recipients:;",
        "To: a@example.com\nBcc:",
        "Bcc: (none)",
        "To: Smith",
    ]:
        assert where(mail(FROM + headers), "M416") == [], headers


def test_rules_read_named_behaviours_not_the_provider_name() -> None:
    # A profile for another provider says what it does by its switches.
    from mimelint.profile import RFC

    strict = RFC.replace(name="strict", refuses_source_routes=True, quotes_provider_errors=True)
    raw = mail(ROUTE)
    assert where(raw, "M408", profile=strict) == [(2, 10, "")]
    assert where(raw, "M409", profile=strict) == []
    (f,) = findings(mail("From: John Smith\nTo: b@example.org"), "M401", profile=strict)
    assert "(SES: Missing final '@domain')" in f.message


def test_m403_one_finding_per_field_and_one_fix_for_all() -> None:
    raw = mail(FROM + "To: a@bücher.example, b@ü.example, c@example.com")
    assert where(raw, "M403") == [(2, 7, "")]
    (f,) = findings(raw, "M403")
    assert f.message.endswith("(and 1 more in this field)")
    fixed = apply_fix(raw, f)
    assert b"To: a@xn--bcher-kva.example, b@xn--tda.example, c@example.com\r\n" in fixed
    assert where(fixed, "M403") == []


def test_m402_and_m408_one_finding_per_field() -> None:
    raw = mail(FROM + "To: 张伟@example.com, 李娜@example.com")
    assert where(raw, "M402") == [(2, 5, "")]
    raw = mail(FROM + "To: <@r.example:a@example.com>, <@r.example:b@example.com>")
    (f,) = findings(raw, "M408")
    assert (f.line, f.column) == (2, 6) and f.fix is not None and len(f.fix.edits) == 2
    assert b"To: <a@example.com>, <b@example.com>" in apply_fix(raw, f)


def test_resent_blocks_are_told_apart() -> None:
    from mimelint.mime.address_fields import resent_blocks
    from mimelint.mime.parse import parse

    raw = mail(
        "Resent-From: c@example.net\nResent-Date: Mon, 02 Mar 2026 11:00:00 +0000\n"
        "Resent-From: d@example.net\nResent-Date: Mon, 02 Mar 2026 10:30:00 +0000\n"
        "Received: by x; Mon, 02 Mar 2026 10:00:00 +0000\nResent-Date: Mon, 02 Mar 2026\n" + FROM
    )
    blocks = resent_blocks(parse(raw).headers)
    assert [[h.lname for h in b] for b in blocks] == [
        ["resent-from", "resent-date"],
        ["resent-from", "resent-date"],
        ["resent-date"],
    ]


def test_m406_resent_block_without_resent_from_is_a_warning() -> None:
    raw = mail("Resent-Date: Mon, 02 Mar 2026 11:00:00 +0000\nResent-To: c@example.net\n" + FROM)
    (f,) = findings(raw, "M406")
    assert (f.line, f.column, f.severity.value) == (1, 1, "warning")
    assert "(Resent-Date, Resent-To) has no Resent-From" in f.message
    assert where(mail(RESENT + FROM), "M406") == []


@pytest.mark.parametrize(
    "block",
    [
        # Debian's list software (SpamAssassin's t/data/nice/cjk/gb2312.2):
        # its List-* fields sit between Resent-From and Resent-Sender/-Date.
        (
            "Resent-Message-Id: <x-P8u.A.jqC@murphy>\nResent-From: list@lists.example.org\n"
            "X-Mailing-List: <list@lists.example.org> archive/latest/7971\n"
            "List-Post: <mailto:list@lists.example.org>\nPrecedence: list\n"
            "Resent-Sender: list-request@lists.example.org\n"
            "Resent-Date: Sun,  9 Feb 2003 20:10:09 -0600\n"
        ),
        # A 1991 resending (t/data/nice/mime4): one field between Resent-From
        # and Resent-To.
        (
            "Resent-Date: Thu,  3 Oct 1991 16:03:59 -0400\n"
            "Resent-From: Nathaniel <nsb@example.com>\nIf-Type-Unsupported: send\n"
            "Resent-To: Mark <mrc@example.edu>\n"
        ),
    ],
)
def test_m406_other_fields_inside_a_resent_block_do_not_split_it(block: str) -> None:
    from mimelint.mime.address_fields import resent_blocks
    from mimelint.mime.parse import parse

    raw = mail("Received: by x; Mon, 02 Mar 2026 10:00:00 +0000\n" + block + FROM)
    assert where(raw, "M406") == []
    (only,) = resent_blocks(parse(raw).headers)
    assert all(h.lname.startswith("resent-") for h in only)


def test_m406_a_lone_resent_sender_belongs_to_the_block_above() -> None:
    # Debian's bug tracker (notmuch's test/corpora/duplicate/msg-1-2:2,):
    # Resent-From, -To, -CC, -Date and -Message-ID at the top, then the
    # trace fields and the original's fields, then its Resent-Sender.
    from mimelint.mime.address_fields import resent_blocks
    from mimelint.mime.parse import parse

    top = (
        "Resent-From: Anna <anna@example.com>\nResent-To: list@example.org\n"
        "Resent-Date: Wed, 28 Nov 2012 22:42:02 +0000\n"
        "Received: by bugs.example.org; 28 Nov 2012 22:40:14 +0000\n"
    )
    raw = mail(top + FROM + "Resent-Sender: Tracker <bugs@example.org>\n")
    assert where(raw, "M406") == []
    (block,) = resent_blocks(parse(raw).headers)
    assert [h.lname for h in block][-1] == "resent-sender"
    # A second Resent-Sender is a block of its own again, and still flagged.
    twice = mail(
        top.replace("Resent-To:", "Resent-Sender: a@example.com\nResent-To:")
        + FROM
        + "Resent-Sender: Tracker <bugs@example.org>\n"
    )
    assert [line for line, _, _ in where(twice, "M406")] == [7]


def test_m406_a_trace_field_ends_a_resent_block() -> None:
    raw = mail(
        "Resent-From: c@example.net\nReceived: by x; Mon, 02 Mar 2026 10:00:00 +0000\n"
        "Resent-To: d@example.net\n" + FROM
    )
    assert where(raw, "M406") == [(3, 1, "")]
