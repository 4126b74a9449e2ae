"""The body scans (mimelint.mime.scan) against naive reference scanners.

Each scan decides "nothing to report" without looking at every line or
escape; if one ever said "clean" where a naive reading finds a problem, a
finding would silently disappear. These properties run both on generated
bodies built from the characters that matter (line breaks, "=", hex digits,
white space, NUL, 8-bit bytes).
"""

from __future__ import annotations

import base64
import re
from unittest.mock import patch

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mimelint.mime import scan
from mimelint.mime.parse import parse
from tests.profiles import examples
from tests.strategies import messages

# Short alphabets make the interesting neighbours (=, CR, LF, hex) common.
_QP_CHARS = st.sampled_from(
    [b"=", b"A", b"F", b"0", b"9", b"a", b"f", b"G", b" ", b"\t", b"\r", b"\n", b"x", b"\0"]
)
_LINE_CHARS = st.sampled_from([b"a", b"\r", b"\n", b"\r\n", b"a" * 40, b"a" * 77, b"a" * 500])
_BYTES = st.sampled_from([b"a", b"\r", b"\n", b"\r\n", b"\0", b"\xc3\xa9", b"\xff", b"a" * 90])


def _naive_long_lines(body: bytes, limit: int) -> tuple[int, int] | None:
    lengths = [len(line) for line in body.splitlines()]
    longs = [n for n in lengths if n > limit]
    return (len(longs), max(longs)) if longs else None


def _naive_smtp_lines(body: bytes, limit: int) -> tuple[int, int] | None:
    """SMTP lines: split at LF only, the CR of a CR LF is not content."""
    lines = body.split(b"\n")
    lengths = [len(line[:-1]) if line.endswith(b"\r") else len(line) for line in lines[:-1]]
    lengths.append(len(lines[-1]))
    longs = [n for n in lengths if n > limit]
    return (len(longs), max(longs)) if longs else None


def _all_patterns_trailing_space(body: bytes) -> tuple[int, int]:
    """(offset of the first space run at a line end, lines ending in white space)."""
    patterns = (b" \r\n", b"\t\r\n", b" \n", b"\t\n")
    hits = [h for h in (body.find(p) for p in patterns) if h >= 0]
    final = body[-1:] in (b" ", b"\t")
    if final:
        hits.append(len(body) - 1)
    if not hits:
        return -1, 0
    last = min(hits)
    line = body[body.rfind(b"\n", 0, last) + 1 : last + 1]
    first = last + 1 - (len(line) - len(line.rstrip(b" \t")))
    return first, sum(body.count(p) for p in patterns) + final


@settings(max_examples=examples(400), deadline=None)
@given(st.lists(_QP_CHARS | st.sampled_from([b"q" * 38, b"q" * 77]), max_size=40))
def test_quoted_printable_scan_agrees_with_a_naive_one(chunks: list[bytes]) -> None:
    body = b"".join(chunks)
    raw = (
        b"From: a@example.com\r\nMIME-Version: 1.0\r\n"
        b"Content-Type: text/plain; charset=utf-8\r\n"
        b"Content-Transfer-Encoding: quoted-printable\r\n\r\n" + body
    )
    part = parse(raw).parts()[0]
    found = part.quoted_printable_scan
    if part.body_end == part.body_start:
        assert found is None
        return
    assert found is not None
    odd = re.compile(rb"=(?![0-9A-F]{2}|\r?\n|\Z)").search(raw, part.body_start, part.body_end)
    assert found.odd_at == (odd.start() if odd else -1)
    first, count = _all_patterns_trailing_space(raw[part.body_start : part.body_end])
    assert found.space_count == count
    if count:
        assert found.space_start == part.body_start + first
    naive = _naive_long_lines(raw[part.body_start : part.body_end], scan.MAX_ENCODED_LINE)
    assert (None if found.long is None else (found.long.count, found.long.longest)) == naive
    assert found.long == scan.long_lines(raw, part.body_start, part.body_end)
    assert found.clean == (found.odd_at < 0 and not count and naive is None)


@settings(max_examples=examples(400), deadline=None)
@given(st.lists(_LINE_CHARS, max_size=30), st.sampled_from([b"", b"\n", b"x", b"\r"]))
def test_long_lines_agrees_with_a_naive_split(chunks: list[bytes], before: bytes) -> None:
    body = b"".join(chunks)
    data = before + body
    found = scan.long_lines(data, len(before), len(data))
    naive = _naive_long_lines(body, scan.MAX_ENCODED_LINE)
    assert (None if found is None else (found.count, found.longest)) == naive
    if found is not None:
        # The first long line starts after a line break (or the buffer's start).
        at = found.first
        assert at == 0 or data[at - 1] in b"\r\n" or at == len(before)


@settings(max_examples=examples(400), deadline=None)
@given(st.lists(_LINE_CHARS, max_size=40), st.sampled_from([76, 100, 998]))
def test_smtp_long_lines_agree_with_a_naive_split(chunks: list[bytes], limit: int) -> None:
    data = b"\r\n" + b"".join(chunks)
    found = scan.long_lines(data, 2, len(data), limit, cr_ends_line=False)
    naive = _naive_smtp_lines(data[2:], limit)
    assert (None if found is None else (found.count, found.longest)) == naive
    if found is not None:
        assert data[found.first - 1] == 10  # a line start
        assert found.first_end - found.first > limit
        assert data[found.first_end : found.first_end + 1] in (b"", b"\r", b"\n")


@settings(max_examples=examples(300), deadline=None)
@given(
    st.integers(1, 90), st.integers(0, 40), st.sampled_from([b"\n", b"\r\n"]), st.integers(0, 90)
)
def test_uniform_width_is_a_proof(width: int, lines: int, eol: bytes, last: int) -> None:
    body = eol.join([b"Q" * width] * lines + [b"Q" * last])
    proved = scan.uniform_width(body, 0, len(body))
    if proved is not None:
        assert max(len(line) for line in body.splitlines() or [b""]) <= proved
        assert max(len(line.rstrip(b"\r")) for line in body.split(b"\n")) <= proved


@settings(max_examples=examples(300), deadline=None)
@given(st.lists(_LINE_CHARS, max_size=30))
def test_uniform_width_survives_a_stray_break(chunks: list[bytes]) -> None:
    # Uniform base64 with one line changed: the proof must fail or still hold.
    body = b"\r\n".join([b"Q" * 76] * 20)
    mutated = body[:300] + b"".join(chunks) + body[300:]
    proved = scan.uniform_width(mutated, 0, len(mutated))
    if proved is not None:
        assert max(len(line.rstrip(b"\r")) for line in mutated.split(b"\n")) <= proved


@settings(max_examples=examples(400), deadline=None)
@given(st.lists(_BYTES, max_size=30), st.sampled_from([0, 1, 3]))
def test_content_bytes_agree_with_naive_counts(chunks: list[bytes], margin: int) -> None:
    body = b"".join(chunks)
    data = b"\r" * margin + body + b"\n" * margin
    found = scan.ContentBytes(data, margin, margin + len(body))
    assert found.ascii == body.isascii()
    assert found.eight_bit_count() == sum(b >= 0x80 for b in body)
    high = next((i for i, b in enumerate(body) if b >= 0x80), -1)
    assert found.first_eight_bit == (-1 if high < 0 else margin + high)
    assert found.nul_count == body.count(0)
    assert found.first_nul == (-1 if 0 not in body else margin + body.index(0))
    bare = [i for i, b in enumerate(body) if b == 13 and body[i + 1 : i + 2] != b"\n"]
    assert found.bare_cr_count == len(bare)
    assert found.first_bare_cr == (margin + bare[0] if bare else -1)
    assert (found.lf, found.crlf) == (body.count(b"\n"), body.count(b"\r\n"))
    seven = body.isascii() and 0 not in body and not bare
    assert found.seven_bit(76) == (seven and _naive_smtp_lines(body, 76) is None)


@settings(max_examples=examples(400), deadline=None)
@given(
    st.integers(1, 12),
    st.integers(0, 8),
    st.sampled_from([b"\r\n", b"\n", b"\r"]),
    st.lists(
        st.tuples(st.integers(0, 200), st.sampled_from([b"\r", b"\n", b"\r\n", b"A", b"="])),
        max_size=3,
    ),
    st.sampled_from([b"", b"QU", b"QUJD", b"\r", b"\r\n", b"Q=", b"QU=\r\n", b"Q==\r\n="]),
)
def test_base64_line_ending_counts_agree_with_a_plain_count(
    width: int, lines: int, eol: bytes, edits: list[tuple[int, bytes]], last: bytes
) -> None:
    body = bytearray((b"Q" * width + eol) * lines + last)
    for at, piece in edits:
        body[at:at] = piece
    data = b"xx" + bytes(body) + b"yy"
    found = scan.scan_base64(data, 2, 2 + len(body))
    assert (found.lf, found.crlf) == (body.count(b"\n"), body.count(b"\r\n"))
    assert found.cr == body.count(b"\r")
    if found.pad_message.startswith(("base64 padding", "base64 data ends with ")) and (
        "lone" not in found.pad_message
    ):
        # A misplaced or miscounted "=": the span starts at the first one.
        assert found.pad_start == 2 + body.index(b"=")


def test_base64_scan_reads_a_body_larger_than_one_chunk() -> None:
    body = (b"QUJD" * 19 + b"\r\n") * 3000 + b"QU=\r\n"
    found = scan.scan_base64(body, 0, len(body))
    assert found.junk_at < 0 and found.long is None
    assert (found.pad_start, found.pad_end) == (len(body) - 3, len(body) - 2)
    assert "1 '='" in found.pad_message
    junk = body[:100_000] + b"*" + body[100_000:]
    assert scan.scan_base64(junk, 0, len(junk)).junk_at == 100_000


def _binary_or_not(raw: bytes, binary: bool) -> bytes:
    return raw.replace(b"Transfer-Encoding: 8bit", b"Transfer-Encoding: binary") if binary else raw


@settings(max_examples=examples(300), deadline=None)
@given(messages(), st.booleans(), st.sampled_from([1, 8, scan.SEPARATE_BODY]))
def test_message_bytes_agree_with_naive_counts(raw: bytes, binary: bool, separate: int) -> None:
    # A small SEPARATE_BODY makes small messages read in pieces, as large ones are.
    data = _binary_or_not(raw, binary)
    with patch.object(scan, "SEPARATE_BODY", separate):
        message = parse(data)
        ends = message.whole_scan
    lf = data.count(b"\n")
    crlf = data.count(b"\r\n")
    for part in message.parts():
        if part.is_leaf and part.transfer_encoding == "binary":
            body = data[part.body_start : part.body_end]
            lf -= body.count(b"\n")
            crlf -= body.count(b"\r\n")
    assert (ends.lf, ends.crlf) == (lf, crlf)
    assert ends.ascii == data.isascii()
    assert ends.first_nul == data.find(b"\0")
    bare = re.search(rb"\r(?!\n)", data)
    assert ends.first_bare_cr == (bare.start() if bare else -1)
    assert ends.marks[0] == 0 and ends.marks[-1] == len(data)
    assert list(ends.marks) == sorted(ends.marks)
    assert list(ends.lines) == [data.count(b"\n", 0, at) + 1 for at in ends.marks]


@settings(max_examples=examples(300), deadline=None)
@given(messages())
def test_a_body_scan_knows_what_a_fresh_scan_finds(raw: bytes) -> None:
    # What body_scan takes over from a base64 or quoted-printable scan must
    # be what reading the body finds.
    message = parse(raw)
    for part in message.parts():
        known = part.body_scan
        fresh = scan.ContentBytes(raw, part.body_start, part.body_end)
        assert (known.lf, known.crlf) == (fresh.lf, fresh.crlf)
        assert (known.first_bare_cr, known.bare_cr_count) == (
            fresh.first_bare_cr,
            fresh.bare_cr_count,
        )
        assert (known.ascii, known.first_nul, known.nul_count) == (
            fresh.ascii,
            fresh.first_nul,
            fresh.nul_count,
        )
        for limit in (10, 76, 998):
            assert known.long_lines(limit) == fresh.long_lines(limit)


@settings(max_examples=examples(300), deadline=None)
@given(st.lists(_LINE_CHARS, max_size=30))
def test_a_line_bound_answers_for_long_lines_only_without_bare_cr(chunks: list[bytes]) -> None:
    body = b"".join(chunks)
    longest = max((len(line) for line in body.splitlines()), default=0)
    bounded = scan.ContentBytes(body, 0, len(body), line_bound=longest)
    for limit in (10, 76, 998):
        assert bounded.long_lines(limit) == scan.long_lines(
            body, 0, len(body), limit, cr_ends_line=False
        )


def test_positions_far_into_a_large_message_are_counted_from_the_marks() -> None:
    blob = base64.encodebytes(bytes(range(256)) * 6000).replace(b"\n", b"\r\n")
    text = b"line\r\n" * 2000 + b"bare\rcr\r\n"
    raw = (
        b"From: a@example.com\r\nMIME-Version: 1.0\r\n"
        b'Content-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\n'
        b"Content-Type: application/pdf\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        + blob
        + b"--b\r\nContent-Type: text/plain\r\n\r\n"
        + text
        + b"--b--\r\n"
    )
    assert len(raw) > 2 << 20
    message = parse(raw)
    for offset in (len(raw) - 3, len(raw) // 2, (1 << 20) + 5, len(raw)):
        line = raw.count(b"\n", 0, offset) + 1
        assert message.position(offset) == (line, offset - raw.rfind(b"\n", 0, offset))
    assert message.lines.marked  # the far lookups went through the marks
    assert message.whole_scan.first_bare_cr == raw.index(b"bare\r") + 4


@settings(max_examples=examples(200), deadline=None)
@given(
    st.integers(0, 3 * 65536 + 10) | st.sampled_from([65535, 65536, 65537, 131071, 131072]),
    st.sampled_from([0, 1, 5]),
    st.integers(0, 40),
)
def test_first_high_byte_across_windows(edge: int, margin: int, trim: int) -> None:
    # A large span is read a window at a time (windows start at the span's
    # start): the first 8-bit byte is found wherever it stands, also on
    # either side of a window's edge.
    at = edge + margin
    data = bytearray(b"a" * (3 * 65536 + 20))
    if at < len(data):
        data[at] = 0xE9
    found = scan.ContentBytes(bytes(data), margin, len(data) - trim)
    inside = margin <= at < len(data) - trim
    assert found.ascii == (not inside)
    assert found.first_eight_bit == (at if inside else -1)


@pytest.mark.parametrize("at", [0, 65_536 - 40, 65_536 - 76, 65_536, 131_072 - 1, 199_000])
def test_a_long_quoted_printable_line_is_found_anywhere_in_a_large_body(at: int) -> None:
    short = b"x" * 70 + b"\r\n"
    body = bytearray(short * (200_000 // len(short)))
    long_line = b"y" * 77
    start = body.rfind(b"\n", 0, at) + 1  # a line of its own, starting near `at`
    body[start:start] = long_line + b"\r\n"
    raw = bytes(body)
    found = scan.scan_quoted_printable(raw, 0, len(raw))
    assert found.long is not None
    assert (found.long.count, found.long.longest) == (1, 77)
    assert found.long.first == start
    clean = scan.scan_quoted_printable(short * 3000, 0, len(short) * 3000)
    assert clean.long is None
