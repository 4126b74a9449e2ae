"""Attachment rules M501-M504: a short message in, the exact findings out."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import mimelint
from mimelint.profile import RFC, SES
from tests.profiles import examples
from tests.util import findings, msg, where

HEAD = """From: Ann <ann@example.com>
To: Bob <bob@example.org>
Subject: files
Date: Mon, 02 Mar 2026 10:00:00 +0000
Message-ID: <a1@example.com>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="b1"

--b1
Content-Type: text/plain; charset=us-ascii

See attached.
--b1
"""
# The attachment's header starts on line 14.


def attached(fields: str, body: str = "AAAA\n") -> bytes:
    """A two-part message whose second part has these header fields."""
    return msg(HEAD + fields + "Content-Transfer-Encoding: base64\n\n" + body + "--b1--\n")


def named(filename: str) -> bytes:
    """An attachment named in Content-Disposition only (value at 14:43)."""
    return attached(
        f'Content-Disposition: attachment; filename="{filename}"\n'
        "Content-Type: application/octet-stream\n"
    )


# ------------------------------------------------------------------ M501
def test_refused_extension_points_at_the_filename_value() -> None:
    raw = named("setup.exe")
    (f,) = findings(raw, "M501")
    assert (f.line, f.column, f.part) == (14, 43, "2")
    assert raw[f.start : f.end] == b'"setup.exe"'
    assert "Content-Disposition filename 'setup.exe'" in f.message
    assert ".exe" in f.message and f.fix is None


@pytest.mark.parametrize(
    "name", ["SETUP.EXE", "setup.exe.", "setup.exe . .", "tool.Ps1", "x.vbs", "run.msh1xml"]
)
def test_refused_extension_ignores_case_and_trailing_dots_and_spaces(name: str) -> None:
    assert where(named(name), "M501") == [(14, 43, "2")]


@pytest.mark.parametrize(
    "name",
    ["report.pdf", "exe-notes.txt", "archive.tar.gz", "file.EXE.txt", "exe", ".exe-notes", "js"],
)
def test_names_that_only_contain_a_refused_extension_are_fine(name: str) -> None:
    assert where(named(name), "M501") == []


def test_content_type_name_is_read_when_there_is_no_disposition() -> None:
    raw = attached('Content-Type: application/octet-stream; name="setup.exe"\n')
    (f,) = findings(raw, "M501")
    assert (f.line, f.column, f.part) == (14, 46, "2")
    assert "Content-Type name" in f.message


def test_same_name_in_both_parameters_is_reported_once() -> None:
    raw = attached(
        'Content-Type: application/octet-stream; name="setup.exe"\n'
        'Content-Disposition: attachment; filename="setup.exe"\n'
    )
    assert where(raw, "M501") == [(15, 43, "2")]


def test_different_names_in_the_two_parameters_are_both_checked() -> None:
    raw = attached(
        'Content-Type: application/octet-stream; name="setup.bat"\n'
        'Content-Disposition: attachment; filename="setup.exe"\n'
    )
    assert where(raw, "M501") == [(14, 46, "2"), (15, 43, "2")]


def test_rfc2231_continuation_points_at_the_first_section() -> None:
    raw = attached(
        "Content-Type: application/octet-stream\n"
        "Content-Disposition: attachment;\n"
        " filename*0*=utf-8''Ma%C3%9Fnahmen;\n"
        " filename*1=.js\n"
    )
    (f,) = findings(raw, "M501")
    assert (f.line, f.column, f.part) == (16, 14, "2")
    assert raw[f.start : f.end] == b"utf-8''Ma%C3%9Fnahmen"
    assert "Maßnahmen.js" in f.message


def test_rfc2047_encoded_name_is_decoded() -> None:
    # "report.scr" as a base64 encoded-word (RFC 2047 forbids it there; Outlook writes it).
    raw = named("=?utf-8?B?cmVwb3J0LnNjcg==?=")
    (f,) = findings(raw, "M501")
    assert (f.line, f.column) == (14, 43)
    assert "report.scr" in f.message


def test_inline_image_with_a_harmless_name_is_fine() -> None:
    raw = attached('Content-Type: image/png; name="logo.png"\nContent-Disposition: inline\n')
    assert where(raw, "M501") == []


def test_rfc_profile_refuses_no_type() -> None:
    raw = named("app.js")
    assert where(raw, "M501") == [(14, 43, "2")]
    assert where(raw, "M501", profile="rfc") == []
    assert where(raw, "M501", profile=SES.replace(refused_extensions=frozenset({"pdf"}))) == []


def test_configured_extensions_are_not_blamed_on_ses(tmp_path: object) -> None:
    from mimelint.config import Configuration

    profile = Configuration(extra_refused_extensions=frozenset({"zip"})).build_profile()
    (mine,) = findings(named("photos.zip"), "M501", profile=profile)
    assert (mine.line, mine.column, mine.part) == (14, 43, "2")
    assert "which the configuration refuses" in mine.message
    assert "SES" not in mine.message
    # SES's own list is still SES's, under the same profile ...
    (theirs,) = findings(named("setup.exe"), "M501", profile=profile)
    assert "which Amazon SES refuses" in theirs.message
    # ... and under the rfc profile every refused extension is the configuration's.
    rfc = Configuration(profile="rfc", extra_refused_extensions=frozenset({"exe"})).build_profile()
    (f,) = findings(named("setup.exe"), "M501", profile=rfc)
    assert "which the configuration refuses" in f.message


def test_lf_only_message_positions() -> None:
    raw = named("setup.exe").replace(b"\r\n", b"\n")
    assert where(raw, "M501") == [(14, 43, "2")]


def test_top_level_single_part_attachment() -> None:
    raw = msg(
        "From: a@example.com\nMIME-Version: 1.0\n"
        'Content-Type: application/x-msdownload; name="a.msi"\n\nAAAA\n'
    )
    assert where(raw, "M501") == [(3, 46, "")]


# ------------------------------------------------------------------ M502
@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("invoice.pdf.exe", ".exe behind .pdf"),
        ("photo.JPG   .scr", ".scr after 3 spaces behind .JPG"),
    ],
)
def test_double_extension(name: str, shown: str) -> None:
    (f,) = findings(named(name), "M502")
    assert (f.line, f.column, f.part) == (14, 43, "2")
    assert shown in f.message


def test_double_extension_is_reported_under_rfc_too() -> None:
    # Deception does not depend on the provider: the SES list stands in.
    assert where(named("report.doc.vbs"), "M502", profile="rfc") == [(14, 43, "2")]


@pytest.mark.parametrize(
    "name",
    ["jquery.min.js", "setup.v2.exe", "file.EXE.txt", "archive.tar.gz", "report.pdf", "x.exe"],
)
def test_not_a_disguise(name: str) -> None:
    assert where(named(name), "M502") == []


# ------------------------------------------------------------------ M503
def test_right_to_left_override_in_rfc2231_name() -> None:
    raw = attached(
        "Content-Type: application/pdf\n"
        "Content-Disposition: attachment;\n"
        " filename*=utf-8''invoice%E2%80%AEfdp.pdf\n"
    )
    (f,) = findings(raw, "M503")
    assert (f.line, f.column, f.part) == (16, 12, "2")
    assert "U+202E" in f.message


@pytest.mark.parametrize(
    ("escaped", "code"),
    [("%07", "U+0007"), ("%C2%85", "U+0085"), ("%E2%80%8F", "U+200F"), ("%E2%81%A6", "U+2066")],
)
def test_control_and_bidi_characters(escaped: str, code: str) -> None:
    raw = attached(f"Content-Disposition: attachment; filename*=utf-8''a{escaped}b.pdf\n")
    (f,) = findings(raw, "M503")
    assert (f.line, f.column) == (14, 44)
    assert code in f.message


def test_folded_quoted_name_and_right_to_left_script_are_fine() -> None:
    raw = attached(
        'Content-Disposition: attachment; filename="a rather long\n name.pdf"\n'
        "Content-Type: application/pdf;\n"
        " name*=utf-8''%D7%97%D7%A9%D7%91%D7%95%D7%A0%D7%99%D7%AA.pdf\n"
    )
    assert where(raw, "M503") == []


# ------------------------------------------------------------------ M504
@pytest.mark.parametrize(
    ("name", "why"),
    [
        ("../../.bashrc", "parent-directory"),
        ("..\\\\boot.ini", "parent-directory"),
        ("docs/report.pdf", "directory separator"),
        ("C:\\\\Users\\\\ann\\\\report.pdf", "drive letter"),
        ("c:/temp/report.pdf", "drive letter"),
    ],
)
def test_path_in_name(name: str, why: str) -> None:
    (f,) = findings(named(name), "M504")
    assert (f.line, f.column, f.part) == (14, 43, "2")
    assert why in f.message


@pytest.mark.parametrize("name", ["report..final.pdf", "A: notes.pdf", "v1.2.pdf", "..."])
def test_dots_and_colons_that_are_not_paths(name: str) -> None:
    assert where(named(name), "M504") == []


# ----------------------------------------------------------------- total
@pytest.mark.parametrize(
    "value",
    [
        "filename*=x-unknown''%FF%FE.exe",
        "filename*0*=utf-8''%ZZ; filename*5=.exe",
        'filename="unterminated.exe',
        "filename==?utf-8?Q?=FF=FE?=",
        "filename*=''",
        'filename=""',
    ],
)
def test_broken_parameters_never_crash(value: str) -> None:
    raw = attached(f"Content-Disposition: attachment; {value}\n")
    for profile in (SES, RFC):
        report = mimelint.lint(raw, select=["M5"], profile=profile)
        assert not report.internal_errors


# ---------------------------------------------------- the file-name fact
PARAM_NAMES = [
    b"filename",
    b"name",
    b"FILENAME",
    b"filename*",
    b"name*0",
    b"name*1",
    b"filename*0*",
]
PARAM_VALUES = [b'"a.pdf"', b"x.exe", b"utf-8''%C3%A9.js", b'"=?utf-8?q?a.bat?="', b'"a', b"b.txt"]
PARAMS = st.lists(
    st.tuples(st.sampled_from(PARAM_NAMES), st.sampled_from(PARAM_VALUES)).map(
        lambda nv: b"; " + nv[0] + b"=" + nv[1]
    ),
    max_size=3,
).map(b"".join)


@settings(max_examples=examples(150), deadline=None)
@given(PARAMS, PARAMS)
def test_file_names_point_at_their_parameters(disposition: bytes, content_type: bytes) -> None:
    raw = (
        b"From: a@b.example\r\nContent-Type: application/octet-stream" + content_type + b"\r\n"
        b"Content-Disposition: attachment" + disposition + b"\r\n\r\nAAAA\r\n"
    )
    part = mimelint.parse(raw)
    names = part.file_names
    assert len(names) <= 2 and len({n.value for n in names}) == len(names)
    for name in names:
        header = part.header(name.header)
        assert header is not None and header.value_start <= name.start <= name.end <= header.end
        assert name.param in ("filename", "name")
    if names:
        assert names[0].value == part.filename
