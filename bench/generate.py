"""Deterministic benchmark inputs: one large message and many small ones.

Generated, not downloaded, so the benchmark runs anywhere and measures the
same bytes every time.
"""

from __future__ import annotations

import base64
import binascii
import random

CRLF = b"\r\n"


def _headers(
    rng: random.Random, n: int, boundary: str | None, eight_bit: bool = False
) -> list[bytes]:
    subject = "Monthly report {n} ✓" if eight_bit else "Monthly report {n} =?utf-8?q?=E2=9C=93?="
    lines = [
        f"From: Sender {n} <sender{n}@example.com>".encode(),
        f"To: Recipient <rcpt{n}@example.org>, other{n}@example.net".encode(),
        ("Subject: " + subject.format(n=n)).encode(),
        f"Date: Wed, 25 Nov 2026 10:{n % 60:02d}:00 +0000".encode(),
        f"Message-ID: <{n}.{rng.randrange(10**9)}@example.com>".encode(),
        b"MIME-Version: 1.0",
    ]
    if boundary:
        lines.append(f'Content-Type: multipart/mixed; boundary="{boundary}"'.encode())
    return lines


def _prose(rng: random.Random, words: int) -> str:
    """Lines of words under 70 characters, no trailing space (as mailers wrap)."""
    vocab = ["delivery", "invoice", "report", "Grüße", "naïve", "status", "the", "a", "of", "ok"]
    lines: list[str] = []
    line: list[str] = []
    width = 0
    for _ in range(words):
        word = rng.choice(vocab)
        if width + len(word) > 70:
            lines.append(" ".join(line))
            line, width = [], 0
        line.append(word)
        width += len(word) + 1
    lines.append(" ".join(line))
    return "\n".join(lines)


def _qp(text: bytes) -> bytes:
    """Quoted-printable with CRLF line endings."""
    return binascii.b2a_qp(text).replace(b"\n", CRLF)


def _text_body(text: bytes, eight_bit: bool) -> tuple[bytes, bytes]:
    """(Content-Transfer-Encoding line, body): QP, or raw UTF-8 declared 8bit.

    The 8-bit variant is what a fixer has to re-encode: every such message
    gets findings (M103, M320) that a safe fix repairs.
    """
    if eight_bit:
        return b"Content-Transfer-Encoding: 8bit", text.replace(b"\n", CRLF)
    return b"Content-Transfer-Encoding: quoted-printable", _qp(text)


def large_message(size: int = 10 * 1024 * 1024, seed: int = 1, eight_bit: bool = False) -> bytes:
    """About ``size`` bytes: two base64 attachments and one long text part.

    The text part is quoted-printable, or raw 8-bit UTF-8 with ``eight_bit``.
    """
    rng = random.Random(seed)
    boundary = "bench-outer-boundary"
    cte, qp = _text_body(_prose(rng, size // 60).encode("utf-8"), eight_bit)
    budget = max(size - len(qp) - 4096, 1024)
    blobs = [rng.randbytes(budget * 3 // 8), rng.randbytes(budget * 3 // 8)]
    out = _headers(rng, 0, boundary, eight_bit)
    out += [b"", b"This is a multi-part message in MIME format."]
    out += [f"--{boundary}".encode(), b"Content-Type: text/plain; charset=utf-8", cte, b"", qp]
    for i, blob in enumerate(blobs):
        out += [
            f"--{boundary}".encode(),
            f'Content-Type: application/pdf; name="report-{i}.pdf"'.encode(),
            f'Content-Disposition: attachment; filename="report-{i}.pdf"'.encode(),
            b"Content-Transfer-Encoding: base64",
            b"",
            base64.encodebytes(blob).replace(b"\n", CRLF).rstrip(CRLF),
        ]
    out.append(f"--{boundary}--".encode())
    return CRLF.join(out) + CRLF


def small_messages(count: int = 2000, seed: int = 2, eight_bit: bool = False) -> list[bytes]:
    """``count`` small messages of a few KB: plain, alternative, with attachment.

    With ``eight_bit``, subjects and text bodies are raw UTF-8 (declared
    ``8bit``), as a careless generator writes them: every message needs fixing.
    """
    rng = random.Random(seed)
    result = []
    for n in range(count):
        shape = n % 3
        text = _prose(rng, rng.randrange(20, 200)).encode("utf-8")
        cte, qp = _text_body(text, eight_bit)
        if shape == 0:
            out = _headers(rng, n, None, eight_bit)
            out += [b"Content-Type: text/plain; charset=utf-8", cte, b"", qp]
        else:
            b = f"b{n}-{rng.randrange(10**6)}"
            out = _headers(rng, n, b, eight_bit) + [b"", f"--{b}".encode()]
            out += [b"Content-Type: text/plain; charset=utf-8", cte, b"", qp, f"--{b}".encode()]
            if shape == 1:
                html_cte, html = _text_body(b"<p>" + text + b"</p>", eight_bit)
                out += [b"Content-Type: text/html; charset=utf-8", html_cte, b"", html]
            else:
                blob = base64.encodebytes(rng.randbytes(rng.randrange(500, 3000)))
                out += [b'Content-Type: application/pdf; name="a.pdf"']
                out += [b'Content-Disposition: attachment; filename="a.pdf"']
                out += [b"Content-Transfer-Encoding: base64", b""]
                out += [blob.replace(b"\n", CRLF).rstrip(CRLF)]
            out.append(f"--{b}--".encode())
        result.append(CRLF.join(out) + CRLF)
    return result
