"""The structure rules' shortcuts give exactly what the full checks give.

M604 and M614 skip the clean cases with one C call (``FAST_PATHS``): the
findings must not change when the shortcuts are turned off.
"""

from __future__ import annotations

from _pytest.monkeypatch import MonkeyPatch
from hypothesis import example, given, settings
from hypothesis import strategies as st
from mimelint.rules import structure

import mimelint
from tests.strategies import messages

#: Header lines of every shape the rules and the parser tell apart.
FIELD_LINES = st.sampled_from(
    [
        b"Content-Type: text/plain; charset=utf-8",
        b"Content-Type: text/html charset=utf-8",
        b"Content-Type: text",
        b"Content-Type: ",
        b'Content-Type: text/plain; name="a b',
        b"Content-Type: text/plain; boundary=----=_Part_1; x",
        b"Content-Type: text/plain; charset=a; charset=b",
        b"content-type : text/plain",
        b"Content-Disposition: attachment; filename=a.pdf",
        b"Content-Disposition: filename=a.pdf",
        b"Content-Disposition: (c) inline",
        b"Content-Disposition:",
        b"Content-Disposition: attachment filename=a.pdf",
        b'Content-Disposition: attachment; filename="a b',
        b"Content-Disposition: attachment; filename=My File.pdf",
        b"Content-Disposition: attachment; filename=a; filename=b",
        b"Content-Disposition: inline; (note) x=y",
        b"MIME-Version: 1.0",
        b"MIME-Version:  1.0 \t",
        b"MIME-Version: 1.0 (produced by x)",
        b"MIME-Version: 1.(c)0",
        b"MIME-Version: 1.\r\n 0",
        b"MIME-Version: 1.0\r",
        b"MIME-Version: 2.0",
        b"MIME-Version:",
        b"mime-version:1.0",
        b"Subject: x",
        b"Subject: y",
        b"Content-Transfer-Encoding: 7bit",
        b"Content\x01Type: text/plain",
        b"Content-Type",
        b": no name",
        b" continued",
        b"\tMIME-Version: 2.0",
    ]
)


@st.composite
def shaped(draw: st.DrawFn) -> bytes:
    """A message whose top and body parts have such header sections."""
    eol = draw(st.sampled_from([b"\r\n", b"\n"]))
    top = draw(st.lists(FIELD_LINES, max_size=6))
    shape = draw(st.sampled_from(["leaf", "multipart", "rfc822"]))
    lines = [b"From: a@x.example", *top]
    if shape == "leaf":
        lines += [b"", b"Hi"]
    elif shape == "multipart":
        lines += [b'Content-Type: multipart/mixed; boundary="b"', b""]
        for _ in range(draw(st.integers(0, 3))):
            lines += [b"--b", *draw(st.lists(FIELD_LINES, max_size=4)), b"", b"part"]
        lines += [b"--b--"]
    else:
        inner = draw(st.lists(FIELD_LINES, max_size=4))
        lines += [b"Content-Type: message/rfc822", b"", b"From: b@y.example", *inner, b"", b"x"]
    return eol.join(lines) + eol


def _structure_findings(raw: bytes, profile: str) -> list[tuple[object, ...]]:
    result = mimelint.lint(raw, profile=profile)
    return [
        (f.code, f.start, f.end, f.line, f.column, f.message, f.part, f.fix)
        for f in result.findings
        if f.code.startswith("M6")
    ]


@given(st.one_of(shaped(), messages()), st.sampled_from(["ses", "rfc"]))
@settings(max_examples=300, deadline=None)
@example(b"MIME-Version: 1.\r\n 0\r\nContent-Type: text/plain\r\n\r\nx", "rfc")
@example(b"MIME-Version:  1.0 \t\r\nContent-Type: text/html charset=a\r\n\r\nx", "ses")
@example(b"Content-Disposition: attachment filename=a.pdf\r\n\r\nx", "ses")
@example(b"Content-Type: text\r\nContent-Type: text/plain\r\n\r\nx", "rfc")
def test_findings_are_the_same_without_shortcuts(raw: bytes, profile: str) -> None:
    fast = _structure_findings(raw, profile)
    with MonkeyPatch.context() as monkeypatch:
        monkeypatch.setattr(structure, "FAST_PATHS", False)
        slow = _structure_findings(raw, profile)
    assert fast == slow
