"""Envelope rules M410-M413: the SES Source and Destinations, given to lint()."""

from __future__ import annotations

import pytest

import mimelint
from mimelint.rule import Finding
from tests.util import msg

RAW = msg(
    "From: Ann <ann@example.com>\nTo: Bob <bob@example.org>\nSubject: Hi\n"
    "Date: Wed, 25 Nov 2026 10:00:00 +0000\nMessage-ID: <1@example.com>\n\nHello\n"
)


def envelope(
    code: str, sender: str | None, *recipients: str, profile: str = "ses"
) -> list[Finding]:
    report = mimelint.lint(
        RAW, select=[code], envelope_from=sender, envelope_to=list(recipients), profile=profile
    )
    assert not report.internal_errors
    return report.findings


def test_envelope_findings_sit_at_the_start_of_the_message() -> None:
    (f,) = envelope("M410", "ann smith@example.com")
    assert (f.start, f.end, f.line, f.column, f.part) == (0, 0, 1, 1, "")
    assert f.message.startswith("envelope sender <ann smith@example.com>")
    assert "Local address contains control or whitespace" in f.message


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("ann", "Missing final '@domain'"),
        ("@example.com", "Missing local name"),
        ("ann@", "Missing domain"),
        ("", "is empty"),
        ("a@example.com, b@example.com", "more than one address"),
        ("ann@exa_mple.com", "Domain contains illegal character"),
        ("ann@-example.com", "Domain contains illegal character"),
        ("Grüße <ann@example.com>", "RFC 2047"),
        ("a" * 65 + "@example.com", "65 octets"),
        ("ann\t@example.com", "Local address contains control or whitespace"),
        ("<@relay.example:ann@example.com>", "Extra route-addr"),
        ("Ann <ann@example.com", "'<' is not closed with '>'"),
    ],
)
def test_m410_messages_name_the_value_and_the_problem(value: str, text: str) -> None:
    (f,) = envelope("M410", "ann@example.com", "ok@example.org", value)
    assert f.message.startswith(f"envelope recipient 2 <{value}>")
    assert text in f.message


@pytest.mark.parametrize(
    "value",
    [
        "ann@example.com",
        "Ann Example <ann@example.com>",
        '"Example, Ann" <ann@example.com>',
        "=?utf-8?q?J=C3=B6rg?= <joerg@example.com>",
        "postmaster@[192.0.2.1]",
        "a" * 64 + "@example.com",
        "ann+tag@mail-1.example.com",
    ],
)
def test_m410_near_misses(value: str) -> None:
    assert envelope("M410", value, value) == []


def test_m411_gives_the_punycode_form_from_the_ses_page() -> None:
    (f,) = envelope("M411", "ann@example.com", "bob@example.org", "张伟@example.com")
    assert (f.line, f.column, f.part) == (1, 1, "")
    assert f.message.startswith("envelope recipient 2 <张伟@example.com>")
    assert "'xn--cpqy30b@example.com'" in f.message
    assert "another SES page" in f.message


def test_m411_punycode_of_local_and_domain_together() -> None:
    (f,) = envelope("M411", "张伟@bücher.example")
    assert "'xn--cpqy30b@xn--bcher-kva.example'" in f.message
    assert f.message.startswith("envelope sender")


def test_m411_near_miss_ascii_and_punycoded_local_parts() -> None:
    assert envelope("M411", "xn--cpqy30b@example.com", "zhang.wei@example.com") == []


def test_m412_domain_to_a_label_and_bad_labels() -> None:
    found = envelope(
        "M412", "joerg@BÜCHER.example", "ann@xn--zz.example", "ann@xn--bcher-kva.example"
    )
    assert [f.message.split(" ", 3)[:3] for f in found] == [
        ["envelope", "sender", "<joerg@BÜCHER.example>"],
        ["envelope", "recipient", "1"],
    ]
    assert "'xn--bcher-kva.example'" in found[0].message
    assert "not a valid IDNA A-label" in found[1].message


def test_m413_counts_destinations_under_ses_only() -> None:
    recipients = [f"user{i}@example.org" for i in range(1, 52)]
    (f,) = envelope("M413", "ann@example.com", *recipients)
    assert (f.line, f.column) == (1, 1)
    assert "51 envelope recipients" in f.message and "<user51@example.org>" in f.message
    assert envelope("M413", "ann@example.com", *recipients, profile="rfc") == []
    assert envelope("M413", "ann@example.com", *recipients[:50]) == []


def test_no_envelope_no_findings() -> None:
    assert mimelint.lint(RAW, select=["M41"]).findings == []


@pytest.mark.parametrize(
    "value", ["ann (home)@example.com", "ann @ example.com", "ann\x01@example.com"]
)
def test_m410_no_comments_or_space_inside_an_envelope_address(value: str) -> None:
    (f,) = envelope("M410", value)
    assert "Local address contains control or whitespace" in f.message
