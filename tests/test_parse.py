"""The parser on examples: spans, tolerance, depth cap, defects."""

from __future__ import annotations

import sysconfig
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import mimelint
from mimelint.mime.params import parse_structured
from mimelint.mime.parse import parse
from mimelint.mime.tree import (
    BAD_NAME,
    CONTINUATION_FIRST,
    EMPTY_NAME,
    ENVELOPE,
    FIELD,
    NO_COLON,
    Message,
    read_mechanism,
)
from tests.profiles import examples
from tests.util import msg

STDLIB_EMAIL_DATA = Path(sysconfig.get_paths()["stdlib"]) / "test" / "test_email" / "data"


def test_headers_body_and_separator_spans() -> None:
    raw = msg("Subject: hi\n  there\nFrom: a@example.com\n\nbody\n")
    m = parse(raw)
    assert [h.name for h in m.headers] == ["Subject", "From"]
    subject = m.headers[0]
    assert subject.raw == b"Subject: hi\r\n  there\r\n"
    assert subject.value == "hi  there"
    assert m.separator == (raw.index(b"\r\n\r\n") + 2, raw.index(b"\r\n\r\n") + 4)
    assert m.body == b"body\r\n"


def test_lf_only_and_mixed_line_endings() -> None:
    raw = b"Subject: a\nFrom: b@example.com\r\n\nbody"
    m = parse(raw)
    assert [h.name for h in m.headers] == ["Subject", "From"]
    assert m.body == b"body"
    assert m.to_bytes() == raw


def test_missing_separator_starts_body_at_first_non_header_line() -> None:
    raw = msg("Subject: a\nHello there\nmore\n")
    m = parse(raw)
    assert [h.name for h in m.headers] == ["Subject"]
    assert m.body.startswith(b"Hello there")
    assert [d.kind for d in m.defects] == ["missing-separator"]
    assert m.defects[0].start == raw.index(b"Hello")


@pytest.mark.parametrize(
    ("raw", "kinds"),
    [
        (b" folded first\r\nSubject: x\r\n\r\n", [CONTINUATION_FIRST, FIELD]),
        (b"From someone Tue Jan 1\r\nSubject: x\r\n\r\n", [ENVELOPE, FIELD]),
        (b": no name\r\nSubject: x\r\n\r\n", [EMPTY_NAME, FIELD]),
        (b"Subject: x\r\nX Bad Name: y\r\nTo: z\r\n\r\n", [FIELD, BAD_NAME, FIELD]),
        (b"Subject: x\r\nno colon here\r\nTo: z\r\n\r\n", [FIELD, NO_COLON, FIELD]),
        (b"Subject : spaced\r\n\r\n", [FIELD]),
    ],
)
def test_header_kinds(raw: bytes, kinds: list[str]) -> None:
    assert [h.kind for h in parse(raw).headers] == kinds


def test_multipart_split_with_preamble_epilogue_and_paths() -> None:
    raw = msg(
        "Content-Type: multipart/mixed; boundary=XX\n\npre\n--XX\nContent-Type: text/plain\n\n"
        "one\n--XX\nContent-Type: multipart/alternative; boundary=YY\n\n--YY\n\ninner\n--YY--\n"
        "\n--XX--\nepi\n"
    )
    m = parse(raw)
    assert [(p.path, p.content_type) for p in m.parts()] == [
        ("", "multipart/mixed"),
        ("1", "text/plain"),
        ("2", "multipart/alternative"),
        ("2.1", "text/plain"),
    ]
    one = m.children[0]
    assert one.body == b"one"  # the CRLF before the delimiter belongs to it
    assert m.closed and m.children[1].closed
    assert m.preamble is not None and raw[m.preamble[0] : m.preamble[1]] == b"pre"
    assert m.epilogue is not None and raw[m.epilogue[0] : m.epilogue[1]] == b"epi\r\n"
    assert m.to_bytes() == raw


def test_missing_close_and_no_parts_and_no_boundary_are_defects() -> None:
    unclosed = parse(msg("Content-Type: multipart/mixed; boundary=b\n\n--b\n\nx\n"))
    assert [d.kind for d in unclosed.defects] == ["missing-close-delimiter"]
    assert unclosed.children[0].body == b"x\r\n"
    empty = parse(msg("Content-Type: multipart/mixed; boundary=b\n\nnothing here\n"))
    assert [d.kind for d in empty.defects] == ["no-parts"]
    nob = parse(msg("Content-Type: multipart/mixed\n\n--b\n\nx\n--b--\n"))
    assert [d.kind for d in nob.defects] == ["no-boundary"]


def test_delimiter_must_match_whole_boundary() -> None:
    raw = msg("Content-Type: multipart/mixed; boundary=ab\n\n--ab\n\n--abc\n--ab  \n\ny\n--ab--\n")
    m = parse(raw)
    assert [c.body for c in m.children] == [b"--abc", b"y"]


def test_message_rfc822_is_parsed_as_nested_message() -> None:
    raw = msg(
        "Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: message/rfc822\n\n"
        "Subject: inner\nContent-Type: text/plain\n\nhello\n--b--\n"
    )
    m = parse(raw)
    inner = m.children[0].embedded
    assert inner is not None
    assert inner.header("subject") is not None and inner.body == b"hello"
    assert inner.depth == 2


def test_digest_children_default_to_message_rfc822() -> None:
    raw = msg("Content-Type: multipart/digest; boundary=b\n\n--b\n\nSubject: x\n\nhi\n--b--\n")
    m = parse(raw)
    assert m.children[0].content_type == "message/rfc822"
    assert m.children[0].embedded is not None


def test_nesting_is_capped_with_a_defect_not_a_crash() -> None:
    depth = 400
    head = "".join(
        f"Content-Type: multipart/mixed; boundary=b{i}\r\n\r\n--b{i}\r\n" for i in range(depth)
    )
    tail = "".join(f"\r\n--b{i}--\r\n" for i in reversed(range(depth)))
    raw = (head + "\r\nleaf" + tail).encode()
    m = parse(raw, max_depth=100)
    kinds = [d.kind for p in m.parts() for d in p.defects]
    assert "depth-exceeded" in kinds
    assert max(p.depth for p in m.parts()) == 100
    assert m.to_bytes() == raw


def test_payload_decoding_is_lenient_and_cached() -> None:
    raw = msg("Content-Transfer-Encoding: base64\n\naGVs!bG8\n")  # junk char, no padding
    m = parse(raw)
    assert m.payload == b"hello"
    assert m.payload is m.payload
    qp = parse(
        msg(
            "Content-Transfer-Encoding: quoted-printable\nContent-Type: text/plain; charset=utf-8\n\nGr=C3=BC=\nn\n"
        )
    )
    assert qp.text == "Grün\r\n"


def test_filename_from_rfc2231_and_rfc2047() -> None:
    raw = msg(
        'Content-Type: application/pdf; name="=?utf-8?q?r=C3=A9sum=C3=A9.pdf?="\n'
        "Content-Disposition: attachment; filename*=utf-8''%E2%82%AC.pdf\n\n"
    )
    assert parse(raw).filename == "€.pdf"
    raw2 = msg('Content-Type: application/pdf; name="=?utf-8?q?r=C3=A9sum=C3=A9.pdf?="\n\n')
    assert parse(raw2).filename == "résumé.pdf"


@pytest.mark.parametrize("charset", [b"base64", b"rot13", b"no-such-charset", b"ut\x00f"])
def test_an_rfc2231_charset_that_names_no_text_codec_reads_as_utf8(charset: bytes) -> None:
    # bytes.decode("base64") raised LookupError (a NUL: ValueError) and
    # every attachment rule crashed on the message.
    raw = b'Content-Disposition: attachment; filename*="' + charset + b"''%C3%A9.txt\"\n\n"
    assert parse(msg(raw.decode("latin-1"))).filename == "\u00e9.txt"
    assert not [f for f in mimelint.lint(msg(raw.decode("latin-1"))) if f.code == "M000"]


def test_positions_are_one_based_and_count_characters() -> None:
    raw = "Subject: héllo\r\nX: y\r\n\r\n".encode()
    m = parse(raw)
    assert m.position(0) == (1, 1)
    assert m.position(raw.index(b"llo")) == (1, 12)
    assert m.position(raw.index(b"X:")) == (2, 1)
    assert m.position(len(raw)) == (4, 1)


@pytest.mark.skipif(
    not STDLIB_EMAIL_DATA.is_dir(), reason="CPython's test_email data is not installed"
)
def test_stdlib_corpus_is_lossless() -> None:
    files = sorted(STDLIB_EMAIL_DATA.glob("msg_*.txt"))
    assert files
    for path in files:
        raw = path.read_bytes()
        assert parse(raw).to_bytes() == raw, path.name


@pytest.mark.parametrize(
    ("raw", "value", "what"),
    [
        (b" multipart/mixed; boundary=----=_Part_1", "----=_Part_1", "'='"),
        (b" application/pdf; name=My File.pdf", "My File.pdf", "white space"),
        (b" multipart/related; type=text/html", "text/html", "'/'"),
    ],
)
def test_unquoted_value_with_specials_is_a_defect_at_its_span(
    raw: bytes, value: str, what: str
) -> None:
    sv = parse_structured(raw, 100)
    (defect,) = sv.defects
    assert defect.kind == "unquoted-special"
    assert what in defect.message
    start = 100 + raw.index(value.encode())
    assert (defect.start, defect.end) == (start, start + len(value))
    assert sv.params[-1].value == value  # read leniently, as most clients do


@pytest.mark.parametrize(
    "raw",
    [b" text/plain; charset=utf-8", b' multipart/mixed; boundary="----=_Part_1"', b" a/b; x=1.0"],
)
def test_tokens_and_quoted_values_are_not_defects(raw: bytes) -> None:
    assert parse_structured(raw, 0).defects == ()


@pytest.mark.parametrize(
    "name",
    [
        b"=?utf-8?b?YWJjZ?=.pdf",  # base64 the stdlib will not decode (5 characters)
        b"=?utf-8\xc3\xa9?q?x?=.pdf",  # a charset name that is not ASCII
        b"=?windows-12\xff52?q?x?=.pdf",
    ],
)
def test_filename_with_a_broken_encoded_word_is_kept_as_written(name: bytes) -> None:
    # The standard library's decoder raises HeaderParseError / CharsetError
    # here (not ValueError); the tree, the rules and the fixer must not.
    raw = (
        b"From: a@example.com\r\nMIME-Version: 1.0\r\n"
        b'Content-Type: application/pdf; name="' + name + b'"\r\n'
        b"Content-Transfer-Encoding: base64\r\n\r\nJVBERi0=\r\n"
    )
    part = parse(raw)
    assert part.content_type_value is not None
    assert part.filename == part.content_type_value.get("name")  # as written, not decoded
    report = mimelint.lint(raw)
    assert [f for f in report.findings if f.code == "M000"] == []
    assert mimelint.fix(raw, unsafe=True).remaining is not None


# ------------------------------------------------ no reference cycles
NESTED = (
    b'From: a@example.com\r\nContent-Type: multipart/mixed; boundary="o"\r\n\r\n'
    b'--o\r\nContent-Type: multipart/alternative; boundary="i"\r\n\r\n'
    b"--i\r\n\r\none\r\n--i--\r\n"
    b"--o\r\nContent-Type: message/rfc822\r\n\r\nSubject: inner\r\n\r\nbody\r\n"
    b"--o--\r\n"
)


def test_a_parsed_tree_is_freed_without_the_cycle_collector() -> None:
    import gc

    gc.collect()
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        message = parse(NESTED)
        for part in message.walk():
            part.content_type, part.transfer_encoding, part.payload  # noqa: B018
        assert [p.path for p in message.parts()] == ["", "1", "1.1", "2", "2"]
        del message, part
        assert gc.collect() == 0  # nothing was left for the collector
    finally:
        if was_enabled:
            gc.enable()


def test_parts_know_their_parent_and_message_while_the_message_lives() -> None:
    message = parse(NESTED)
    outer, alternative, leaf, rfc822, inner = message.parts()
    assert outer is message and message.message is message and message.parent is None
    assert leaf.parent is alternative and alternative.parent is message
    assert inner.parent is rfc822 and inner.message is message
    assert list(leaf.ancestors()) == [alternative, message]
    assert message.parts() == message.parts() and message.parts() is not message.parts()


def test_a_part_outliving_its_message_says_so() -> None:
    leaf = parse(NESTED).children[0].children[0]
    assert leaf.parent is None  # the multipart above it went with the message
    with pytest.raises(ReferenceError):
        leaf.message  # noqa: B018


# A Content-Transfer-Encoding value from pieces around the plain shortcut.
_CTE_PIECES = [
    b"base64", b"BASE64", b"7bit", b"quoted-printable", b"x-uue", b"-", b"-7bit", b" ", b"\t",
    b"\r\n ", b'"', b";", b"(c)", b"(", b")", b"\xe9", b"8bit", b"a", b"\xb2",
]  # fmt: skip


@settings(max_examples=examples(400), deadline=None)
@given(st.lists(st.sampled_from(_CTE_PIECES), max_size=6))
def test_plain_transfer_encoding_shortcut_reads_as_the_full_reader(pieces: list[bytes]) -> None:

    raw = b"Content-Transfer-Encoding:" + b"".join(pieces) + b"\r\n\r\nbody\r\n"
    part = parse(raw)
    header = part.header("content-transfer-encoding")
    assert header is not None
    assert part.transfer_encoding == read_mechanism(header.unfolded)


def test_a_quoted_parameter_folded_across_lines_is_read_unfolded() -> None:
    # RFC 5322 §2.2.3 and §3.2.4: the CRLF of a fold is not part of the
    # quoted-string, so the boundary is "simple boundary".
    raw = msg(
        'Content-Type: multipart/mixed; boundary="simple\n boundary"\n\n'
        "--simple boundary\n\nhello\n--simple boundary--\n"
    )
    m = parse(raw)
    assert m.boundary == "simple boundary"
    assert [c.body for c in m.children] == [b"hello"]
    assert m.defects == []
    assert m.to_bytes() == raw  # the fold stays in the bytes
    param = m.content_type_value.named("boundary")[0]  # type: ignore[union-attr]
    assert raw[param.value_start : param.value_end] == b'"simple\r\n boundary"'


def test_a_folded_quoted_boundary_is_not_rewritten_by_fix() -> None:
    raw = msg(
        "From: a@example.com\nTo: b@example.com\nSubject: x\nDate: Wed, 25 Nov 2026 10:00:00 +0000\n"
        "Message-ID: <f@example.com>\nMIME-Version: 1.0\n"
        'Content-Type: multipart/mixed; boundary="simple\n boundary"\n\n'
        "--simple boundary\nContent-Type: text/plain; charset=us-ascii\n\nhello\n"
        "--simple boundary--\n"
    )
    assert [f.code for f in mimelint.lint(raw)] == []
    assert mimelint.fix(raw) == raw


def test_a_header_value_span_leaves_out_the_blanks_and_folds_around_it() -> None:
    message = parse(b"Date: \r\nX-A:  v  \r\n\tw \r\nX-B:\r\n\r\n")
    spans = [(h.name, message.data[slice(*h.value_span)], h.value_span) for h in message.headers]
    assert spans == [
        ("Date", b"", (5, 5)),  # empty: just after the colon
        ("X-A", b"v  \r\n\tw", (14, 21)),
        ("X-B", b"", (28, 28)),
    ]


def test_a_part_releases_its_decoded_body_and_decodes_it_again_on_demand() -> None:
    message = parse(
        b"Content-Type: text/plain; charset=utf-8\r\n"
        b"Content-Transfer-Encoding: base64\r\n\r\nR3LDvMOfZQ==\r\n"
    )
    assert message.text == "Grüße"
    assert "payload" in vars(message) and "text" in vars(message)
    message.release_decoded()
    assert "payload" not in vars(message) and "text" not in vars(message)
    assert message.payload == "Grüße".encode() and message.text == "Grüße"


def test_empty_parameters_are_found_outside_comments_only() -> None:
    from mimelint.mime.params import empty_parameters

    value = b" text/plain;; charset=utf-8 (a;;b); ;\r\n ; format=flowed"
    sv = parse_structured(value, 0)
    found = empty_parameters(value, sv, len(value))
    # The ";;" after the type, and the three-';' run before format=; not the comment's.
    assert [[value[a:b] for a, b in run] for run in found] == [[b";"], [b"; ", b";\r\n "]]
    assert empty_parameters(b"text/plain; a=1", parse_structured(b"text/plain; a=1", 0), 15) == []


def test_part_at_is_the_deepest_part_holding_an_offset() -> None:
    from tests.util import FIXTURES

    paths = sorted(FIXTURES.glob("rules/M2*/*.eml")) + sorted(FIXTURES.glob("rules/M6*/*.eml"))
    nested = 0
    for path in paths:
        message = parse(path.read_bytes())
        parts = message.parts()
        for offset in range(0, len(message.data), 5):
            holders = [p for p in parts if p.start <= offset < p.end]
            expected = holders[-1] if holders else message  # depth first: the last is deepest
            assert message.part_at(offset) is expected, (path.name, offset)
            nested += expected.depth > 1
    assert nested  # the fixtures do reach parts two levels down


def test_a_quoted_parameter_value_without_its_closing_quote_is_unterminated() -> None:
    sv = parse_structured(b'multipart/mixed; a="x"; b=y; c="z', 0)
    assert [(p.name, p.unterminated, p.value) for p in sv.params] == [
        ("a", False, "x"),
        ("b", False, "y"),
        ("c", True, "z"),
    ]


@settings(max_examples=examples(300))
@given(
    st.lists(
        st.sampled_from([b"-", b"--", b"\n", b"\r\n", b"x", b"ab-c", b"A" * 5000, b"-" * 4100]),
        max_size=40,
    )
)
def test_dash_lines_are_every_line_that_starts_with_two_hyphens(pieces: list[bytes]) -> None:
    # Message.dash_lines jumps from hyphen to hyphen and searches "\n--" in
    # windows: it must find exactly the lines a plain definition finds, also
    # across a window's edge (the long pieces put lines on both sides of it).
    data = b"".join(pieces)
    expected = [
        i for i in range(len(data)) if data.startswith(b"--", i) and (i == 0 or data[i - 1] == 10)
    ]
    assert Message(data, 100).dash_lines() == expected


@pytest.mark.parametrize("gap", range(4090, 4100))
def test_dash_lines_across_the_search_window(gap: int) -> None:
    # A lone "-" opens a window of 4,096 bytes; a "--" line just inside,
    # across or just past its edge is found all the same.
    data = b"a-" + b"x" * gap + b"\n--b\n"
    assert Message(data, 100).dash_lines() == [len(data) - 4]


@settings(max_examples=300)
@given(
    st.lists(
        st.sampled_from(
            [b"A: 1\n", b" x\n", b"\n", b"bad line\n", b"B c: 2\n", b": v\n", b"From x\n"]
            + [b"Content-Type: multipart/mixed; boundary=b\n", b"--b\n", b"--b--\n"]
            + [b"Content-Type: message/rfc822\n", b"\r\n", b"C :3\r\n"]
        ),
        max_size=30,
    )
)
def test_the_parser_lists_parts_and_header_lines_as_the_tree_holds_them(
    pieces: list[bytes],
) -> None:
    # The parser lists the parts below the message, the parts with each kind
    # of defect, each part's header lines that are no well-formed field and
    # its lines with a colon by name as it reads them: the lists are the
    # tree's own depth-first walk, its defects, its non-field lines and its
    # named lines, in order.
    message = parse(b"".join(pieces))
    assert message.parts() == list(message.walk())
    index: dict[object, list[int]] = {}
    for i, part in enumerate(message.parts()):
        for kind in sorted({d.kind for d in part.defects}):
            index.setdefault(kind, []).append(i)
    assert message.parts_with_defect == {kind: tuple(found) for kind, found in index.items()}
    for part in message.parts():
        assert part.odd_headers == [h for h in part.headers if h.kind is not FIELD]
        index: dict[str, list[object]] = {}
        for h in part.headers:
            if h.colon >= 0:
                index.setdefault(h.name.lower(), []).append(h)
        assert part.fields_by_name == index
        assert part.depth == (0 if part.parent is None else part.parent.depth + 1)
        assert part.is_leaf == (not part.children and part.embedded is None)
