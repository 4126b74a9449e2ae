"""Encoded-words that decode to controls, glued or empty words, a mailbox in a word (M327-M330)."""

from __future__ import annotations

import base64
import email
import email.policy
import email.utils
from email.message import EmailMessage
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import mimelint
from mimelint.fixer import fix
from mimelint.rule import Safety
from mimelint.testing import apply_fix, findings, message, where
from tests.profiles import examples

HEAD = "From: a@example.com\nTo: b@example.com\n"


def _subject(raw: bytes) -> str:
    return str(email.message_from_bytes(raw, policy=email.policy.default)["subject"])


# ------------------------------------------------------------------ M327
@pytest.mark.parametrize(
    ("word", "named"),
    [
        ("=?utf-8?q?Hi=0D=0ABcc:_x@evil.example?=", "a carriage return (CR) U+000D and 1 more"),
        ("=?utf-8?b?SGkKQmNjOiB4QGV2aWwuZXhhbXBsZQ==?=", "a line feed (LF) U+000A:"),
        ("=?iso-8859-1?q?a=00b?=", "a NUL U+0000:"),
        ("=?utf-8?q?bell=07?=", "the control character U+0007:"),
    ],
)
def test_control_characters_are_named_with_the_field(word: str, named: str) -> None:
    raw = message(f"{HEAD}Subject: Re: {word}\n\nbody\n")
    (f,) = findings(raw, "M327")
    assert (f.line, f.column, f.end_column, f.severity.value) == (3, 14, 14 + len(word), "error")
    assert f"in Subject decodes to {named}" in f.message


def test_control_characters_in_display_names_and_file_names() -> None:
    raw = message(
        "From: =?utf-8?q?Ann=0D=0A?= <a@example.com>\nTo: b@example.com\nMIME-Version: 1.0\n"
        'Content-Type: application/pdf\nContent-Disposition: attachment; filename="=?utf-8?q?a=00.pdf?="\n'
        "Content-Transfer-Encoding: base64\n\nJVBERi0K\n"
    )
    assert where(raw, "M327") == [(1, 7, ""), (5, 44, "")]
    (_, g) = findings(raw, "M327")
    assert "in Content-Disposition decodes to a NUL" in g.message


@pytest.mark.parametrize(
    "word",
    ["=?utf-8?q?tab=09here?=", "=?utf-8?q?a=3D=20b?=", "=?utf-8?q?0D_0A?=", "=?x-nope?q?=0A?="],
)
def test_tabs_and_lookalikes_are_not_controls(word: str) -> None:
    # A tab is white space; "0D" as text is no CR; an unknown charset is M322's.
    assert where(message(f"{HEAD}Subject: {word}\n\nbody\n"), "M327") == []


# ------------------------------------------------------------------ M328
def test_glued_words_are_an_error_with_a_safe_fix() -> None:
    raw = message(f"{HEAD}Subject: =?utf-8?q?Hello?==?utf-8?q?_W=C3=B6rld?=\n\nbody\n")
    (f,) = findings(raw, "M328")
    assert (f.line, f.column, f.end_column, f.severity.value) == (3, 27, 50, "error")
    assert f.fix is not None and f.fix.safety.value == "safe"
    fixed = apply_fix(raw, f)
    assert b"Subject: =?utf-8?q?Hello?= =?utf-8?q?_W=C3=B6rld?=\r\n" in fixed
    assert findings(fixed, "M328") == []
    assert _subject(fixed) == "Hello Wörld"
    result = fix(raw)
    assert result.refused is None and findings(bytes(result), "M328") == []


@pytest.mark.parametrize(
    "field",
    [
        # What Python 3.13's folder writes for a long non-ASCII display name.
        "From: x =?utf-8?q?_?==?utf-8?q?r=C3=A9sum=C3=A9?= <a@example.com>",
        "Cc: =?utf-8?q?Hello?==?utf-8?q?_World?= <c@example.com>",
        "Reply-To: c@example.com (=?utf-8?q?Hello?==?utf-8?q?_World?=)",
    ],
)
def test_glued_words_in_an_address_field_have_an_unsafe_fix(field: str) -> None:
    # mimelint's address reader takes glued words as literal text, Python's
    # decodes them: the readers disagree, so no fix of them is safe.
    raw = message(f"Date: Mon, 7 Dec 2026 10:00:00 +0000\n{field}\nSubject: x\n\nbody\n")
    if not field.startswith("From"):
        raw = b"From: a@example.com\r\n" + raw
    (f,) = findings(raw, "M328")
    assert f.fix is not None and f.fix.safety is Safety.UNSAFE
    result = fix(raw)
    assert result.refused is None and bytes(result) == raw
    assert len(findings(bytes(result), "M328")) == 1


def test_three_glued_words_and_near_misses() -> None:
    # One finding per field, at the first glued word, counting the others;
    # its fix separates them all.
    raw = message(f"{HEAD}Subject: =?utf-8?q?a?==?utf-8?q?b?==?utf-8?q?c?=\n\nbody\n")
    (f,) = findings(raw, "M328")
    assert (f.line, f.column, f.end_column) == (3, 23, 36)
    assert "(and 1 more in this field)" in f.message
    fixed = apply_fix(raw, f)
    assert b"Subject: =?utf-8?q?a?= =?utf-8?q?b?= =?utf-8?q?c?=\r\n" in fixed
    assert findings(fixed, "M328") == []
    assert _subject(fixed) == "abc"
    for ok in ("=?utf-8?q?a?= =?utf-8?q?b?=", "=?utf-8?q?a?=\n =?utf-8?q?b?=", "=?utf-8?q?a?=x"):
        assert where(message(f"{HEAD}Subject: {ok}\n\nbody\n"), "M328") == []


# ------------------------------------------------------------------ M329
@pytest.mark.parametrize(
    ("subject", "after", "decoded"),
    [
        ("=?utf-8?q?Gr=C3=BC=C3=9Fe?= =?utf-8?q??=", "=?utf-8?q?Gr=C3=BC=C3=9Fe?=", "Grüße"),
        ("=?utf-8?b??= =?utf-8?q?Gr=C3=BC=C3=9Fe?= x", "=?utf-8?q?Gr=C3=BC=C3=9Fe?= x", "Grüße x"),
        ("=?utf-8?q?a?= =?utf-8?q??= tail", "=?utf-8?q?a?= tail", "a tail"),
        ("head =?utf-8?q??= =?utf-8?q?a?=", "head =?utf-8?q?a?=", "head a"),
        ("head =?utf-8?q??= tail", "head  tail", "head  tail"),
    ],
)
def test_empty_word_is_removed_with_the_space_decoders_drop(
    subject: str, after: str, decoded: str
) -> None:
    raw = message(f"{HEAD}Subject: {subject}\n\nbody\n")
    (f,) = findings(raw, "M329")
    assert f.line == 3 and f.severity.value == "warning"
    word_at = subject.index("??=") - len("=?utf-8?q")
    assert f.column == 10 + word_at
    fixed = apply_fix(raw, f)
    assert f"Subject: {after}\r\n".encode() in fixed
    assert _subject(fixed) == decoded
    assert findings(fixed, "M329") == []


def test_empty_word_position_and_near_miss() -> None:
    raw = message(f"{HEAD}Subject: x =?utf-8?q??=\n\nbody\n")
    assert where(raw, "M329") == [(3, 12, "")]
    assert where(message(f"{HEAD}Subject: x =?utf-8?q?_?=\n\nbody\n"), "M329") == []


# ------------------------------------------------------------------ M330
NAME = "Sénder Name"
ADDR = "sender@example.com"


def _ses_example(**headers: str) -> bytes:
    """The SES page's Python example (MIMEMultipart, compat32), with a non-ASCII name."""
    msg = MIMEMultipart("mixed")
    msg["Subject"] = "Customer service contact info"
    for name, value in headers.items():
        msg[name] = value
    msg["To"] = "recipient@example.com"
    body = MIMEMultipart("alternative")
    body.attach(MIMEText(b"Hello,\r\nPlease see the attached file.".decode(), "plain", "utf-8"))
    msg.attach(body)
    return msg.as_bytes()


def test_the_ses_python_example_hides_the_address_and_gets_one_finding() -> None:
    raw = _ses_example(From=f"{NAME} <{ADDR}>")
    assert b"From: =?utf-8?b?" in raw and ADDR.encode() not in raw.split(b"\nTo:")[0]
    report = mimelint.lint(raw)
    on_from = [f for f in report.findings if f.line == 4]
    assert [f.code for f in on_from if f.code.startswith("M3")] == ["M330"]
    (f,) = findings(raw, "M330")
    assert (f.line, f.column) == (4, 7)
    assert f"'{NAME} <{ADDR}>'" in f.message and "formataddr" in f.message
    assert "policy=email.policy.SMTP" in f.message


def test_the_unsafe_fix_encodes_only_the_name() -> None:
    raw = _ses_example(From=f"{NAME} <{ADDR}>")
    (f,) = findings(raw, "M330")
    assert f.fix is not None and f.fix.safety.value == "unsafe"
    fixed = apply_fix(raw, f)
    parsed = email.message_from_bytes(fixed, policy=email.policy.default)
    (address,) = parsed["from"].addresses
    assert (address.display_name, address.addr_spec) == (NAME, ADDR)
    assert findings(fixed, "M330") == []
    assert bytes(fix(raw)) == raw  # unsafe: not applied by a plain --fix
    assert findings(bytes(fix(raw, unsafe=True)), "M330") == []


def test_the_advice_works_formataddr() -> None:
    # The first cure the finding gives, tried: formataddr on the same compat32 message.
    raw = _ses_example(From=email.utils.formataddr((NAME, ADDR)))
    assert findings(raw, "M330") == []
    codes = {f.code for f in mimelint.lint(raw).findings if f.line == 4}
    assert not codes & {"M330", "M325", "M401"}
    parsed = email.message_from_bytes(raw, policy=email.policy.default)
    assert parsed["from"].addresses[0].addr_spec == ADDR


def test_the_advice_works_policy_smtp() -> None:
    # The second cure: the message built with policy=email.policy.SMTP.
    msg = EmailMessage(policy=email.policy.SMTP)
    msg["Subject"] = "Customer service contact info"
    msg["From"] = f"{NAME} <{ADDR}>"
    msg["To"] = "recipient@example.com"
    msg.set_content("Hello,\nPlease see the attached file.\n")
    raw = msg.as_bytes()
    assert findings(raw, "M330") == []
    parsed = email.message_from_bytes(raw, policy=email.policy.default)
    assert parsed["from"].addresses[0].addr_spec == ADDR


@pytest.mark.parametrize(
    "value",
    [
        f"=?utf-8?q?S=C3=A9nder?= <{ADDR}>",
        "=?utf-8?b?" + base64.b64encode(NAME.encode()).decode() + "?=",  # a name, no address
    ],
)
def test_mailbox_in_word_near_misses(value: str) -> None:
    raw = message(f"From: {value}\nTo: b@example.com\n\nbody\n")
    assert findings(raw, "M330") == []


# ------------------------------------------- fixes over generated words
WORDS = [
    "=?utf-8?q?Hello?=", "=?utf-8?q??=", "=?utf-8?b??=", "=?utf-8?q?_W=C3=B6rld?=",
    "=?utf-8?b?R3LDvMOfZQ==?=", "=?iso-8859-1?q?K=F6ln?=", "plain", "text", "Re:",
    "=?utf-8?q?" + "x" * 60 + "?=",
]  # fmt: skip
SEPS = ["", " ", "  ", "\r\n ", "\t"]


@settings(max_examples=examples(60), deadline=None)
@given(st.lists(st.tuples(st.sampled_from(SEPS), st.sampled_from(WORDS)), min_size=1, max_size=12))
def test_word_fixes_are_proven_idempotent_and_clean(pieces: list[tuple[str, str]]) -> None:
    value = "".join(sep + word for sep, word in pieces).lstrip(" \t\r\n")
    raw = message(f"{HEAD}Subject: {value}\n\nbody\n")
    result = fix(raw)
    if result.refused is not None:
        return  # the proof refused: nothing was written, nothing to check
    fixed = bytes(result)
    assert bytes(fix(fixed)) == fixed
    mine = ("M323", "M324", "M328", "M329")
    left = [  # fixed means clean: nothing a safe fix exists for is left
        f.code
        for f in mimelint.lint(fixed).findings
        if f.code in mine and f.fix is not None and f.fix.safety is Safety.SAFE
    ]
    assert left == []
    assert _subject(fixed).split() == _subject(raw).split()  # leading blanks are not content


def test_an_empty_word_glued_to_plain_text_is_removed_only_as_an_unsafe_fix() -> None:
    # Python's email reads a space where the empty word stands, strict readers
    # the characters as written: removing it changes what one of them shows.
    raw = message(f"{HEAD}Subject: plain=?utf-8?q??=plain\n\nbody\n")
    (found,) = findings(raw, "M329")
    assert found.fix is not None and found.fix.safety is Safety.UNSAFE
    assert bytes(fix(raw)) == raw
    spaced = message(f"{HEAD}Subject: plain =?utf-8?q??= plain\n\nbody\n")
    (found,) = findings(spaced, "M329")
    assert found.fix is not None and found.fix.safety is Safety.SAFE
