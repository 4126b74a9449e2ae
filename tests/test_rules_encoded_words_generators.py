"""M324's advice, tried: Python's email with the policy the finding names writes no long line.

The finding tells Python users to build messages with
``policy=email.policy.SMTP.clone(max_line_length=74)``. These tests run
that advice on the SES page's example and on generated Subjects, From and
To fields, and lint what it writes; they also pin why 76 is not enough.
"""

from __future__ import annotations

import email
import email.policy
import random
from email.message import EmailMessage
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText

import pytest
from mimelint.rules.encoded_words.m324_encoded_word_line_too_long import PYTHON_ADVICE

from mimelint.fixer import fix
from mimelint.testing import apply_fix, findings

ADVISED = email.policy.SMTP.clone(max_line_length=74)
assert PYTHON_ADVICE == "policy=email.policy.SMTP.clone(max_line_length=74)"

WORDS = [
    "Kundenservice", "für", "Übersicht", "contact", "info", "Größe", "ä", "résumé", "naïve",
    "日本語", "x", "Informationen", "–", "the", "a", "Öffnungszeiten", "e-mail",
    "Donaudampfschifffahrtsgesellschaftskapitän",
]  # fmt: skip
#: A From that policy.SMTP.clone(max_line_length=76) writes as a 77-character line.
SEVENTY_SEVEN = "a contact Kundenservice Öffnungszeiten <sender@example.com>"


def _message(policy: email.policy.Policy, sender: str, subject: str) -> bytes:
    msg = EmailMessage(policy=policy)
    msg["From"] = sender
    msg["To"] = f"{sender.split('<')[0][:30].strip()} <to@example.com>, b@example.com"
    msg["Subject"] = subject
    msg.set_content("Hello,\nplease see the attached file.\n")
    return msg.as_bytes()


def test_max_line_length_76_is_not_enough() -> None:
    raw = _message(email.policy.SMTP.clone(max_line_length=76), SEVENTY_SEVEN, "x")
    (f,) = [f for f in findings(raw, "M324") if f.line == 2]
    assert "is 77 characters long" in f.message and PYTHON_ADVICE in f.message


def test_the_advice_on_the_ses_example() -> None:
    # The SES page's Python example (MIMEMultipart), built with the advised
    # policy and a non-ASCII name and subject.
    msg = MIMEMultipart("mixed", policy=ADVISED)
    msg["Subject"] = (
        "Kundendienst: Übersicht der Ansprechpartner für Ihre Region und Öffnungszeiten"
    )
    msg["From"] = SEVENTY_SEVEN
    msg["To"] = "recipient@example.com"
    body = MIMEMultipart("alternative", policy=ADVISED)
    body.attach(MIMEText("Hello,\r\nPlease see the attached file.", "plain", "utf-8"))
    msg.attach(body)
    raw = msg.as_bytes()
    assert b"=?utf-8?" in raw
    assert findings(raw, "M324") == [] and findings(raw, "M330") == []


@pytest.mark.parametrize("count", [60, pytest.param(1000, marks=pytest.mark.slow)])
def test_the_advice_on_generated_fields(count: int) -> None:
    rng = random.Random(7)
    for _ in range(count):
        text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 25)))
        raw = _message(ADVISED, f"{text} <sender@example.com>", text)
        assert findings(raw, "M324") == [], text


@pytest.mark.parametrize("width", [76, 78])
def test_the_safe_fix_repairs_what_python_wrote(width: int) -> None:
    policy = email.policy.SMTP.clone(max_line_length=width)
    rng = random.Random(width)
    fixed_some = 0
    texts = [SEVENTY_SEVEN.split(" <")[0]]
    texts += [" ".join(rng.choice(WORDS) for _ in range(rng.randint(4, 25))) for _ in range(25)]
    for text in texts:
        raw = _message(policy, f"{text} <sender@example.com>", text)
        found = [f for f in findings(raw, "M324") if f.fix is not None]
        for f in found[:1]:
            after = apply_fix(raw, f)
            before_msg = email.message_from_bytes(raw, policy=email.policy.default)
            after_msg = email.message_from_bytes(after, policy=email.policy.default)
            for field in ("from", "to", "subject"):
                assert str(after_msg[field]) == str(before_msg[field]), field
            fixed_some += 1
        result = fix(raw)
        assert result.refused is None
        assert [f for f in findings(bytes(result), "M324") if f.fix is not None] == []
    assert fixed_some >= (1 if width == 76 else 10)


@pytest.mark.parametrize(
    "line",
    [
        # Email::MIME 1.953 (Perl), header_str To with two names.
        (
            b"To: =?UTF-8?B?5bGx55SwIOWkqumDjg==?= <y@example.jp>, =?UTF-8?B?RG9lLCBKb2hu?=\r\n"
            b" <john@example.com>\r\n"
        ),
        # Ruby's mail gem 2.9, a long Subject's second line.
        (
            b"Subject: =?UTF-8?Q?Rechnung_f=C3=BCr_Ihre_Bestellung_=E2=80=93?=\r\n"
            b" =?UTF-8?Q?_=C3=9Cbersicht_der_Positionen_und_Zahlungsbedingungen_im_Detail?=\r\n"
        ),
    ],
)
def test_no_python_advice_on_other_mailers_lines(line: bytes) -> None:
    # 77 characters, as Python writes them, but the words open as other
    # libraries write theirs: the finding stands, the advice about
    # Python's policy would send the sender to the wrong library.
    raw = b"From: a@example.com\r\n" + line + b"\r\nHi\r\n"
    (f,) = findings(raw, "M324")
    assert "is 77 characters long" in f.message and "Python" not in f.message
    python_like = raw.replace(b"=?UTF-8?B?", b"=?utf-8?b?").replace(b"=?UTF-8?Q?", b"=?utf-8?q?")
    (g,) = findings(python_like, "M324")
    assert PYTHON_ADVICE in g.message
