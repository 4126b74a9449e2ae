"""The C-speed fast paths of the body rules agree with the precise scanners.

Each fast path decides "nothing to report" without looking at every line or
escape; if one ever said "clean" where the precise code finds a problem, a
finding would silently disappear. These properties run both on generated
bodies built from the characters that matter (line breaks, "=", hex digits,
white space, NUL, 8-bit bytes).
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from mimelint.rules import eightbit, encodings

from mimelint.parse import parse

# Short alphabets make the interesting neighbours (=, CR, LF, hex) common.
_QP_CHARS = st.sampled_from(
    [b"=", b"A", b"F", b"0", b"9", b"a", b"f", b"G", b" ", b"\t", b"\r", b"\n", b"x", b"\0"]
)
_LINE_CHARS = st.sampled_from([b"a", b"\r", b"\n", b"\r\n", b"a" * 40, b"a" * 77, b"a" * 500])


def _body(chunks: list[bytes]) -> bytes:
    return b"".join(chunks)


def _naive_long_lines(body: bytes, limit: int) -> tuple[int, int] | None:
    lengths = [len(line) for line in body.splitlines()]
    longs = [n for n in lengths if n > limit]
    return (len(longs), max(longs)) if longs else None


def _all_patterns_trailing_space(body: bytes) -> tuple[int, int]:
    """Trailing white space with all four patterns searched (no tab shortcut).

    (offset of the first space run at a line end, lines ending in white space).
    """
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


@settings(max_examples=400, deadline=None)
@given(st.lists(_QP_CHARS | st.sampled_from([b"q" * 38, b"q" * 77]), max_size=40))
def test_quoted_printable_scan_agrees_with_a_naive_one(chunks: list[bytes]) -> None:
    body = _body(chunks)
    raw = (
        b"From: a@example.com\r\nMIME-Version: 1.0\r\n"
        b"Content-Type: text/plain; charset=utf-8\r\n"
        b"Content-Transfer-Encoding: quoted-printable\r\n\r\n" + body
    )
    message = parse(raw)
    part = message.parts()[0]
    if part.body_end == part.body_start:
        return
    scan = encodings.scan_quoted_printable(part)
    odd = encodings._QP_ODD.search(raw, part.body_start, part.body_end)
    assert scan.odd_at == (odd.start() if odd else -1)
    first, count = _all_patterns_trailing_space(raw[part.body_start : part.body_end])
    assert scan.space_count == count
    if count:
        assert scan.space_start == part.body_start + first
    naive = _naive_long_lines(raw[part.body_start : part.body_end], encodings.MAX_ENCODED_LINE)
    assert (None if scan.long is None else (scan.long.count, scan.long.longest)) == naive
    assert scan.long == encodings.long_lines(raw, part.body_start, part.body_end)


@settings(max_examples=400, deadline=None)
@given(st.lists(_LINE_CHARS, max_size=30), st.sampled_from([b"", b"\n", b"x", b"\r"]))
def test_long_lines_agrees_with_a_naive_split(chunks: list[bytes], before: bytes) -> None:
    body = _body(chunks)
    data = before + body
    found = encodings.long_lines(data, len(before), len(data))
    naive = _naive_long_lines(body, encodings.MAX_ENCODED_LINE)
    assert (None if found is None else (found.count, found.longest)) == naive
    if found is not None:
        # The first long line starts after a line break (or the buffer's start).
        at = found.first
        assert at == 0 or data[at - 1] in b"\r\n" or at == len(before)


@settings(max_examples=300, deadline=None)
@given(
    st.integers(1, 90), st.integers(0, 40), st.sampled_from([b"\n", b"\r\n"]), st.integers(0, 90)
)
def test_uniform_width_is_a_proof(width: int, lines: int, eol: bytes, last: int) -> None:
    body = eol.join([b"Q" * width] * lines + [b"Q" * last])
    proved = encodings.uniform_width(body, 0, len(body))
    if proved is not None:
        assert max(len(line) for line in body.splitlines() or [b""]) <= proved
        assert max(len(line.rstrip(b"\r")) for line in body.split(b"\n")) <= proved


@settings(max_examples=300, deadline=None)
@given(st.lists(_LINE_CHARS, max_size=30), st.sampled_from([76, 998]))
def test_uniform_width_survives_a_stray_break(chunks: list[bytes], limit: int) -> None:
    # Uniform base64 with one line changed: the proof must fail or still hold.
    body = b"\r\n".join([b"Q" * 76] * 20)
    mutated = body[:300] + _body(chunks) + body[300:]
    proved = encodings.uniform_width(mutated, 0, len(mutated))
    if proved is not None:
        assert max(len(line.rstrip(b"\r")) for line in mutated.split(b"\n")) <= proved


@settings(max_examples=300, deadline=None)
@given(st.lists(_LINE_CHARS, max_size=40), st.sampled_from([76, 100, 998]))
def test_long_body_line_prefilter_never_hides_a_line(chunks: list[bytes], limit: int) -> None:
    data = b"\r\n" + _body(chunks)
    precise = next(eightbit._long_lines(data, 0, len(data), limit), None)
    if precise is not None:
        assert eightbit._may_have_long_line(data, 0, len(data), limit)


@settings(max_examples=400, deadline=None)
@given(
    st.integers(1, 12),
    st.integers(0, 8),
    st.sampled_from([b"\r\n", b"\n", b"\r"]),
    st.lists(
        st.tuples(st.integers(0, 200), st.sampled_from([b"\r", b"\n", b"\r\n", b"A"])), max_size=3
    ),
    st.sampled_from([b"", b"QU", b"QUJD", b"\r", b"\r\n"]),
)
def test_base64_crlf_count_agrees_with_a_plain_count(
    width: int, lines: int, eol: bytes, edits: list[tuple[int, bytes]], last: bytes
) -> None:
    body = bytearray((b"Q" * width + eol) * lines + last)
    for at, piece in edits:
        body[at:at] = piece
    data = b"xx" + bytes(body) + b"yy"
    start, end = 2, 2 + len(body)
    cr = bytes(body).count(b"\r")
    assert encodings._crlf_count(data, start, end, bytes(body), cr) == bytes(body).count(b"\r\n")
