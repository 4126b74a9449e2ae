"""M201-M207: boundaries. A short message in, the exact findings out."""

from __future__ import annotations

import email
import email.policy

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import mimelint
from mimelint.mime.parse import parse
from mimelint.proof import prove, prove_stdlib
from mimelint.rule import Finding, Safety, Severity
from mimelint.testing import apply_fix
from tests.profiles import examples
from tests.util import findings, msg, where

HEAD = (
    "From: Ann <ann@example.com>\nTo: bob@example.com\nSubject: Hi\n"
    "Date: Wed, 25 Nov 2026 10:00:00 +0000\nMessage-ID: <1@example.com>\nMIME-Version: 1.0\n"
)  # 6 lines: the Content-Type below is line 7

PLAIN = "Content-Type: text/plain\n\n"


def mp(boundary_param: str, body: str, subtype: str = "mixed") -> bytes:
    return msg(f"{HEAD}Content-Type: multipart/{subtype}; {boundary_param}\n\n{body}")


def structure(raw: bytes) -> list[tuple[str, str, bytes]]:
    """Every leaf's path, type and decoded content: what a fix must keep."""
    return [(p.path, p.content_type, p.payload) for p in parse(raw).parts() if p.is_leaf]


def all_m2(raw: bytes) -> list[tuple[str, int, int, str]]:
    return [(f.code, f.line, f.column, f.part) for f in mimelint.lint(raw, select=["M2"]).findings]


def fixed_and_clean(raw: bytes, finding: Finding) -> bytes:
    fixed = apply_fix(raw, finding)
    assert structure(fixed) == structure(raw)
    assert all_m2(fixed) == []
    return fixed


# ----------------------------------------------------------------- M201
def test_m201_points_at_the_media_type() -> None:
    raw = msg(HEAD + "Content-Type: multipart/mixed\n\n--b\n" + PLAIN + "hi\n--b--\n")
    assert all_m2(raw) == [("M201", 7, 15, "")]


def test_m201_empty_boundary_points_at_the_parameter() -> None:
    raw = mp('boundary=""', "--\n" + PLAIN + "hi\n")
    assert where(raw, "M201") == [(7, 32, "")]
    assert "empty" in findings(raw, "M201")[0].message


def test_m201_folded_boundary_is_fine() -> None:
    raw = msg(
        HEAD + 'Content-Type: multipart/mixed;\n boundary="b"\n\n--b\n' + PLAIN + "hi\n--b--\n"
    )
    assert all_m2(raw) == []


# ----------------------------------------------------------------- M202
NESTED_REUSE = (
    "--b1\nContent-Type: multipart/alternative; boundary=b1\n\n"
    "--b1\n" + PLAIN + "plain\n--b1\nContent-Type: text/html\n\n<p>html</p>\n--b1--\n"
    "--b1\n" + PLAIN + "last\n--b1--\n"
)


def test_m202_reports_only_the_reuse_not_its_consequences() -> None:
    raw = mp("boundary=b1", NESTED_REUSE)
    assert all_m2(raw) == [("M202", 10, 47, "1")]
    (f,) = findings(raw, "M202")
    assert "'b1'" in f.message


def _shape(raw: bytes) -> list[tuple[str, str, bytes]]:
    return [(p.path, p.content_type, p.payload) for p in parse(raw).parts() if p.is_leaf]


def test_m202_unsafe_fix_takes_the_declared_nesting() -> None:
    raw = mp("boundary=b1", NESTED_REUSE)
    (f,) = findings(raw, "M202")
    assert f.fix is not None and f.fix.safety is Safety.UNSAFE
    # Today every reader splits the outer body at every --b1 line: the
    # nested multipart is empty and "last" is in the epilogue.
    assert [p[:2] for p in _shape(raw)] == [
        ("1", "multipart/alternative"),
        ("2", "text/plain"),
        ("3", "text/html"),
    ]
    fixed = apply_fix(raw, f)
    assert _shape(fixed) == [
        ("1.1", "text/plain", b"plain"),
        ("1.2", "text/html", b"<p>html</p>"),
        ("2", "text/plain", b"last"),
    ]
    assert all_m2(fixed) == []
    # The second reader agrees with the declared reading after the fix.
    stdlib = email.message_from_bytes(fixed, policy=email.policy.default)
    assert [p.get_content_type() for p in stdlib.walk()] == [
        "multipart/mixed",
        "multipart/alternative",
        "text/plain",
        "text/html",
        "text/plain",
    ]
    # Applied only with unsafe fixes, and proven then.
    assert mimelint.fix(raw, seed=0).changed is False
    result = mimelint.fix(raw, seed=0, unsafe=True)
    assert result.refused is None and [p[:2] for p in _shape(result)] == [
        ("1.1", "text/plain"),
        ("1.2", "text/html"),
        ("2", "text/plain"),
    ]


@pytest.mark.parametrize(
    "body",
    [
        # the nested multipart is never closed: no declared reading to take
        "--b1\nContent-Type: multipart/alternative; boundary=b1\n\n"
        "--b1\n" + PLAIN + "plain\n--b1\n" + PLAIN + "more\n",
        # three levels reuse it: which close is whose is a guess
        "--b1\nContent-Type: multipart/alternative; boundary=b1\n\n"
        "--b1\nContent-Type: multipart/related; boundary=b1\n\n"
        "--b1\n" + PLAIN + "x\n--b1--\n--b1--\n--b1--\n",
    ],
)
def test_m202_no_fix_where_the_declared_reading_is_unclear(body: str) -> None:
    found = findings(mp("boundary=b1", body), "M202")
    assert found and all(f.fix is None for f in found)


def test_m202_inside_an_attached_message() -> None:
    body = (
        "--b1\nContent-Type: message/rfc822\n\n"
        'Subject: fwd\nMIME-Version: 1.0\nContent-Type: multipart/alternative; boundary="b1"\n\n'
        "--b1\n" + PLAIN + "inner\n--b1--\n"
        "--b1--\n"
    )
    assert where(mp('boundary="b1"', body), "M202") == [(14, 48, "1")]


# ----------------------------------------------------------------- M203
def test_m203_extension_of_the_outer_boundary_is_renamed() -> None:
    body = (
        '--part\nContent-Type: multipart/alternative; boundary="part-alt"\n\n'
        "--part-alt\n" + PLAIN + "plain\n--part-alt--\n"
        "--part\n" + PLAIN + "last\n--part--\n"
    )
    raw = mp('boundary="part"', body)
    assert all_m2(raw) == [("M203", 10, 48, "1")]
    (f,) = findings(raw, "M203")
    assert "an extension" in f.message
    fixed = fixed_and_clean(raw, f)
    assert b"part-alt" not in fixed and fixed.count(b"=_ml_") == 3


def test_m203_prefix_in_lf_only_message() -> None:
    body = (
        "--outer-1\nContent-Type: multipart/alternative; boundary=outer\n\n"
        "--outer\n" + PLAIN + "plain\n--outer--\n--outer-1--\n"
    )
    raw = mp("boundary=outer-1", body).replace(b"\r\n", b"\n")
    assert where(raw, "M203") == [(10, 47, "1")]
    assert "a prefix" in findings(raw, "M203")[0].message
    fixed = fixed_and_clean(raw, findings(raw, "M203")[0])
    assert b"\r" not in fixed


def test_m203_siblings_may_share_a_prefix() -> None:
    body = (
        "--o\nContent-Type: multipart/alternative; boundary=a\n\n--a\n\nx\n--a--\n"
        "--o\nContent-Type: multipart/alternative; boundary=a-2\n\n--a-2\n\ny\n--a-2--\n--o--\n"
    )
    assert all_m2(mp("boundary=o", body)) == []


# ----------------------------------------------------------------- M204
def test_m204_lookalike_lines_in_content_one_finding_with_count() -> None:
    body = "--b1\n" + PLAIN + "quoted:\n--b1x\n--b1 next part\n--b1--\n"
    raw = mp("boundary=b1", body)
    assert all_m2(raw) == [("M204", 13, 1, "1")]
    (f,) = findings(raw, "M204")
    assert f.end - f.start == len("--b1x") and "2 such lines" in f.message
    fixed = fixed_and_clean(raw, f)
    assert b"\r\n--b1x\r\n--b1 next part\r\n" in fixed


def test_m204_outer_boundary_inside_a_nested_part() -> None:
    body = (
        "--o\nContent-Type: multipart/alternative; boundary=i\n\n"
        "--i\n" + PLAIN + "--o-- is how it ends\n--i--\n--o--\n"
    )
    raw = mp("boundary=o", body)
    assert where(raw, "M204") == [(15, 1, "1.1")]


def test_m204_second_close_delimiter_in_the_outermost_epilogue_is_info() -> None:
    raw = mp("boundary=b", "--b\n" + PLAIN + "hi\n--b--\n--b--\n")
    assert where(raw, "M204") == [(14, 1, "")]
    (f,) = findings(raw, "M204")
    assert f.severity is Severity.INFO and "epilogue" in f.message and f.fix is not None


def test_m204_in_a_nested_epilogue_stays_an_error() -> None:
    body = (
        '--o\nContent-Type: multipart/alternative; boundary="i"\n\n'
        "--i\n" + PLAIN + "x\n--i--\n--i--\n--o--\n"
    )
    (f,) = findings(mp('boundary="o"', body), "M204")
    assert (f.line, f.column, f.part, f.severity) == (17, 1, "1", Severity.ERROR)
    assert "preamble or epilogue" in f.message


def test_m204_leaves_a_header_line_to_the_header_rules() -> None:
    # "--b1x" inside a part's header section has no colon: M302 reports it,
    # not M204 as well (one line, one finding).
    raw = mp("boundary=b1", "--b1\nContent-Type: text/plain\n--b1x\nX-A: y\n\nhi\n--b1--\n")
    assert where(raw, "M204") == []
    assert where(raw, "M302") == [(11, 1, "1")]
    # The same line in the body is M204's.
    raw = mp("boundary=b1", "--b1\nContent-Type: text/plain\n\n--b1x\nX-A: y\n--b1--\n")
    assert where(raw, "M204") == [(12, 1, "1")]


@pytest.mark.parametrize(
    "content",
    [
        "-- \nAnn, signature\n",  # signature separator
        "the boundary --b1 mentioned mid-line\n",
        "---b1 is not --b1 at the line start\n",
        "--B1 differs in case\n",
    ],
)
def test_m204_near_misses(content: str) -> None:
    raw = mp("boundary=b1", "--b1\n" + PLAIN + content + "--b1--\n")
    assert where(raw, "M204") == []


# ----------------------------------------------------------------- M205
@pytest.mark.parametrize(
    ("param", "column", "why"),
    [
        ('boundary="#part#1"', 42, "'#'"),
        ('boundary="' + "x" * 71 + '"', 42, "71 characters"),
        ('boundary="part 1 "', 42, "ends with a space"),
        ("boundary=part@1", 41, "'@'"),
    ],
)
def test_m205_bad_boundaries(param: str, column: int, why: str) -> None:
    value = param.split("=", 1)[1].strip('"')
    raw = mp(param, f"--{value}\n" + PLAIN + f"hi\n--{value}--\n")
    assert where(raw, "M205") == [(7, column, "")]
    (f,) = findings(raw, "M205")
    assert why in f.message
    fixed_and_clean(raw, f)


@pytest.mark.parametrize(
    "boundary",
    ["'()+_,-./:=? Part 1", "x" * 70, "----=_NextPart_000_0001_01D9ABCD.12345678", "Apple-Mail=_1"],
)
def test_m205_legal_boundaries(boundary: str) -> None:
    raw = mp(f'boundary="{boundary}"', f"--{boundary}\n" + PLAIN + f"hi\n--{boundary}--\n")
    assert all_m2(raw) == []


# ----------------------------------------------------------------- M206
def test_m206_points_at_the_end_of_the_last_line_and_closes() -> None:
    raw = mp("boundary=b", "--b\n" + PLAIN + "last line\n")
    assert all_m2(raw) == [("M206", 12, 10, "")]
    fixed = fixed_and_clean(raw, findings(raw, "M206")[0])
    assert fixed.endswith(b"last line\r\n\r\n--b--\r\n")
    assert parse(fixed).parts()[1].payload == b"last line\r\n"


@pytest.mark.parametrize("tail", ["--b", "--b \t"])
def test_m206_body_ending_on_a_delimiter_line_gets_two_line_breaks(tail: str) -> None:
    # The body stops on an opening delimiter line, before its line break:
    # the close delimiter needs a line break to end that line and one of
    # its own. With one, the lines touch (M208) and Python's email still
    # finds no close delimiter.
    raw = mp("boundary=b", "--b\n" + PLAIN + "hi\n" + tail).rstrip(b"\r\n")
    assert raw.endswith(tail.encode())
    fixed = fixed_and_clean(raw, findings(raw, "M206")[0])
    assert fixed.endswith(tail.encode() + b"\r\n\r\n--b--")
    assert mimelint.lint(fixed, select=["M2"]).findings == []
    for data in (raw, fixed):  # both readers: the same two parts, the last one empty
        stdlib = email.message_from_bytes(data, policy=email.policy.compat32)
        assert [p.get_payload() for p in stdlib.get_payload()] == ["hi", ""]
        assert [p.payload for p in parse(data).children] == [b"hi", b""]
    stdlib = email.message_from_bytes(fixed, policy=email.policy.compat32)
    assert stdlib.defects == []


def test_m206_nested_unclosed_part_before_the_outer_delimiter() -> None:
    body = (
        "--o\nContent-Type: multipart/alternative; boundary=i\n\n"
        "--i\n" + PLAIN + "inner\n--o\n" + PLAIN + "outer\n--o--\n"
    )
    raw = mp("boundary=o", body)
    assert all_m2(raw) == [("M206", 15, 6, "1")]
    fixed_and_clean(raw, findings(raw, "M206")[0])


def test_m206_fix_and_rename_together_use_the_new_boundary() -> None:
    raw = mp('boundary="#b"', "--#b\n" + PLAIN + "no end")
    found = mimelint.lint(raw, select=["M2"]).findings
    assert [f.code for f in found] == ["M205", "M206"]
    assert found[0].fix == found[1].fix
    fixed = fixed_and_clean(raw, found[0])
    assert b"#b" not in fixed


def _unclosed_chain(depth: int) -> bytes:
    lines = [
        f"--c{level}\nContent-Type: multipart/mixed; boundary=c{level + 1}\n\n"
        for level in range(depth - 1)
    ]
    return mp("boundary=c0", "".join(lines) + f"--c{depth - 1}\n" + PLAIN + "x\n")


def test_m206_nested_multiparts_unclosed_at_one_point_give_one_finding() -> None:
    raw = _unclosed_chain(6)
    (f,) = findings(raw, "M206")
    assert (f.line, f.column, f.part) == (27, 2, "1.1.1.1.1")  # after "x", innermost part
    assert f.message.startswith("6 nested multipart bodies end here")
    assert "(--c5--, --c4--, --c3--, ... --c0--, innermost first)" in f.message
    fixed = fixed_and_clean(raw, f)  # one fix closes all six
    assert fixed.endswith(
        b"x\r\n\r\n--c5--\r\n\r\n--c4--\r\n\r\n--c3--\r\n\r\n--c2--\r\n\r\n--c1--\r\n\r\n--c0--\r\n"
    )


def test_m206_sixty_levels_fix_with_the_engine() -> None:
    raw = _unclosed_chain(60)  # c1 is a prefix of c10...: M203 renames come along
    assert len(findings(raw, "M206")) == 1
    result = mimelint.fix(raw)
    assert result.refused is None
    assert not [f for f in result.remaining if f.fix is not None]
    assert structure(result.data) == structure(raw)


def test_m206_closed_with_trailing_blanks_and_epilogue_is_fine() -> None:
    raw = mp("boundary=b", "--b\n" + PLAIN + "hi\n--b--  \nepilogue\n")
    assert all_m2(raw) == []


# ----------------------------------------------------------------- M207
def test_m207_wrong_boundary_in_body() -> None:
    raw = mp("boundary=b1", "--b2\n" + PLAIN + "hi\n--b2--\n")
    assert all_m2(raw) == [("M207", 7, 15, "")]
    assert "no delimiter line --b1" in findings(raw, "M207")[0].message


def test_m207_only_a_close_delimiter_nested() -> None:
    body = "--o\nContent-Type: multipart/related; boundary=i\n\njust text\n--i--\n--o--\n"
    raw = mp("boundary=o", body)
    assert all_m2(raw) == [("M207", 10, 15, "1")]
    assert "only a close delimiter" in findings(raw, "M207")[0].message


def test_m207_a_single_empty_part_is_a_part() -> None:
    assert all_m2(mp("boundary=b", "--b\n\n--b--\n")) == []


def test_total_on_odd_boundaries() -> None:
    for raw in [
        b'Content-Type: multipart/mixed; boundary="\xff"\r\n\r\n--\xff\r\n\r\nx\r\n',
        b"Content-Type: multipart/mixed; boundary*=utf-8''%41\r\n\r\n--A\r\nx",
        b'Content-Type: multipart/mixed; boundary="abc\r\n\r\n--abc\r\n',
        b"Content-Type: multipart/mixed; boundary=a; boundary=b\r\n\r\n--a\r\n\r\n--b\r\n",
    ]:
        report = mimelint.lint(raw, select=["M2"])
        assert not report.internal_errors, report.internal_errors
        for f in report.findings:
            if f.fix is not None:
                apply_fix(raw, f)


def test_boundary_that_prefixes_the_usual_fresh_ones_still_gets_a_rename() -> None:
    # A declared "=" clashes with every "=_ml_..." boundary: encode.fresh_boundary
    # picks another free prefix, so the fix is offered and works.
    body = "--=\nContent-Type: multipart/alternative; boundary==x\n\n--=x\n\nhi\n--=x--\n--=--\n"
    raw = mp('boundary="="', body)
    (f,) = findings(raw, "M203")
    assert (f.line, f.column, f.part) == (10, 47, "1") and f.fix is not None
    fixed = fixed_and_clean(raw, f)
    assert b'boundary="=_ml_' not in fixed


def test_no_free_boundary_keeps_the_finding_without_a_fix(monkeypatch: pytest.MonkeyPatch) -> None:
    from mimelint.mime import writers as encode
    from mimelint.mime.writers import NoFreeBoundary

    def none_free(*args: object, **kwargs: object) -> str:
        raise NoFreeBoundary("test")

    monkeypatch.setattr(encode, "fresh_boundary", none_free)
    body = "--b\nContent-Type: multipart/alternative; boundary=b-x\n\n--b-x\n\nhi\n--b-x--\n--b--\n"
    raw = mp("boundary=b", body)
    (f,) = findings(raw, "M203")
    assert (f.line, f.column, f.part) == (10, 47, "1") and f.fix is None


# ----------------------------------------------------------------- M208
def test_m208_doubled_delimiter_points_at_the_second_line() -> None:
    raw = mp("boundary=b1", "--b1\n--b1\n" + PLAIN + "hi\n--b1--\n")
    (f,) = findings(raw, "M208")
    assert (f.line, f.column, f.end_line, f.end_column, f.part) == (10, 1, 10, 5, "")
    assert f.severity is Severity.WARNING and "directly follows another delimiter" in f.message
    assert "line 9" not in f.message  # where is the report's to say (it may be a template's line)
    # What the fix is about: the two readers count differently today.
    stdlib = email.message_from_bytes(raw, policy=email.policy.compat32)
    assert len(stdlib.get_payload()) == 1 and len(parse(raw).children) == 2
    assert f.fix is not None and f.fix.safety is Safety.UNSAFE
    fixed = apply_fix(raw, f)
    assert fixed == raw.replace(b"--b1\r\n--b1\r\n", b"--b1\r\n")
    assert [p.content_type for p in parse(fixed).children] == ["text/plain"]
    assert mimelint.fix(raw, unsafe=True, seed=0) == fixed


def test_m208_empty_last_part_before_the_close_has_no_fix() -> None:
    raw = mp("boundary=b1", "--b1\n" + PLAIN + "hi\n--b1\n--b1--\n")
    (f,) = findings(raw, "M208")
    assert (f.line, f.column) == (14, 1) and "close delimiter" in f.message and f.fix is None


@pytest.mark.parametrize(
    "body",
    [
        "--b1\n\n--b1\n" + PLAIN + "hi\n--b1--\n",  # an empty part written right
        "--b1\n" + PLAIN + "hi\n--b1--\n--b1--\n",  # a second close is M204's
        "--b1\n" + PLAIN + "\n--b1--\n",  # an empty body, its part has a header
    ],
)
def test_m208_near_misses(body: str) -> None:
    assert where(mp("boundary=b1", body), "M208") == []


def test_m208_several_doubled_lines_are_one_finding_with_one_fix() -> None:
    body = "--b1\n--b1\n" + PLAIN + "a\n--b1\n--b1\n" + PLAIN + "b\n--b1--\n"
    raw = mp("boundary=b1", body)
    (f,) = findings(raw, "M208")
    assert (f.line, f.column) == (10, 1) and "(2 such places)" in f.message
    fixed = apply_fix(raw, f)
    assert [p.payload for p in parse(fixed).children] == [b"a", b"b"]


# ----------------------------------------------------------------- M209
@pytest.mark.parametrize(("indent", "tail"), [(" ", ""), ("\t ", "--"), ("  ", " \t")])
def test_m209_indented_first_delimiter_hides_the_first_part(indent: str, tail: str) -> None:
    body = f"{indent}--b1{tail}\n" + PLAIN + "hello\n--b1\n" + PLAIN + "two\n--b1--\n"
    raw = mp("boundary=b1", body)
    (f,) = findings(raw, "M209")
    assert (f.line, f.column, f.end_line, f.end_column, f.part) == (9, 1, 9, len(indent) + 5, "")
    assert f.severity is Severity.ERROR and f.fix is None and "'b1'" in f.message
    # What the finding says: the standard library puts the first part in the preamble.
    stdlib = email.message_from_bytes(raw, policy=email.policy.compat32)
    assert "hello" in stdlib.preamble and len(stdlib.get_payload()) == 1


def test_m209_in_a_body_with_no_delimiter_line_at_all() -> None:
    raw = mp("boundary=b1", " --b1\n" + PLAIN + "hello\n")
    assert where(raw, "M209") == [(9, 1, "")]
    assert where(raw, "M207") == [(7, 15, "")]


def test_m209_in_a_nested_multipart_names_it() -> None:
    inner = 'Content-Type: multipart/alternative; boundary="b2"\n\n \t--b2\n' + PLAIN
    raw = mp("boundary=b1", "--b1\n" + inner + "hi\n--b2--\n--b1--\n")
    assert where(raw, "M209") == [(12, 1, "1")]


@pytest.mark.parametrize(
    "body",
    [
        " --b1 starts each part\n--b1\n" + PLAIN + "hi\n--b1--\n",  # prose naming it
        " --b1x\n--b1\n" + PLAIN + "hi\n--b1--\n",  # another boundary's line
        "--b1\n" + PLAIN + " --b1\n--b1--\n",  # quoted in a part's text
        "x --b1\n--b1\n" + PLAIN + "hi\n--b1--\n",  # not white space before it
        " --b1 --b1 --b1\n--b1\n" + PLAIN + "hi\n--b1--\n",  # one line, many markers
        # Only white space after it in the preamble: no part is hidden.
        " --b1\n--b1\n" + PLAIN + "hi\n--b1--\n",
        "text\n\t--b1 \n\n \n--b1\n" + PLAIN + "hi\n--b1--\n",
        " --b1--\n--b1\n" + PLAIN + "hi\n--b1--\n",  # a close delimiter before the parts
    ],
)
def test_m209_near_misses(body: str) -> None:
    assert where(mp("boundary=b1", body), "M209") == []


# ------------------------------------------------------------ properties
@st.composite
def _delimiter_soup(draw: st.DrawFn) -> bytes:
    """Multiparts whose delimiter lines are doubled, reused, nested, unclosed,
    indented, and bodies that stop on a line with no line break."""
    lines = [
        "--b1",
        "--b1--",
        "--b1x",
        " --b1",
        "\t--b2",
        "--b2",
        "--b2--",
        "Content-Type: multipart/alternative; boundary=b1",
        "Content-Type: multipart/alternative; boundary=b2",
        "Content-Type: text/plain",
        "",
        "text",
        " folded",
    ]
    body = draw(st.lists(st.sampled_from(lines), max_size=14))
    eol = draw(st.sampled_from(["\n", "\r\n"]))
    head = [
        "From: a@example.com",
        "MIME-Version: 1.0",
        "Content-Type: multipart/mixed; boundary=b1",
        "",
    ]
    tail = draw(st.sampled_from([eol, ""]))
    return (eol.join(head + body) + tail).encode()


@settings(max_examples=examples(150), deadline=None)
@given(_delimiter_soup())
@example(
    b"From: a@example.com\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b1\n\n--b1"
)
def test_boundary_rules_are_total_and_their_fixes_converge(raw: bytes) -> None:
    report = mimelint.lint(raw, select=["M2", "M604", "M615"])
    assert not report.internal_errors
    for unsafe in (False, True):
        once = mimelint.fix(raw, seed=0, unsafe=unsafe)
        if once.refused is None:
            assert mimelint.fix(bytes(once), seed=0, unsafe=unsafe) == bytes(once)
    # A close delimiter a safe fix adds never touches the delimiter line
    # before it (M208: Python's email then still finds no close delimiter).
    before = {f.code for f in report.findings}
    after = {
        f.code for f in mimelint.lint(bytes(mimelint.fix(raw, seed=0)), select=["M208"]).findings
    }
    assert "M208" not in after - before


@settings(max_examples=examples(150), deadline=None)
@given(_delimiter_soup())
def test_a_safe_fix_settled_in_rounds_is_proven_end_to_end(raw: bytes) -> None:
    # fix may run again on its own output (fixer.SETTLE_ROUNDS), each round
    # proven against its own input; the output must still prove against
    # the input itself, by both readers, as one run's output does.
    result = mimelint.fix(raw, seed=0)
    if result.changed:
        assert prove(mimelint.parse(raw), mimelint.parse(bytes(result))) is None
        assert prove_stdlib(raw, bytes(result)) is None
