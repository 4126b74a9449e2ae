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


@settings(max_examples=400, deadline=None)
@given(st.lists(_QP_CHARS, max_size=40), st.integers(0, 3))
def test_qp_escape_counting_agrees_with_the_regex(chunks: list[bytes], lead: int) -> None:
    data = b"=\n"[:lead] + _body(chunks)
    start, end = lead if lead <= len(data) else 0, len(data)
    by_regex = encodings._QP_ODD.search(data, start, end)
    assert encodings._qp_escapes_valid(data, start, end) == (by_regex is None)


@settings(max_examples=300, deadline=None)
@given(st.lists(_QP_CHARS, max_size=40))
def test_qp_odd_at_points_where_the_regex_does(chunks: list[bytes]) -> None:
    data = _body(chunks)
    m = encodings._QP_ODD.search(data, 0, len(data))
    assert encodings.qp_odd_at(data, 0, len(data)) == (m.start() if m else -1)
    big = data * (encodings._QP_COUNT_FROM // max(1, len(data)) + 1)  # the counting path
    m = encodings._QP_ODD.search(big, 0, len(big))
    assert encodings.qp_odd_at(big, 0, len(big)) == (m.start() if m else -1)


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
