"""The engine's address reader (mimelint.mime.addresses): one answer, however read.

:func:`parse_simple` reads the common shapes of an address list with one
regex per mailbox (seven to eight times faster than the token reader,
measured on everyday lists); :func:`parse_full` reads anything token by
token. :func:`parse_addresses` is the reader: whenever the regex accepts a
list, its result must equal the full reader's, and it must accept the
everyday shapes. The facts the rules read first (:func:`is_simple`,
:func:`all_plain`, the empty-element hints) must say what the full reader
would find.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from mimelint.mime.addresses import (
    EmptyElement,
    _any_empty_hint,
    _empty_hint,
    _simple_item,
    _simple_list,
    all_plain,
    is_simple,
    parse_addresses,
    parse_full,
    parse_simple,
)
from mimelint.mime.parse import parse
from mimelint.testing import message
from tests.profiles import examples

ATEXT = "abcxyzABZ0189!#$%&'*+-/=?^_`{|}~"
atom = st.text(ATEXT, min_size=1, max_size=6)
dot_atom = st.lists(atom, min_size=1, max_size=3).map(".".join)
utf8_atom = st.text(ATEXT + "éü张", min_size=1, max_size=4)
fws = st.sampled_from(["", " ", "  ", "\t", "\r\n ", "\r\n\t"])
sep_ws = st.sampled_from([" ", "  ", "\t", "\r\n ", " \r\n\t"])
quoted = st.text(ATEXT + " ,;:<>@().[]é", max_size=8).map(lambda t: f'"{t}"')
word = st.one_of(atom, quoted, st.just("."), utf8_atom, st.tuples(atom, quoted).map("".join))


@st.composite
def phrase(draw: st.DrawFn) -> str:
    words = draw(st.lists(word, min_size=1, max_size=4))
    out = words[0]
    for w in words[1:]:
        out += draw(sep_ws) + w
    return out


@st.composite
def simple_mailbox(draw: st.DrawFn) -> str:
    addr = f"{draw(st.one_of(dot_atom, utf8_atom))}@{draw(dot_atom)}"
    shape = draw(st.sampled_from(["bare", "angle", "named"]))
    if shape == "bare":
        return addr
    if shape == "angle":
        return f"<{addr}>"
    return f"{draw(phrase())}{draw(fws)}<{addr}>"


@st.composite
def simple_list(draw: st.DrawFn) -> bytes:
    items = draw(st.lists(st.one_of(simple_mailbox(), st.just("")), max_size=5))
    out = draw(fws)
    for n, item in enumerate(items):
        if n:
            out += draw(fws) + "," + draw(fws)
        out += item
    return (out + draw(fws)).encode("utf-8")


# Pieces of every shape the full reader knows, simple and not, glued at random.
PIECES = [
    "a", "b.c", "x@y", "@", ".", ",", ";", ":", "<", ">", " ", "\t", "\r\n ", '"q r"',
    '"', "\\", "(c)", "(", ")", "[1.2.3.4]", "[", "]", "é", "\xff", "\x01", "=?utf-8?q?a?=",
    "Team:", "<@r:", "xn--bcher-kva", "..", ",,", "<<", ">>",
]  # fmt: skip
random_list = st.lists(st.sampled_from(PIECES), max_size=14).map(
    lambda ps: "".join(ps).encode("utf-8", "surrogateescape")
)


@given(simple_list(), st.integers(0, 50))
@settings(max_examples=examples(200))
@example(b"Sender 1 <sender1@example.com>", 6)
@example(b"Recipient <rcpt1@example.org>, other1@example.net", 4)
@example(b'"Smith, John" <j@x.example>,, ,a@b', 0)
def test_fast_path_accepts_common_shapes_and_agrees(value: bytes, base: int) -> None:
    fast = parse_simple(value, base)
    assert fast is not None, value
    assert is_simple(value)
    assert fast == parse_full(value, base)


@given(st.one_of(random_list, st.binary(max_size=60), simple_list()), st.integers(0, 50))
@settings(max_examples=examples(300))
@example(b"a@b <c@d>", 0)
@example(b"a@b.", 0)
@example(b"J. <a@b>", 0)
@example(b'a"b" "c"d <x@y>', 3)
def test_fast_path_agrees_whenever_it_accepts(value: bytes, base: int) -> None:
    fast = parse_simple(value, base)
    full = parse_full(value, base)
    if fast is not None:
        assert fast == full
        assert all(a.error is None for a in fast)
    assert is_simple(value) == (fast is not None)
    assert parse_addresses(value, base) == full


# The simple-list test as first written: _simple_item() repeated, item by item.
# The list pattern is rewritten for speed; it must accept exactly these.
REFERENCE_LIST = re.compile(rb"(?>%s)*+" % _simple_item().pattern)
#: Pieces that make display names, quoted strings and addr-specs meet.
LIST_PIECES = [
    "a", "b", ".", "@", "<", ">", ",", " ", "\t", "\r\n ", "\r", "\n", '"', '""', '"q r"',
    "\\", "é", "(", ";", ":", "x@y", "<a@b>", "a.b", "..",
]  # fmt: skip
list_soup = st.lists(st.sampled_from(LIST_PIECES), max_size=16).map(
    lambda ps: "".join(ps).encode("utf-8")
)


@given(st.one_of(list_soup, random_list, simple_list(), st.binary(max_size=40)))
@settings(max_examples=examples(400))
@example(b'"a" b"c" <x@y>')
@example(b".a <x@y>, <x@y>,,")
@example(b'" <x@y>')
@example(b"a@b <c@d>")
def test_simple_list_pattern_accepts_what_the_item_pattern_reads(value: bytes) -> None:
    assert (_simple_list().fullmatch(value) is not None) == (
        REFERENCE_LIST.fullmatch(value) is not None
    )


#: M409's hint as first written: a ',' first, two with only white space
#: between, or one last.
REFERENCE_HINT = re.compile(rb"\A[ \t\r\n]*+,|,[ \t\r\n]*+(?:,|\Z)")


@given(st.one_of(list_soup, random_list, simple_list(), st.binary(max_size=20)))
@settings(max_examples=examples(300))
@example(b" ,a")
@example(b"a , \r\n\t, b")
@example(b"a,\r\n ")
@example(b"a,\x0b,")
def test_empty_hint_is_the_regex(value: bytes) -> None:
    assert _empty_hint(value) == (REFERENCE_HINT.search(value) is not None)


def _has_empties(value: bytes) -> bool:
    found: list[EmptyElement] = []
    parse_full(value, 0, found)
    return bool(found)


@given(st.lists(st.one_of(list_soup, simple_list(), random_list), max_size=4))
@settings(max_examples=examples(300))
@example([b"a@b", b"c@d"])
@example([b"a@b\\c@d"])  # a backslash inside a list is no separator
@example([b"", b""])
@example([b"a@b,", b" ,c@d"])
@example([b'"x,, y" <a@b>', b"c@d"])
@example([])
def test_joined_tests_agree_with_each_list(values: list[bytes]) -> None:
    # _Read tests all the address fields of a message at once, joined by a
    # backslash; each answer must be the one the fields give one by one.
    joined = b"\\".join(values)
    simple = all(is_simple(v) for v in values)
    assert all_plain(joined, len(values)) == (simple and not any(map(_has_empties, values)))
    if simple:
        assert _any_empty_hint(joined) == any(_empty_hint(v) for v in values)
        if b'"' not in joined:  # then every ',' separates mailboxes (M409's shortcut)
            assert all_plain(joined, len(values)) == (not _any_empty_hint(joined))


def test_fast_path_declines_what_it_does_not_read() -> None:
    for value in [
        b"Team: a@x.example;",
        b"a@x.example (Ann)",
        b'"a b"@x.example',
        b"d@[192.0.2.1]",
        b"<@r1:joe@z.example>",
        b"john smith@x.example",
        b"a@x.example; b@y.example",
        b'"O\\"Brien" <o@x.example>',
        b"< a@x.example >",
    ]:
        assert parse_simple(value) is None, value


def test_address_fields_are_a_fact_of_each_message() -> None:
    # Read once per message, kept on that message: another message, or the
    # same bytes parsed again, gets its own reading.
    bad = message("From: Sender <s@x.example>\nTo: john smith@x.example\nSubject: x\n\nHi\n")
    good = message("From: Sender <s@x.example>\nTo: john.smith@x.example\nSubject: x\n\nHi\n")
    first, second = parse(bad), parse(good)
    assert first.address_fields is first.address_fields
    assert not first.address_fields.simple and second.address_fields.simple
    errors = [a.error for a in first.addresses("to")]
    assert len(errors) == 1 and errors[0] is not None
    assert [a.addr_spec for a in second.addresses("TO")] == ["john.smith@x.example"]
    assert [a.addr_spec for a in parse(good).addresses("from")] == ["s@x.example"]


# ------------------------------------------------- kinds, facts, one table
def test_token_kinds_are_named() -> None:
    from mimelint.mime.address_tokens import TokenKind, tokenize

    data = b'"A" <a.b@x> (c) [1] , ; : \x01 (open'
    kinds = [t.kind for t in tokenize(data, comments=True)]
    assert kinds == [
        TokenKind.QUOTED, TokenKind.LT, TokenKind.ATOM, TokenKind.DOT, TokenKind.ATOM,
        TokenKind.AT, TokenKind.ATOM, TokenKind.GT, TokenKind.COMMENT,
        TokenKind.DOMAIN_LITERAL, TokenKind.COMMA, TokenKind.SEMICOLON, TokenKind.COLON,
        TokenKind.OTHER, TokenKind.COMMENT,
    ]  # fmt: skip
    assert [t.closed for t in tokenize(data)][-1] is False  # the unclosed comment


def test_an_address_field_is_tokenized_once(monkeypatch: pytest.MonkeyPatch) -> None:
    # The mailbox reader, M320, its fix and M325 share the field's tokens.
    import mimelint
    from mimelint.mime import addresses, tree

    calls: list[bytes] = []
    real = addresses.tokenize

    def counting(data: bytes, base: int = 0, *, comments: bool = False) -> list[addresses.Token]:
        calls.append(data)
        return real(data, base, comments=comments)

    monkeypatch.setattr(addresses, "tokenize", counting)
    monkeypatch.setattr(tree, "tokenize", counting)
    raw = (
        "From: a@example.com\r\nTo: Jörg Müller (Büro) <j@example.com>, "
        "=?utf-8?q?x?= <k@example.com>\r\nSubject: s\r\n\r\nbody\r\n"
    ).encode()
    report = mimelint.lint(raw)
    assert {f.code for f in report.findings} >= {"M320"}
    assert len([c for c in calls if c.startswith(b" J")]) == 1


def test_the_proof_compares_every_address_field_as_addresses() -> None:
    # Mail-Followup-To is re-encoded by the fixer as an address list; the
    # proof reads it as one too, so a quoted name and its encoded-word agree.
    from mimelint.proof import header_value

    def value(raw: bytes) -> str:
        message = parse(b"Mail-Followup-To: " + raw + b"\r\n\r\n")
        header = message.header("mail-followup-to")
        assert header is not None
        return header_value(header, message.data)

    quoted_name = '"Müller, J" <a@example.com>'.encode()
    assert value(quoted_name) == value(b"=?utf-8?q?M=C3=BCller=2C_J?= <a@example.com>")


def test_address_field_sets_come_from_one_table() -> None:
    from mimelint.mime.address_fields import (
        ADDRESS_FIELD_ROLES,
        ADDRESS_FIELDS,
        MAILBOX_FIELDS,
        RECIPIENT_FIELDS,
        AddressRole,
    )
    from mimelint.mime.fields import FieldKind, field_kind

    assert ADDRESS_FIELDS == set(ADDRESS_FIELD_ROLES)
    assert set(RECIPIENT_FIELDS) == {"to", "cc", "bcc"}
    assert "return-path" in ADDRESS_FIELDS and "return-path" not in MAILBOX_FIELDS
    assert ADDRESS_FIELD_ROLES["resent-cc"] is AddressRole.RESENT
    assert all(field_kind(name) is FieldKind.ADDRESS for name in ADDRESS_FIELDS)
    # The address facts read the mailbox fields only.
    msg = parse(b"From: a@x.example\r\nReturn-Path: <>\r\nResent-To: b@y.example\r\n\r\n")
    assert [h.lname for h in msg.address_fields.headers] == ["from", "resent-to"]


def test_one_envelope_address_and_its_smtp_lengths() -> None:
    from mimelint.mime.addresses import read_single_address, smtp_octets

    one = read_single_address("Ann <ann@bücher.example>")
    assert one.error is None and one.address is not None
    assert smtp_octets(one.address) == (3, len("xn--bcher-kva.example"))
    assert read_single_address("a@x, b@y").error == (
        "holds more than one address; give one address per value"
    )
    assert read_single_address("ann\x01@x.example").error == (
        "cannot be read: Local address contains control or whitespace"
    )
    assert read_single_address("").address is None


@given(st.lists(st.sampled_from([b"a", b"x" * 30, b"y" * 64, b" ", b",", b"<", b'"', b"\r\n"])))
def test_a_long_run_is_a_run_of_65_bytes_without_separators(pieces: list[bytes]) -> None:
    from mimelint.mime.addresses import _has_long_run

    raw = b"".join(pieces)
    runs = re.split(rb'[ \t\r\n<>,"]', raw)
    assert _has_long_run(raw) == (max(map(len, runs)) >= 65)
