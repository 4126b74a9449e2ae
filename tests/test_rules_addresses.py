"""Header address rules M401-M407 and the address-list reader they share."""

from __future__ import annotations

import email.policy
import email.utils
from email.parser import BytesHeaderParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from mimelint.rules.addresses import AddressSpan, check_domain, parse_address_list, parse_addresses

import mimelint
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
        (b"a@x.example; b@y.example", "';' is not allowed here", b";"),
        (b"@x.example", "Missing local name", b"@"),
        (b"a@", "Missing domain", b""),
        (b"a@b..example", "empty label", b"."),
        (b"a@exa!mple", "", b""),  # '!' is atext: legal in a header domain
        (b"<a@x.example> trailing", "text after the address", b"trailing"),
        (b'"open <a@x.example>', "quoted string is not closed", b'"open <a@x.example>'),
        (b"user@example.com <user@example.com>", "'@' in a display name", b"@"),
        (b"Team: a@x.example", "is not closed with ';'", b""),
        (b"<>", "empty address '<>'", b"<>"),
        (b"a\x01b@x.example", "not allowed here", b"\x01"),
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


@pytest.mark.parametrize("value", AGREED)
def test_reader_agrees_with_standard_library(value: bytes) -> None:
    text = value.decode("ascii")
    ours = [a.addr_spec for a in spans(value)]
    theirs = [addr for _, addr in email.utils.getaddresses([text]) if addr]
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
@settings(max_examples=300)
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
    (first, _) = findings(raw, "M401")
    assert "Missing final '@domain'" in first.message and "'Smith'" in first.message


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
    assert where(raw, "M404") == [(2, 9, ""), (2, 34, "")]
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
