"""mimelint.mime.encoded_words and mimelint.mime.lines: the engine's RFC 2047 and line knowledge."""

from __future__ import annotations

import base64
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

import mimelint
from mimelint.mime.encoded_words import Fault, decode_text, find_words, mailbox_in_encoded_word
from mimelint.mime.lines import line_end, long_lines, split_lines


def _b(text: str) -> str:
    return f"=?utf-8?b?{base64.b64encode(text.encode()).decode()}?="


def _from(value: str) -> mimelint.mime.tree.Header:
    raw = f"From: {value}\r\nTo: b@example.com\r\n\r\nbody\r\n".encode()
    header = mimelint.parse(raw).header("from")
    assert header is not None
    return header


def test_mailbox_hidden_in_one_word_is_found() -> None:
    value = _b("Sender Näme <sender@example.com>")
    found = mailbox_in_encoded_word(_from(value))
    assert found is not None
    assert (found.start, found.end) == (6, 6 + len(value))
    assert (found.display_name, found.addr_spec) == ("Sender Näme", "sender@example.com")
    bare = mailbox_in_encoded_word(_from(_b("sender@example.com")))
    assert bare is not None and (bare.display_name, bare.addr_spec) == ("", "sender@example.com")
    split = _b("Sender Näme <sen") + "\r\n " + _b("der@example.com>")
    two = mailbox_in_encoded_word(_from(split))
    assert two is not None and two.addr_spec == "sender@example.com"


@pytest.mark.parametrize(
    "value",
    [
        _b("Sender Näme") + " <sender@example.com>",  # the right way
        _b("Sender Näme"),  # a name, no address at all: another problem
        "sender@example.com",
        _b("a <b@c> and more <d@e>"),
        "x " + _b("Sender <sender@example.com>"),  # text beside the word
    ],
)
def test_no_hidden_mailbox(value: str) -> None:
    assert mailbox_in_encoded_word(_from(value)) is None


def test_find_words_examines_each_word() -> None:
    data = b"=?utf-8?q?a?= =?x-nope?q?b?= =?utf-8?b?w5w?= =?utf-8?Q?=FF?="
    faults = [w.fault for w in find_words(data, 0, len(data))]
    assert faults == [Fault.NONE, Fault.UNKNOWN_CHARSET, Fault.MALFORMED, Fault.MALFORMED]
    assert find_words(data, 0, len(data))[0].text == "a"


def test_decode_text_joins_adjacent_words_and_refuses_glued_ones() -> None:
    assert decode_text(b"=?utf-8?q?a?= \r\n =?utf-8?q?b?= c") == "ab c"
    assert decode_text(b"x=?utf-8?q?a?=") is None


def test_line_helpers() -> None:
    data = b"ab\r\ncd\nef"
    assert [line_end(data, p, len(data)) for p in (0, 4, 7)] == [2, 6, 9]
    lines = b"short\r\n" + b"x" * 10 + b"\rmid\n" + b"y" * 12
    assert list(long_lines(lines, 0, len(lines), 9)) == [(7, 17), (22, 34)]


@given(st.lists(st.sampled_from([b"a", b"\r", b"\n", b"\r\n", b" "]), max_size=40))
def test_split_lines_cuts_at_lf_and_drops_the_cr_before_it(pieces: list[bytes]) -> None:
    data = b"".join(pieces)
    assert split_lines(data) == re.split(rb"\r?\n", data)
    assert split_lines(b"a\r\r\nb\rc\n") == [b"a\r", b"b\rc", b""]


@given(st.binary(max_size=300), st.integers(1, 20))
def test_long_lines_are_the_lines_over_the_limit(data: bytes, limit: int) -> None:
    expect = []
    start = 0
    for i, b in enumerate(data + b"\n"):
        if b in (10, 13):
            if i - start > limit:
                expect.append((start, i))
            start = i + 1
    assert list(long_lines(data, 0, len(data), limit)) == expect


@given(st.binary(max_size=200))
def test_the_engine_readers_are_total(data: bytes) -> None:
    # Never raise, whatever the bytes: the rules call these on any header.
    from mimelint.mime.address_units import UnitRole, address_units, comment_text, phrase_text
    from mimelint.mime.encoded_words import decode_words, splits_character

    words = find_words(data, 0, len(data))
    for i in range(len(words)):
        splits_character(data, words, i)
        words[i].text  # noqa: B018
    decode_text(data)
    decode_words(data.decode("latin-1"))
    for unit in address_units(data, 0, len(data)):
        assert 0 <= unit.start <= unit.end <= len(data)
        if unit.role is UnitRole.PHRASE:
            phrase_text(data, unit)
        elif unit.role is UnitRole.COMMENT:
            comment_text(data, unit)
    header = mimelint.parse(b"To: " + data.replace(b"\n", b" ") + b"\r\n\r\n").header("to")
    if header is not None:
        mailbox_in_encoded_word(header)


WORDISH = st.lists(
    st.sampled_from([b"=?", b"?=", b"?", b"=?utf-8?q?a?=", b"=?utf-8?b?w5w=?=", b'"', b"(", b")",
                     b"<", b">", b"@", b",", b":", b";", b" ", b"\\", b"a", b"\xc3\xa9", b"\r\n "]),
    max_size=30,
).map(b"".join)  # fmt: skip


@given(WORDISH)
def test_the_engine_readers_are_total_on_wordish_input(data: bytes) -> None:
    test_the_engine_readers_are_total.hypothesis.inner_test(data)  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        # Adjacent words: the white space between them is dropped (§6.2),
        # and a character split between two words reads whole.
        ("=?utf-8?q?Gr=C3=BC?= =?utf-8?q?=C3=9Fe?= aus K=C3=B6ln", "Grüße aus K=C3=B6ln"),
        ("=?utf-8?q?a=C3?= =?utf-8?q?=BCb?=", "aüb"),
        # Text beside a word keeps its own spacing (the standard library's
        # make_header put a space in: "Caf é").
        ("Caf=?utf-8?q?=C3=A9?=", "Café"),
        ('name="=?utf-8?b?w5xiZXJzaWNodC5wZGY=?="', 'name="Übersicht.pdf"'),
        # Leniently: base64 without its padding, as most clients read it.
        ("=?utf-8?B?R3LDvMOfZQ?=", "Grüße"),
        # The one charset table: gb2312 is read as GBK, as WHATWG readers do.
        ("=?gb2312?b?" + base64.b64encode("鍙".encode("gbk")).decode() + "?=", "鍙"),
        # A word no reader decodes stays as written; the others decode.
        ("=?x-unknown?q?a?= =?utf-8?q?b?=", "=?x-unknown?q?a?= b"),
        ("no words here", "no words here"),
    ],
)
def test_decode_words_reads_as_a_lenient_client_with_the_charset_table(
    text: str, shown: str
) -> None:
    from mimelint.mime.encoded_words import decode_words

    assert decode_words(text) == shown
