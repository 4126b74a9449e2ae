"""Invariants of design.md, property-tested: lossless, total, positioned."""

from __future__ import annotations

import gc
from collections.abc import Callable
from functools import partial

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import mimelint
from mimelint.mime.parse import parse
from mimelint.mime.position import LineIndex
from tests.profiles import examples
from tests.strategies import messages
from tests.util import FIXTURES

SETTINGS = settings(
    max_examples=examples(300), deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


def _naive_position(data: bytes, offset: int) -> tuple[int, int]:
    """(line, column) counted the slow, obvious way."""
    line_start = data.rfind(b"\n", 0, offset) + 1
    column = len(data[line_start:offset].decode("utf-8", "replace")) + 1
    return data.count(b"\n", 0, offset) + 1, column


@SETTINGS
@given(st.binary(max_size=2000))
def test_lossless_and_total_on_any_bytes(data: bytes) -> None:
    assert parse(data).to_bytes() == data


@SETTINGS
@given(messages())
def test_lossless_on_generated_mime(data: bytes) -> None:
    message = parse(data)
    assert message.to_bytes() == data
    for part in message.parts():
        assert 0 <= part.start <= part.body_start <= part.body_end <= part.end <= len(data)


@settings(max_examples=examples(150), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(messages(), st.binary(max_size=600)))
def test_lint_is_total_and_every_finding_points_inside_the_input(data: bytes) -> None:
    report = mimelint.lint(data)
    assert not report.internal_errors, [f.message for f in report.internal_errors]
    for f in report.findings:
        assert 0 <= f.start <= f.end <= len(data)
        assert (f.line, f.column) <= (f.end_line, f.end_column)
        assert (f.line, f.column) == _naive_position(data, f.start)
        assert (f.end_line, f.end_column) == _naive_position(data, f.end)
        assert f.message and f.code and f.name
        f.message.encode("utf-8")  # printable anywhere: no lone surrogates


@SETTINGS
@given(st.binary(max_size=300), st.data())
def test_positions_agree_with_a_naive_count(data: bytes, pick: st.DataObject) -> None:
    offset = pick.draw(st.integers(0, len(data)))
    assert LineIndex(data).position(offset) == _naive_position(data, offset)


@SETTINGS
@given(st.binary(max_size=300), st.data())
def test_many_lookups_on_one_index_agree_with_a_naive_count(
    data: bytes, pick: st.DataObject
) -> None:
    # Enough lookups, in any order, to pass from counting to the full index.
    index = LineIndex(data)
    offsets = pick.draw(st.lists(st.integers(-5, len(data) + 5), min_size=20, max_size=60))
    for offset in offsets:
        clamped = max(0, min(offset, len(data)))
        assert index.position(offset) == _naive_position(data, clamped)


_LONG_LINES = st.lists(
    st.lists(
        st.sampled_from([b"a" * 90, b"=?utf-8?q?a?=", b"\xc3\xa9", b"\xe9", b"\xe2\x9c", b"\r"]),
        min_size=4,
        max_size=30,
    ).map(b"".join),
    min_size=1,
    max_size=4,
).map(b"\n".join)


@SETTINGS
@given(_LONG_LINES, st.data())
def test_positions_far_into_long_lines_agree_with_a_naive_count(
    data: bytes, pick: st.DataObject
) -> None:
    # Past 256 bytes into a line, a column is counted from where the line's
    # ASCII prefix ends, found once per line: many findings on a long line.
    index = LineIndex(data)
    offsets = pick.draw(st.lists(st.integers(0, len(data)), min_size=1, max_size=40))
    for offset in [*offsets, len(data)]:
        assert index.position(offset) == _naive_position(data, offset)


@SETTINGS
@given(st.binary(max_size=300), st.data())
def test_lookups_from_marks_agree_with_a_naive_count(data: bytes, pick: st.DataObject) -> None:
    # Marks (offsets whose line another reading counted) are counted from
    # forward or backward, whichever is nearer.
    index = LineIndex(data)
    marks = sorted(set(pick.draw(st.lists(st.integers(0, len(data)), max_size=6))))
    index.mark(tuple(marks), tuple(data.count(b"\n", 0, at) + 1 for at in marks))
    for offset in pick.draw(st.lists(st.integers(0, len(data)), min_size=1, max_size=30)):
        assert index.position(offset) == _naive_position(data, offset)


# Real messages, damaged the way real mail is: the fixtures with MIME
# syntax fragments, 8-bit bytes and pieces of other messages spliced in or
# cut out. Random bytes and generated trees rarely build an encoded-word
# inside a file name or a charset with a stray byte; mutated fixtures do
# (this is how the stdlib's HeaderParseError in Part.filename was found).
_SEEDS = sorted((FIXTURES / "rules").rglob("*.eml")) + sorted((FIXTURES / "fixes").glob("*.eml"))
_FRAGMENTS = [
    b"\r\n",
    b"\n",
    b"\r",
    b"\x00",
    b"\xff",
    b"\xc3\xa9",
    b"=",
    b"=0",
    b"=?",
    b"?=",
    b"=?utf-8?b?",
    b"=?utf-8?q?",
    b"=?x\xe9?q?",
    b"--",
    b";",
    b'"',
    b"(",
    b")",
    b"<",
    b">",
    b"@",
    b":",
    b" ",
    b"\t",
    b"*0*=",
    b"utf-8''%",
    b"xn--",
    b"boundary=",
    b"Content-Transfer-Encoding: base64\r\n",
    b"Content-Type: multipart/mixed; boundary=x\r\n",
    b"\r\n--x\r\n",
    b"\r\n--x--\r\n",
    b"message/rfc822",
    b"name=",
    b"filename*=",
]


@st.composite
def _damaged(draw: st.DrawFn) -> bytes:
    data = bytearray(draw(st.sampled_from(_SEEDS)).read_bytes())
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(data)))
        how = draw(st.integers(0, 2))
        if how == 0:
            data[at:at] = draw(st.sampled_from(_FRAGMENTS))
        elif how == 1:
            del data[at : at + draw(st.integers(1, 40))]
        else:
            data[at:at] = draw(st.binary(min_size=1, max_size=6))
    return bytes(data)


@settings(max_examples=examples(200), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_damaged())
def test_lint_and_fix_are_total_on_damaged_real_messages(data: bytes) -> None:
    assert parse(data).to_bytes() == data
    report = mimelint.lint(data)
    assert not report.internal_errors, [f.message for f in report.internal_errors]
    for f in report.findings:
        f.message.encode("utf-8")  # the CLI writes every message as UTF-8
    for unsafe in (False, True):
        result = mimelint.fix(data, unsafe=unsafe)  # must not raise
        assert not [f for f in result.remaining if f.code == "M000"]
        if result.refused is not None:
            assert result.data == data


def _cyclic_garbage_after(work: Callable[[], object]) -> int:
    """Objects only the cycle collector could free after ``work`` returns.

    ``work`` runs once first: a first use may import a module or compile a
    pattern, once per process, and that leaves cycles of its own.
    """
    work()
    gc.collect(0)
    was_enabled = gc.isenabled()
    gc.disable()  # so that everything ``work`` leaves stays in generation 0
    try:
        work()
        return gc.collect(0)
    finally:
        if was_enabled:
            gc.enable()


def test_a_lint_leaves_nothing_for_the_cycle_collector() -> None:
    # Every rule's per-message cache included: a cache on the message that
    # holds the message (or a part holding its parent) would keep each tree
    # alive until the collector ran, and the collector's passes cost a fifth
    # of a small message's lint.
    samples = sorted(FIXTURES.rglob("*.eml"))
    assert len(samples) > 100
    for path in samples:
        data = path.read_bytes()
        assert _cyclic_garbage_after(partial(mimelint.lint, data, profile="rfc")) == 0, path
        assert _cyclic_garbage_after(partial(mimelint.lint, data)) == 0, path


@settings(max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(messages())
def test_a_lint_of_generated_mime_leaves_no_cycles(data: bytes) -> None:
    assert _cyclic_garbage_after(lambda: mimelint.lint(data)) == 0


def test_a_lint_keeps_no_reference_to_its_input() -> None:
    # Module-level caches must not outlive the call: one holding the last
    # message's headers kept its whole buffer (10 MB for a large message)
    # alive until the next lint.
    import sys

    for path in sorted(FIXTURES.rglob("*.eml")):
        mimelint.lint(path.read_bytes())  # first use: imports, compiled patterns
        data = path.read_bytes()
        before = sys.getrefcount(data)
        report = mimelint.lint(data)
        assert report.message.data is data
        del report
        assert sys.getrefcount(data) == before, path


_MIXED_BYTES = st.lists(
    st.sampled_from([b"ab", b" ", b"\xc3\xa9", b"\xe9", b"\xe2\x9c", b"\xf0\x9f", b"\r", b"\n"]),
    max_size=80,
).map(b"".join)


@SETTINGS
@given(st.one_of(_MIXED_BYTES, st.binary(max_size=300)), st.data())
def test_span_positions_agree_with_a_naive_count(data: bytes, pick: st.DataObject) -> None:
    # A short ASCII span is positioned from its start (one lookup per
    # finding): after an incomplete UTF-8 sequence too, where the columns of
    # the two ends are each counted over the line's bytes before them.
    message = parse(data)
    start = pick.draw(st.integers(0, len(data)))
    end = pick.draw(st.integers(start, len(data)))
    assert message.span_position(start, end) == (
        *_naive_position(data, start),
        *_naive_position(data, end),
    )
