"""parse_structured's one-match path for plain parameters hides nothing.

``_SIMPLE_PARAM`` takes ``; name=token`` and ``; name="text"`` in one regex
match; everything else goes through the general tokeniser. With the
shortcut disabled, every value must parse to exactly the same result.
"""

from __future__ import annotations

import pickle
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mimelint.mime import params
from mimelint.mime.params import parse_structured
from tests.profiles import examples

# Pieces that sit on the edges of the shortcut: separators, quotes,
# quoted-pairs, comments, folds, specials, RFC 2231 markers, 8-bit bytes.
PIECES = [
    b"text/plain", b"multipart/mixed", b"attachment", b";", b"; ", b" ;", b";;", b"=", b" = ",
    b'"', b'"a b"', b'"a\\"b"', b"\\", b"(", b")", b"(c)", b"\r\n ", b"\r\n\t", b" ", b"\t",
    b"charset", b"CHARSET", b"utf-8", b"name", b"name*", b"name*0*", b"utf-8''%C3%A9",
    b"boundary", b"----=_Part_1", b"/", b"?", b"@", b",", b"x.pdf", b"My File.pdf", b"\xe9",
    b"\xff", b"a", b"\r", b"\n",
]  # fmt: skip

NEVER = re.compile(r"(?!)")

SEPARATORS = [b";", b"; ", b" ;", b";;", b";\r\n ", b" ", b"", b"(c);"]
NAMES = [b"charset", b"NAME", b"name*", b"filename*0*", b"a b", b"(x)name", b""]
EQUALS = [b"=", b" = ", b"=\r\n ", b""]
VALUES = [
    b"utf-8", b'"a b"', b'"a\\"b"', b'"open', b'""', b"----=_Part_1", b"My File.pdf",
    b"x.pdf (c)", b"utf-8''%C3%A9", b"\xe9", b'"\xe9"', b"", b'"x"y', b"a;b",
]  # fmt: skip
PARAM = st.tuples(*(st.sampled_from(x) for x in (SEPARATORS, NAMES, EQUALS, VALUES)))


def _both(raw: bytes, offset: int) -> tuple[params.StructuredValue, params.StructuredValue]:
    fast = parse_structured(raw, offset)
    shortcut = params._SIMPLE_PARAM
    params._SIMPLE_PARAM = NEVER
    try:
        slow = parse_structured(raw, offset)
    finally:
        params._SIMPLE_PARAM = shortcut
    return fast, slow


@settings(max_examples=examples(1500), deadline=None)
@given(
    st.sampled_from([b"text/plain", b" multipart/mixed", b"(c) attachment", b""]),
    st.lists(st.one_of(PARAM, st.sampled_from(PIECES)), max_size=6),
    st.sampled_from([b"", b" ", b";", b" ;\r\n", b"(c)"]),
    st.integers(0, 10_000),
)
def test_shortcut_agrees_with_the_general_tokeniser(
    main: bytes, items: list[tuple[bytes, ...] | bytes], tail: bytes, offset: int
) -> None:
    raw = main + b"".join(b"".join(i) if isinstance(i, tuple) else i for i in items) + tail
    fast, slow = _both(raw, offset)
    assert fast == slow
    assert [p.value for p in fast.params] == [p.value for p in slow.params]


@pytest.mark.parametrize(
    "raw",
    [
        b' multipart/alternative; boundary="alt-7f3a9c"',
        b" text/plain; charset=utf-8; format=flowed",
        b" attachment;\r\n filename=report.pdf; size=1024",
    ],
)
def test_everyday_values_take_the_shortcut(raw: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    # The general path is never reached for these: its gap pattern is unused.
    monkeypatch.setattr(params, "_GAP", None)
    sv = parse_structured(raw, 0)
    assert sv.params and not sv.defects


@settings(max_examples=examples(500), deadline=None)
@given(st.text(alphabet="aZ*0 9x-", max_size=8))
def test_a_name_without_a_section_marker_is_read_as_the_section_reader_reads_it(
    raw: str,
) -> None:
    # Param.name answers a name without '*' itself; the section pattern
    # must give the same base for it, and still decides every other name.
    param = params.Param(raw, "v", 0, 1, 0, 1, False)
    m = params._section().match(raw)
    assert param.name == (m.group("base") if m else raw).lower()


def test_a_parsed_value_is_an_immutable_structured_value_like_a_constructed_one() -> None:
    sv = parse_structured(b' text/plain; charset="utf-8"', 10)
    assert type(sv) is params.StructuredValue
    with pytest.raises(AttributeError):
        sv.main = "text/html"
    made = params.StructuredValue(sv.main, sv.main_start, sv.main_end, sv.params, sv.defects)
    assert made == sv and hash(made) == hash(sv)
    assert sv.get("CHARSET") == made.get("charset") == "utf-8"
    assert pickle.loads(pickle.dumps(sv)) == sv
