"""Write fixtures/generated/python/*.eml: messages built with Python's email package.

Each message is built the way the standard library's documentation shows
(``EmailMessage`` with ``policy.default`` or ``policy.SMTP``, ``set_content``,
``add_alternative``, ``add_attachment``), with non-ASCII names and subjects,
attachments with non-ASCII file names, long lines and HTML alternatives.
Date, Message-ID and boundaries are fixed, so the output is the same on
every run of the same Python version. Run from the repository root::

    python tools/generators/python/generate.py
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import Policy
from pathlib import Path

OUT = Path(__file__).resolve().parents[3] / "fixtures" / "generated" / "python"
DATE = "Wed, 25 Nov 2026 10:00:00 +0000"

NAMES = ["Jürgen Groß", "Zoë Dupré", "山田 太郎", "Ørsted, Inc.", "Ann Example"]
SUBJECTS = [
    "Grüße aus Köln",
    "Your order 4711 has shipped",
    "Rechnung für Ihre Bestellung – Übersicht der Positionen und Zahlungsbedingungen im Detail",
    "日本語の件名です、よろしくお願いします",
    "Ça va? Réunion demain à 10h",
]
LONG_ASCII = "This is a long line of plain ASCII text that goes on and on. " * 20
LONG_UTF8 = "Grüße aus Köln und viele Umlaute: äöü ÄÖÜ ß. " * 30
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000")


def _html(text: str) -> str:
    spans = "<span>Übersicht</span> " * 40
    return f"<!doctype html><html><body><p>{text}</p><p>{spans}</p></body></html>\n"


Build = Callable[[EmailMessage], None]


def _text(body: str, **kwargs: str) -> Build:
    def build(m: EmailMessage) -> None:
        m.set_content(body, **kwargs)  # type: ignore[arg-type]

    return build


def _html_only(m: EmailMessage) -> None:
    m.set_content(_html("Grüße"), subtype="html")


def _alternative(text: str, html: str) -> Build:
    def build(m: EmailMessage) -> None:
        m.set_content(text)
        m.add_alternative(html, subtype="html")

    return build


def _attach(body: str, *files: tuple[object, str, str, str]) -> Build:
    def build(m: EmailMessage) -> None:
        m.set_content(body)
        for content, maintype, subtype, filename in files:
            if isinstance(content, str):
                m.add_attachment(content, subtype=subtype, filename=filename)
            else:
                m.add_attachment(content, maintype=maintype, subtype=subtype, filename=filename)

    return build


def _forward(m: EmailMessage) -> None:
    m.set_content("Forwarded.\n")
    inner = EmailMessage(policy=m.policy)
    inner["From"] = "a@example.com"
    inner["Subject"] = "Grüße, inner"
    inner.set_content("Hello\n")
    m.add_attachment(inner)


def _related(m: EmailMessage) -> None:
    m.set_content("Logo.\n")
    m.add_alternative('<p>Logo: <img src="cid:logo@example.com"> Grüße</p>\n', subtype="html")
    html = m.get_payload()[1]  # type: ignore[index]
    assert isinstance(html, EmailMessage)
    html.add_related(PNG, "image", "png", cid="<logo@example.com>", filename="logo.png")


def _mixed_everything(m: EmailMessage) -> None:
    m.set_content("Grüße.\n")
    m.add_alternative(_html("Grüße"), subtype="html")
    m.add_attachment("name,city\nJürgen,Köln\n", subtype="csv", filename="Übersicht.csv")
    m.add_attachment(PDF, maintype="application", subtype="pdf", filename="Rechnung März.pdf")


def _headers(name: str, value: str) -> Build:
    def build(m: EmailMessage) -> None:
        m[name] = value
        m.set_content("Hi\n")

    return build


def _reply(m: EmailMessage) -> None:
    m.replace_header("Subject", "Re: Grüße")
    m["In-Reply-To"] = "<orig-1@example.com>"
    m["References"] = "<orig-0@example.com> <orig-1@example.com>"
    m.set_content("> quoted\nAnswer\n")


def _recipients(m: EmailMessage) -> None:
    m.replace_header(
        "To",
        [Address(n, f"r{k}", "example.org") for k, n in enumerate(NAMES)],
    )
    m["Cc"] = [Address("Zoë Dupré", "zoe", "example.org"), Address("", "plain", "example.org")]
    m["Reply-To"] = Address("Support – Kundendienst", "support", "example.com")
    m.set_content("Hi all\n")


def _subject(subject: str) -> Build:
    def build(m: EmailMessage) -> None:
        m.replace_header("Subject", subject)
        m.set_content("Hi\n")

    return build


CASES: list[tuple[str, Build]] = [
    ("text-ascii", _text("Hello there.\n")),
    ("text-utf8", _text("Grüße aus Köln.\n")),
    ("text-utf8-8bit", _text("Grüße aus Köln.\n", cte="8bit")),
    ("text-utf8-qp", _text("Grüße aus Köln.\n", cte="quoted-printable")),
    ("text-long-ascii-line", _text(LONG_ASCII + "\n")),
    ("text-long-utf8-line", _text(LONG_UTF8 + "\n")),
    ("text-long-utf8-qp", _text(LONG_UTF8 + "\n", cte="quoted-printable")),
    ("text-japanese", _text("日本語の本文です。\n" * 5)),
    ("text-latin1", _text("Grüße aus Köln.\n", charset="iso-8859-1")),
    ("html-only", _html_only),
    ("alternative", _alternative("Grüße aus Köln.\n", _html("Grüße aus Köln."))),
    ("alternative-long", _alternative(LONG_UTF8 + "\n", _html(LONG_UTF8))),
    ("alternative-ascii", _alternative("Hi\n", "<p>Hi</p>\n")),
    ("attachment-csv-string", _attach("See attached.\n", ("name,city\nJürgen,Köln\n", "text", "csv", "Übersicht.csv"))),
    ("attachment-csv-bytes", _attach("See attached.\n", ("name,city\nJürgen,Köln\n".encode(), "text", "csv", "report.csv"))),
    ("attachment-pdf", _attach("Ihre Rechnung.\n", (PDF, "application", "pdf", "Rechnung März.pdf"))),
    ("attachment-long-name", _attach("Anbei.\n", (b"Hallo\n", "application", "octet-stream", "Sehr langer Dateiname mit Umlauten äöü und noch mehr Text für die Übersicht 2026.txt"))),
    ("attachment-japanese-name", _attach("添付します。\n", ("請求書の本文\n", "text", "plain", "請求書.txt"))),
    ("attachment-message", _forward),
    ("related-inline-image", _related),
    ("mixed-alternative-attachments", _mixed_everything),
    ("recipients", _recipients),
    ("comma-in-name", _headers("Sender", str(Address("Doe, John", "john", "example.com")))),
    # Misuse, kept on purpose: a display name with a comma given as a raw
    # string is two addresses to Python too, and SES refuses the message.
    ("misuse-comma-in-raw-string", _headers("Sender", "Doe, John <john@example.com>")),
    ("quote-in-name", _headers("Reply-To", '"John \\"Johnny\\" Doe" <john@example.com>')),
    ("long-subject-words", _subject(" ".join(["Übersicht"] * 20))),
    ("long-subject-one-word", _subject("Donaudampfschifffahrtsgesellschaftskapitänsmützenabzeichenherstellungsbetriebsübersicht")),
    ("emoji-subject", _subject("Sale 🎉 50% off everything 🛍️")),
    ("custom-header", _headers("X-Campaign", "Grüße 2026")),
    ("reply-references", _reply),
]  # fmt: skip

POLICIES: list[tuple[str, Policy]] = [("default", policy.default), ("smtp", policy.SMTP)]


def build(index: int, build: Build, pol: Policy) -> bytes:
    m = EmailMessage(policy=pol)
    m["From"] = Address(NAMES[index % len(NAMES)], "sender", "example.com")
    m["To"] = Address(NAMES[(index + 1) % len(NAMES)], "rcpt", "example.org")
    m["Subject"] = SUBJECTS[index % len(SUBJECTS)]
    m["Date"] = DATE
    m["Message-ID"] = f"<py-{index}@example.com>"
    build(m)
    counter = 0
    for part in m.walk():
        if part.is_multipart():
            counter += 1
            part.set_boundary(f"===============fixture{index:02d}x{counter}==")
    return m.as_bytes()


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    for old in OUT.glob("*.eml"):
        old.unlink()
    count = 0
    for index, (name, make) in enumerate(CASES):
        # Alternate the two policies the documentation recommends for sending.
        label, pol = POLICIES[index % 2]
        (OUT / f"{index + 1:02d}-{name}.{label}.eml").write_bytes(build(index, make, pol))
        count += 1
    print(f"wrote {count} messages to {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
