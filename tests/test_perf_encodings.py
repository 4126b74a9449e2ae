"""The shortcuts of the M7xx rules agree with their precise paths.

``rules/encodings.py`` decides once per message which parts each rule must
look at (``_Plan``): a charset label already known good, an ASCII payload, a
payload that decodes are settled there, without the rule's own loop. With
``FAST_PATHS`` off every part goes through the precise loop; the findings
(code, span, message, fix) must be the same either way.
"""

from __future__ import annotations

import codecs

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from mimelint.rules import encodings
from pytest import MonkeyPatch

import mimelint
from mimelint.charsets import MAIL_ALIASES, codec_for
from mimelint.parse import parse

CHARSETS = [
    None,
    "utf-8",
    "UTF-8",
    " utf-8 ",
    '"utf-8"',
    "''",
    '""',
    "'utf-8'",
    "utf-9",
    "us-ascii",
    "iso-8859-1",
    "windows-1252",
    "ks_c_5601-1987",
    "x-windows-949",
    "csutf8",
    "x-mac-ce",
    "iso-2022-jp",
    "hz-gb-2312",
    "utf-16",
    "utf-7",
    "x-user-defined",
    "unknown-8bit",
    "gb2312",
    "utf-8; charset=latin1",
    "utf-8*",
]
EXTRA_PARAMS = [
    "",
    '; name="a.txt"',
    "; CHARSET=latin1",
    "; charset*=utf-8''x",
    "; charset*0=utf; charset*1=-8",
    "; charset*=''",
]
TYPES = ["text/plain", "text/html", "application/pdf", "message/global", None]
CTES = [
    None,
    "7bit",
    "8bit",
    "binary",
    "base64",
    "quoted-printable",
    "Quoted-Printable",
    "base64 (note)",
    '"quoted-printable"',
    "base64;",
    "x-uuencode",
    "7-bit",
]
BODY_CHUNKS = st.sampled_from(
    [
        b"Hello",
        b" ",
        b"\t",
        b"\r\n",
        b"\n",
        b"=",
        b"=C3=A9",
        b"=c3=a9",
        b"=FC",
        b"=\r\n",
        b"\xc3\xa9",
        b"\xfc",
        b"\x1b$B",
        b"+AGE-",
        b"~{",
        b"SGVsbG8=",
        b"x" * 80,
        b"y" * 40,
        b"z \r\n",
        b"\r",
        b"\0",
    ]
)


@st.composite
def _leaf(draw: st.DrawFn) -> bytes:
    lines = []
    ctype = draw(st.sampled_from(TYPES))
    charset = draw(st.sampled_from(CHARSETS))
    if ctype is not None:
        line = f"Content-Type: {ctype}"
        if charset is not None:
            line += f"; charset={charset}"
        line += draw(st.sampled_from(EXTRA_PARAMS))
        lines.append(line.encode())
    cte = draw(st.sampled_from(CTES))
    if cte is not None:
        lines.append(f"Content-Transfer-Encoding: {cte}".encode())
    body = b"".join(draw(st.lists(BODY_CHUNKS, max_size=12)))
    return b"\r\n".join(lines) + b"\r\n\r\n" + body


@st.composite
def _message(draw: st.DrawFn) -> bytes:
    head = b"From: a@example.com\r\nMIME-Version: 1.0\r\n"
    leaves = draw(st.lists(_leaf(), min_size=1, max_size=3))
    if len(leaves) == 1 and draw(st.booleans()):
        return head + leaves[0]
    top_cte = draw(st.sampled_from([b"", b"Content-Transfer-Encoding: base64\r\n"]))
    out = head + b"Content-Type: multipart/mixed; boundary=b1\r\n" + top_cte + b"\r\n"
    for leaf in leaves:
        out += b"--b1\r\n" + leaf + b"\r\n"
    return out + b"--b1--\r\n"


def _findings(raw: bytes) -> list[tuple[object, ...]]:
    return [
        (f.code, f.start, f.end, f.message, f.part, f.fix)
        for f in mimelint.lint(raw).findings
        if f.code.startswith("M7") or f.code == "M107"
    ]


def _both(raw: bytes, monkeypatch: MonkeyPatch) -> tuple[list[tuple[object, ...]], ...]:
    fast = _findings(raw)
    with monkeypatch.context() as m:
        m.setattr(encodings, "FAST_PATHS", False)
        slow = _findings(raw)
    return fast, slow


@settings(max_examples=300, deadline=None)
@given(_message())
def test_rules_give_the_same_findings_without_the_fast_paths(raw: bytes) -> None:
    with MonkeyPatch.context() as monkeypatch:
        fast, slow = _both(raw, monkeypatch)
    assert fast == slow


def test_the_fast_paths_are_exercised(monkeypatch: MonkeyPatch) -> None:
    # Every shortcut has something to settle here, and findings to keep.
    raw = (
        b"From: a@example.com\r\nMIME-Version: 1.0\r\n"
        b"Content-Type: multipart/mixed; boundary=b1\r\n\r\n"
        b"--b1\r\nContent-Type: text/plain; charset=utf-8\r\n"
        b"Content-Transfer-Encoding: quoted-printable\r\n\r\nCaf=C3=A9 =FC\r\n"
        b"--b1\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\nplain\r\n"
        b"--b1\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: 8bit\r\n\r\n\xc3\xa9\r\n"
        b"--b1\r\nContent-Type: text/plain\r\n\r\nascii\r\n"
        b"--b1\r\nContent-Type: text/html; charset='utf-8'\r\n\r\nhi\r\n"
        b"--b1\r\nContent-Type: text/plain; charset=utf-8\r\n"
        b"Content-Transfer-Encoding: base64 (c)\r\n\r\nw6k=\r\n"
        b"--b1--\r\n"
    )
    fast, slow = _both(raw, monkeypatch)
    assert fast == slow
    assert {f[0] for f in fast} >= {"M704", "M730", "M731", "M732"}


def test_ascii_safe_codecs_read_any_ascii() -> None:
    # The M731 shortcut skips an ASCII payload in these codecs without
    # decoding it: every ASCII byte must decode on its own, in any order.
    ascii_bytes = bytes(range(128))
    for codec in encodings._ASCII_SAFE:
        assert codecs.lookup(codec).name == codec
        for shift in range(0, 128, 7):
            sample = ascii_bytes[shift:] + ascii_bytes[:shift]
            assert sample.decode(codec) == sample.decode("latin-1"), codec


def test_charset_aliases_read_as_text_does() -> None:
    # M730/M731 read labels with charset_codec, Part.text with codec_for:
    # the mail-only aliases (csutf8, x-mac-ce...) must give both the codec.
    for label, codec in MAIL_ALIASES.items():
        assert codec_for(label) == encodings.charset_codec(label) == codecs.lookup(codec).name
        raw = b"Content-Type: text/plain; charset=" + label.upper().encode() + b"\r\n\r\nabc\r\n"
        assert parse(raw).parts()[0].text == "abc\r\n"


def test_quoted_printable_scan_is_shared_clean_or_complete() -> None:
    for body, clean in [
        (b"Caf=C3=A9 ok=\r\nmore\r\n", True),
        (b"a=b\r\n", False),
        (b"trailing \r\n", False),
        (b"x" * 90 + b"\r\n", False),
    ]:
        raw = (
            b"Content-Type: text/plain; charset=utf-8\r\n"
            b"Content-Transfer-Encoding: quoted-printable\r\n\r\n" + body
        )
        part = parse(raw).parts()[0]
        scan = encodings.scan_quoted_printable(part)
        assert (scan is encodings._QP_CLEAN) == clean
        assert scan.long == encodings.long_lines(part.data, part.body_start, part.body_end)


@pytest.mark.parametrize("tail", ["\x0b", "\x0c", "\x1f", "\x85", "\xa0"])
def test_charset_labels_are_read_through_any_surrounding_white_space(tail: str) -> None:
    # str.strip() white space, as before the aliases moved to codec_for
    # (which strips only the ASCII blanks a header can fold).
    assert encodings.charset_codec("csutf8" + tail) == "utf-8"
    assert encodings.charset_codec(tail + "x-cp1252" + tail) == "cp1252"
    raw = b'Content-Type: text/plain; charset="csutf8' + tail.encode() + b'"\r\n\r\nabc\r\n'
    assert [f.code for f in mimelint.lint(raw, select=["M730"]).findings] == []
