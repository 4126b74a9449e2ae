"""Input gates M001 (not a message) and M002 (empty input), and the library's file-name guard."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import mimelint
from mimelint.lint import run_rules
from mimelint.mime.parse import parse
from mimelint.profile import PROFILES
from mimelint.rule import Context, Problem, rule
from tests.profiles import examples
from tests.util import msg, where

GATES = {"M001", "M002"}


def codes(raw: bytes, **kwargs: object) -> list[str]:
    return [f.code for f in mimelint.lint(raw, **kwargs).findings]  # type: ignore[arg-type]


# ------------------------------------------------------------------ M002
@pytest.mark.parametrize("raw", [b"", b"\r\n", b"\n\n\n", b"  \t \r\n \r\n"])
def test_empty_input_is_one_finding(raw: bytes) -> None:
    report = mimelint.lint(raw)
    assert [(f.code, f.line, f.column, f.end_line) for f in report.findings][:1] == [
        ("M002", 1, 1, raw.count(b"\n") + 1)
    ]
    assert len(report.findings) == 1
    assert "empty" in report.findings[0].message or "white space" in report.findings[0].message


def test_empty_input_message() -> None:
    (f,) = mimelint.lint(b"").findings
    assert f.message.startswith("the input is empty: there is no message to check")
    (g,) = mimelint.lint(b" \r\n").findings
    assert g.message.startswith("the input holds only white space and line breaks")


def test_one_field_is_not_empty() -> None:
    assert "M002" not in codes(b"From: a@example.com\r\n")


# ------------------------------------------------------------------ M001
def test_random_bytes_are_one_finding() -> None:
    rng = random.Random(7)
    data = bytes(rng.randrange(256) for _ in range(4000))
    report = mimelint.lint(data)
    assert [f.code for f in report.findings] == ["M001"]
    (f,) = report.findings
    # The span is the first line, from its first byte.
    assert (f.line, f.column, f.start) == (1, 1, 0)
    first_break = min(i for i in (data.find(b"\r"), data.find(b"\n"), len(data)) if i >= 0)
    assert f.end == first_break


def test_body_without_header_positions() -> None:
    raw = msg("Hello Bob,\n\nhere is the report.\n")
    assert where(raw, "M001") == [(1, 1, "")]
    (f,) = mimelint.lint(raw).findings
    assert (f.end_line, f.end_column) == (1, 11)
    assert f.message.startswith("the input is not an email message")


@pytest.mark.parametrize(
    "raw",
    [
        # Lines the parser would take for header lines, but none is a field.
        msg("   indented prose\nmore prose\n\nbody\n"),
        msg("Hello\n  world\n\nbody\n"),
        msg("Dear Bob: thanks\n\nfor the report\n"),
        b"\tbinary \x00\xff\r\n\t\x01\x02",
    ],
)
def test_header_like_lines_without_any_field_are_not_a_message(raw: bytes) -> None:
    assert codes(raw) == ["M001"]


def test_text_file_with_a_colon_later_in_its_first_paragraph_is_a_message() -> None:
    # A header-like line before the first blank line: linted as a broken message.
    raw = msg("Hello Bob,\nthanks\nSubject: x\n\nbody\n")
    found = codes(raw)
    assert "M001" not in found and len(found) > 1


@pytest.mark.parametrize(
    "raw",
    [
        # RFC 7103-style broken messages that do have a header section
        msg("From ann@example.com Mon Mar  2 10:00:00 2026\nFrom: ann@example.com\n\nhi\n"),
        msg(" continued\nFrom: ann@example.com\n\nhi\n"),
        msg("garbage line\nFrom: ann@example.com\nSubject: x\n\nhi\n"),
        msg("Subject hello\nFrom: ann@example.com\n\nhi\n"),
        msg("\nFrom: ann@example.com\n\nhi\n"),  # leading blank line: M608
        msg("Subject: no body at all"),
        b"X-\xff\xfe: binary field\r\n\r\n\x00\x01",
    ],
)
def test_broken_messages_with_a_header_section_are_linted_normally(raw: bytes) -> None:
    found = codes(raw)
    assert not GATES & set(found), found


def test_leading_blank_line_stays_m608() -> None:
    raw = msg("\nHello Bob,\n")
    assert "M608" in codes(raw)
    assert "M001" not in codes(raw)


def test_gate_silences_every_other_rule_only_when_selected() -> None:
    raw = msg("Hello Bob,\n\nhere is the r\xe9port.\n") + b"\x00" + b"x" * 1200 + b"\r\n"
    assert codes(raw) == ["M001"]
    # Without the gate selected, the other rules describe the junk as before.
    others = codes(raw, ignore=["M001"])
    assert "M608" in others and "M406" in others and len(others) > 3


def test_a_crashing_gate_does_not_silence_the_others() -> None:
    @rule(code="X001", name="broken-gate", severity="error", summary="crashes", gate=True)
    def broken_gate(message: object, context: Context) -> list[Problem]:
        raise RuntimeError("boom")

    @rule(code="X002", name="always", severity="warning", summary="always")
    def always(message: object, context: Context) -> list[Problem]:
        return [Problem(0, 0, "always here")]

    message = parse(b"junk")
    found = run_rules(message, [broken_gate, always], Context(PROFILES["ses"]))
    assert sorted(f.code for f in found) == ["M000", "X002"]


def test_a_plugin_gate_works_like_the_built_in_ones() -> None:
    @rule(code="X003", name="refuse-all", severity="error", summary="gate", gate=True)
    def refuse_all(message: object, context: Context) -> list[Problem]:
        return [Problem(0, 0, "refused")]

    @rule(code="X004", name="never-run", severity="error", summary="x")
    def never_run(message: object, context: Context) -> list[Problem]:
        raise AssertionError("a gate reported; this rule must not run")

    found = run_rules(parse(b"From: a\r\n\r\n"), [never_run, refuse_all], Context(PROFILES["ses"]))
    assert [f.code for f in found] == ["X003"]


@settings(max_examples=examples(300), deadline=None)
@given(st.binary(max_size=600))
def test_a_gate_finding_is_always_the_only_one(data: bytes) -> None:
    found = codes(data)
    if GATES & set(found):
        assert len(found) == 1, found
    if not data.strip():
        assert found == ["M002"]


@settings(max_examples=examples(200), deadline=None)
@given(st.binary(min_size=1, max_size=300))
def test_input_with_a_field_line_first_is_never_gated(tail: bytes) -> None:
    assert not GATES & set(codes(b"Subject: x\r\n" + tail))


# ------------------------------------------------------- lint("welcome.eml")
def test_a_str_that_names_a_file_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("welcome.eml").write_bytes(msg("From: a@example.com\n\nhi\n"))
    with pytest.raises(ValueError, match=r"names a file.*lint_file\('welcome.eml'\)"):
        mimelint.lint("welcome.eml")
    with pytest.raises(ValueError, match="names a file"):
        mimelint.fix("welcome.eml")  # type: ignore[operator]
    # The two ways that were meant.
    assert mimelint.lint_file("welcome.eml").findings == mimelint.lint(Path("welcome.eml")).findings
    assert mimelint.lint_file(Path("welcome.eml")).message.headers[0].lname == "from"
    # Message text is still message text, and a name that is no file is linted as text.
    assert mimelint.lint("From: a@example.com\r\n\r\nhi\r\n").message.headers
    assert codes("nothing.eml") == ["M001"]


def test_lint_file_passes_options_and_raises_for_a_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "m.eml"
    path.write_bytes(msg("Subject: x\n\nhi\n"))
    assert [f.code for f in mimelint.lint_file(path, select=["M406"]).findings] == ["M406"]
    with pytest.raises(FileNotFoundError):
        mimelint.lint_file(tmp_path / "missing.eml")
