"""The fast paths of the header-level rules must never hide a finding.

M3xx, M5xx and M6xx settle most messages with one cheap test (an
``isascii()`` on the message or a header section, a search for ``=?``, a
set of header names) before the precise code runs, and remember what an
encoded-word decodes to. Each test here builds messages full of the bytes
those shortcuts look for, runs the shortcut and a plain reference that
looks at every header (or the rules with ``FAST_PATHS`` off), and requires
the same answer.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import mimelint
from mimelint.profile import PROFILES
from mimelint.rule import Context, Problem
from mimelint.tree import BAD_NAME, FIELD, Message
from rules import encoded_words, headers, structure

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


@settings(max_examples=100, deadline=None)
@given(message())
def test_odd_header_scan_matches_every_header(raw: bytes) -> None:
    m = _parsed(raw)
    scan = headers._scan(m)
    odd, names = scan.odd, scan.names
    data = m.data
    expect_odd = [(p.path, h) for p in m.parts() for h in p.headers if h.kind != FIELD]
    expect_names = [
        (p.path, h)
        for p in m.parts()
        for h in p.headers
        if h.kind == BAD_NAME or (h.kind == FIELD and data[h.colon - 1] in (32, 9))
    ]
    assert odd == expect_odd
    assert names == expect_names
    assert scan.widest == max(p.header_end - p.start for p in m.parts())


@settings(max_examples=100, deadline=None)
@given(message())
def test_worded_headers_match_every_header(raw: bytes) -> None:
    m = _parsed(raw)
    data = m.data
    expect = []
    for at, p in enumerate(m.parts()):
        for h in p.headers:
            if h.kind != FIELD or h.lname in encoded_words._SIGNATURES:
                continue
            words = [
                encoded_words._examine(w)
                for w in encoded_words._WORD.finditer(data, h.value_start, h.value_end)
            ]
            if words:
                expect.append((at, h, words))
    assert encoded_words._worded_headers(m) == expect


@settings(max_examples=100, deadline=None)
@given(message())
def test_unencoded_text_fast_path_hides_nothing(raw: bytes) -> None:
    m = _parsed(raw)
    got = list(encoded_words.unencoded_header_text.check(m, SES))
    candidates = [
        h for p in m.parts() for h in p.headers if h.kind == FIELD and not h.raw.isascii()
    ]
    if not candidates:
        assert got == []
    else:  # every finding comes from one of the non-ASCII fields
        assert all(any(h.start <= f.start < h.end for h in candidates) for f in got)


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
    assert [h.name for _p, h in headers._scan(m).names] == ["Subject"]
    assert [h.name for _p, h, _w in encoded_words._worded_headers(m)] == ["Subject"]
    assert [n.value for p in m.parts() for n in p.file_names] == ["x.pdf.exe"]
    assert len(list(structure.duplicate_header.check(m, SES))) == 1
    assert len(list(encoded_words.unencoded_header_text.check(m, SES))) == 1


def _problems(raw: bytes, module: object) -> list[tuple[str, Problem]]:
    m = _parsed(raw)
    return [(r.code, p) for r in module.RULES for p in r.check(m, SES)]  # type: ignore[attr-defined]


def _same_without_shortcuts(raw: bytes, module: object) -> None:
    fast = _problems(raw, module)
    module.FAST_PATHS = False  # type: ignore[attr-defined]
    try:
        slow = _problems(raw, module)
    finally:
        module.FAST_PATHS = True  # type: ignore[attr-defined]
    assert fast == slow


# Header sections at the edges: white space before a colon, white-space-only
# lines (last, at the end of the input, with CR LF or LF), a first line that
# continues nothing, an envelope line, a bare CR, over-long lines, repeated
# and broken encoded-words, raw UTF-8 in the header or only in the body.
EDGES = [
    b"Subject : x\r\n\r\nbody\r\n",
    b"Subject: x\r\n \r\n\r\nbody\r\n",
    b"Subject: x\n \t\nFrom: a@b.example\n\nbody\n",
    b"Subject: x\r\n  ",
    b"Subject: x\n\t",
    b" Subject: x\r\nFrom: a@b.example\r\n\r\n",
    b"From nobody Mon Jan  1 00:00:00 2026\r\nSubject: x\r\n\r\n",
    b"Subject: x\r\n\rX: y\r\n\r\n",
    b"Subject: x\r\nX Bad: y\r\nTo: a@b.example\r\n\r\n",
    b"Subject: x\r\nNoColon\r\nTo: a@b.example\r\n\r\n",
    b"Subject: x\r\n: empty\r\nTo: a@b.example\r\n\r\n",
    b"Subject: " + b"x" * 1200 + b"\r\n\r\n",
    b"Subject: a\r\n" + b"X-Long: " + b"y " * 600 + b"\r\n\r\n",
    b'Content-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\nX : y\r\n \r\n\r\nz\r\n--b--\r\n',
    b"Subject: =?utf-8?q?a?= =?utf-8?q?a?= =?utf-8?B?w5w=?= =?x?q?a?=\r\n\r\n",
    b"Subject: caf\xc3\xa9\r\n\r\nbody\r\n",
    b"Subject: x\r\n\r\ncaf\xc3\xa9\r\n",
]


@pytest.mark.parametrize("raw", EDGES)
def test_header_rules_agree_without_shortcuts_on_edges(raw: bytes) -> None:
    _same_without_shortcuts(raw, headers)
    _same_without_shortcuts(raw, encoded_words)


@settings(max_examples=150, deadline=None)
@given(message())
def test_header_rules_agree_without_shortcuts(raw: bytes) -> None:
    _same_without_shortcuts(raw, headers)


@settings(max_examples=150, deadline=None)
@given(message())
def test_encoded_word_rules_agree_without_shortcuts(raw: bytes) -> None:
    _same_without_shortcuts(raw, encoded_words)
