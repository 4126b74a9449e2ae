"""The one charset table (mimelint.mime.charsets): one answer for every reader of a label."""

from __future__ import annotations

import codecs

import pytest
from hypothesis import given
from hypothesis import strategies as st

import mimelint
from mimelint.mime import charsets
from mimelint.mime.charsets import MAIL_ALIASES, codec_for, lenient, lookup
from mimelint.mime.parse import parse


def test_ascii_compatible_codecs_read_any_ascii() -> None:
    # M731 skips an ASCII payload in these codecs without decoding it: every
    # ASCII byte must decode on its own, in any order.
    ascii_bytes = bytes(range(128))
    for codec in charsets._ASCII_SAFE:
        assert codecs.lookup(codec).name == codec
        for shift in range(0, 128, 7):
            sample = ascii_bytes[shift:] + ascii_bytes[:shift]
            assert sample.decode(codec) == sample.decode("latin-1"), codec


def test_mail_aliases_are_known_and_read_as_text() -> None:
    for label, codec in MAIL_ALIASES.items():
        found = lookup(label)
        assert found is not None and found.codec == codecs.lookup(codec).name
        raw = b"Content-Type: text/plain; charset=" + label.upper().encode() + b"\r\n\r\nabc\r\n"
        assert parse(raw).parts()[0].text == "abc\r\n"


@pytest.mark.parametrize("tail", ["\x0b", "\x0c", "\x1f", "\x85", "\xa0"])
def test_labels_are_read_through_any_surrounding_white_space(tail: str) -> None:
    assert codec_for("csutf8" + tail) == "utf-8"
    assert codec_for(tail + "x-cp1252" + tail) == "cp1252"
    raw = b'Content-Type: text/plain; charset="csutf8' + tail.encode() + b'"\r\n\r\nabc\r\n'
    assert [f.code for f in mimelint.lint(raw, select=["M730"]).findings] == []


@pytest.mark.parametrize(
    ("label", "codec"),
    [
        ("utf-8", "utf-8"),
        (" UTF8 ", "utf-8"),
        ("unicode", "utf-16"),  # a WHATWG label: clients read UTF-16
        ("ks_c_5601-1987", "cp949"),
        ("gb2312", "gb18030"),
        ("utf-7", "utf-7"),  # IANA, outside WHATWG: Python's registry
        ("iso-2022-jp-2", "iso2022_jp_2"),
        ("euc_kr", "cp949"),  # a Python spelling: the same superset
        ("ISO_8859-1:1987", "iso8859-1"),
        ("x-user-defined", "x-user-defined"),
    ],
)
def test_known_labels(label: str, codec: str) -> None:
    found = lookup(label)
    assert found is not None and found.codec == codec
    assert codec_for(label) == codec


@pytest.mark.parametrize(
    ("label", "meant"),
    [("utf-8-", "utf-8"), ("utf--8", "utf-8"), ("'utf-8'", "utf-8"), ("utf 8", "utf-8")],
)
def test_labels_only_python_folds_are_unknown(label: str, meant: str) -> None:
    # Python's codecs.lookup folds punctuation; clients match labels as written.
    assert lookup(label) is None and codec_for(label) is None
    guess = lenient(label)
    assert guess is not None and guess.name == meant


@pytest.mark.parametrize("label", ["", "zlib", "base64", "iso-2022-cn", "unknown-8bit", "utf-9"])
def test_unknown_labels(label: str) -> None:
    assert lookup(label) is None


def test_one_answer_for_the_rules_part_text_and_the_proof() -> None:
    # utf-8- was flagged by M730 but read as UTF-8 by Part.text (and by the
    # encoded-word rules); now no reader knows it.
    raw = b"Content-Type: text/plain; charset=utf-8-\r\n\r\ncaf\xc3\xa9\r\n"
    part = parse(raw).parts()[0]
    assert part.text is None
    codes = {f.code for f in mimelint.lint(raw).findings}
    assert "M730" in codes and "M731" not in codes
    # unicode: known to M730, and Part.text reads it as UTF-16 (with its BOM).
    raw = b"Content-Type: text/plain; charset=unicode\r\n\r\n" + "hé".encode("utf-16")
    assert parse(raw).parts()[0].text == "hé"
    assert "M730" not in {f.code for f in mimelint.lint(raw).findings}


def test_charset_names() -> None:
    names = {label: lookup(label) for label in ("latin1", "cp1252", "sjis", "ascii", "big5")}
    assert {k: v.name for k, v in names.items() if v} == {
        "latin1": "iso-8859-1",
        "cp1252": "windows-1252",
        "sjis": "shift_jis",
        "ascii": "us-ascii",
        "big5": "big5",
    }


@pytest.mark.parametrize(
    "label", ["utf-8", "UTF8", "utf-8-", "unicode", "'utf-8'", "utf--8", "ks_c_5601-1987", "utf-9"]
)
def test_body_and_encoded_word_rules_agree_on_a_label(label: str) -> None:
    # M730 (a body's charset) and M322 (an encoded-word's) read one table.
    raw = (
        f"From: a@example.com\r\nSubject: =?{label}?q?hi?=\r\nMIME-Version: 1.0\r\n"
        f'Content-Type: text/plain; charset="{label}"\r\n\r\nhi\r\n'
    ).encode()
    codes = {f.code for f in mimelint.lint(raw, select=["M322", "M730"]).findings}
    assert ("M322" in codes) == ("M730" in codes) == (lookup(label) is None)


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        (b"\x1b$B-!-j\x1b(B", "①㈱"),  # NEC row 13 (Outlook, Becky!)
        (b"\x1b$By!\x1b(B", "纊"),  # NEC-selected IBM extension (row 89)
        (b"\x1b$B0!\x1b(B \x1b(J\\~\x1b(I12\x1b(B", "亜 ¥‾ｱｲ"),
    ],
)
def test_iso_2022_jp_reads_the_rows_clients_read(raw: bytes, text: str) -> None:
    found = lookup("ISO-2022-JP")
    assert found is not None and found.name == "iso-2022-jp"
    assert found.decode(raw) == text
    with pytest.raises(UnicodeDecodeError):
        raw.decode("iso2022_jp")  # what the engine used to call undecodable


def test_iso_2022_jp_reports_what_no_client_reads() -> None:
    found = lookup("iso-2022-jp")
    assert found is not None
    with pytest.raises(UnicodeDecodeError):
        found.decode(b"ok \x1b$B~~\x1b(B")
    assert found.decode(b"ok \x1b$B~~\x1b(B \xff", "replace") == "ok \ufffd \ufffd"


@given(st.binary(max_size=64))
def test_iso_2022_jp_decoding_is_total_and_agrees_with_python(data: bytes) -> None:
    found = lookup("iso-2022-jp")
    assert found is not None
    found.decode(data, "replace")  # never raises
    try:
        strict = data.decode("iso2022_jp")
    except UnicodeDecodeError:
        return
    assert found.decode(data) == strict
