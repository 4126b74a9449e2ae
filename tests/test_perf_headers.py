"""The fast paths of the header-level rules must never hide a finding.

M5xx and M6xx settle most messages with one cheap test (an
``isascii()`` on the message or a header section, a search for ``=?``, a
set of header names) before the precise code runs, and remember what an
encoded-word decodes to. Each test here builds messages full of the bytes
those shortcuts look for, runs the shortcut and a plain reference that
looks at every header (or the rules with ``FAST_PATHS`` off), and requires
the same answer.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

import mimelint
from mimelint.profile import PROFILES
from mimelint.rule import Context, Problem
from mimelint.tree import FIELD, Message
from rules import structure

# Pieces that trip (or nearly trip) the shortcuts: encoded-words, white space
# before colons, non-ASCII text, "name" in every case, RFC 2231 sections.
PIECES = [
    b"=?", b"?=", b"=?utf-8?q?Gr=C3=BC=C3=9Fe?=", b"=?utf-8?B?w5w=?=", b"=?x?y?z?=",
    b" :", b"\t:", b":", b";", b'"', b"(", b")", b"\xc3\xa9", b"\xff", b"name", b"NaMe",
    b"filename", b"filename*0*=utf-8''a%C3%A9", b"name*=", b".exe", b"/", b"..", b"\\",
    b"\xe2\x80\xae", b"\r\n ", b"\r\n\t", b"\r\n", b" ", b"a", b"Z", b"<a@b.example>",
]  # fmt: skip
NAMES = [
    b"Subject", b"From", b"To", b"Cc", b"Message-ID", b"Received", b"X-Note", b"Keywords",
    b"Content-Type", b"Content-Disposition", b"DKIM-Signature", b"MIME-Version",
    b"Subject ", b"Subject\t", b"X-Note \t", b"X Bad", b"", b" Folded", b"From nobody",
]  # fmt: skip

PARAM_NAMES = [b"name", b"NAME", b"Name", b"filename", b"FileName", b"filename*0*", b"name*"]
PARAM = st.tuples(
    st.sampled_from([b"; ", b";", b" "]),
    st.sampled_from(PARAM_NAMES),
    st.sampled_from([b"=", b" = "]),
    st.sampled_from([b'"a.pdf"', b"x.exe", b"utf-8''%C3%A9.js", b'"=?utf-8?q?a.bat?="', b'"a']),
).map(b"".join)
VALUE = st.lists(st.one_of(st.sampled_from(PIECES), PARAM), max_size=8).map(b"".join)


@st.composite
def header_line(draw: st.DrawFn) -> bytes:
    name = draw(st.sampled_from(NAMES))
    sep = b"" if name.startswith(b"From ") and draw(st.booleans()) else b":"
    return name + sep + b" " + draw(VALUE) + b"\r\n"


@st.composite
def message(draw: st.DrawFn) -> bytes:
    top = b"".join(draw(st.lists(header_line(), max_size=8)))
    if not draw(st.booleans()):
        return top + b"\r\n" + draw(VALUE) + b"\r\n"
    out = [top, b'Content-Type: multipart/mixed; boundary="b"\r\n\r\n']
    for _ in range(draw(st.integers(1, 3))):
        out.append(b"--b\r\n")
        out.extend(draw(st.lists(header_line(), max_size=4)))
        out.append(b"\r\nbody\r\n")
    out.append(b"--b--\r\n")
    return b"".join(out)


def _parsed(raw: bytes) -> Message:
    return mimelint.parse(raw)


SES = Context(PROFILES["ses"])


def _duplicates(m: Message) -> list[tuple[int, int]]:
    """Where M605 must report, counted without the set-size shortcut."""
    out: list[tuple[int, int]] = []
    for part in m.parts():
        single, _ses = structure._single_fields(part, SES)
        counted: dict[str, list[int]] = {}
        for h in part.headers:
            if h.kind == FIELD and h.lname in single:
                counted.setdefault(h.lname, []).append(h.start)
        for starts in counted.values():
            out.extend((s, s) for s in starts[1:])
    return out


@settings(max_examples=100, deadline=None)
@given(message())
def test_duplicate_header_fast_path_hides_nothing(raw: bytes) -> None:
    m = _parsed(raw)
    got: list[Problem] = list(structure.duplicate_header.check(m, SES))
    assert [(p.start, p.start) for p in got] == _duplicates(m)


def test_shortcuts_still_see_the_bytes_they_look_for() -> None:
    # One message that every shortcut must let through.
    raw = (
        b"From: a@b.example\r\nSubject : =?utf-8?q?a?= caf\xc3\xa9\r\nSubject: x\r\n"
        b"MIME-Version: 1.0\r\n"
        b'Content-Type: application/pdf; NAME="x.pdf.exe"\r\n\r\nbody\r\n'
    )
    m = _parsed(raw)
    assert [n.value for n in m.file_names_within] == ["x.pdf.exe"]
    assert len(list(structure.duplicate_header.check(m, SES))) == 1
