"""Header encoding rules M320-M326: exact positions, near-misses, fixes."""

from __future__ import annotations

import email
import email.policy
from collections import Counter
from email.headerregistry import AddressHeader

import pytest

import mimelint
from mimelint.mime.address_units import address_units
from mimelint.mime.encoded_words import decode_text
from mimelint.rule import Severity
from mimelint.testing import apply_fix
from tests.util import Counted, findings, msg, where

HEAD = "From: a@example.com\nTo: b@example.com\n"
MULTI = (
    HEAD + "MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b\n\n--b\n"
    "Content-Type: text/plain\n\nhi\n--b\n{part}\n\nJVBERi0xLjQK\n--b--\n"
)


def std(raw: bytes, name: str) -> object:
    """What the standard library decodes a header to (the cross-check)."""
    value = email.message_from_bytes(raw, policy=email.policy.default)[name]
    if isinstance(value, AddressHeader):
        return [(a.display_name, a.addr_spec) for a in value.addresses]
    return str(value)


def std_text(raw: bytes, name: str) -> object:
    """Like std, with raw UTF-8 (surrogate-escaped by the stdlib) restored."""
    value = std(raw, name)
    if isinstance(value, list):
        return [(d.encode("utf-8", "surrogateescape").decode(), a) for d, a in value]
    assert isinstance(value, str)
    return value


# ------------------------------------------------------------------ M320
def test_raw_subject_found_and_fixed() -> None:
    raw = msg(f"{HEAD}Subject: Grüße aus Köln und =?utf-8?q?D=C3=BCsseldorf?=\n\nbody\n")
    (f,) = findings(raw, "M320")
    # From the first raw byte (the ü, column 12) to the end of the last run (ö).
    assert (f.line, f.column, f.end_line, f.end_column, f.part) == (3, 12, 3, 22, "")
    fixed = apply_fix(raw, f)
    assert fixed.split(b"\r\n\r\n")[0].isascii()
    assert std(fixed, "Subject") == "Grüße aus Köln und Düsseldorf"
    assert findings(fixed, "M320") == [] and findings(fixed, "M323") == []


def test_long_raw_subject_splits_into_legal_words() -> None:
    text = "Ünïcödé " * 30
    raw = msg(f"{HEAD}Subject: {text.strip()}\n\nbody\n")
    (f,) = findings(raw, "M320")
    fixed = apply_fix(raw, f)
    assert std(fixed, "Subject") == text.strip()
    assert findings(fixed, "M323") == [] and findings(fixed, "M321") == []
    assert findings(fixed, "M301") == []


def test_display_names_encoded_addresses_untouched() -> None:
    raw = msg(
        'From: Jörg Müller <joerg@example.com>, "Müller, Jörg" <mj@example.com> (Büro)\n'
        "To: bob@example.com\nSubject: x\n\nbody\n"
    )
    (f,) = findings(raw, "M320")
    assert (f.line, f.column, f.end_column) == (1, 8, 75)
    fixed = apply_fix(raw, f)
    assert fixed.split(b"\r\n\r\n")[0].isascii()
    assert std(fixed, "From") == std_text(raw, "From")
    assert b"<joerg@example.com>" in fixed and b"<mj@example.com>" in fixed
    assert findings(fixed, "M320") == []


def test_non_ascii_addr_spec_is_left_to_address_rules() -> None:
    raw = msg("From: Ann <jörg@exämple.com>\nTo: ü@example.com\nSubject: x\n\nbody\n")
    assert where(raw, "M320") == []


def test_group_name_is_a_phrase() -> None:
    raw = msg("From: a@example.com\nTo: Gäste: b@example.com, c@example.com;\n\nbody\n")
    (f,) = findings(raw, "M320")
    assert (f.line, f.column) == (2, 6)
    fixed = apply_fix(raw, f)
    assert b"b@example.com, c@example.com;" in fixed
    to = email.message_from_bytes(fixed, policy=email.policy.default)["To"]
    assert [g.display_name for g in to.groups] == ["Gäste"]
    assert fixed.split(b"\r\n\r\n")[0].isascii()


def test_raw_filename_rewritten_with_rfc2231() -> None:
    raw = msg(
        MULTI.format(
            part='Content-Type: application/pdf\nContent-Disposition: attachment; filename="Übersicht.pdf"'
        )
    )
    (f,) = findings(raw, "M320")
    assert (f.line, f.column, f.part) == (12, 44, "2")
    fixed = apply_fix(raw, f)
    assert b"filename*=utf-8''%C3%9Cbersicht.pdf" in fixed
    assert mimelint.parse(fixed).parts()[2].filename == "Übersicht.pdf"


def test_long_raw_filename_uses_continuations() -> None:
    name = "Jahresübersicht " * 8 + ".pdf"
    raw = msg(MULTI.format(part=f'Content-Type: application/pdf; name="{name}"'))
    (f,) = findings(raw, "M320")
    fixed = apply_fix(raw, f)
    assert b"name*0*=utf-8''" in fixed
    assert mimelint.parse(fixed).parts()[2].filename == name
    assert max(len(x) for x in fixed.split(b"\r\n")) <= 78


def test_structured_field_reported_without_fix() -> None:
    raw = msg(f"{HEAD}Message-ID: <ü@example.com>\n\nbody\n")
    (f,) = findings(raw, "M320")
    assert (f.line, f.column, f.fix) == (3, 14, None)
    assert "allows no encoding" in f.message


def test_field_of_unknown_syntax_is_not_said_to_allow_no_encoding() -> None:
    # No standard defines Signed-Off-By: its value is unstructured text
    # (RFC 5322 §3.6.8), which encoded-words may carry; mimelint cannot tell
    # such a field from a structured one it does not know, so it offers no fix.
    raw = msg(f"{HEAD}Signed-Off-By: Jøran <jo@example.com>\n\nbody\n")
    (f,) = findings(raw, "M320")
    assert (f.line, f.column, f.fix) == (3, 17, None)
    assert "allows no encoding" not in f.message
    assert "does not know the syntax of Signed-Off-By" in f.message


def test_not_utf8_is_m101s() -> None:
    raw = msg(f"{HEAD}Subject: x\n\nbody\n").replace(b"Subject: x", b"Subject: \xe9t\xe9")
    assert where(raw, "M320") == []


def test_ascii_display_name_with_quotes_is_fine() -> None:
    raw = msg('From: "Smith, John (Sales)" <john@example.com>\nTo: b@example.com\n\nbody\n')
    assert where(raw, "M320") == [] and where(raw, "M325") == []


# ------------------------------------------------------- M321 / M322
@pytest.mark.parametrize(
    ("word", "why"),
    [
        ("=?utf-8?B?R3LDvMOfZQ?=", "base64"),
        ("=?utf-8?b?R3L*vMOfZQ==?=", "base64"),
        ("=?utf-8?q?a=ZZ?=", "'=ZZ'"),
        ("=?utf-8?q?a=?=", "'='"),
        ("=?utf-8?x?abc?=", "neither B nor Q"),
        ("=?utf-8?q?=FF?=", "not valid utf-8"),
        ("=?us-ascii?q?=C3=BC?=", "not valid us-ascii"),
    ],
)
def test_malformed_word(word: str, why: str) -> None:
    raw = msg(f"{HEAD}Subject: Re: {word} ok\n\nbody\n")
    (f,) = findings(raw, "M321")
    assert (f.line, f.column, f.end_column) == (3, 14, 14 + len(word))
    assert why in f.message


def test_iso_2022_jp_with_nec_special_characters_is_valid() -> None:
    # The shape of php-mime-mail-parser's tests/mails/issue116: Cyrillic and
    # the NEC "No." sign (row 13, which clients decode) in ISO-2022-JP.
    word = "=?iso-2022-jp?B?GyRCJygnJS1iGyhCNDEgGyRCJ2AnZBsoQiAyOC4wOS4yMDE2?="
    raw = msg(f"{HEAD}Subject: {word}\n\nbody\n")
    assert findings(raw, "M321") == []
    assert decode_text(mimelint.parse(raw).header("subject").unfolded) == "ЖД№41 от 28.09.2016"  # type: ignore[union-attr]
    # A pair outside every JIS X 0208 row clients know is still malformed.
    bad = msg(f"{HEAD}Subject: =?iso-2022-jp?B?GyRCfn4bKEI=?=\n\nbody\n")
    (f,) = findings(bad, "M321")
    assert (f.line, f.column) == (3, 10) and "not valid iso-2022-jp" in f.message


def test_raw_bytes_in_a_word_are_left_to_the_8bit_rules() -> None:
    # M320 (UTF-8) and M101 (not UTF-8) point at exactly the raw bytes.
    raw = msg(f"{HEAD}Subject: =?UTF-8?Q?Grüße?= x\n\nbody\n")
    assert findings(raw, "M321") == []
    assert [(f.line, f.column, f.end_column) for f in findings(raw, "M320")] == [(3, 22, 24)]
    latin1 = raw.replace("üß".encode(), b"\xfc\xdf")
    assert findings(latin1, "M321") == []
    assert [(f.line, f.column, f.end_column) for f in findings(latin1, "M101")] == [(3, 22, 24)]


def test_character_split_between_words() -> None:
    raw = msg(f"{HEAD}Subject: =?utf-8?q?a=C3?= =?utf-8?q?=BCb?=\n\nbody\n")
    (f,) = findings(raw, "M321")  # one per field, counting the others
    assert (f.line, f.column) == (3, 10)
    assert "middle of a multi-byte character" in f.message
    assert "(and 1 more malformed in this field)" in f.message
    assert f.severity is Severity.WARNING  # joining readers show "aüb"


def test_character_split_is_a_warning_only_when_nothing_else_is_wrong() -> None:
    # The shape of SpamAssassin's t/data/nice/unicode1: an "ž" split in two
    # words (with an RFC 2231 language), then a word that is really broken.
    split = "=?utf-8*sl?Q?_omre=C5?= =?Utf-8*SL?q?=BEje?="
    raw = msg(f"{HEAD}Subject: {split}\n\nbody\n")
    (f,) = findings(raw, "M321")
    assert (f.line, f.column, f.severity) == (3, 10, Severity.WARNING)
    worse = msg(f"{HEAD}Subject: {split} =?utf-8?q?a=ZZ?=\n\nbody\n")
    (g,) = findings(worse, "M321")
    assert (g.line, g.column, g.severity) == (3, 10, Severity.ERROR)
    assert "(and 2 more malformed in this field)" in g.message


def test_valid_words_split_across_folds() -> None:
    raw = msg(
        f"{HEAD}Subject: =?utf-8?B?R3LDvMOfZSBhdXM=?=\n =?utf-8?Q?_K=C3=B6ln?=\n\t=?ISO-8859-1?Q?_=FC?=\n\nbody\n"
    )
    for code in ("M321", "M322", "M323", "M324", "M325"):
        assert where(raw, code) == []
    assert decode_text(mimelint.parse(raw).header("subject").unfolded) == "Grüße aus Köln ü"  # type: ignore[union-attr]


def test_unknown_charset() -> None:
    raw = msg(f"{HEAD}Subject: =?utf-9?q?x?= and =?base64?q?x?=\n\nbody\n")
    assert where(raw, "M322") == [(3, 10, ""), (3, 28, "")]
    assert where(raw, "M321") == []


def test_charset_with_language_and_outlook_alias() -> None:
    raw = msg(f"{HEAD}Subject: =?utf-8*de?q?x?= =?ks_c_5601-1987?B?x9HAzA==?=\n\nbody\n")
    assert where(raw, "M322") == [] and where(raw, "M321") == []


# ------------------------------------------------------- M323 / M324
def test_word_too_long_and_fixed() -> None:
    word = "=?utf-8?q?" + "=C3=BC" * 11 + "?="  # 78 characters
    raw = msg(f"{HEAD}Subject:\n {word}\n\nbody\n")
    (f,) = findings(raw, "M323")
    assert (f.line, f.column, f.end_column) == (4, 2, 80)
    fixed = apply_fix(raw, f)
    assert std(fixed, "Subject") == "ü" * 11
    assert findings(fixed, "M323") == []


def test_75_character_word_is_fine() -> None:
    word = "=?utf-8?q?" + "=C3=BC" * 10 + "abc?="
    assert len(word) == 75
    assert where(msg(f"{HEAD}Subject:\n {word}\n\nbody\n"), "M323") == []


def test_line_with_words_over_76() -> None:
    raw = msg(f"{HEAD}Subject: =?utf-8?q?Gr=C3=BC=C3=9Fe?= aus {'x' * 40}\n\nbody\n")
    (f,) = findings(raw, "M324")
    assert (f.line, f.column, f.end_column) == (3, 77, 82)
    assert where(msg(f"{HEAD}Subject: {'x' * 80}\n\nbody\n"), "M324") == []
    assert "Python" not in f.message  # 81 characters: not Python's 78
    fixed = apply_fix(raw, f)  # folded before the white space, nothing else
    assert fixed == raw.replace(b"aus x", b"aus\r\n x")
    assert findings(fixed, "M324") == []


def test_python_78_column_fold_names_the_cause() -> None:
    # What email.policy.default writes for a long non-ASCII subject.
    word = "=?utf-8?q?" + "=C3=BC" * 10 + "abcd?="  # 76 characters
    raw = msg(f"{HEAD}Subject: x\n  {word}\n\nbody\n")
    (f,) = findings(raw, "M324")
    assert (f.line, f.column, f.end_column) == (4, 77, 79)
    assert "policy=email.policy.SMTP.clone(max_line_length=74)" in f.message
    # One word with no white space to fold at: the fix re-encodes the words.
    assert f.fix is not None and f.fix.safety.value == "safe"
    fixed = apply_fix(raw, f)
    assert findings(fixed, "M324") == [] and findings(fixed, "M323") == []
    assert std(fixed, "subject") == std(raw, "subject")


def test_python_hint_reads_each_word_once(monkeypatch: pytest.MonkeyPatch) -> None:
    # The hint's test of how a 77-78 character line's words open looked at
    # every word of the field for each such line: 16,000 folded lines of
    # one word took 10.8 s (0.4 s without the hint). Words are in order, so
    # a line's words follow the one it was found by. Counted, not timed.
    from mimelint.mime.tree import Part

    lazy_words = Part.__dict__["worded_fields"]
    looked: Counter[str] = Counter()

    def counted(self: Part) -> list[tuple[object, list[object]]]:
        fields = lazy_words.__get__(self, type(self))
        return [(h, [Counted(w, looked) for w in ws]) for h, ws in fields]

    monkeypatch.setattr(Part, "worded_fields", property(counted))
    word = "=?utf-8?q?" + "a" * 64 + "?="  # 76 characters: lines of 77
    counts = []
    for n in (300, 600):
        looked.clear()
        raw = msg(f"{HEAD}Subject:" + f"\n {word}" * n + "\n\nbody\n")
        found = findings(raw, "M324")
        assert len(found) == n and all("Python" in f.message for f in found)
        counts.append(looked["start"])
    assert counts[1] < 2.2 * counts[0]


# ---------------------------------------------------------------- M325
def test_word_in_quoted_string_and_addr_spec() -> None:
    raw = msg(
        'From: "=?utf-8?q?J=C3=B6rg?=" <=?utf-8?q?x?=@example.com>\nTo: b@example.com\n\nbody\n'
    )
    assert where(raw, "M325") == [(1, 8, ""), (1, 32, "")]


def test_word_in_structured_field_and_media_type() -> None:
    raw = msg(
        f"{HEAD}In-Reply-To: <=?utf-8?q?x?=@example.com>\nContent-Type: =?utf-8?q?text?=/plain\n\nbody\n"
    )
    assert where(raw, "M325") == [(3, 15, ""), (4, 15, "")]


def test_word_in_display_name_and_comment_is_fine() -> None:
    raw = msg(
        "From: =?utf-8?q?J=C3=B6rg?= <j@example.com> (=?utf-8?q?B=C3=BCro?=)\nTo: b@example.com\n\nbody\n"
    )
    assert where(raw, "M325") == []


# ---------------------------------------------------------------- M326
def test_word_in_filename_gets_rfc2231_twin_and_keeps_fallback() -> None:
    part = 'Content-Type: application/pdf\nContent-Disposition: attachment;\n filename="=?utf-8?B?w5xiZXJzaWNodC5wZGY=?="'
    raw = msg(MULTI.format(part=part))
    (f,) = findings(raw, "M326")
    assert (f.line, f.column, f.end_column, f.part) == (13, 12, 44, "2")
    assert f.severity.value == "info"
    fixed = apply_fix(raw, f)
    # The encoded-word stays for clients without RFC 2231; filename* is added.
    assert b'filename="=?utf-8?B?w5xiZXJzaWNodC5wZGY=?="' in fixed
    assert b"filename*=utf-8''%C3%9Cbersicht.pdf" in fixed
    assert mimelint.parse(fixed).parts()[2].filename == "\u00dcbersicht.pdf"
    std_part = list(email.message_from_bytes(fixed, policy=email.policy.default).walk())[2]
    assert std_part.get_filename() == "\u00dcbersicht.pdf"
    assert findings(fixed, "M326") == [] and findings(fixed, "M324") == []


def test_gmail_name_and_filename_share_one_fix() -> None:
    word = "=?UTF-8?B?w5xiZXJzaWNodC5wZGY=?="
    part = f'Content-Type: application/pdf; name="{word}"\nContent-Disposition: attachment; filename="{word}"'
    raw = msg(MULTI.format(part=part))
    found = findings(raw, "M326")
    assert [(f.line, f.column, f.part) for f in found] == [(11, 38, "2"), (12, 44, "2")]
    assert found[0].fix == found[1].fix and found[0].fix is not None
    result = mimelint.fix(raw)
    assert result.refused is None and findings(result.data, "M326") == []
    assert result.data.count(word.encode()) == 2  # both fallbacks kept


def test_name_only_with_disposition_gets_filename_star() -> None:
    part = 'Content-Type: application/pdf; name="=?utf-8?q?=C3=9C.pdf?="\nContent-Disposition: attachment'
    raw = msg(MULTI.format(part=part))
    (f,) = findings(raw, "M326")
    fixed = apply_fix(raw, f)
    assert b"Content-Disposition: attachment; filename*=utf-8''%C3%9C.pdf\r\n" in fixed
    assert mimelint.parse(fixed).parts()[2].filename == "\u00dc.pdf"


def test_ascii_word_is_written_plain() -> None:
    part = 'Content-Type: application/pdf\nContent-Disposition: attachment; filename="=?utf-8?q?report.pdf?="'
    fixed = apply_fix(
        msg(MULTI.format(part=part)), findings(msg(MULTI.format(part=part)), "M326")[0]
    )
    assert b'Content-Disposition: attachment; filename="report.pdf"\r\n' in fixed


@pytest.mark.parametrize(
    ("value", "twin"),
    [
        # read from the words the part examined: the value is the bytes as written
        ('"=?utf-8?q?=C3=9C?= =?utf-8?q?.pdf?="', b"%C3%9C.pdf"),
        ('"=?iso-8859-1?q?=DC?= =?utf-8?q?.pdf?="', b"%C3%9C.pdf"),
        ('"=?utf-8?q?=C3=9C?= (1).pdf"', b"%C3%9C%20%281%29.pdf"),
        # read again: a quoted-pair, a fold
        ('"=?utf-8?q?=C3=9C?= \\(1\\).pdf"', b"%C3%9C%20%281%29.pdf"),
        ('"=?utf-8?q?=C3=9C?=\n =?utf-8?q?.pdf?="', b"%C3%9C.pdf"),
        # a word glued to other text decodes differently in each reader: no fix
        ('"x=?utf-8?q?=C3=9C.pdf?="', None),
    ],
)
def test_filename_twin_holds_the_decoded_name(value: str, twin: bytes | None) -> None:
    part = f"Content-Type: application/pdf\nContent-Disposition: attachment; filename={value}"
    raw = msg(MULTI.format(part=part))
    (f,) = findings(raw, "M326")
    if twin is None:
        assert f.fix is None
        return
    assert b"filename*=utf-8''" + twin + b"\r\n" in apply_fix(raw, f)


@pytest.mark.parametrize(
    "part",
    [
        # no Content-Disposition: adding one could change how the part is shown
        'Content-Type: application/pdf; name="=?utf-8?q?=C3=9C.pdf?="',
        # the plain filename and the encoded name disagree
        'Content-Type: application/pdf; name="=?utf-8?q?=C3=9C.pdf?="\nContent-Disposition: attachment; filename="U.pdf"',
    ],
)
def test_not_fixable_without_a_safe_fallback(part: str) -> None:
    (f,) = findings(msg(MULTI.format(part=part)), "M326")
    assert (f.line, f.column, f.fix) == (11, 38, None)


def test_thunderbird_pair_is_fine() -> None:
    part = (
        'Content-Type: application/pdf; name="=?UTF-8?Q?Pr=c3=bcfbericht=2epdf?="\n'
        "Content-Disposition: attachment;\n filename*=UTF-8''Pr%C3%BCfbericht.pdf"
    )
    assert where(msg(MULTI.format(part=part)), "M326") == []


def test_word_in_other_parameter_is_reported_without_fix() -> None:
    part = "Content-Type: application/pdf; x-note=\"=?utf-8?q?=C3=9C?=\"\nContent-Disposition: attachment;\n filename*=utf-8''%C3%9C.pdf"
    (f,) = findings(msg(MULTI.format(part=part)), "M326")
    assert (f.line, f.column, f.fix) == (11, 40, None)


def test_rfc2231_and_plain_filenames_are_fine() -> None:
    part = "Content-Type: application/pdf; name=report.pdf\nContent-Disposition: attachment; filename*=utf-8''%C3%9C.pdf"
    assert where(msg(MULTI.format(part=part)), "M326") == []


# ---------------------------------------------------------- tokenizer
def test_address_units_roles() -> None:
    data = b'"A, B" <a@x>, c@y (note), G: d@z;'
    roles = [(u.role.value, data[u.start : u.end]) for u in address_units(data, 0, len(data))]
    assert roles == [
        ("phrase", b'"A, B"'),
        ("addr", b"a@x"),
        ("addr", b"c@y"),
        ("comment", b"(note)"),
        ("phrase", b"G"),
        ("addr", b"d@z"),
    ]


@pytest.mark.parametrize(
    "junk", [b'"', b"(", b"<", b"\\", b'("\\', b"a@b>,,;:<<", b"=?=?==?x?q??=", b"\xff\xfe("]
)
def test_total_on_junk(junk: bytes) -> None:
    address_units(junk, 0, len(junk))
    for name in (b"From", b"Subject", b"Content-Type", b"Keywords"):
        raw = name + b": " + junk + b" \xc3\xbc\r\n\r\nbody"
        assert not mimelint.lint(raw, select=["M32"]).internal_errors


def test_keywords_encoded_one_phrase_at_a_time() -> None:
    raw = msg(f"{HEAD}Keywords: Äpfel, Birnen, Öl\n\nbody\n")
    (f,) = findings(raw, "M320")
    assert (f.line, f.column, f.end_column) == (3, 11, 27)
    fixed = apply_fix(raw, f)
    assert fixed.split(b"\r\n\r\n")[0].isascii()
    assert b", Birnen, " in fixed
    assert std(fixed, "Keywords") == "Äpfel, Birnen, Öl"


def test_dkim_signature_is_not_read_for_words() -> None:
    raw = msg(f"{HEAD}DKIM-Signature: v=1; z=Subject:=?utf-8?q?a=ZZ?=; b=abc\n\nbody\n")
    assert where(raw, "M321") == []


# ------------------------------------------------------------ the fact
WORDY = [
    b"Subject: =?utf-8?q?a?= x\r\nX: =?\r\nDKIM-Signature: z=Subject:=?utf-8?q?a?=\r\n",
    b" =?utf-8?q?a?=\r\nFrom: =?utf-8?q?A?= <a@b.example>\r\nX Bad: =?x?q?a?=\r\n",
    b"To: a@b.example\r\nCc: =?a?b?c?= =?utf-8?B?w5w=?=\r\n\r\n=?utf-8?q?body?=\r\n",
]


@pytest.mark.parametrize("raw", WORDY)
def test_worded_fields_are_every_field_with_words(raw: bytes) -> None:
    from mimelint.mime.encoded_words import find_words
    from mimelint.mime.fields import SIGNATURES
    from mimelint.mime.tree import FIELD

    m = mimelint.parse(raw)
    expect = [
        (h, find_words(raw, h.value_start, h.value_end))
        for h in m.headers
        if h.kind is FIELD and h.lname not in SIGNATURES
    ]
    assert m.worded_fields == [(h, w) for h, w in expect if w]


# ------------------------------------------------------ charsets, overlaps
def test_gb2312_word_is_read_as_gbk_like_every_client() -> None:
    text = "镕"  # in GBK, not in GB 2312 proper
    payload = text.encode("gbk")
    with pytest.raises(UnicodeDecodeError):
        payload.decode("gb2312")
    import base64

    word = f"=?gb2312?b?{base64.b64encode(payload).decode()}?="
    raw = msg(f"{HEAD}Subject: {word}\n\nbody\n")
    assert where(raw, "M321") == [] and where(raw, "M322") == []
    bad = msg(f"{HEAD}Subject: =?gb2312?b?/w==?=\n\nbody\n")  # 0xFF: no GBK lead byte
    assert where(bad, "M321") == [(3, 10, "")]


def test_raw_8bit_in_a_word_is_one_finding() -> None:
    raw = b"From: a@example.com\r\nSubject: =?iso-8859-1?q?Gr\xfc\xdfe?= x\r\n\r\nbody\r\n"
    codes = [(f.code, f.column) for f in mimelint.lint(raw).findings if f.line == 2]
    assert codes == [("M101", 27)]
    utf8 = msg(f"{HEAD}Subject: =?utf-8?q?Grüße?= x\n\nbody\n")
    codes = [(f.code, f.column) for f in mimelint.lint(utf8).findings if f.line == 3]
    assert codes == [("M320", 22)]


def test_long_encoded_word_is_a_warning() -> None:
    word = "=?utf-8?q?" + "a" * 70 + "?="
    (f,) = findings(msg(f"{HEAD}Subject: {word}\n\nbody\n"), "M323")
    assert (f.line, f.column, f.severity.value) == (3, 10, "warning")


def test_many_misplaced_words_in_one_field_are_one_finding() -> None:
    words = " ".join(["=?utf-8?q?x?="] * 50)
    raw = msg(f'From: "{words}" <a@example.com>\nTo: b@example.com\n\nbody\n')
    (f,) = findings(raw, "M325")
    assert (f.line, f.column, f.end_column) == (1, 8, 21)
    assert "inside a quoted-string (and 49 more there in this field)" in f.message


def test_many_long_words_in_one_field_are_one_finding_with_one_fix() -> None:
    word = "=?utf-8?q?" + "a" * 70 + "?="
    raw = msg(f"{HEAD}Subject: {word} {word} {word}\n\nbody\n")
    (f,) = findings(raw, "M323")
    assert (f.line, f.column, f.end_column) == (3, 10, 10 + len(word))
    assert "(and 2 more in this field)" in f.message
    fixed = apply_fix(raw, f)
    assert findings(fixed, "M323") == [] and std(fixed, "subject") == std(raw, "subject")


def test_empty_word_in_a_quoted_display_name_is_one_finding() -> None:
    # The shape of Delta Chat's test-data/message/mail_with_user_avatar.eml:
    # an empty display name written as an empty encoded-word in quotes.
    raw = msg('From: "=?utf-8?q??=" <tunis4@example.org>\nTo: b@example.com\n\nbody\n')
    assert where(raw, "M329") == [(1, 8, "")]
    assert where(raw, "M325") == []  # the same word: M329's, which removes it
    nonempty = msg('From: "=?utf-8?q?Ann?=" <tunis4@example.org>\nTo: b@example.com\n\nbody\n')
    assert where(nonempty, "M325") == [(1, 8, "")]


def test_long_line_with_a_word_in_a_parameter_is_m326s_alone() -> None:
    # The shape of Delta Chat's test-data/message/attach_filename_encoded_words.eml:
    # a 90-character Content-Disposition line whose "word" is a quoted filename.
    part = (
        "Content-Type: text/html\n"
        'Content-Disposition: attachment; filename="=?utf-8?Q?Ma=C3=9Fnahmen_Okt=2E_2020=2Ehtml?=";'
    )
    raw = msg(MULTI.format(part=part))
    assert where(raw, "M324") == []
    assert where(raw, "M326") == [(12, 44, "2")]
    # The same line length in a display name is still M324's.
    name = "=?utf-8?Q?Ma=C3=9Fnahmen_Okt=2E_2020=2Ehtml_und_noch_mehr_Text?="
    assert where(msg(f"From: {name} <a@example.com>\nTo: b@example.com\n\nbody\n"), "M324") == [
        (1, 77, "")
    ]


def test_long_word_in_a_parameter_is_m326s_alone() -> None:
    # The shape of rspamd's test/functional/messages/fname.eml: an 88-character
    # encoded-word as an unquoted filename.
    word = (
        "=?utf-8?B?MDEwMjlfNDAyMTEwXzEwNjIwX1JHVDA2OTAyX1BSVDE4ME1MXzIwMjAwODAzXzEwMTgyMC5wZGY=?="
    )
    part = f"Content-Type: application/pdf\nContent-Disposition: attachment;\n filename={word}"
    raw = msg(MULTI.format(part=part))
    assert where(raw, "M323") == []
    assert [(f.line, f.code) for f in findings(raw, "M326")] == [(13, "M326")]
