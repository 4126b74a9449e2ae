"""The header-level facts and rules still see the bytes their old shortcuts looked for.

The M5xx and M6xx rules once settled most messages with one cheap test (an
``isascii()``, a search for ``=?``, a set of header names) beside the
precise code; the shortcuts are gone (one code path per rule), and the
equivalence tests with them. What stays is a message that every such test
had to let through, checked through the public API.
"""

from __future__ import annotations

import mimelint


def test_shortcuts_still_see_the_bytes_they_look_for() -> None:
    # One message that every shortcut must let through.
    raw = (
        b"From: a@b.example\r\nSubject : =?utf-8?q?a?= caf\xc3\xa9\r\nSubject: x\r\n"
        b"MIME-Version: 1.0\r\n"
        b'Content-Type: application/pdf; NAME="x.pdf.exe"\r\n\r\nbody\r\n'
    )
    m = mimelint.parse(raw)
    assert [n.value for n in m.file_names_within] == ["x.pdf.exe"]
    duplicates = [f for f in mimelint.lint(raw, select=["M605"]).findings]
    assert [(f.line, f.column) for f in duplicates] == [(3, 1)]
