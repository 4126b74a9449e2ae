"""The address reader's fast path gives exactly what the full reader gives.

:func:`parse_simple` reads the common shapes of an address list with one
regex per mailbox; :func:`parse_full` reads anything token by token. Every
finding of M401-M407 and M410-M412 comes from these results, so whenever
the fast path accepts a list, its result must equal the full reader's, and
it must accept the everyday shapes (or it would save nothing).
"""

from __future__ import annotations

import re

from _pytest.monkeypatch import MonkeyPatch
from hypothesis import example, given, settings
from hypothesis import strategies as st
from mimelint.rules import address_syntax, addresses
from mimelint.rules.address_syntax import (
    _SIMPLE_ITEM,
    _SIMPLE_LIST,
    EmptyElement,
    all_plain,
    is_simple,
    parse_addresses,
    parse_full,
    parse_simple,
)
from mimelint.rules.addresses import _any_empty_hint, _empty_hint, unparseable_address

import mimelint
from mimelint.parse import parse
from mimelint.profile import PROFILES
from mimelint.rule import Context
from tests.util import msg

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
@settings(max_examples=500)
@example(b"Sender 1 <sender1@example.com>", 6)
@example(b"Recipient <rcpt1@example.org>, other1@example.net", 4)
@example(b'"Smith, John" <j@x.example>,, ,a@b', 0)
def test_fast_path_accepts_common_shapes_and_agrees(value: bytes, base: int) -> None:
    fast = parse_simple(value, base)
    assert fast is not None, value
    assert is_simple(value)
    assert fast == parse_full(value, base)


@given(st.one_of(random_list, st.binary(max_size=60), simple_list()), st.integers(0, 50))
@settings(max_examples=1500)
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


# The simple-list test as first written: _SIMPLE_ITEM repeated, item by item.
# The list pattern is rewritten for speed; it must accept exactly these.
REFERENCE_LIST = re.compile(rb"(?>%s)*+" % _SIMPLE_ITEM.pattern)
#: Pieces that make display names, quoted strings and addr-specs meet.
LIST_PIECES = [
    "a", "b", ".", "@", "<", ">", ",", " ", "\t", "\r\n ", "\r", "\n", '"', '""', '"q r"',
    "\\", "é", "(", ";", ":", "x@y", "<a@b>", "a.b", "..",
]  # fmt: skip
list_soup = st.lists(st.sampled_from(LIST_PIECES), max_size=16).map(
    lambda ps: "".join(ps).encode("utf-8")
)


@given(st.one_of(list_soup, random_list, simple_list(), st.binary(max_size=40)))
@settings(max_examples=3000)
@example(b'"a" b"c" <x@y>')
@example(b".a <x@y>, <x@y>,,")
@example(b'" <x@y>')
@example(b"a@b <c@d>")
def test_simple_list_pattern_accepts_what_the_item_pattern_reads(value: bytes) -> None:
    assert (_SIMPLE_LIST.fullmatch(value) is not None) == (
        REFERENCE_LIST.fullmatch(value) is not None
    )


#: M409's hint as first written: a ',' first, two with only white space
#: between, or one last.
REFERENCE_HINT = re.compile(rb"\A[ \t\r\n]*+,|,[ \t\r\n]*+(?:,|\Z)")


@given(st.one_of(list_soup, random_list, simple_list(), st.binary(max_size=20)))
@settings(max_examples=1500)
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
@settings(max_examples=1500)
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


MIXED = msg(
    "From: Sender <s@x.example>\n"
    'To: Smith, John <j@x.example>, "Ann" <ann@bücher.example>, bob@xn--zz.example\n'
    "Cc: 张伟@example.com, Team: a@x.example;\n"
    "Bcc: " + ", ".join(f"u{n}@{'d' * 60}.example" for n in range(52)) + "\n"
    "Reply-To: " + "l" * 65 + "@x.example\n"
    "Subject: Hi\nDate: Wed, 25 Nov 2026 10:00:00 +0000\nMessage-ID: <1@x.example>\n\nHi\n"
)


def _address_findings(raw: bytes) -> list[tuple[object, ...]]:
    result = mimelint.lint(
        raw,
        envelope_from="Ann <ann@bücher.example>",
        envelope_to=["张@x.example", "ann smith@x.example"],
    )
    return [
        (f.code, f.start, f.end, f.line, f.column, f.message, f.fix)
        for f in result.findings
        if f.code.startswith("M4")
    ]


def _slow_paths(monkeypatch: MonkeyPatch) -> None:
    """Turn off every shortcut: the full reader, and no simple-list tests."""
    monkeypatch.setattr(address_syntax, "parse_simple", lambda data, base=0: None)
    monkeypatch.setattr(addresses, "FAST_PATHS", False)


def test_rules_give_the_same_findings_without_the_fast_path(monkeypatch: MonkeyPatch) -> None:
    fast = _address_findings(MIXED)
    _slow_paths(monkeypatch)
    slow = _address_findings(MIXED)
    assert fast == slow
    assert {str(f[0]) for f in fast} >= {"M401", "M402", "M403", "M404", "M405", "M407"}
    assert {str(f[0]) for f in fast} >= {"M410", "M411", "M412"}


def test_shared_read_follows_the_message_asked_about() -> None:
    # The rules share one read per message (and remember the last one): a rule
    # asked about another message, or a message parsed again, must not get
    # the previous message's addresses.
    context = Context(PROFILES["ses"], None, ())
    bad = msg("From: Sender <s@x.example>\nTo: john smith@x.example\nSubject: x\n\nHi\n")
    good = msg("From: Sender <s@x.example>\nTo: john.smith@x.example\nSubject: x\n\nHi\n")
    first, second = parse(bad), parse(good)
    for _ in range(2):
        assert len(list(unparseable_address.check(first, context))) == 1
        assert list(unparseable_address.check(second, context)) == []
    for raw in (bad, good, bad):  # a new message each time, maybe at a reused address
        expected = 1 if raw is bad else 0
        assert len(list(unparseable_address.check(parse(raw), context))) == expected


FIELD_NAMES = ["From", "To", "Cc", "Bcc", "Reply-To", "Sender"]
field_value = st.one_of(
    simple_list(),
    random_list,
    st.sampled_from(
        [b"l" * 70 + b"@x.example", b"a@" + b"d" * 250 + b".example", b"a@xn--zz.example"]
    ),
    st.integers(0, 60).map(lambda n: ", ".join(f"u{i}@x.example" for i in range(n)).encode()),
)


@given(st.lists(st.tuples(st.sampled_from(FIELD_NAMES), field_value), max_size=4))
@settings(max_examples=150, deadline=None)
@example([("To", b"a@x.example,, b@y.example,")])  # M409 from the simple-list hint
@example([("To", b'"a,, b" <a@x.example>, , b@y.example')])  # hint matches inside quotes
@example([("Cc", b"<@r.example:a@x.example>,"), ("From", b"a@x.example (Ann")])
@example([("From", b" \r\n\t")])  # M406: an empty From, folded
@example([("From", b" \r ")])  # a bare CR is not white space that unfolds away
@example([("From", b"")])
@example([("From", b"a@x.example"), ("To", b"b@y.example,")])  # joined: M409 per field
@example([("To", b"a@x.example\\b@y.example")])  # a backslash in a list
@example([("To", b'"x,, y" <a@x.example>'), ("Cc", b"b@y.example")])  # hint in quotes
@example([("To", ", ".join(f"u{i}@x.example" for i in range(51)).encode())])  # M407
@example([("To", b'"a@b" <c@x.example>, ' * 30)])  # M407: '@' in quotes
@example([("Cc", b"l" * 70 + b"@x.example"), ("To", b"a@x.example")])  # M405
def test_messages_get_the_same_findings_with_and_without_shortcuts(
    fields: list[tuple[str, bytes]],
) -> None:
    raw = b"".join(name.encode() + b":" + value + b"\r\n" for name, value in fields)
    raw += b"Subject: x\r\n\r\nHi\r\n"
    fast = _address_findings(raw)
    with MonkeyPatch.context() as monkeypatch:
        _slow_paths(monkeypatch)
        slow = _address_findings(raw)
    assert fast == slow
