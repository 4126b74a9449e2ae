"""The encoding primitives decode back to exactly what they were given."""

from __future__ import annotations

import binascii
import email
import re
from email import policy
from email.header import decode_header, make_header

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from mimelint.mime import writers
from mimelint.mime.params import parse_structured
from mimelint.mime.parse import parse
from mimelint.mime.writers import (
    NoFreeBoundary,
    encode_body,
    encode_param,
    encode_phrase,
    encode_unstructured,
    fold_field,
    free_prefix,
    fresh_boundary,
    line_separator,
    wrap_base64,
)
from tests.profiles import examples
from tests.util import msg

_UNFOLD = re.compile(rb"\r?\n(?=[ \t])")
# Text a person might put in a header: letters of many scripts, emoji,
# combining marks, spaces and tabs, ASCII punctuation (no line breaks or
# other control characters, which no header can carry).
header_text = st.lists(
    st.characters(
        blacklist_categories=("Cs", "Cc"),
        blacklist_characters="\u2028\u2029\x85",
    )
    | st.sampled_from(
        [" ", "  ", "\t", "\u00e9", "\u65e5\u672c", "\U0001f600", "e\u0301", "=?", "?=", "_"]
    ),
    max_size=60,
).map("".join)


def _value(field: bytes) -> str:
    """The unfolded value of an encoded field, as a reader sees it."""
    body = field.rstrip(b"\r\n")
    _, _, value = _UNFOLD.sub(b"", body).partition(b":")
    return value.strip(b" \t").decode("ascii")


def _decode(value: str) -> str:
    return str(make_header(decode_header(value)))


# --------------------------------------------------------------- lines
def test_line_separator_crlf_lf_and_unknown() -> None:
    assert line_separator(parse(b"Subject: a\r\n\r\nbody\n")) == b"\r\n"
    assert line_separator(parse(b"Subject: a\nFrom: b\n\nbody\r\n")) == b"\n"
    assert line_separator(parse(b"Subject: a")) == b"\r\n"


# ---------------------------------------------------- encode_unstructured
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("plain ascii", b"Subject: plain ascii\r\n"),
        (
            "Gr\u00fc\u00dfe aus K\u00f6ln",
            b"Subject: =?utf-8?b?R3LDvMOfZQ==?= aus =?utf-8?b?S8O2bG4=?=\r\n",
        ),
        ("internationalis\u00e9 bar", b"Subject: =?utf-8?q?internationalis=C3=A9?= bar\r\n"),
        ("  lead", b"Subject: =?utf-8?q?__lead?=\r\n"),
        ("", b"Subject:\r\n"),
    ],
)
def test_encode_unstructured_examples(text: str, expected: bytes) -> None:
    assert encode_unstructured("Subject", text) == expected


def test_encode_unstructured_spaces_between_encoded_words_are_encoded() -> None:
    field = encode_unstructured("Subject", "\u00e9  \u00e9")
    assert field == b"Subject: =?utf-8?b?w6kgIMOp?=\r\n"


def test_encode_unstructured_reads_the_text_a_bounded_number_of_times(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Each encoded-word once measured the whole rest of the text to see if it
    # all fit: quadratic in a long subject (SpamScope mail-parser's
    # mail_test_9 has a gb2312 subject of one 78-character line; a thousand
    # such words took 120 ms to refold for M324, 4,000 took 1.3 s). Counted,
    # not timed: the bytes measured grow as the text does.
    seen = 0
    measure = writers._q_length

    def counting(chunk: bytes) -> int:
        nonlocal seen
        seen += len(chunk)
        return measure(chunk)

    monkeypatch.setattr(writers, "_q_length", counting)
    counts = []
    for repeat in (2_500, 5_000):
        seen = 0
        text = "\u6211\u628a\u955c\u5934" * repeat
        assert _decode(_value(encode_unstructured("Subject", text))) == text
        counts.append(seen)
    assert counts[1] < 2.2 * counts[0]


def test_encode_unstructured_uses_linesep_and_folds() -> None:
    field = encode_unstructured("Subject", "\u65e5\u672c\u8a9e" * 30, linesep=b"\n")
    lines = field.split(b"\n")
    assert lines[-1] == b"" and b"\r" not in field
    assert len(lines) > 2
    assert all(len(line) <= 76 for line in lines)  # RFC 2047 §2: lines with encoded-words
    assert all(line.startswith(b" =?utf-8?") for line in lines[1:-1])


@settings(max_examples=examples(150), deadline=None)
@given(header_text)
def test_encode_unstructured_round_trips(text: str) -> None:
    field = encode_unstructured("Subject", text)
    assert field.isascii()
    assert field.endswith(b"\r\n")
    assert b"\n" not in field.replace(b"\r\n", b"")
    value = _value(field)
    assert _decode(value) == text
    for word in re.findall(r"=\?[^?\s]+\?[bBqQ]\?[^?\s]*\?=", value):
        assert len(word) <= 75
    # Lines stay short unless one ASCII word is itself too long.
    longest_word = max((len(w) for w in text.split()), default=0)
    if longest_word < 60:
        # RFC 2047 §2: a line holding encoded-words is at most 76 characters.
        assert all(len(line) <= 76 for line in field.split(b"\r\n"))


@settings(max_examples=examples(150), deadline=None)
@given(header_text)
def test_encode_unstructured_read_by_stdlib_default_policy(text: str) -> None:
    raw = encode_unstructured("Subject", text) + b"\r\nbody\r\n"
    parsed = email.message_from_bytes(raw, policy=policy.default)
    header = parsed["subject"]
    assert not header.defects
    # The modern parser folds runs of white space in its own way; compare
    # words, which RFC 5322 unstructured text is made of.
    assert str(header).split() == text.split()


# ---------------------------------------------------------- encode_phrase
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("John Smith", "John Smith"),
        ("Smith, John", '"Smith, John"'),
        ('say "hi"', '"say \\"hi\\""'),
        ("J\u00f6rg (IT) Smith", "=?utf-8?b?SsO2cmcgKElUKQ==?= Smith"),
        ("", '""'),
    ],
)
def test_encode_phrase_examples(text: str, expected: str) -> None:
    assert encode_phrase(text) == expected


@settings(max_examples=examples(200), deadline=None)
@given(header_text, st.integers(0, 60), st.integers(1, 75))
def test_encoded_word_takes_the_longest_run_that_fits(text: str, pos: int, limit: int) -> None:
    # _take's definition: from pos, the longest run of characters whose
    # encoding (the shorter of Q and B) fits the limit, and at least one
    # character; its binary search must give what a walk would. Limits of
    # the overhead alone or less are in: a limit of exactly the overhead
    # took nothing, and the words' loop would never end.
    pos = min(pos, max(len(text) - 1, 0))
    if not text:
        return
    budget = limit - writers._OVERHEAD
    end = writers._take(text, pos, limit)
    assert pos < end <= len(text)
    assert end == pos + 1 or writers._cost(text[pos:end]) <= budget
    assert end == len(text) or writers._cost(text[pos : end + 1]) > budget


def test_a_limit_with_room_for_the_overhead_only_still_takes_a_character() -> None:
    assert writers._take("abc", 0, writers._OVERHEAD) == 1
    assert list(writers._encoded_words("ab", writers._OVERHEAD)) == [
        "=?utf-8?q?a?=",
        "=?utf-8?q?b?=",
    ]


def test_long_runs_of_non_ascii_words_are_encoded_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    # 2,000 words that cannot stand as written form one run; the run is
    # joined once and cut into encoded-words (this was quadratic in the run:
    # bench/scaling.py --only raw-words-written has the shape). Counted, not
    # timed: the characters that concatenation copies, which the run's
    # growing text made N^2/2 when each word was added to it.
    copied = 0

    class Piece(str):
        def __add__(self, other: str) -> str:
            nonlocal copied
            copied += len(self) + len(other)
            return str(self) + str(other)

        def __radd__(self, other: str) -> str:
            nonlocal copied
            copied += len(other) + len(self)
            return str(other) + str(self)

    split = writers._WSP_SPLIT.split

    class Splitter:
        @staticmethod
        def split(text: str) -> list[str]:
            return [Piece(p) for p in split(text)]

    monkeypatch.setattr(writers, "_WSP_SPLIT", Splitter)
    text = " ".join(["Gr\u00fc\u00dfe"] * 2000)
    field = encode_unstructured("Subject", text)
    assert field.isascii()
    assert _decode(_value(field)) == text
    assert copied <= 2 * len(text)


@settings(max_examples=examples(200), deadline=None)
@given(header_text)
def test_encode_phrase_round_trips(text: str) -> None:
    phrase = encode_phrase(text)
    assert phrase.isascii()
    if phrase.startswith('"'):
        assert phrase[1:-1].replace('\\"', "").replace("\\\\", "").count('"') == 0
    elif "=?" in phrase:
        assert _decode(phrase) == text


@settings(max_examples=examples(60), deadline=None)
@given(header_text.filter(lambda t: t.strip() == t and "  " not in t and "\t" not in t))
def test_encode_phrase_read_by_stdlib_address_parser(text: str) -> None:
    phrase = encode_phrase(text)
    raw = f"From: {phrase} <a@example.com>\r\n\r\n".encode("ascii")
    parsed = email.message_from_bytes(raw, policy=policy.default)
    (address,) = parsed["from"].addresses
    assert address.addr_spec == "a@example.com"
    if phrase.count("=?") <= 1:
        assert address.display_name == text
    else:
        # Python 3.11's address parser keeps the space between adjacent
        # encoded-words, which RFC 2047 section 6.2 says to drop.
        assert "".join(address.display_name.split()) == "".join(text.split())


# ----------------------------------------------------------- encode_param
def _param_value(param: str) -> str | None:
    sv = parse_structured(f"attachment; {param}".encode("ascii"), 0)
    return sv.get("filename")


def test_encode_param_short_ascii_is_quoted() -> None:
    assert encode_param("filename", "report.pdf") == 'filename="report.pdf"'
    assert encode_param("filename", 'a "b"') == 'filename="a \\"b\\""'


def test_encode_param_non_ascii_uses_rfc2231() -> None:
    assert encode_param("filename", "\u20ac.txt") == "filename*=utf-8''%E2%82%AC.txt"


def test_encode_param_long_values_use_continuations() -> None:
    value = "\u00dcberweisung M\u00e4rz 2024 \u2013 final version with a long name.pdf"
    param = encode_param("filename", value)
    assert param.startswith("filename*0*=utf-8''")
    assert "; filename*1*=" in param
    assert all(len(s) <= 72 for s in param.split("; "))
    assert _param_value(param) == value
    long_ascii = encode_param("filename", "a" * 100 + ".pdf")
    assert long_ascii.startswith('filename*0="')
    assert _param_value(long_ascii) == "a" * 100 + ".pdf"


@settings(max_examples=examples(200), deadline=None)
@given(st.text(max_size=150))
def test_encode_param_round_trips(value: str) -> None:
    param = encode_param("filename", value)
    assert param.isascii()
    assert _param_value(param) == value
    # The standard library reads it the same way (when it is valid UTF-8).
    if (
        value.isprintable()
        and value.strip() == value
        and not any("\ud800" <= c <= "\udfff" for c in value)
    ):
        raw = f"Content-Disposition: attachment; {param}\r\n\r\n".encode("ascii")
        parsed = email.message_from_bytes(raw, policy=policy.default)
        assert parsed.get_filename() == value


# -------------------------------------------------------------- fold_field
def test_fold_field_folds_before_white_space_and_keeps_value() -> None:
    raw = b"Subject: " + b"word " * 30 + b"end\r\n"
    folded = fold_field(raw)
    assert folded != raw
    assert all(len(line) <= 78 for line in folded.split(b"\r\n"))
    assert _UNFOLD.sub(b"", folded) == raw


def test_fold_field_without_fold_point_is_unchanged() -> None:
    raw = b"Subject: " + b"x" * 200 + b"\r\n"
    assert fold_field(raw) is raw
    short = b"Subject: hi\r\n"
    assert fold_field(short) is short


def test_fold_field_never_folds_before_the_first_word() -> None:
    raw = b"Subject:" + b" " * 5 + b"y" * 100 + b" z\r\n"
    folded = fold_field(raw)
    assert folded.startswith(b"Subject:     " + b"y" * 100 + b"\r\n z")


@settings(max_examples=examples(200), deadline=None)
@given(
    st.lists(st.text(alphabet="abc \t", min_size=1, max_size=30), max_size=12),
    st.integers(min_value=20, max_value=100),
    st.sampled_from([b"\r\n", b"\n"]),
)
def test_fold_field_preserves_unfolded_value(words: list[str], width: int, sep: bytes) -> None:
    raw = ("X-Test: " + " ".join(words)).encode("ascii") + sep
    folded = fold_field(raw, sep, width)
    assert _UNFOLD.sub(b"", folded) == raw
    assert folded.endswith(sep)
    for line in folded.split(sep)[1:-1]:
        assert line[:1] in (b" ", b"\t") and line.strip(b" \t")


def _fold_points(line: bytes, floor: int) -> list[int]:
    """Where RFC 5322 §2.2.3 lets a fold go, by definition: the start of a run
    of blanks that more text follows on the line (not before ``floor``)."""
    points = []
    for p in range(max(1, floor), len(line)):
        if line[p] in b" \t" and line[p - 1] not in b" \t":
            q = p
            while q < len(line) and line[q] in b" \t":
                q += 1
            if q < len(line) and line[q] not in b"\r\n":
                points.append(p)
    return points


@settings(max_examples=examples(300), deadline=None)
@given(
    st.lists(
        st.sampled_from(["a", "bcd", "x" * 25, " ", "  ", "\t", "\r", " \t ", " " * 70]),
        max_size=40,
    ),
    st.integers(min_value=12, max_value=100),
)
def test_fold_field_cuts_at_the_last_fold_point_that_fits(pieces: list[str], width: int) -> None:
    # Each line ends at the last fold point within the width, else at the
    # first one after it; no line is cut where no fold point is. Runs of
    # blanks longer than the width, and than the 64 bytes the backward
    # search reads first, are among the pieces.
    raw = ("X-Test: v" + "".join(pieces)).encode("ascii")
    folded = fold_field(raw + b"\r\n", b"\r\n", width)
    lines = folded[:-2].split(b"\r\n")
    assert b"".join(lines) == raw
    points = _fold_points(raw, len(b"X-Test: v"))
    start = 0
    for line in lines[:-1]:
        cut = start + len(line)
        assert cut in points
        fits = [p for p in points if start < p <= start + width]
        assert cut == (fits[-1] if fits else min(p for p in points if p > start))
        start = cut
    rest = [p for p in points if p > start]
    assert len(raw) - start <= width or not rest


# -------------------------------------------------------------- encode_body
def test_encode_body_mostly_ascii_text_is_qp_with_real_line_breaks() -> None:
    payload = b"Hello there,\r\nthe caf\xc3\xa9 opens at nine.\r\nBye\r\n"
    cte, body = encode_body(payload, is_text=True)
    assert cte == "quoted-printable"
    assert body == b"Hello there,\r\nthe caf=C3=A9 opens at nine.\r\nBye\r\n"


def test_encode_body_mostly_non_ascii_is_base64() -> None:
    payload = "\u65e5\u672c\u8a9e\u306e\u30c6\u30ad\u30b9\u30c8\n".encode() * 20
    cte, body = encode_body(payload, is_text=True, linesep=b"\n")
    assert cte == "base64"
    assert all(len(line) <= 76 for line in body.split(b"\n"))
    assert binascii.a2b_base64(body) == payload


def test_encode_body_text_with_stray_line_endings_escapes_them() -> None:
    cte, body = encode_body(b"a\nb\r\nc\rd", is_text=True)
    assert cte == "quoted-printable"
    assert body == b"a=0Ab\r\nc=0Dd"


def test_encode_body_non_text_is_base64_even_when_ascii() -> None:
    cte, body = encode_body(b"{}\r\n" * 40, is_text=False)
    assert cte == "base64"
    assert binascii.a2b_base64(body) == b"{}\r\n" * 40


def test_wrap_base64() -> None:
    assert wrap_base64(b"", b"\r\n") == b""
    out = wrap_base64(bytes(range(256)), b"\n")
    lines = out.split(b"\n")
    assert [len(x) for x in lines] == [76, 76, 76, 76, 40, 0]


@settings(max_examples=examples(150), deadline=None)
@given(
    st.binary(max_size=400)
    | st.text(max_size=300).map(lambda t: t.encode("utf-8"))
    | st.lists(
        st.sampled_from([b"abc ", b"\t", b"\r\n", b"\n", b"\r", b"=", b".", b"\xc3\xa9", b"x" * 80])
    ).map(b"".join),
    st.booleans(),
    st.sampled_from([b"\r\n", b"\n"]),
)
# binascii.b2a_qp writes 77 characters for a 74-character line ending in
# white space; the writer must break it (RFC 2045 §6.7 rule 5).
@example(b"x" * 74 + b" \r\nTod", True, b"\r\n")
@example(b"x" * 74 + b"\t\nT", True, b"\n")
@example(b"x" * 74 + b" ", True, b"\r\n")
@example(b"x" * 73 + b"\r \r\n", True, b"\r\n")
def test_encode_body_round_trips(payload: bytes, is_text: bool, sep: bytes) -> None:
    cte, body = encode_body(payload, is_text=is_text, linesep=sep)
    assert body.isascii()
    decoded = binascii.a2b_qp(body) if cte == "quoted-printable" else binascii.a2b_base64(body)
    assert decoded == payload
    lines = body.split(sep)
    assert all(len(line) <= 76 for line in lines)
    if sep == b"\n":
        assert b"\r" not in body
    else:
        assert body.count(b"\n") == body.count(b"\r\n") == body.count(b"\r")
    if not is_text:
        assert cte == "base64"


# ---------------------------------------------------------- fresh_boundary
_BCHARS = re.compile(r"[0-9A-Za-z'()+_,\-./:=? ]{0,69}[0-9A-Za-z'()+_,\-./:=?]\Z")


def test_fresh_boundary_is_deterministic_valid_and_absent() -> None:
    raw = msg('Content-Type: multipart/mixed; boundary="=_ml_"\n\n--=_ml_\n\nx\n--=_ml_--\n')
    message = parse(raw)
    b1 = fresh_boundary(message)
    assert b1 == fresh_boundary(parse(raw))
    assert _BCHARS.match(b1)
    assert b1.encode() not in raw
    assert fresh_boundary(message, seed=1) != b1
    b2 = fresh_boundary(message, avoid=[b1])
    assert b2 != b1 and not b2.startswith(b1) and not b1.startswith(b2)


def test_fresh_boundary_skips_prefixes_of_declared_boundaries() -> None:
    base = msg("Subject: x\n\nbody\n")
    first = fresh_boundary(parse(base))
    # Declare a boundary that extends the first candidate: it must be skipped.
    raw = msg(f'Content-Type: multipart/mixed; boundary="{first}X"\n\nbody\n')
    second = fresh_boundary(parse(raw))
    assert not (first + "X").startswith(second)
    # A declared boundary that is a prefix of every usual candidate.
    hostile = parse(msg('Content-Type: multipart/mixed; boundary="="\n\nbody\n'))
    third = fresh_boundary(hostile)
    assert not third.startswith("=") and _BCHARS.match(third)


# Boundaries chosen to get in the way: every prefix of what fresh_boundary
# writes ("=", "=_", "=_m", ...), one for each hex digit after that prefix,
# single characters, and arbitrary bchars strings.
_B_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'()+_,-./:=?"
_PREFIXES = ["=", "=_", "=_m", "=_ml", "=_ml_", "_", "__", "__ml_", "-", "0", "a"]
adversarial_boundary = (
    st.sampled_from(_PREFIXES)
    | st.sampled_from(list(_B_ALPHABET))
    | st.builds(lambda p, d: p + d, st.sampled_from(_PREFIXES), st.sampled_from("0123456789abcdef"))
    | st.text(alphabet=_B_ALPHABET, min_size=1, max_size=70)
)


def _declaring(boundaries: list[str], body: str) -> bytes:
    """A message whose nested multiparts declare ``boundaries`` (outermost first)."""
    text = "From: ann@example.com\nMIME-Version: 1.0\n"
    closing = ""
    for b in boundaries:
        text += f'Content-Type: multipart/mixed; boundary="{b}"\n\n--{b}\n'
        closing = f"\n--{b}--\n" + closing
    return msg(text + "Content-Type: text/plain\n\n" + body + closing)


def _assert_fresh(new: str, raw: bytes, taken: list[str]) -> None:
    assert _BCHARS.match(new), new
    assert len(new) <= 70 and not new.endswith(" ")
    assert new.encode("ascii") not in raw
    for t in taken:
        assert not t.startswith(new) and not new.startswith(t), (new, t)


@settings(max_examples=examples(300), deadline=None)
@given(
    declared=st.lists(adversarial_boundary, min_size=1, max_size=8),
    avoid=st.lists(adversarial_boundary, max_size=30),
    body=st.text(alphabet=_B_ALPHABET + " \n", max_size=200),
)
def test_fresh_boundary_is_free_of_any_boundaries(
    declared: list[str], avoid: list[str], body: str
) -> None:
    raw = _declaring(declared, body)
    message = parse(raw)
    new = fresh_boundary(message, avoid=avoid)
    _assert_fresh(new, raw, declared + avoid)
    # Its own boundary in the body must not stop the next one being fresh.
    again = _declaring([*declared, new], body + new)
    _assert_fresh(fresh_boundary(parse(again), avoid=avoid), again, [*declared, new, *avoid])


def test_fresh_boundary_with_every_blocking_prefix() -> None:
    # Every prefix of "=_ml_" and each hex digit after it: "=" blocks them all.
    taken = ["=", "=_", "=_ml_"] + [f"=_ml_{d}" for d in "0123456789abcdef"]
    raw = _declaring(taken[:3], "hello")
    new = fresh_boundary(parse(raw), avoid=taken)
    _assert_fresh(new, raw, taken)
    assert new.startswith("__ml_")
    # Every single character but one: the remaining one starts the boundary.
    singles = [c for c in _B_ALPHABET if c != "Q"]
    assert free_prefix(singles).startswith("Q")
    # Every single character, but "=" only extended: the search goes one deeper.
    assert free_prefix([*singles, "Q=", "Q_"]) == "Q0_ml_"


def test_fresh_boundary_says_when_no_boundary_is_free() -> None:
    raw = _declaring(["x"], "hello")
    with pytest.raises(NoFreeBoundary):
        fresh_boundary(parse(raw), avoid=list(_B_ALPHABET))


def test_a_quoted_string_escapes_quotes_and_backslashes() -> None:
    from mimelint.mime.writers import quoted_string

    assert quoted_string('My "big" file\\x.pdf') == '"My \\"big\\" file\\\\x.pdf"'
    assert quoted_string("") == '""'


@given(st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=40))
def test_a_quoted_string_reads_back_as_the_text(text: str) -> None:
    from email.utils import unquote

    from mimelint.mime.writers import quoted_string

    assert unquote(quoted_string(text)) == text
