"""Header syntax rules M301-M307: exact positions, near-misses, fixes."""

from __future__ import annotations

import mimelint
from mimelint.fixer import fix
from mimelint.testing import apply_fix
from tests.util import findings, msg, where

HEAD = "From: a@example.com\nTo: b@example.com\n"


def test_long_header_line_points_past_the_limit() -> None:
    refs = " ".join(f"<{i:05d}@example.com>" for i in range(60))
    raw = msg(f"{HEAD}References: {refs}\nSubject: x\n\nbody\n")
    assert where(raw, "M301") == [(3, 999, "")]
    (f,) = findings(raw, "M301")
    assert f"{len('References: ' + refs)} octets" in f.message
    fixed = apply_fix(raw, f)
    assert findings(fixed, "M301") == []
    assert max(len(x) for x in fixed.split(b"\r\n")) <= 78
    # Unfolding gives the same value.
    assert mimelint.parse(fixed).header("references").value == refs  # type: ignore[union-attr]


def test_long_line_without_fold_point_is_not_fixable() -> None:
    raw = msg(f"{HEAD}X-Token: {'a' * 1200}\n\nbody\n")
    (f,) = findings(raw, "M301")
    assert (f.line, f.column, f.fix) == (3, 999, None)
    assert "no white space" in f.message


def test_long_line_in_a_nested_part_and_profile_limit() -> None:
    raw = msg(
        f"{HEAD}MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b\n\n--b\n"
        f"X-Note: {'word ' * 30}\n\nhi\n--b--\n"
    )
    assert where(raw, "M301") == []
    short = mimelint.PROFILES["rfc"].replace(max_line_octets=100)
    assert where(raw, "M301", profile=short) == [(7, 101, "1")]


def test_long_but_folded_header_is_fine() -> None:
    refs = "\n ".join(f"<{i:05d}@example.com>" for i in range(60))
    assert where(msg(f"{HEAD}References: {refs}\n\nbody\n"), "M301") == []


def test_missing_colon() -> None:
    raw = msg(f"{HEAD}X-Mailer Acme 2.0\nSubject: x\n\nbody\n")
    assert where(raw, "M302") == [(3, 1, "")]
    assert findings(raw, "M302")[0].end_column == len("X-Mailer Acme 2.0") + 1


def test_received_with_colons_is_not_missing_one() -> None:
    raw = msg(
        "Received: from a (a [192.0.2.1])\n\tby b; Wed, 25 Nov 2026 10:00:01 +0000\n"
        + HEAD
        + "\nbody\n"
    )
    assert where(raw, "M302") == [] and where(raw, "M304") == []


def test_empty_header_name() -> None:
    raw = msg(f"{HEAD}: Acme\nSubject: x\n\nbody\n")
    assert where(raw, "M303") == [(3, 1, "")]


def test_colon_inside_value_is_fine() -> None:
    assert where(msg(f"{HEAD}Subject: Re: : x\n\nbody\n"), "M303") == []


def test_space_inside_name() -> None:
    raw = msg(f"{HEAD}X Mailer: foo\nSubject: x\n\nbody\n")
    (f,) = findings(raw, "M304")
    assert (f.line, f.column, f.end_column, f.fix) == (3, 1, 9, None)


def test_space_before_colon_is_obsolete_and_fixable() -> None:
    raw = msg(f"{HEAD}Subject \t: hi\n\nbody\n")
    (f,) = findings(raw, "M304")
    assert (f.line, f.column, f.end_column) == (3, 8, 10)
    fixed = apply_fix(raw, f)
    assert b"\r\nSubject: hi\r\n" in fixed
    assert findings(fixed, "M304") == []


def test_8bit_only_name_is_left_to_m101() -> None:
    raw = msg(f"{HEAD}X-Grüße: 1\nSubject: x\n\nbody\n")
    assert where(raw, "M304") == []
    # M101 reports the same bytes once, from the ü (column 5) to the end of ß.
    (f,) = findings(raw, "M101")
    assert (f.line, f.column, f.end_column) == (3, 5, 7)


def test_bad_name_shown_readably() -> None:
    raw = msg(f"{HEAD}X-Grüße\x01: 1\nSubject: x\n\nbody\n")
    (f,) = findings(raw, "M304")
    assert (f.line, f.column, f.end_column) == (3, 1, 9)
    assert "'X-Grüße\\x01'" in f.message and "\\udc" not in f.message
    latin1 = raw.replace("Grüße".encode(), b"Gr\xfc\xdfe")
    (f,) = findings(latin1, "M304")
    assert "'X-Gr\\xfc\\xdfe\\x01'" in f.message


def test_bad_name_in_a_part() -> None:
    raw = msg(
        f"{HEAD}MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b\n\n--b\n"
        "Content-Type: text/plain\nX Bad: 1\n\nhi\n--b--\n"
    )
    assert where(raw, "M304") == [(8, 1, "1")]


def test_continuation_first() -> None:
    raw = msg(f"  Subject: x\n{HEAD}\nbody\n")
    assert where(raw, "M305") == [(1, 1, "")]


def test_continuation_first_fix_only_for_a_white_space_line() -> None:
    # The shape of flanker's tests/fixtures/messages/iphone.eml: a line of
    # 255 spaces before Delivered-To (also php-mime-mail-parser m0011/m0012).
    raw = msg(" " * 255 + f"\n{HEAD}\nbody\n")
    (f,) = findings(raw, "M305")
    assert (f.line, f.column) == (1, 1) and f.fix is not None
    fixed = apply_fix(raw, f.fix)
    assert fixed == raw[257:] and findings(fixed, "M305") == []
    # The fixer's proof accepts it: the line carried no content.
    result = fix(raw)
    assert [f.code for f in result.applied] == ["M305"] and bytes(result) == raw[257:]
    # Text after the white space could be a field nobody meant: no fix.
    (g,) = findings(msg(f"  Subject: x\n{HEAD}\nbody\n"), "M305")
    assert g.fix is None


def test_part_starting_with_continuation() -> None:
    raw = msg(
        f"{HEAD}MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b\n\n--b\n"
        " Content-Type: text/plain\n\nhi\n--b--\n"
    )
    assert where(raw, "M305") == [(7, 1, "1")]


def test_mbox_from_line_removed_by_fix() -> None:
    raw = msg(f"From a@example.com Wed Nov 25 10:00:00 2026\n{HEAD}Subject: x\n\nbody\n")
    (f,) = findings(raw, "M306")
    assert (f.line, f.column, f.part) == (1, 1, "")
    assert apply_fix(raw, f) == msg(f"{HEAD}Subject: x\n\nbody\n")


def test_from_field_is_not_an_envelope_line() -> None:
    assert where(msg(f"{HEAD}Subject: From here\n\nbody\n"), "M306") == []


def test_whitespace_only_continuation_lines() -> None:
    # One finding per field, at its first such line, counting the others;
    # its fix joins them all.
    raw = msg(f"{HEAD}Subject: a\n   \n b\n\t\nX-Other: 1\n  \n\nbody\n")
    fs = findings(raw, "M307")
    assert [(f.line, f.column, f.end_column) for f in fs] == [(4, 1, 4), (8, 1, 3)]
    assert "(and 1 more in this field)" in fs[0].message
    assert "more in this field" not in fs[1].message
    fixed = apply_fix(raw, fs[0])
    assert [(f.line, f.column) for f in findings(fixed, "M307")] == [(6, 1)]
    fixed = apply_fix(fixed, findings(fixed, "M307")[0])
    assert findings(fixed, "M307") == []
    before = mimelint.parse(raw).header("subject")
    after = mimelint.parse(fixed).header("subject")
    assert before is not None and after is not None and before.value == after.value


def test_lf_only_whitespace_line() -> None:
    raw = f"{HEAD}Subject: a\n  \n b\n\nbody\n".encode()
    assert where(raw, "M307") == [(4, 1, "")]


def test_folded_line_with_text_is_fine() -> None:
    assert where(msg(f"{HEAD}Subject: a  \n b\n\nbody\n"), "M307") == []


def test_rules_are_total_on_junk() -> None:
    for raw in (
        b"",
        b":",
        b" \r\n",
        b"From \n",
        b"\n\n",
        b"a" * 2000,
        b"X:\r\n \r",
        b"\xff:\xff\r\n \r\n",
    ):
        report = mimelint.lint(raw, select=["M30"])
        assert not report.internal_errors


def test_messages_quote_text_not_python_reprs() -> None:
    # repr() would write "X-Note \"it's\"" with escapes, or b'...' for bytes.
    raw = msg(f'{HEAD}X-Note "it\'s" done\nSubject: x\n\nbody\n')
    (f,) = findings(raw, "M302")
    assert "header line 'X-Note \"it's\" done' has no colon" in f.message
    raw = msg(f"{HEAD}X Note\t: it's\n\nbody\n")
    (f,) = findings(raw, "M304")
    assert f.message.startswith("field name 'X Note' holds characters")
    raw = msg(f"{HEAD}Subject\t: it's\n\nbody\n")
    (f,) = findings(raw, "M304")
    assert f.message.startswith("white space between the field name 'Subject' and its colon")


def test_envelope_line_inside_a_forwarded_message_is_a_warning() -> None:
    from tests.util import fixture

    raw = fixture("rules/M306/bad-forwarded-mbox-from.eml")
    (f,) = findings(raw, "M306")
    assert (f.line, f.column, f.part, f.severity.value) == (9, 1, "", "warning")
    top = msg(f"From ann@example.com Wed Nov 25 10:00:00 2026\n{HEAD}\nbody\n")
    (g,) = findings(top, "M306")
    assert g.severity.value == "error"
