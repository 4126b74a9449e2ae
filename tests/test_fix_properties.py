"""Properties of fix() over generated messages: proven, idempotent, clean.

Messages are built the way careless senders build them: raw non-ASCII in
subjects, display names and filenames, 8-bit bodies in several charsets
declared 7bit or not at all, nested multipart/mixed and alternative.
"""

from __future__ import annotations

import email
from email import policy
from email.message import EmailMessage

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import mimelint
from mimelint.fixer import fix
from mimelint.proof import prove
from mimelint.rule import Safety
from tests.profiles import examples

CHARSETS = ["utf-8", "iso-8859-1", "windows-1252", "shift_jis", "koi8-r"]
SAMPLES = {
    "utf-8": "Grüße, 日本語, Ελληνικά, emoji 😀 and e\u0301",
    "iso-8859-1": "Grüße aus Köln, déjà vu",
    "windows-1252": "Smart “quotes” – and € signs",
    "shift_jis": "日本語のテキストです",
    "koi8-r": "Привет, мир",
}

words = st.sampled_from(
    ["Hello", "report", "Grüße", "日本", "Привет", "😀", "café", "x", "Q3", "déjà-vu"]
)
phrase = st.lists(words, min_size=1, max_size=6).map(" ".join)
subject_words = st.sampled_from(
    ["Re:", "Fwd:", "(draft)", "50%", "Grüße", "日本語", "  ", "naïve", "ok"]
)


@st.composite
def text_part(draw: st.DrawFn) -> tuple[str, bytes]:
    charset = draw(st.sampled_from(CHARSETS))
    text = draw(st.sampled_from([SAMPLES[charset], "plain ascii text", SAMPLES[charset] * 30]))
    body = text.encode(charset) + b"\r\nsecond line\r\n"
    cte = draw(
        st.sampled_from(
            ["", "Content-Transfer-Encoding: 7bit\r\n", "Content-Transfer-Encoding: 8bit\r\n"]
        )
    )
    sub = draw(st.sampled_from(["plain", "html"]))
    head = f"Content-Type: text/{sub}; charset={charset}\r\n{cte}".encode("ascii")
    return "text", head + b"\r\n" + body


@st.composite
def attachment(draw: st.DrawFn) -> tuple[str, bytes]:
    name = draw(phrase).replace(" ", "_") + ".pdf"
    data = draw(st.binary(min_size=1, max_size=200))
    head = f'Content-Type: application/pdf\r\nContent-Disposition: attachment; filename="{name}"\r\n'.encode()
    cte = b"Content-Transfer-Encoding: base64\r\n"
    import base64

    return "attachment", head + cte + b"\r\n" + base64.encodebytes(data).replace(b"\n", b"\r\n")


def _multipart(kind: str, children: list[bytes], depth: int) -> bytes:
    boundary = f"b{depth}-{kind}".encode()
    out = [f'Content-Type: multipart/{kind}; boundary="{boundary.decode()}"\r\n\r\n'.encode()]
    for child in children:
        out.append(b"--" + boundary + b"\r\n" + child + b"\r\n")
    out.append(b"--" + boundary + b"--\r\n")
    return b"".join(out)


@st.composite
def body(draw: st.DrawFn, depth: int = 0) -> bytes:
    if depth >= 2 or draw(st.booleans()):
        return draw(st.one_of(text_part(), attachment()))[1]
    kind = draw(st.sampled_from(["mixed", "alternative"]))
    children = draw(st.lists(body(depth + 1), min_size=1, max_size=3))
    return _multipart(kind, children, depth)


@st.composite
def message(draw: st.DrawFn) -> tuple[bytes, str, str]:
    subject = draw(st.lists(subject_words, min_size=1, max_size=8).map(" ".join)).strip() or "x"
    name = draw(phrase)
    head = (
        f"From: {name} <ann@example.com>\r\nTo: bob@example.org\r\nSubject: {subject}\r\n"
        "Date: Wed, 25 Nov 2026 10:00:00 +0000\r\nMessage-ID: <1@example.com>\r\nMIME-Version: 1.0\r\n"
    ).encode()
    return head + draw(body()), subject, name


def _leaves(raw: bytes) -> list[tuple[str, bytes]]:
    parsed = email.message_from_bytes(raw, policy=policy.default)
    assert isinstance(parsed, EmailMessage)
    out: list[tuple[str, bytes]] = []
    for part in parsed.walk():
        if part.is_multipart():
            continue
        payload = part.get_payload(decode=True)
        out.append((part.get_content_type(), payload if isinstance(payload, bytes) else b""))
    return out


@settings(max_examples=examples(80), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(message())
def test_fix_is_proven_idempotent_clean_and_readable(case: tuple[bytes, str, str]) -> None:
    raw, subject, name = case
    result = fix(raw)
    assert result.refused is None, result.refused
    # Well-formed but careless: both readers agree, and every fix proves.
    assert result.refused_fixes == [], [(s.finding.code, s.reason) for s in result.refused_fixes]
    fixed = result.data
    # Proven: the engine's own check, run again here end to end.
    assert prove(mimelint.parse(raw), mimelint.parse(fixed)) is None
    # Idempotent.
    assert fix(fixed).data == fixed
    # Fixed means clean: nothing a safe fix exists for remains.
    left = [f.code for f in mimelint.lint(fixed).findings if f.fix and f.fix.safety is Safety.SAFE]
    assert left == []
    # The standard library reads it without defects and with the same content.
    parsed = email.message_from_bytes(fixed, policy=policy.default)
    for part in parsed.walk():
        assert not part.defects, (part.get_content_type(), part.defects)
        for field, value in part.items():
            assert not getattr(value, "defects", ()), (field, value.defects)
    assert _leaves(fixed) == _leaves(raw)
    assert fixed.isascii()
    assert str(parsed["subject"]).split() == subject.split()
    # Python 3.11's address parser keeps the white space between adjacent
    # encoded-words, which RFC 2047 section 6.2 drops: compare without it.
    shown = parsed["from"].addresses[0].display_name
    assert "".join(shown.split()) == "".join(name.split())


@settings(max_examples=examples(30), deadline=None)
@given(message())
def test_fix_of_lf_only_messages_keeps_lf(case: tuple[bytes, str, str]) -> None:
    lf = case[0].replace(b"\r\n", b"\n")
    result = fix(lf)
    assert result.refused is None, result.refused
    assert result.refused_fixes == [], [(s.finding.code, s.reason) for s in result.refused_fixes]
    assert b"\r\n" not in result.data or b"\r\n" in lf
    assert fix(result.data).data == result.data
