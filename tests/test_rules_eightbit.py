"""M101-M106: non-7-bit content. A short message in, the exact findings out."""

from __future__ import annotations

import email
import email.policy
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import mimelint
from mimelint.mime.parse import parse
from mimelint.rule import Finding, Safety, Severity
from mimelint.testing import apply_fix
from tests.profiles import examples
from tests.util import Counted, findings, msg, where

HEAD = (
    "From: Ann <ann@example.com>\nTo: bob@example.com\nSubject: Hi\n"
    "Date: Wed, 25 Nov 2026 10:00:00 +0000\nMessage-ID: <1@example.com>\nMIME-Version: 1.0\n"
)  # 6 lines


def raw_msg(head: bytes, body: bytes, eol: bytes = b"\r\n") -> bytes:
    """A message from bytes with LF written as ``eol`` (for non-UTF-8 content)."""
    return (HEAD.encode() + head + b"\n" + body).replace(b"\n", eol)


def leaves(raw: bytes) -> list[tuple[str, str, str | None, bytes]]:
    """What a reader gets from each leaf: path, type, charset, decoded bytes."""
    m = parse(raw)
    return [(p.path, p.content_type, p.charset, p.payload) for p in m.parts() if p.is_leaf]


def assert_fix_keeps_content(raw: bytes, finding: Finding) -> bytes:
    assert finding.fix is not None
    fixed = apply_fix(raw, finding.fix)
    assert leaves(fixed) == leaves(raw)
    assert not findings(fixed, "M1"), [f.message for f in findings(fixed, "M1")]
    return fixed


# ----------------------------------------------------------------- M101
def test_m101_latin1_subject_points_at_the_bytes() -> None:
    raw = b"Subject: Gr\xfc\xdfe\r\nFrom: a@example.com\r\n\r\nhi\r\n"
    assert where(raw, "M101") == [(1, 12, "")]
    (f,) = findings(raw, "M101")
    assert f.end - f.start == 2 and f.fix is None
    assert "not UTF-8" in f.message


def test_m101_raw_bytes_inside_a_q_word_name_its_charset_and_escape_unsafely() -> None:
    # Doug Sauder's Eudora samples as stalwart mail-parser keeps them
    # (resources/eml/legacy/015.eml): "=?iso-8859-1?Q?M\xfcller?=", the =FC
    # decoded by some gateway. The word names the charset; =FC is the fix.
    raw = (
        b"To: Heinz =?iso-8859-1?Q?M\xfcller?= <m@example.com>\r\n"
        b"Subject: =?iso-8859-1?Q?Die_Fr\xf6sche?=\r\nFrom: a@example.com\r\n\r\nhi\r\n"
    )
    assert where(raw, "M101") == [(1, 27, ""), (2, 31, "")]
    first = findings(raw, "M101")[0]
    assert "inside an encoded-word that declares iso-8859-1" in first.message
    assert first.message.endswith("write each byte as =XX (=FC)")
    assert first.fix is not None and first.fix.safety is Safety.UNSAFE
    assert b"=?iso-8859-1?Q?M=FCller?=" in apply_fix(raw, first.fix)
    fixed = mimelint.fix(raw, unsafe=True)
    assert b"M=FCller" in fixed.data and b"Fr=F6sche" in fixed.data
    assert findings(fixed.data, "M101") == []
    # A byte outside the words: its charset is unknown again, no fix.
    mixed = b"Subject: \xe9t\xe9 =?iso-8859-1?Q?Fr\xf6sche?=\r\nFrom: a@example.com\r\n\r\nhi\r\n"
    (f,) = findings(mixed, "M101")
    assert "not UTF-8" in f.message and f.fix is None


def test_m101_offers_no_escape_for_bytes_the_word_s_charset_cannot_read() -> None:
    # '\xfc' is no UTF-8 and no ISO-2022-JP: written as =FC it would make the
    # word malformed (M321 after the fix), so the word does not name their charset.
    for charset in (b"utf-8", b"iso-2022-jp"):
        raw = b"Subject: =?" + charset + b"?Q?J\xfcrgen?=\r\nFrom: a@example.com\r\n\r\nhi\r\n"
        (f,) = findings(raw, "M101")
        assert f.fix is None and "not UTF-8" in f.message, charset
    # The same bytes in a word whose charset reads them: escaped, and then clean.
    ok = b"Subject: =?windows-1252?Q?J\xfcrgen?=\r\nFrom: a@example.com\r\n\r\nhi\r\n"
    (f,) = findings(ok, "M101")
    assert f.fix is not None
    fixed = apply_fix(ok, f.fix)
    assert findings(fixed, "M101") == [] and findings(fixed, "M321") == []


def test_m101_escapes_in_many_q_words_are_found_in_one_pass(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Each raw run was matched against every word of the field before it:
    # 4,000 such words took 3.7 s. Runs and words are both in order, so one
    # pass over each finds every run's word. Counted, not timed: how often
    # a word is looked at.
    from mimelint.rules.eightbit import m101_eight_bit_header as m101

    looked: Counter[str] = Counter()
    find = m101.find_words
    monkeypatch.setattr(m101, "find_words", lambda *a: [Counted(w, looked) for w in find(*a)])
    counts = []
    for n in (1_000, 2_000):
        looked.clear()
        words = b" ".join([b"=?iso-8859-1?Q?J\xfcrgen?="] * n)
        raw = b"Subject: " + words + b"\r\nFrom: a@example.com\r\n\r\nhi\r\n"
        (f,) = findings(raw, "M101")
        assert f.fix is not None and len(f.fix.edits) == n
        assert {e.replacement for e in f.fix.edits} == {b"=FC"}
        assert f.fix.edits[-1].start == raw.rindex(b"\xfc")
        counts.append(looked.total())
    assert counts[1] < 2.2 * counts[0]


def test_m101_valid_utf8_value_is_left_to_the_header_encoding_rule() -> None:
    assert where(msg("Subject: Grüße aus Köln\nFrom: a@example.com\n\nhi\n"), "M101") == []


def test_m101_mixed_utf8_then_latin1_points_at_the_first_invalid_byte() -> None:
    raw = "Subject: Grüße ".encode() + b"K\xf6ln\r\n\r\nhi\r\n"
    assert where(raw, "M101") == [(1, 17, "")]


def test_m101_field_name_even_if_utf8() -> None:
    raw = "X-Priorität: hoch\nFrom: a@example.com\n\nhi\n".encode()
    assert where(raw, "M101") == [(1, 10, "")]
    assert "field name" in findings(raw, "M101")[0].message


def test_m101_byte_order_mark_before_the_first_field_is_removed() -> None:
    # The shape of MimeKit's TestData/messages/feedback-report.txt: a UTF-8
    # BOM before "From:", so readers see a field named "\ufeffFrom".
    raw = b"\xef\xbb\xbf" + msg(HEAD + "\nhi\n")
    (f,) = findings(raw, "M101")
    assert (f.line, f.column, f.end_column) == (1, 1, 2)
    assert "byte order mark" in f.message and f.fix is not None
    fixed = apply_fix(raw, f.fix)
    assert fixed == raw[3:] and findings(fixed, "M101") == []
    assert mimelint.parse(fixed).header("from") is not None
    # A BOM after the first field is a field name's 8-bit byte, and not fixable.
    later = msg(HEAD + "\ufeffX-Tag: 1\n\nhi\n")
    (g,) = findings(later, "M101")
    assert g.line == 7 and "byte order mark" not in g.message and g.fix is None


def test_m101_in_a_nested_part_header_with_lf_only() -> None:
    raw = raw_msg(
        b'Content-Type: multipart/mixed; boundary="b"\n',
        b"--b\nContent-Type: text/plain\nContent-Description: r\xe9sum\xe9\n\nhi\n--b--\n",
        eol=b"\n",
    )
    assert where(raw, "M101") == [(11, 23, "1")]


# ----------------------------------------------------------------- M102
def test_m102_utf8_body_without_cte_counts_bytes_and_fixes() -> None:
    raw = msg(
        HEAD + "Content-Type: text/plain; charset=utf-8\n\nHello Mr Müller, see you in Köln.\n"
    )
    assert where(raw, "M102") == [(9, 11, "")]
    (f,) = findings(raw, "M102")
    assert "4 8-bit bytes" in f.message
    fixed = assert_fix_keeps_content(raw, f)
    assert b"Content-Transfer-Encoding: quoted-printable\r\n\r\n" in fixed
    assert b"charset=utf-8" in fixed
    assert b"M=C3=BCller" in fixed


def test_m102_explicit_7bit_in_nested_part_is_replaced() -> None:
    raw = raw_msg(
        b'Content-Type: multipart/mixed; boundary="b"\n',
        b'--b\nContent-Type: multipart/alternative; boundary="c"\n\n'
        b"--c\nContent-Type: text/plain; charset=iso-8859-1\nContent-Transfer-Encoding: 7bit\n\n"
        b"cr\xe8me br\xfbl\xe9e, served with coffee and a glass of water\n--c--\n--b--\n",
    )
    assert where(raw, "M102") == [(16, 3, "1.1")]
    fixed = assert_fix_keeps_content(raw, findings(raw, "M102")[0])
    assert b"Content-Transfer-Encoding: quoted-printable\r\n" in fixed
    assert b"7bit" not in fixed


def test_m102_binary_payload_becomes_base64_and_ends_before_the_delimiter() -> None:
    blob = bytes(range(128, 256))
    raw = raw_msg(
        b'Content-Type: multipart/mixed; boundary="b"\n',
        b"--b\nContent-Type: application/octet-stream\n\n" + blob + b"\n--b--\n",
        eol=b"\n",
    )
    (f,) = findings(raw, "M102")
    assert (f.line, f.column, f.part) == (12, 1, "1")
    fixed = assert_fix_keeps_content(raw, f)
    assert b"Content-Transfer-Encoding: base64\n\n" in fixed
    assert b"\r" not in fixed  # LF-only message stays LF-only
    assert fixed.endswith(b"=\n--b--\n")  # the body ends at the delimiter's line break


def test_m102_preamble_is_reported_without_a_fix() -> None:
    raw = raw_msg(
        b'Content-Type: multipart/mixed; boundary="b"\n',
        b"Ce message est au format MIME \xe0 plusieurs parties.\n--b\n\nhi\n--b--\n",
    )
    (f,) = findings(raw, "M102")
    assert (f.line, f.column, f.part) == (9, 31, "")
    assert "preamble" in f.message and f.fix is None
    assert f.severity is Severity.WARNING and "remove it" in f.message
    assert "quoted-printable or base64" not in f.message  # a preamble has no encoding


def test_m102_localized_preamble_is_a_warning_and_the_body_an_error() -> None:
    # The shape of php-mime-mail-parser's tests/mails/m0023 (Windows Live
    # Mail 14, Swedish): the default preamble in raw 8-bit, then an 8-bit
    # body that declares no transfer encoding.
    raw = raw_msg(
        b'Content-Type: multipart/alternative; boundary="b"\n',
        b"Det h\xe4r \xe4r ett flerdelat meddelande i MIME-format.\n\n--b\n"
        b"Content-Type: text/plain; charset=iso-8859-1\n\nH\xe4lsningar\n--b--\n",
        eol=b"\n",
    )
    pre, body = findings(raw, "M102")
    assert (pre.line, pre.column, pre.part, pre.severity) == (9, 6, "", Severity.WARNING)
    assert (body.line, body.column, body.part, body.severity) == (14, 2, "1", Severity.ERROR)
    assert body.fix is not None and pre.fix is None


@pytest.mark.parametrize(
    "head",
    [
        b"Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n",
        b"Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n",
    ],
)
def test_m102_near_misses(head: bytes) -> None:
    body = "Grüße\n".encode() if b"8bit" in head else b"Gr=C3=BC=C3=9Fe\n"
    assert where(raw_msg(head, body), "M102") == []


# ----------------------------------------------------------------- M103
def test_m108_points_at_the_value_and_relabels_clean_content() -> None:
    raw = msg(HEAD + "Content-Type: text/plain\nContent-Transfer-Encoding:  8bit \n\nplain ASCII\n")
    assert where(raw, "M103") == []  # nothing 8-bit to damage: not a warning
    assert where(raw, "M108") == [(8, 29, "")]
    (f,) = findings(raw, "M108")
    assert "declares 8bit but the content is 7-bit; label it 7bit" in f.message.replace(
        " (nothing here can be damaged in transit)", ""
    )
    assert f.severity.value == "info"
    assert f.end - f.start == 4
    fixed = assert_fix_keeps_content(raw, f)
    assert b"Content-Transfer-Encoding: 7bit\r\n" in fixed


def test_m103_eight_bit_body_is_reencoded_not_reported_by_m102() -> None:
    raw = msg(
        HEAD + "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\nGrüße\n"
    )
    assert where(raw, "M102") == []
    (f,) = findings(raw, "M103")
    fixed = assert_fix_keeps_content(raw, f)
    assert b"8bit" not in fixed


def test_m103_multipart_is_relabelled_only_once_its_content_is_clean() -> None:
    head = b'Content-Type: multipart/mixed; boundary="b"\nContent-Transfer-Encoding: 8bit\n'
    dirty = raw_msg(
        head,
        "--b\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\nGrüße\n--b--\n".encode(),
    )
    # The 8-bit content is the child's, and so is the finding: the
    # multipart's 8bit label is what RFC 2045 §6.4 asks of it while a child
    # is 8bit (PHPMailer's default output: both labelled 8bit).
    (found,) = findings(dirty, "M103")
    assert (found.line, found.part, found.fix is not None) == (12, "1", True)
    assert "over 8-bit content" in found.message
    assert findings(dirty, "M108") == []
    child_fixed = apply_fix(dirty, found.fix)  # type: ignore[arg-type]
    assert findings(child_fixed, "M103") == []  # now all 7-bit: M108's, an info
    (outer,) = findings(child_fixed, "M108")
    assert outer.part == "" and outer.fix is not None
    final = assert_fix_keeps_content(child_fixed, outer)
    assert b"8bit" not in final


def test_m103_multipart_with_8bit_preamble_is_its_own_finding() -> None:
    # The near-miss of the above: here the 8-bit bytes are the multipart's
    # own (its preamble), so its label is the one to report; no child has one.
    raw = raw_msg(
        b'Content-Type: multipart/mixed; boundary="b"\nContent-Transfer-Encoding: 8bit\n',
        "Vorwort: Grüße\n--b\nContent-Type: text/plain\n\nHi\n--b--\n".encode(),
    )
    assert where(raw, "M103") == [(8, 28, "")]


def test_m103_phpmailer_alternative_is_reported_on_its_parts_only() -> None:
    # PHPMailer 6 (CharSet utf-8, its default Encoding 8bit, isHTML with an
    # AltBody) labels the multipart/alternative and both parts 8bit: the
    # two parts are reported, each with its fix; the container is not.
    raw = raw_msg(
        b'Content-Type: multipart/alternative;\n\tboundary="b1_x"\n'
        b"Content-Transfer-Encoding: 8bit\n",
        (
            "This is a multi-part message in MIME format.\n--b1_x\n"
            "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\nGrüße\n\n"
            "--b1_x\nContent-Type: text/html; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n"
            "<p>Grüße</p>\n\n--b1_x--\n"
        ).encode(),
    )
    found = findings(raw, "M103")
    assert [(f.part, f.fix is not None) for f in found] == [("1", True), ("2", True)]
    fixed = mimelint.fix(raw).data
    assert findings(fixed, "M103") == [] and findings(fixed, "M108") == []
    assert leaves(fixed) == leaves(raw)


def test_m103_binary_attachment_becomes_base64() -> None:
    raw = raw_msg(
        b"Content-Type: application/pdf\nContent-Transfer-Encoding: binary\n",
        b"%PDF\x00\xff\r\x01" * 40,
    )
    assert where(raw, "M103") == [(8, 28, "")]
    # binary content is M103's alone: no NUL, bare CR or long-line findings
    assert [f.code for f in mimelint.lint(raw, select=["M1"]).findings] == ["M103"]
    fixed = assert_fix_keeps_content(raw, findings(raw, "M103")[0])
    assert b"Content-Transfer-Encoding: base64" in fixed


# ----------------------------------------------------------------- M104
def test_m104_points_past_the_limit_and_counts_lines() -> None:
    body = "a" * 1000 + "\nshort\n" + "b" * 1500 + "\n"
    raw = msg(HEAD + "Content-Type: text/html\n\n" + body)
    assert where(raw, "M104") == [(9, 999, "")]
    (f,) = findings(raw, "M104")
    assert f.end - f.start == 2
    assert "2 lines" in f.message and "longest 1500" in f.message
    fixed = assert_fix_keeps_content(raw, f)
    assert max(len(x) for x in fixed.split(b"\r\n")) <= 76 + 2


def test_m104_long_epilogue_line_asks_to_wrap_not_to_encode() -> None:
    # The shape of MimeKit's TestData/mbox/issue1189.mbox.txt: a 5,000
    # character line after the close delimiter.
    raw = msg(
        HEAD
        + 'Content-Type: multipart/mixed; boundary="b"\n\n--b\n\nhi\n--b--\n'
        + "e" * 5000
        + "\n"
    )
    assert where(raw, "M104") == [(13, 999, "")]
    (f,) = findings(raw, "M104")
    assert "epilogue" in f.message and "shorter lines" in f.message and f.fix is None
    assert "quoted-printable" not in f.message


def test_m104_exactly_998_octets_with_crlf_or_lf_is_fine() -> None:
    assert where(msg(HEAD + "\n" + "x" * 998 + "\n"), "M104") == []
    assert where((HEAD + "\n" + "x" * 998 + "\n").encode(), "M104") == []
    assert where(msg(HEAD + "\n" + "x" * 999 + "\n"), "M104") == [(8, 999, "")]


def test_m104_unwrapped_base64_is_rewrapped() -> None:
    import base64

    blob = bytes(range(256)) * 4
    raw = msg(
        HEAD
        + 'Content-Type: multipart/mixed; boundary="b"\n\n--b\n'
        + "Content-Type: application/octet-stream\nContent-Transfer-Encoding: base64\n\n"
        + base64.b64encode(blob).decode()
        + "\n--b--\n"
    )
    assert where(raw, "M104") == [(13, 999, "1")]
    fixed = assert_fix_keeps_content(raw, findings(raw, "M104")[0])
    assert parse(fixed).parts()[1].payload == blob


def test_m104_uses_the_profile_limit() -> None:
    from mimelint.profile import SES

    raw = msg(HEAD + "\n" + "x" * 100 + "\n")
    assert where(raw, "M104", profile=SES.replace(max_line_octets=80)) == [(8, 81, "")]


def test_m104_header_lines_are_not_this_rules_business() -> None:
    assert where(msg("Subject: " + "x" * 1200 + "\n\nhi\n"), "M104") == []


# ----------------------------------------------------------------- M105
def test_m105_nul_in_body_and_header() -> None:
    raw = raw_msg(b"X-Note: a\x00b\n", b"ab\x00\x00c\n")
    assert where(raw, "M105") == [(7, 10, ""), (9, 3, "")]
    head, body = findings(raw, "M105")
    assert head.fix is None and "header section" in head.message
    assert "2 NUL bytes" in body.message and body.fix is not None
    fixed = apply_fix(raw, body.fix)
    assert leaves(fixed) == leaves(raw)
    assert where(fixed, "M105") == [(7, 10, "")]


def test_m105_encoded_nul_is_fine() -> None:
    raw = msg(HEAD + "Content-Transfer-Encoding: quoted-printable\n\na=00b\n")
    assert where(raw, "M105") == []


# ----------------------------------------------------------------- M106
def test_m106_bare_cr_in_body_is_reencoded() -> None:
    raw = raw_msg(b"Content-Type: text/plain\n", b"one\rtwo\n")
    assert where(raw, "M106") == [(9, 4, "")]
    fixed = assert_fix_keeps_content(raw, findings(raw, "M106")[0])
    assert b"one=0Dtwo" in fixed


def test_m106_cr_at_the_end_of_a_part_before_the_delimiter() -> None:
    raw = raw_msg(b'Content-Type: multipart/mixed; boundary="b"\n', b"--b\n\ntext\r\n--b--\n")
    # "text\r\r\n": the CR before the delimiter's CR LF is content
    assert where(raw, "M106") == [(11, 5, "1")]
    assert_fix_keeps_content(raw, findings(raw, "M106")[0])


def test_m106_lf_only_and_crlf_are_fine() -> None:
    assert where(raw_msg(b"", b"one\ntwo\n", eol=b"\n"), "M106") == []
    assert where(raw_msg(b"", b"one\ntwo\n"), "M106") == []


def test_one_fix_per_part_shared_by_every_rule() -> None:
    raw = raw_msg(
        b"Content-Type: text/plain; charset=utf-8\n", "Grüße\x00\r".encode() + b"x" * 1200 + b"\n"
    )
    found = mimelint.lint(raw, select=["M1"]).findings
    assert [f.code for f in found] == ["M102", "M105", "M106", "M104"]
    fixes = {f.fix for f in found}
    assert len(fixes) == 1
    assert_fix_keeps_content(raw, found[0])


def test_fix_is_idempotent_in_effect() -> None:
    raw = msg(HEAD + "Content-Type: text/plain; charset=utf-8\n\nGrüße\n")
    fixed = assert_fix_keeps_content(raw, findings(raw, "M102")[0])
    assert mimelint.lint(fixed, select=["M1"]).findings == []


def test_total_on_odd_input() -> None:
    for raw in [
        b"",
        b"\x00",
        b"\r",
        b"\xff\xfe:\xff\r\n\r\n\xff",
        b"Content-Type: multipart/x\r\n\r\n\x00",
    ]:
        report = mimelint.lint(raw, select=["M1"])
        assert not report.internal_errors


def _safe(f: Finding) -> bool:
    return f.fix is not None and f.fix.safety is Safety.SAFE


def test_fix_engine_proves_and_repeats_nothing_on_m1_and_m2_fixtures() -> None:
    """Through mimelint.fix (when built): proof passes, fixable findings gone, idempotent."""
    fixer = pytest.importorskip("mimelint.fixer")
    from tests.util import FIXTURES

    for path in sorted(FIXTURES.glob("rules/M[12]0*/bad*.eml")):
        raw = path.read_bytes()
        code = path.parent.name
        result = fixer.fix(raw, select=["M1", "M2"])
        assert not result.refused, (path.name, result.refused)
        # Safe fixes only (M202's and M208's are unsafe: applied on request).
        again = [f for f in mimelint.lint(result.data, select=["M1", "M2"]).findings if _safe(f)]
        assert again == [], (path.name, [f.code for f in again])
        if any(_safe(f) for f in findings(raw, code)):
            assert result.data != raw, path.name
        assert fixer.fix(result.data, select=["M1", "M2"]).data == result.data, path.name


# ------------------------------------------------------- M102 on quoted-printable
QP_HEAD = b"Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n"


def test_m102_raw_8bit_in_quoted_printable_body_is_escaped() -> None:
    raw = raw_msg(QP_HEAD, "Caf=C3=A9 ok\nGrüße =3D Gr".encode() + b"\xfc\n")
    (f,) = findings(raw, "M102")
    assert (f.line, f.column, f.part) == (11, 3, "")  # the raw C3 of "Grüße"
    assert "labelled quoted-printable but holds" in f.message and "=XX" in f.message
    assert f.fix is not None and f.fix.safety.value == "safe"
    fixed = assert_fix_keeps_content(raw, f)
    assert fixed.endswith(b"Gr=C3=BC=C3=9Fe =3D Gr=FC\r\n")
    assert b"Caf=C3=A9 ok\r\n" in fixed  # text before the first raw byte untouched
    assert findings(fixed, "M102") == []


@pytest.mark.parametrize("before", [b"a=", b"a=4", b"a=f"])
def test_m102_no_escape_fix_next_to_a_stray_equals_sign(before: bytes) -> None:
    # "=" + raw byte is no escape, and "==C3" decodes as "=C3" in Python:
    # escaping there could change the text, so the finding comes unfixed.
    raw = raw_msg(QP_HEAD, b"ok =C3=A9\n" + before + b"\xc3\xa9\n")
    (f,) = findings(raw, "M102")
    assert (f.line, f.column) == (11, len(before) + 1)
    assert f.fix is None


def test_m102_quiet_on_clean_quoted_printable_and_base64() -> None:
    assert where(raw_msg(QP_HEAD, b"Gr=C3=BC=C3=9Fe\n"), "M102") == []
    b64 = b"Content-Type: text/plain\nContent-Transfer-Encoding: base64\n"
    assert where(raw_msg(b64, b"R3L\xc3\xbc\n"), "M102") == []  # M710's


# ------------------------------------------------------------------- M107
def test_m107_reports_the_first_minority_line_ending_with_counts() -> None:
    raw = raw_msg(b"Content-Type: text/plain\n", b"one\ntwo\nthree\n").replace(b"two\r\n", b"two\n")
    (f,) = findings(raw, "M107")
    assert (f.line, f.column, f.part) == (10, 4, "")
    assert f.end - f.start == 1 and raw[f.start : f.end] == b"\n"
    assert "1 line ends with LF and 10 with CR LF" in f.message
    assert f.fix is not None and apply_fix(raw, f) == raw.replace(b"two\n", b"two\r\n")


def test_m107_mostly_lf_file_points_at_the_crlf() -> None:
    raw = raw_msg(b"Content-Type: text/plain\n", b"one\ntwo\n", eol=b"\n").replace(
        b"Subject: Hi\n", b"Subject: Hi\r\n"
    )
    (f,) = findings(raw, "M107")
    assert (f.line, f.column) == (3, 12)
    assert raw[f.start : f.end] == b"\r\n"


def test_m107_quiet_on_lf_only_crlf_only_and_binary_bodies() -> None:
    body = b"one\ntwo\n"
    head = b"Content-Type: text/plain\n"
    assert where(raw_msg(head, body, eol=b"\n"), "M107") == []
    assert where(raw_msg(head, body), "M107") == []
    binary = raw_msg(
        b"Content-Type: application/octet-stream\nContent-Transfer-Encoding: binary\n", b""
    )
    binary += b"\x00\x01\n\x02\n"  # LF bytes in binary data are not line endings
    assert where(binary, "M107") == []


@settings(max_examples=examples(100), deadline=None)
@given(
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=40),
    st.sampled_from(["utf-16-le", "utf-16-be", "utf-32-le"]),
)
def test_m107_leaves_the_bytes_of_utf16_and_utf32_text_alone(text: str, charset: str) -> None:
    # A 0x0A byte in UTF-16 text is half of a character (U+0A0D, U+6F0A...),
    # not a line break: writing a CR before it shifted every unit after it,
    # and both readers of the proof read line breaks before the charset.
    body = ("\n" + text + "\u0a0a").encode(charset)
    head = f"Content-Type: text/plain; charset={charset}\nContent-Transfer-Encoding: 8bit\n"
    raw = raw_msg(head.encode(), b"").replace(b"Subject: Hi\r\n", b"Subject: Hi\n") + body
    result = mimelint.fix(raw, select=["M107"])
    assert result.data.endswith(body)
    std = email.message_from_bytes(result.data, policy=email.policy.default)
    assert std.get_payload(decode=True) == body


@pytest.mark.parametrize("charset", ["ibm037", "ibm500", "ibm273", "cp1140"])
def test_m107_leaves_the_bytes_of_ebcdic_text_alone(charset: str) -> None:
    # In EBCDIC, LF is 0x25 and the byte 0x0A is U+008E: a CR written before
    # it is one more character in the text every reader decodes.
    body = "Gr\u00fc\u00dfe\nzwei\u008e Zeilen\n".encode(charset)
    assert b"\n" in body
    head = f"Content-Type: text/plain; charset={charset}\nContent-Transfer-Encoding: 8bit\n"
    raw = raw_msg(head.encode(), b"").replace(b"Subject: Hi\r\n", b"Subject: Hi\n") + body
    assert findings(raw, "M107")
    result = mimelint.fix(raw, select=["M107"])
    assert result.data.endswith(body)


def test_m103_mentions_ses_only_under_an_ses_profile() -> None:
    raw = msg(
        HEAD + "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\nGrüße\n"
    )
    (ses,) = findings(raw, "M103")
    (rfc,) = findings(raw, "M103", profile="rfc")
    assert (rfc.line, rfc.column, rfc.end_column) == (ses.line, ses.column, ses.end_column)
    assert "Amazon SES may damage it" in ses.message
    assert "SES" not in rfc.message and "relays or filters that rewrite" in rfc.message


# ------------------------------------------- M107 against a naive count
_EOL = st.sampled_from([b"\r\n", b"\n", b"\r", b"\r\r\n"])
_BODY = st.lists(st.tuples(st.sampled_from([b"", b"a", b"QUJD", b"x" * 80]), _EOL), max_size=6)
_CTE = st.sampled_from([b"7bit", b"binary", b"base64", b"quoted-printable"])


@settings(max_examples=examples(300), deadline=None)
@given(st.lists(st.tuples(_CTE, _BODY, _EOL), min_size=1, max_size=3), _EOL)
def test_mixed_line_endings_matches_a_naive_count(
    leaves: list[tuple[bytes, list[tuple[bytes, bytes]], bytes]], eol: bytes
) -> None:
    out = [
        b"From: a@example.com",
        b"MIME-Version: 1.0",
        b'Content-Type: multipart/mixed; boundary="b"',
    ]
    out = [line + eol for line in out] + [eol]
    for cte, body, sep in leaves:
        out += [b"--b" + sep, b"Content-Transfer-Encoding: " + cte + sep, sep]
        out += [text + end for text, end in body]
    out.append(b"--b--" + eol)
    raw = b"".join(out)
    message = parse(raw)
    # Naive: every line ending outside binary bodies, LF by LF.
    kept = bytearray()
    pos = 0
    for p in message.parts():
        if p.is_leaf and p.transfer_encoding == "binary":
            kept += raw[pos : p.body_start]
            pos = p.body_end
    kept += raw[pos:]
    lf, crlf = kept.count(b"\n"), kept.count(b"\r\n")
    mixed = lf - crlf > 0 and crlf > 0
    assert bool(findings(raw, "M107", profile="rfc")) == mixed


def test_m107_a_bare_cr_inside_base64_is_no_cr_lf() -> None:
    # The base64 scan counted line endings with the alphabet removed, so
    # "QUJD\rQUJD\n" read as a CR LF and an LF-only message got an M107 mix.
    raw = (
        b"From: a@example.com\nMIME-Version: 1.0\nContent-Type: application/pdf\n"
        b"Content-Transfer-Encoding: base64\n\n" + b"QUJD\rQUJD\n" * 20
    )
    codes = {f.code for f in mimelint.lint(raw, profile="rfc").findings}
    assert "M106" in codes and "M107" not in codes


def test_m107_fix_writes_cr_lf_in_text_and_leaves_data_alone() -> None:
    from mimelint.fixer import fix
    from mimelint.testing import apply_fix

    raw = (
        b"From: a@example.com\r\nMIME-Version: 1.0\r\n"
        b'Content-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\n'
        b"Content-Type: text/plain; charset=utf-8\r\n\r\nline one\nline two\r\n--b\r\n"
        b"Content-Type: application/x-ndjson\r\n\r\n{}\n{}\r\n--b--\r\n"
    )
    [found] = findings(raw, "M107")
    assert (found.line, found.column) == (8, 9)
    assert found.fix is not None and found.fix.safety.value == "safe"
    fixed = apply_fix(raw, found)
    assert b"line one\r\nline two" in fixed and b"{}\n{}" in fixed  # data stays as written
    result = fix(raw, select=["M107"])
    assert result.refused is None and result.data == fixed
    # Only data LFs left: still reported (the mix is real), no fix to offer.
    [again] = findings(fixed.replace(b"{}\n{}", b"{}\n{}\n{}"), "M107")
    assert again.fix is None


def test_m101_reports_raw_bytes_inside_an_encoded_word_once() -> None:
    # One problem, one finding: M101 reports the raw byte, M321 leaves it.
    raw = b"From: a@example.com\r\nSubject: =?iso-8859-1?q?caf\xe9?=\r\n\r\nhi\r\n"
    assert where(raw, "M101") == [(2, 28, "")]
    codes = [f.code for f in mimelint.lint(raw, select=["M101", "M32"]).findings]
    assert codes == ["M101"]


def test_m107_fix_takes_an_encoded_cr_before_a_bare_lf_as_the_line_break() -> None:
    # Ruby's mail 2.7.1 (Debian 12's ruby-mail), an html_part built from a
    # string: CR LF headers, quoted-printable lines with bare LF, and the
    # body's last CR LF written "=0D" + LF. Written as CR LF, that "=0D"
    # would decode to a second CR (an extra line), so the fix was refused.
    from mimelint.fixer import fix

    raw = (
        b"From: a@example.com\r\nMIME-Version: 1.0\r\n"
        b"Content-Type: text/html;\r\n charset=UTF-8\r\n"
        b"Content-Transfer-Encoding: quoted-printable\r\n\r\n"
        b"<p>Gr=C3=BC=C3=9Fe</p><p><span>=C3=9Cbersicht<=\n/span></p>=0D\n"
        b"</body></html>=0D\n"
    )
    [found] = findings(raw, "M107")
    assert found.fix is not None and found.fix.safety.value == "safe"
    result = fix(raw)
    assert result.refused is None and not result.refused_fixes
    assert result.data.endswith(b"<=\r\n/span></p>\r\n</body></html>\r\n")
    assert leaves(result.data) == leaves(raw)
    assert findings(result.data, "M107") == []
    # The near-miss: "=0D" before "=" and LF is content before a soft break.
    soft = raw.replace(b"</p>=0D\n", b"</p>=0D=\n")
    assert b"=0D=\r\n" in fix(soft).data


def test_m107_fix_leaves_an_encoded_cr_after_a_stray_equals_sign() -> None:
    # "==0D" and LF: readers disagree on the stray "=" (Python reads "=="
    # as "=" and "0D" as text), so taking "=0D" as the line break's CR
    # changed what one of them decodes, and the proof refused the whole
    # fix, every other line ending included. Such an "=0D" stays as it is
    # (M720 reports the stray "="); only its LF becomes CR LF.
    from mimelint.fixer import fix

    raw = (
        b"From: a@example.com\r\nMIME-Version: 1.0\r\n"
        b"Content-Type: text/plain; charset=UTF-8\r\n"
        b"Content-Transfer-Encoding: quoted-printable\r\n\r\n"
        b"a==0D\nb=0D\nc\r\n"
    )
    result = fix(raw, select=["M107"])
    assert result.refused is None and not result.refused_fixes
    assert result.data.endswith(b"\r\n\r\na==0D\r\nb\r\nc\r\n")
    # What Python's email decodes, line breaks read as LF (as the proof does).
    (*_, before), (*_, after) = leaves(raw) + leaves(result.data)
    assert after.replace(b"\r\n", b"\n") == before.replace(b"\r\n", b"\n") == b"a=0D\nb\nc\n"
