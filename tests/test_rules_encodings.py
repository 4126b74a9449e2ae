"""Transfer encodings and charsets (M7xx): exact positions, near-misses, fixes."""

from __future__ import annotations

import base64
import importlib
import importlib.util

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import mimelint
from mimelint.mime.charsets import codec_for as charset_codec
from mimelint.mime.parse import parse
from mimelint.mime.scan import long_lines
from mimelint.rule import Safety
from mimelint.testing import apply_fix, message
from tests.profiles import examples
from tests.util import findings, msg, where

HEAD = """From: Ana <ana@example.com>
To: Ben <ben@example.org>
Subject: Test
Date: Tue, 03 Jun 2025 10:00:00 +0000
Message-ID: <t@example.com>
MIME-Version: 1.0
"""  # 6 lines: a single-part body starts on line 10 after 3 more headers/blank


def single(ctype: str, cte: str, body: str) -> bytes:
    """A one-part message; its body starts on line 10."""
    return msg(f"{HEAD}Content-Type: {ctype}\nContent-Transfer-Encoding: {cte}\n\n{body}")


def multipart(inner: str, body: str, top_cte: str = "7bit") -> bytes:
    """A two-part message; the second part's headers start on line 15."""
    return msg(
        f"{HEAD}Content-Type: multipart/mixed; boundary=b1\n"
        f"Content-Transfer-Encoding: {top_cte}\n"
        "\n"
        "--b1\n"
        "Content-Type: text/plain; charset=us-ascii\n"
        "\n"
        "See attached.\n"
        "--b1\n"
        f"{inner}"
        "\n"
        f"{body}\n"
        "--b1--\n"
    )


ATTACHMENT = (
    'Content-Type: application/pdf; name="a.pdf"\n'
    'Content-Disposition: attachment; filename="a.pdf"\n'
    "Content-Transfer-Encoding: base64\n"
)  # 3 lines: with multipart(), the body starts on line 19

PDF = bytes(range(256)) * 3 + b"%%EOF"
B64 = base64.encodebytes(PDF).decode()  # 76-column lines


def leaf_payloads(raw: bytes) -> list[tuple[str, bytes]]:
    return [(p.path, p.payload) for p in parse(raw).parts() if p.is_leaf]


# ------------------------------------------------------------ M701-M703
def test_multipart_with_base64_is_flagged_at_the_value() -> None:
    raw = multipart(ATTACHMENT, B64, top_cte="base64")
    assert where(raw, "M701") == [(8, 28, "")]


def test_message_rfc822_with_quoted_printable_is_flagged() -> None:
    raw = msg(
        f"{HEAD}Content-Type: message/rfc822\nContent-Transfer-Encoding: quoted-printable\n\n"
        "Subject: inner\n\nhi\n"
    )
    assert where(raw, "M701") == [(8, 28, "")]


@pytest.mark.parametrize("cte", ["7bit", "8bit", "binary", "7BIT"])
def test_multipart_identity_encodings_pass(cte: str) -> None:
    assert where(multipart(ATTACHMENT, B64, top_cte=cte), "M701") == []


def test_message_global_may_be_encoded() -> None:
    raw = single(
        "message/global", "base64", base64.encodebytes(b"Subject: x\r\n\r\nhi\r\n").decode()
    )
    assert where(raw, "M701") == []


def test_unknown_encoding_suggests_the_intended_one() -> None:
    raw = single("text/plain; charset=us-ascii", "7-bit", "Hi\n")
    (f,) = findings(raw, "M702")
    assert (f.line, f.column, f.end_column) == (8, 28, 33)
    assert "'7bit'" in f.message
    (f,) = findings(single("text/plain", "Base-64", "SGk=\n"), "M702")
    assert "'base64'" in f.message


@pytest.mark.parametrize("cte", ["x-uuencode", "uuencode", "x-custom"])
def test_private_encodings_are_warnings_not_errors(cte: str) -> None:
    raw = multipart(
        f"Content-Type: text/plain\nContent-Transfer-Encoding: {cte}\n", "begin 644 a\nend"
    )
    assert where(raw, "M703") == [(16, 28, "2")]
    assert where(raw, "M702") == []
    assert findings(raw, "M703")[0].severity.value == "warning"


@pytest.mark.parametrize("cte", ["Quoted-Printable", "BASE64", " 8bit "])
def test_known_encodings_in_any_case_pass(cte: str) -> None:
    raw = single("text/plain; charset=us-ascii", cte, "SGk=\n")
    assert where(raw, "M702") == [] and where(raw, "M703") == []


# ------------------------------------------------------------ base64
def test_valid_base64_crlf_76_columns_passes() -> None:
    raw = multipart(ATTACHMENT, B64)
    for code in ("M710", "M711", "M712"):
        assert where(raw, code) == [], code


def test_valid_base64_lf_and_72_columns_pass() -> None:
    body = "\n".join(base64.b64encode(PDF).decode()[i : i + 72] for i in range(0, 1030, 72))
    raw = multipart(ATTACHMENT, body).replace(b"\r\n", b"\n")
    for code in ("M710", "M711", "M712"):
        assert where(raw, code) == [], code


def test_short_last_line_with_double_padding_passes() -> None:
    body = base64.encodebytes(b"x" * 100).decode()
    assert body.rstrip().endswith("==")
    raw = multipart(ATTACHMENT, body)
    assert where(raw, "M711") == [] and where(raw, "M712") == []


def test_first_invalid_character_and_count() -> None:
    lines = B64.splitlines()
    lines[2] = lines[2][:10] + "_" + lines[2][11:]  # URL alphabet: one char swapped
    lines[4] = lines[4][:5] + "-" + lines[4][6:]
    raw = multipart(ATTACHMENT, "\n".join(lines))
    (f,) = findings(raw, "M710")
    assert (f.line, f.column, f.part) == (21, 11, "2")
    assert "'_'" in f.message and "2 invalid characters" in f.message
    assert f.fix is not None and f.fix.safety is Safety.UNSAFE


def test_padding_in_the_middle() -> None:
    body = "Zmlyc3Q=\nc2Vjb25k\n"
    raw = multipart(ATTACHMENT, body)
    assert where(raw, "M711") == [(19, 8, "2")]
    assert findings(raw, "M711")[0].fix.safety is Safety.UNSAFE  # type: ignore[union-attr]


def test_missing_padding_is_found_at_the_end_and_fixed_safely() -> None:
    raw = multipart(ATTACHMENT, "SGVsbG8\n")
    (f,) = findings(raw, "M711")
    assert (f.line, f.column, f.start == f.end) == (19, 8, True)
    assert f.fix is not None and f.fix.safety is Safety.SAFE
    fixed = apply_fix(raw, f.fix)
    assert leaf_payloads(fixed) == leaf_payloads(raw)
    assert b"SGVsbG8=\r\n\r\n--b1--" in fixed  # the tail line breaks are kept
    assert where(fixed, "M711") == []


def test_truncated_and_excess_padding() -> None:
    assert where(multipart(ATTACHMENT, "SGVsbG8gd\n"), "M711") == [(19, 9, "2")]
    (f,) = findings(multipart(ATTACHMENT, "SGVsbA===\n"), "M711")
    assert (f.line, f.column, f.end_column) == (19, 7, 10)
    assert "3 '='" in f.message


def test_long_base64_line_position_count_and_fix() -> None:
    one_line = base64.b64encode(PDF[:768]).decode()  # 1024 characters, no padding
    wrapped = base64.encodebytes(PDF[:768]).decode()
    body = wrapped + one_line + "\n" + one_line + "\n" + B64.rstrip("\n")
    raw = multipart(ATTACHMENT, body)
    (f,) = findings(raw, "M712")
    first_long = 19 + len(wrapped.splitlines())
    assert (f.line, f.column, f.part) == (first_long, 77, "2")
    assert f.end_column == len(one_line) + 1
    assert "1 more line" in f.message
    assert f.fix is not None and f.fix.safety is Safety.SAFE
    fixed = apply_fix(raw, f.fix)
    assert leaf_payloads(fixed) == leaf_payloads(raw)
    assert where(fixed, "M712") == []
    assert fixed.endswith(b"\r\n--b1--\r\n") and b"\r\n\r\n--b1--" not in fixed


def test_long_base64_top_level_body_keeps_its_final_line_break() -> None:
    raw = single("application/pdf", "base64", base64.b64encode(PDF).decode() + "\n")
    (f,) = findings(raw, "M712")
    assert (f.line, f.column) == (10, 77)
    fixed = apply_fix(raw, f.fix)  # type: ignore[arg-type]
    assert fixed.endswith(b"=\r\n") and not fixed.endswith(b"\r\n\r\n")
    assert leaf_payloads(fixed) == leaf_payloads(raw)


def test_no_safe_rewrap_when_the_body_is_damaged() -> None:
    raw = multipart(ATTACHMENT, "SGVs bG8g" + "d29y" * 30 + "\n")
    (f,) = findings(raw, "M712")
    assert f.fix is None
    assert findings(raw, "M710")[0].fix is not None


def test_base64_rules_skip_other_encodings_and_containers() -> None:
    raw = single("text/plain; charset=us-ascii", "7bit", "not base64 at all!\n")
    assert where(raw, "M710") == []


# ---------------------------------------------------- quoted-printable
QP = "text/plain; charset=utf-8"


def test_bad_escape_position_and_count() -> None:
    raw = single(QP, "quoted-printable", "Open ?lang=en&id=42&ref=mail\n")
    (f,) = findings(raw, "M720")
    assert (f.line, f.column, f.end_column) == (10, 11, 12)
    assert "'=en'" in f.message and "2 bad escapes" in f.message
    fixed = apply_fix(raw, f.fix)  # type: ignore[arg-type]
    assert b"lang=3Den&idB&ref=3Dmail" in fixed  # what lenient decoders show: unsafe
    assert leaf_payloads(fixed) == leaf_payloads(raw)
    assert where(fixed, "M720") == []


def test_soft_breaks_and_escapes_pass() -> None:
    raw = single(QP, "quoted-printable", "caf=C3=A9 and a soft =\nbreak, and one at the end=\n")
    assert where(raw, "M720") == [] and where(raw, "M721") == []


def test_lowercase_escape_is_info_and_fixed_safely() -> None:
    raw = single(QP, "quoted-printable", "caf=c3=a9 and =3d\n")
    (f,) = findings(raw, "M721")
    assert (f.line, f.column, f.severity.value) == (10, 4, "info")
    assert "3 lowercase escapes" in f.message
    assert f.fix is not None and f.fix.safety is Safety.SAFE
    fixed = apply_fix(raw, f.fix)
    assert fixed.endswith(b"caf=C3=A9 and =3D\r\n")
    assert leaf_payloads(fixed) == leaf_payloads(raw)


def test_long_qp_line_and_safe_reencode() -> None:
    long = "word " * 30
    raw = single(QP, "quoted-printable", f"short\n{long.strip()}\n{long.strip()}\nend\n")
    (f,) = findings(raw, "M722")
    assert (f.line, f.column) == (11, 77)
    assert "1 more line" in f.message
    assert f.fix is not None and f.fix.safety is Safety.SAFE
    fixed = apply_fix(raw, f.fix)
    assert leaf_payloads(fixed) == leaf_payloads(raw)
    assert where(fixed, "M722") == []


def test_qp_reencode_keeps_an_escaped_line_end_within_76() -> None:
    # A decoded line of 74 characters that ends in a space: the space must be
    # escaped (=20) where it ends the line, which makes 77 characters unless
    # the escape moves after a soft break. Before, the re-encoded body broke
    # the limit again, M722 fired on its own fix and the fix was refused.
    long = "word " * 30
    raw = single(QP, "quoted-printable", f"{long.strip()}\n{'x' * 74}=\n=20\nend\n")
    (f,) = findings(raw, "M722")
    assert (f.line, f.column) == (10, 77)
    assert f.fix is not None
    fixed = apply_fix(raw, f.fix)
    assert leaf_payloads(fixed) == leaf_payloads(raw)
    assert where(fixed, "M722") == []
    result = mimelint.fix(raw)
    assert result.refused is None
    assert where(bytes(result), "M722") == []


def test_qp_line_of_exactly_76_with_soft_break_passes() -> None:
    raw = single(QP, "quoted-printable", "x" * 75 + "=\n" + "y" * 76 + "\n")
    assert where(raw, "M722") == []
    raw = single(QP, "quoted-printable", "x" * 76 + "=\ny\n")
    assert where(raw, "M722") == [(10, 77, "")]


def test_no_safe_qp_reencode_with_trailing_whitespace() -> None:
    raw = single(QP, "quoted-printable", "x" * 80 + "  \n")
    assert findings(raw, "M722")[0].fix is None
    (f,) = findings(raw, "M723")
    assert (f.line, f.column, f.end_column) == (10, 81, 83)
    assert f.fix is not None and f.fix.safety is Safety.UNSAFE


def test_space_before_soft_break_and_encoded_space_pass() -> None:
    raw = single(QP, "quoted-printable", "soft break after a space =\nand =20\n")
    assert where(raw, "M723") == []


# ------------------------------------------------------------ charsets
def test_unknown_charset_at_the_parameter_value() -> None:
    (f,) = findings(single("text/plain; charset=utf-9", "7bit", "Hi\n"), "M730")
    assert (f.line, f.column, f.end_column) == (7, 35, 40)
    (f,) = findings(single('text/plain; charset="x-unknown"', "7bit", "Hi\n"), "M730")
    assert (f.column, f.end_column) == (35, 46)


@pytest.mark.parametrize(
    "charset",
    [
        '"UTF-8"',
        "utf8",
        "ISO-8859-1",
        "windows-1252",
        "iso-8859-8-i",
        "ks_c_5601-1987",
        "Shift_JIS",
    ],
)
def test_known_charsets_pass(charset: str) -> None:
    assert where(single(f"text/plain; charset={charset}", "7bit", "Hi\n"), "M730") == []


@pytest.mark.parametrize("charset", ["base64", "rot13", "idna", "unknown-8bit", '""'])
def test_codecs_that_are_no_charsets_are_unknown(charset: str) -> None:
    raw = single(f"text/plain; charset={charset}", "8bit", "Hi \xe9\n")
    assert len(where(raw, "M730")) == 1
    assert not mimelint.lint(raw).internal_errors


def test_charset_with_a_nul_is_unknown_not_a_crash() -> None:
    # codecs.lookup raises ValueError (not LookupError) on an embedded NUL.
    raw = single('text/plain; charset="utf\x00-8"', "8bit", "Hi \xe9\n")
    (f,) = findings(raw, "M730")
    assert (f.line, f.column) == (7, 35)  # at the quoted value
    assert not mimelint.lint(raw).internal_errors


def test_charset_codec() -> None:
    assert charset_codec(" UTF8 ") == "utf-8"
    assert charset_codec("iso-8859-8-i") == "iso8859-8"
    assert charset_codec("zlib") is None and charset_codec("") is None


def test_undecodable_identity_body_points_at_the_byte() -> None:
    raw = msg(
        f"{HEAD}Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\nline one\nCaf"
    )
    raw += b"\xe9 noir\r\n"
    (f,) = findings(raw, "M731")
    assert (f.line, f.column, f.end_column) == (11, 4, 5)
    assert "e9" in f.message


def test_undecodable_quoted_printable_points_at_the_escape() -> None:
    raw = single("text/plain; charset=us-ascii", "quoted-printable", "fine =E9=\nCaf=e9\n")
    (f,) = findings(raw, "M731")
    # us-ascii rejects the first =E9 (decoded byte 5); the span covers the escape.
    assert (f.line, f.column, f.end_column) == (10, 6, 9)
    assert "(the escape =E9)" in f.message
    raw = single("text/plain; charset=utf-8", "quoted-printable", "=C3=A9 ok=\n and=C3=A9 Caf=e9\n")
    (f,) = findings(raw, "M731")
    assert (f.line, f.column, f.end_column) == (11, 15, 18)  # lowercase escape, after a soft break
    assert "(the escape =e9)" in f.message


def test_undecodable_base64_body_points_at_the_body_start() -> None:
    raw = single(
        "text/plain; charset=us-ascii",
        "base64",
        base64.b64encode(b"fine\r\nCaf\xe9").decode() + "\n",
    )
    (f,) = findings(raw, "M731")
    assert (f.line, f.column) == (10, 1)
    assert "decoded byte 9, line 2" in f.message  # "fine\r\nCaf"


def test_decodable_text_passes_even_with_a_replacement_character() -> None:
    raw = single("text/plain; charset=utf-8", "quoted-printable", "=EF=BF=BD ok\n")
    assert where(raw, "M731") == []
    raw = single("text/plain; charset=iso-8859-1", "quoted-printable", "Caf=E9\n")
    assert where(raw, "M731") == []


def test_eight_bit_text_without_charset_and_its_fix() -> None:
    raw = single("text/plain", "quoted-printable", "Gr=C3=BC=C3=9Fe\n")
    (f,) = findings(raw, "M732")
    assert (f.line, f.column, f.end_column) == (7, 15, 25)
    assert f.fix is not None and f.fix.safety is Safety.UNSAFE
    fixed = apply_fix(raw, f.fix)
    assert b"Content-Type: text/plain; charset=utf-8\r\n" in fixed
    assert where(fixed, "M732") == [] and where(fixed, "M731") == []


def test_eight_bit_text_not_utf8_gets_no_fix() -> None:
    (f,) = findings(single("text/html", "quoted-printable", "Caf=E9\n"), "M732")
    assert f.fix is None


def test_eight_bit_text_without_content_type_is_flagged_at_the_header_end() -> None:
    raw = msg(f"{HEAD}Content-Transfer-Encoding: quoted-printable\n\nGr=C3=BC=C3=9Fe\n")
    (f,) = findings(raw, "M732")
    assert (f.line, f.column, f.start == f.end) == (8, 1, True)
    fixed = apply_fix(raw, f.fix)  # type: ignore[arg-type]
    assert where(fixed, "M732") == []
    assert leaf_payloads(fixed) == leaf_payloads(raw)


# A vCard attached as text/vcard with no charset, base64, UTF-8 Cyrillic name:
# the shape of rspamd's test/functional/messages/gargantua.eml (its vcf part).
VCARD = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:\u0410\u0432\u0442\u043e\r\nEND:VCARD\r\n"


@pytest.mark.parametrize("ctype", ["text/vcard", "text/calendar", "TEXT/VCARD"])
def test_utf8_vcard_and_icalendar_without_charset_pass(ctype: str) -> None:
    # RFC 6350 §3.1 (vCard is always UTF-8), RFC 5545 §3.1.4 (UTF-8 by default).
    body = base64.encodebytes(VCARD.encode("utf-8")).decode("ascii")
    raw = single(ctype, "base64", body)
    assert where(raw, "M732") == []
    part = next(p for p in parse(raw).parts() if p.is_leaf)
    assert part.text == VCARD  # read as UTF-8, not as us-ascii with U+FFFD


def test_vcard_that_is_not_utf8_is_still_flagged() -> None:
    body = base64.encodebytes(VCARD.encode("koi8-r")).decode("ascii")
    (f,) = findings(single("text/vcard", "base64", body), "M732")
    assert (f.line, f.column) == (7, 15)


def test_eight_bit_text_plain_has_no_implied_charset() -> None:
    body = base64.encodebytes(VCARD.encode("utf-8")).decode("ascii")
    (f,) = findings(single("text/plain", "base64", body), "M732")
    assert (f.line, f.column) == (7, 15)


def test_ascii_text_without_charset_passes() -> None:
    assert where(single("text/plain", "7bit", "Plain ASCII.\n"), "M732") == []
    assert where(single("text/plain", "8bit", "Caf\xe9\n"), "M731") == []  # M732's case


# ---------------------------------------------------------- line lengths
def test_long_lines_fast_path_and_fallback_agree() -> None:
    body = B64.replace("\n", "\r\n").encode()
    assert long_lines(body, 0, len(body)) is None
    ragged = b"abc\r\n" + b"x" * 80 + b"\r\n" + b"y" * 90 + b"\r\nz"
    found = long_lines(ragged, 0, len(ragged))
    assert found is not None and (found.first, found.count, found.longest) == (5, 2, 90)


@settings(max_examples=examples(200), deadline=None)
@given(st.lists(st.integers(0, 90), max_size=12), st.sampled_from([b"\n", b"\r\n"]))
def test_long_lines_matches_a_naive_count(widths: list[int], eol: bytes) -> None:
    body = eol.join(b"a" * w for w in widths)
    found = long_lines(body, 0, len(body))
    count = sum(w > 76 for w in widths)
    assert (found.count if found else 0) == count


@settings(max_examples=examples(150), deadline=None)
@given(
    st.binary(max_size=300), st.sampled_from(["base64", "quoted-printable", "7bit"]), st.booleans()
)
def test_rules_are_total(body: bytes, cte: str, charset: bool) -> None:
    ctype = "text/plain; charset=utf-8" if charset else "text/plain"
    raw = msg(f"{HEAD}Content-Type: {ctype}\nContent-Transfer-Encoding: {cte}\n\n") + body
    report = mimelint.lint(raw, select=["M7"])
    assert not report.internal_errors
    for f in report.findings:
        assert 0 <= f.start <= f.end <= len(raw)


# ------------------------------------------------------------ fix engine
FIX_CASES = [
    ("M712", multipart(ATTACHMENT, base64.b64encode(PDF).decode())),
    ("M711", multipart(ATTACHMENT, "SGVsbG8\n")),
    ("M721", single(QP, "quoted-printable", "caf=c3=a9\n")),
    ("M722", single(QP, "quoted-printable", ("word " * 30).strip() + "\n")),
]


@pytest.mark.skipif(
    importlib.util.find_spec("mimelint.fixer") is None, reason="fix engine not built yet"
)
@pytest.mark.parametrize(("code", "raw"), FIX_CASES, ids=[c for c, _ in FIX_CASES])
def test_safe_fixes_pass_the_fix_engine(code: str, raw: bytes) -> None:
    fix_module = importlib.import_module("mimelint.fixer")

    fixed = fix_module.fix(raw)
    assert isinstance(fixed, bytes) and fixed != raw
    assert where(fixed, code) == []
    assert leaf_payloads(fixed) == leaf_payloads(raw)
    assert fix_module.fix(fixed) == fixed


UNSAFE_CASES = [
    ("M710", multipart(ATTACHMENT, "SGVs bG8g d29y bGQ=\n")),
    ("M711", multipart(ATTACHMENT, "Zmlyc3Q=\nc2Vjb25k\n")),
    ("M720", single(QP, "quoted-printable", "Open ?lang=en&ref=mail\n")),
    ("M723", single(QP, "quoted-printable", "Regards,  \nAna\n")),
    ("M732", single("text/plain", "quoted-printable", "Gr=C3=BC=C3=9Fe\n")),
]


@pytest.mark.skipif(
    importlib.util.find_spec("mimelint.fixer") is None, reason="fix engine not built yet"
)
@pytest.mark.parametrize(
    ("code", "raw"), UNSAFE_CASES, ids=["M710", "M711", "M720", "M723", "M732"]
)
def test_unsafe_fixes_only_with_unsafe(code: str, raw: bytes) -> None:
    fix_module = importlib.import_module("mimelint.fixer")
    assert where(fix_module.fix(raw, select=[code]), code) == where(raw, code) != []
    fixed = fix_module.fix(raw, unsafe=True, select=[code])
    assert where(fixed, code) == []
    assert fix_module.fix(fixed, unsafe=True, select=[code]) == fixed


# ------------------------------------------------------------------- M704
@pytest.mark.parametrize(
    ("value", "what"),
    [
        ("base64 (standard)", "carries a comment"),
        ('"base64"', "is in quotes"),
        ("base64;", "ends with ';'"),
        ("(enc) Base64", "carries a comment"),
        ("base64 (a (b) c)", "carries a comment"),  # comments nest (RFC 822 §3.4.3)
        ("base64 ((x))", "carries a comment"),
        ("base64 (x\\)y)", "carries a comment"),  # a quoted-pair in the comment
        ('"base64" (x (y))', "carries a comment"),
    ],
)
def test_decorated_transfer_encoding_is_reported_and_fixed(value: str, what: str) -> None:
    raw = single("text/plain; charset=us-ascii", value, "aGk=\n")
    (f,) = findings(raw, "M704")
    assert (f.line, f.column, f.end_column) == (8, 28, 28 + len(value))
    assert what in f.message and "write just 'base64'" in f.message
    assert where(raw, "M702") == []  # the mechanism is known
    assert parse(raw).parts()[0].payload == b"hi"  # read through the decoration
    # Python's email package does not read through the decoration (it sees
    # the base64 text itself), so the fix changes what it reads: the rule
    # declares it unsafe, and a plain fix leaves it without trying.
    assert f.fix is not None and f.fix.safety is Safety.UNSAFE
    plain = mimelint.fix(raw)
    assert not plain.changed and plain.refused is None and not plain.refused_fixes
    fixed = mimelint.fix(raw, unsafe=True)
    assert fixed.refused is None and b"Content-Transfer-Encoding: base64\r\n" in fixed
    assert parse(fixed).parts()[0].payload == b"hi"


def test_body_rules_read_through_a_nested_comment() -> None:
    raw = single("text/plain; charset=us-ascii", "base64 (a (b) c)", "aGk=!\n")
    assert parse(raw).parts()[0].transfer_encoding == "base64"
    (f,) = findings(raw, "M710")
    assert (f.line, f.column, f.end_column) == (10, 5, 6)


@pytest.mark.parametrize("value", ["base64 (a (b) c", "base64 (x\\)", "base64 )"])
def test_unbalanced_comment_is_not_read_through(value: str) -> None:
    raw = single("text/plain", value, "aGk=\n")
    assert where(raw, "M704") == []
    (f,) = findings(raw, "M702")
    assert (f.line, f.column, f.end_column) == (8, 28, 28 + len(value))


def test_bare_or_unknown_transfer_encodings_are_not_m704() -> None:
    assert where(single("text/plain", "BASE64", "aGk=\n"), "M704") == []
    raw = single("text/plain", "base-64 (x)", "aGk=\n")
    assert where(raw, "M704") == []
    assert "'base-64'" in findings(raw, "M702")[0].message


# ------------------------------------------------------------------- M730
@pytest.mark.parametrize(
    ("charset", "suggested"),
    [("'utf-8'", "utf-8"), ('"utf 8"', "utf-8"), ("utf-8-", "utf-8"), ("'cp1252'", "windows-1252")],
)
def test_charset_only_a_lenient_decoder_reads(charset: str, suggested: str) -> None:
    raw = single(f"text/plain; charset={charset}", "quoted-printable", "Gr=C3=BC=C3=9Fe\n")
    (f,) = findings(raw, "M730")
    assert (f.line, f.column, f.end_column) == (7, 35, 35 + len(charset))
    assert "fall back" in f.message and f"write charset={suggested}" in f.message


@pytest.mark.parametrize(
    "charset",
    [
        "UTF-8",
        "utf8",
        '"iso-8859-1"',
        "Windows-1252",
        "ks_c_5601-1987",
        "ANSI_X3.4-1968",
        "x-sjis",
        "Shift_JIS",
        "windows-31j",
        "latin-1",
    ],
)
def test_charset_labels_clients_know_pass(charset: str) -> None:
    raw = single(f"text/plain; charset={charset}", "7bit", "hello\n")
    assert where(raw, "M730") == []


@pytest.mark.parametrize(
    "ctype", ["image/png", "audio/ogg", "video/mp4", "font/woff2", "model/vrml", "IMAGE/GIF"]
)
def test_charset_on_a_type_that_has_none_is_not_read(ctype: str) -> None:
    # No registration of these types defines a charset and no reader decodes
    # their bytes as text: an unknown label there changes nothing a reader shows.
    raw = single(f"{ctype}; charset=base64", "base64", "aGk=\n")
    assert where(raw, "M730") == []


@pytest.mark.parametrize(
    "ctype", ["application/json", "application/xml", "x-unknown/thing", "image/svg+xml"]
)
def test_charset_on_a_type_read_as_text_is_checked(ctype: str) -> None:
    raw = single(f"{ctype}; charset=utf-9", "7bit", "{}\n")
    (f,) = findings(raw, "M730")
    assert (f.line, f.column) == (7, len("Content-Type: ; charset=") + len(ctype) + 1)
    assert f"this {ctype} part" in f.message


# ------------------------------------------- charsets as clients read them
@pytest.mark.parametrize(
    ("charset", "text", "codec"),
    [
        ("ks_c_5601-1987", "똠방각하", "cp949"),  # UHC-only syllables
        ("euc-kr", "똠방각하", "cp949"),
        ("gb2312", "镕", "gbk"),  # GBK-only Hanzi
        ("big5", "碁", "cp950"),
        ("Shift_JIS", "①", "cp932"),  # NEC circled digit
    ],
)
def test_cjk_labels_decode_with_the_superset_clients_use(
    charset: str, text: str, codec: str
) -> None:
    body = base64.b64encode(text.encode(codec)).decode() + "\n"
    raw = single(f"text/plain; charset={charset}", "base64", body)
    assert where(raw, "M731") == []
    assert where(raw, "M730") == []
    (part,) = parse(raw).parts()
    assert part.text == text  # what the rules and the fix proof see


def test_cjk_superset_still_rejects_a_truly_invalid_sequence() -> None:
    # 0xFF is no lead byte in cp949, so readers show a replacement character.
    body = base64.b64encode("똠".encode("cp949") + b"\xff\xff").decode() + "\n"
    raw = single("text/plain; charset=ks_c_5601-1987", "base64", body)
    (f,) = findings(raw, "M731")
    assert (f.line, f.column, f.end_column) == (10, 1, 1)
    assert "decoded byte 2, line 1" in f.message and "ff" in f.message
    raw = single("text/plain; charset=gb2312", "8bit", "ok\n")[:-2] + b"\x81\x20\r\n"
    (f,) = findings(raw, "M731")
    assert (f.line, f.column, f.end_column) == (10, 3, 4)  # "ok" then 81 20


@pytest.mark.parametrize(
    "charset",
    [
        "x-user-defined",
        "ks_c_5601-1989",
        "windows-949",
        "ksc_5601",
        "iso-ir-149",
        "csgb2312",
        "cn-big5",
        "x-x-big5",
        "x-cp1252",
        "dos-874",
        "iso88592",
        "ucs-2",
        "unicode",
        "csunicode",
        "iso-10646-ucs-2",
        "unicodefeff",
        "unicode11utf8",
        "unicode20utf8",
        "x-unicode20utf8",
        "koi8",
        "koi",
        "koi8-ru",
        "x-mac-ukrainian",
        "mac",
        "logical",
        "visual",
    ],
)
def test_every_whatwg_label_is_known(charset: str) -> None:
    raw = single(f'text/plain; charset="{charset}"', "7bit", "hi\n")
    assert where(raw, "M730") == []


def test_x_user_defined_decodes_every_byte() -> None:
    raw = single("text/plain; charset=x-user-defined", "8bit", "ok\n")[:-2] + b"\x80\xff\r\n"
    assert where(raw, "M731") == []
    (part,) = parse(raw).parts()
    assert part.text is not None and part.text.startswith("ok\uf780\uf7ff")


@pytest.mark.parametrize("charset", ["'utf-8'", '"utf 8"', "iso-2022-cn"])
def test_labels_no_client_reads_stay_unknown(charset: str) -> None:
    (f,) = findings(single(f"text/plain; charset={charset}", "7bit", "hi\n"), "M730")
    assert (f.line, f.column, f.end_column) == (7, 35, 35 + len(charset))


def test_charset_codec_follows_whatwg() -> None:
    assert charset_codec("KS_C_5601-1987") == "cp949"
    assert charset_codec("gbk") == "gb18030" and charset_codec("x-gbk") == "gb18030"
    assert charset_codec("big5") == "big5hkscs" and charset_codec("sjis") == "cp932"
    assert charset_codec("euc_kr") == "cp949"  # a Python spelling: the same superset
    assert charset_codec("unicode") == "utf-16" and charset_codec("utf-16le") == "utf-16-le"
    assert charset_codec("us-ascii") == "ascii"  # not windows-1252: 8-bit there is an error


def test_uncomment_nests_and_is_linear() -> None:
    from mimelint.mime.tree import uncomment

    assert uncomment("base64 (a (b) c)") == "base64  "
    assert uncomment('"a(b" (c) d') == '"a(b"   d'  # no comment inside quotes
    assert uncomment("1.(produced by MetaSend Vx.x)0") == "1. 0"
    assert uncomment("x (a") is None and uncomment("x )") is None
    deep = "base64 " + "(" * 200_000 + ")" * 200_000
    assert uncomment(deep) == "base64  "  # one pass; the old loop was quadratic


def test_m732_offers_no_fix_behind_an_unclosed_quote() -> None:
    # The appended '; charset=utf-8' would sit inside the quoted name and never
    # be read, so the unsafe fix would append again on every pass (fuzzing).
    raw = (
        b"From: a@example.com\r\nMIME-Version: 1.0\r\n"
        b'Content-Type: text/plain; name="report\r\n\r\nGr\xc3\xbc\xc3\x9fe\r\n'
    )
    (finding,) = [f for f in mimelint.lint(raw).findings if f.code == "M732"]
    assert finding.fix is None
    closed = raw.replace(b'name="report', b'name="report"')
    (finding,) = [f for f in mimelint.lint(closed).findings if f.code == "M732"]
    assert finding.fix is not None and finding.fix.safety.value == "unsafe"


def test_whatwg_codec_names_are_the_names_codecs_lookup_gives() -> None:
    # charsets.py writes each group's codec in codecs.lookup's canonical
    # form so that importing it loads no codec; this keeps that true.
    import codecs

    from mimelint.mime import charsets

    for codec, _labels in charsets._GROUPS:
        assert codecs.lookup(codec).name == codec, codec
    assert set(charsets.WHATWG_LABELS.values()) == {c for c, _ in charsets._GROUPS}


# ------------------------------------- issue 13: one problem, one finding
_TOP = "From: a@example.com\nMIME-Version: 1.0\n"


def test_binary_content_in_text_part_points_at_the_media_type() -> None:
    png = base64.b64encode(b"\x89PNG\r\n\x1a\n" + bytes(range(30))).decode()
    raw = message(
        _TOP + "Content-Type: text/plain; charset=utf-8\n"
        f"Content-Transfer-Encoding: base64\n\n{png}\n"
    )
    assert where(raw, "M733") == [(3, 15, "")]
    [found] = findings(raw, "M733")
    assert "a PNG image" in found.message and "image/png" in found.message
    assert found.severity.value == "error"
    # The charset is not blamed for bytes that are not text.
    assert findings(raw, "M731") == [] and findings(raw, "M732") == []


def test_binary_content_attachment_is_a_warning_and_nul_threshold() -> None:
    blob = base64.b64encode(bytes(range(256)) * 4).decode()
    raw = message(
        _TOP + 'Content-Type: multipart/mixed; boundary="b"\n\n--b\n'
        "Content-Type: text/plain\nContent-Disposition: attachment\n"
        f"Content-Transfer-Encoding: base64\n\n{blob}\n--b--\n"
    )
    [found] = findings(raw, "M733")
    assert (found.line, found.column, found.part) == (6, 15, "1")
    assert found.severity.value == "warning" and "it holds 4 NUL bytes" in found.message
    # Two stray NUL bytes in a line of text are not binary content.
    raw = message(
        _TOP + "Content-Type: text/plain\nContent-Transfer-Encoding: quoted-printable\n\na=00=00b\n"
    )
    assert findings(raw, "M733") == []
    # UTF-16 text is full of NUL bytes.
    text = base64.b64encode("plain words here".encode("utf-16")).decode()
    raw = message(
        _TOP + "Content-Type: text/plain; charset=utf-16\n"
        f"Content-Transfer-Encoding: base64\n\n{text}\n"
    )
    assert findings(raw, "M733") == []


def test_utf8_text_in_single_byte_charset() -> None:
    raw = message(
        _TOP + "Content-Type: text/plain; charset=windows-1252\n"
        "Content-Transfer-Encoding: quoted-printable\n\nGr=C3=BC=C3=9Fe\n"
    )
    [found] = findings(raw, "M734")
    assert (found.line, found.column) == (3, 35)
    assert "'ü' as 'Ã¼'" in found.message and found.severity.value == "warning"
    # Real windows-1252 text (one byte per letter) is not valid UTF-8.
    raw = message(
        _TOP + "Content-Type: text/plain; charset=windows-1252\n"
        "Content-Transfer-Encoding: quoted-printable\n\nGr=FC=DFe\n"
    )
    assert findings(raw, "M734") == []
    # Not single-byte: a UTF-8 label, or ASCII text.
    for label, body in (("utf-8", "Gr=C3=BC"), ("iso-8859-1", "plain")):
        raw = message(
            _TOP + f"Content-Type: text/plain; charset={label}\n"
            f"Content-Transfer-Encoding: quoted-printable\n\n{body}\n"
        )
        assert findings(raw, "M734") == []


def test_utf8_text_in_single_byte_charset_shows_a_character_that_prints() -> None:
    # A no-break space first, then a flower (django-mailbox's
    # message_with_utf8_char.eml): the example is the flower; the space
    # showed only as escapes, "('\\xa0' as 'Â\\xa0')".
    raw = message(
        _TOP + "Content-Type: text/plain; charset=iso-8859-1\n"
        "Content-Transfer-Encoding: quoted-printable\n\nlike =C2=A0 and =E2=9C=BF\n"
    )
    [found] = findings(raw, "M734")
    assert "('\u273f' as '\u00e2\\x9c\u00bf')" in found.message  # ISO-8859-1 reads a C1 control
    raw = message(
        _TOP + "Content-Type: text/plain; charset=windows-1252\n"
        "Content-Transfer-Encoding: quoted-printable\n\nlike =C2=A0 and =E2=9C=BF\n"
    )
    [found] = findings(raw, "M734")
    assert "('\u273f' as '\u00e2\u0153\u00bf')" in found.message
    # Only a no-break space: it is the example, escaped as before.
    raw = message(
        _TOP + "Content-Type: text/plain; charset=windows-1252\n"
        "Content-Transfer-Encoding: quoted-printable\n\nlike =C2=A0 this\n"
    )
    [found] = findings(raw, "M734")
    assert "('\\xa0' as " in found.message


def test_eight_bit_text_without_charset_in_an_attachment_is_a_warning() -> None:
    csv = base64.b64encode("name\nJürgen\n".encode()).decode()
    raw = message(
        _TOP + 'Content-Type: multipart/mixed; boundary="b"\n\n--b\n'
        'Content-Type: text/csv\nContent-Disposition: attachment; filename="a.csv"\n'
        f"Content-Transfer-Encoding: base64\n\n{csv}\n--b--\n"
    )
    [found] = findings(raw, "M732")
    assert (found.line, found.column, found.part) == (6, 15, "1")
    assert found.severity.value == "warning"
    # Inline (no disposition), the same text is an error.
    inline = raw.replace(b'Content-Disposition: attachment; filename="a.csv"\r\n', b"")
    [found] = findings(inline, "M732")
    assert found.severity.value == "error"
    # An attachment whose 8bit body is not transfer-encoded stays an error.
    raw8 = message(
        _TOP + "Content-Type: text/csv\nContent-Disposition: attachment\n"
        "Content-Transfer-Encoding: 8bit\n\nJürgen\n"
    )
    assert [f.severity.value for f in findings(raw8, "M732")] == ["error"]


def test_damaged_base64_is_one_finding() -> None:
    # Junk characters, wrong padding and text that no longer decodes: all
    # from the same bytes. M710 reports them; M711 and M731 stay silent.
    body = base64.b64encode("Grüße".encode()).decode().rstrip("=")
    raw = message(
        _TOP + "Content-Type: text/plain; charset=utf-8\n"
        f"Content-Transfer-Encoding: base64\n\n{body[:3]}-_{body[3:]}x\n"
    )
    lint = mimelint.lint(raw, select=["M710", "M711", "M731"])
    assert [f.code for f in lint.findings] == ["M710"]
    assert "padding is wrong too" in lint.findings[0].message
    assert where(raw, "M710") == [(6, 4, "")]
    # Padding alone is still M711's.
    raw = message(
        _TOP + "Content-Type: text/plain; charset=utf-8\n"
        f"Content-Transfer-Encoding: base64\n\n{body}\n"
    )
    assert [f.code for f in mimelint.lint(raw, select=["M710", "M711", "M731"]).findings] == [
        "M711"
    ]
