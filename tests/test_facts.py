"""Declared facts (``requires=``): the walk skips a rule exactly where one
of its facts fails, and skipping it there changes no finding."""

from __future__ import annotations

import importlib.util
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import mimelint
from mimelint.mime.parse import parse
from mimelint.mime.tree import Message, Part
from mimelint.plan import MESSAGE_TESTS, PART_TESTS
from mimelint.registry import load_rules
from mimelint.rule import Context, Fact, Problem, Rule, Scope, fields, message, parts, rule
from mimelint.testing import message as text
from tests.profiles import examples
from tests.test_fixtures import _envelope, _profile
from tests.util import FIXTURES, ROOT


def small_messages(count: int) -> list[bytes]:
    """The bench's generated small messages (bench/generate.py)."""
    spec = importlib.util.spec_from_file_location("bench_generate", ROOT / "bench" / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    found: list[bytes] = module.small_messages(count)
    return found


MESSAGES = sorted(FIXTURES.rglob("*.eml"))
#: The installed rules that declare facts, and every rule (some are off by default).
ALL = [r for r in load_rules()]
GUARDED = [r for r in ALL if r.visits.requires]


def test_every_fact_has_one_test_in_the_engine() -> None:
    assert set(MESSAGE_TESTS) | set(PART_TESTS) == set(Fact)
    assert set(PART_TESTS) == {f for f in Fact if f.of_part}
    assert not set(MESSAGE_TESTS) & set(PART_TESTS)


def test_the_built_in_rules_declare_facts() -> None:
    # The index carries them, so a skipped rule is never imported.
    codes = {r.code for r in GUARDED}
    assert {"M101", "M105", "M106", "M107", "M320", "M401", "M501", "M605", "M710"} <= codes
    # The encoded-word rules but M327 (a control character once decoded).
    words = {f"M{n}" for n in range(321, 331)} - {"M327"}
    assert words <= codes


def _holds(r: Rule, args: tuple[Any, ...]) -> bool:
    """Whether every fact ``r`` requires holds where it was called with ``args``."""
    node = args[1] if r.visits.scope is Scope.FIELD else args[0]
    msg = node.message if isinstance(node, Part) else node
    return all(
        (PART_TESTS[f](node) if f.of_part else MESSAGE_TESTS[f](msg)) for f in r.visits.requires
    )


def _node(r: Rule, args: tuple[Any, ...]) -> str:
    if r.visits.scope is Scope.FIELD:
        return f"{args[1].path}:{args[0].start}"
    return str(args[0].path)


def _recording(
    rules: Iterable[Rule], calls: list[tuple[str, str, bool]], loose: bool
) -> list[Rule]:
    """The rules with checks that record each call (code, node, facts hold?).

    ``loose``: the facts are dropped from the declaration, so the walk calls
    the rule wherever it visits, and tested in the check instead, as the
    guard each check began with before it declared them.
    """
    out = []
    for r in rules:
        check = r.check

        def recorded(*args: Any, _r: Rule = r, _check: Any = check) -> list[Problem]:
            holds = _holds(_r, args)
            calls.append((_r.code, _node(_r, args), holds))
            return list(_check(*args) or ()) if holds else []

        visits = r.visits._replace(requires=frozenset()) if loose else r.visits
        out.append(r.replace(check=recorded, visits=visits))
    return out


def _check_skipping(data: bytes, options: dict[str, Any]) -> None:
    others = [r for r in ALL if not r.visits.requires]
    strict: list[tuple[str, str, bool]] = []
    loose: list[tuple[str, str, bool]] = []
    declared = mimelint.lint(data, rules=others + _recording(GUARDED, strict, False), **options)
    guarded = mimelint.lint(data, rules=others + _recording(GUARDED, loose, True), **options)
    assert all(holds for _, _, holds in strict)  # never called where a fact fails
    assert strict == [c for c in loose if c[2]]  # and called everywhere else
    assert declared.findings == guarded.findings


@pytest.mark.parametrize("path", MESSAGES, ids=lambda p: str(p.relative_to(FIXTURES)))
def test_skipping_where_a_fact_fails_is_the_guard_it_replaced(path: Path) -> None:
    # Every rule that declares facts runs on every fixture twice: as
    # declared, the walk testing the facts (once per message, per part of a
    # shape, through its plans), and with the facts tested as a guard in the
    # check on each call instead. Same calls where they hold, same findings.
    options: dict[str, Any] = {"profile": _profile(path), "select": ["ALL"], **_envelope(path)}
    _check_skipping(path.read_bytes(), options)


def test_skipping_on_generated_messages_is_the_guard_it_replaced() -> None:
    # The small messages of the bench: one plan shared by many messages.
    for data in small_messages(60):
        _check_skipping(data, {"select": ["ALL"]})


# ------------------------------------------------------------- the declaration

seen: list[str] = []


@rule(code="X951", name="nul-here", severity="info", summary="s",
      visits=message(requires=[Fact.NUL_BYTE]))  # fmt: skip
def nul_here(m: Message, context: Context) -> Iterator[Problem]:
    """Doc."""
    seen.append("message")
    at = m.data.find(b"\0")
    yield Problem(at, at + 1, "a NUL")


@rule(code="X952", name="repeated", severity="info", summary="s",
      visits=parts(requires=[Fact.REPEATED_FIELD]))  # fmt: skip
def repeated(part: Part, context: Context) -> Iterator[Problem]:
    """Doc."""
    seen.append("part:" + part.path)
    yield Problem(part.start, part.start, "repeated")


@rule(code="X953", name="subject-8bit", severity="info", summary="s",
      visits=fields("subject", requires=[Fact.EIGHT_BIT]))  # fmt: skip
def subject_8bit(header: Any, part: Part, context: Context) -> Iterator[Problem]:
    """Doc."""
    seen.append("field")
    yield Problem(header.start, header.end, "subject")


@rule(code="X954", name="subject-in-unknown", severity="info", summary="s",
      visits=fields("subject", requires=[Fact.UNKNOWN_TRANSFER_ENCODING]))  # fmt: skip
def subject_in_unknown(header: Any, part: Part, context: Context) -> Iterator[Problem]:
    """Doc."""
    seen.append("field-in:" + part.path)
    yield Problem(header.start, header.end, "subject")


PLUGIN = [nul_here, repeated, subject_8bit, subject_in_unknown]


def _run(raw: bytes) -> list[str]:
    seen.clear()
    report = mimelint.lint(raw, rules=PLUGIN)
    assert len(report.findings) == len(seen)  # each call found its one problem
    return sorted(seen)


def test_a_rule_is_called_only_where_its_facts_hold() -> None:
    plain = text("From: a@example.com\nSubject: hi\n\nbody\n")
    assert _run(plain) == []
    assert _run(plain.replace(b"body", b"bo\0dy")) == ["message"]
    assert _run(plain.replace(b"hi", "h\u00e9".encode())) == ["field"]
    twice = text("From: a@example.com\nSubject: hi\nSubject: ho\n\nbody\n")
    assert _run(twice) == ["part:"]


def test_part_facts_are_tested_per_part() -> None:
    raw = text(
        "From: a@example.com\nContent-Type: multipart/mixed; boundary=b\n\n"
        "--b\nX-A: 1\nX-A: 2\n\none\n--b\nX-B: 1\n\ntwo\n--b--\n"
    )
    assert _run(raw) == ["part:1"]


def test_a_field_rule_s_part_facts_are_those_of_the_line_s_part() -> None:
    raw = text(
        "From: a@example.com\nSubject: top\nContent-Type: multipart/mixed; boundary=b\n\n"
        "--b\nSubject: one\nContent-Transfer-Encoding: x-uuencode\n\none\n"
        "--b\nSubject: two\nContent-Transfer-Encoding: base64\n\ndHdv\n--b--\n"
    )
    assert _run(raw) == ["field-in:1"]


def test_a_part_fact_is_refused_outside_parts() -> None:
    with pytest.raises(ValueError, match="only parts\\(\\) and fields\\(\\)"):
        message(requires=[Fact.REPEATED_FIELD])
    with pytest.raises(TypeError, match="Fact values"):
        parts(requires=["nul-byte"])  # type: ignore[list-item]


def test_the_declaration_is_part_of_the_rule_s_visits() -> None:
    assert nul_here.visits.requires == frozenset({Fact.NUL_BYTE})
    assert parts(requires=[Fact.EIGHT_BIT, Fact.HEADER_EIGHT_BIT]).requires == frozenset(
        {Fact.EIGHT_BIT, Fact.HEADER_EIGHT_BIT}
    )
    assert message().requires == frozenset()


def test_a_fact_that_cannot_be_tested_calls_its_rules(monkeypatch: pytest.MonkeyPatch) -> None:
    # Totality: a fact whose test raises on some input counts as holding, so
    # the rules that require it are called (and report what fails, M000).
    def broken(node: object) -> bool:
        raise ValueError("cannot read")

    monkeypatch.setitem(MESSAGE_TESTS, Fact.NUL_BYTE, broken)
    monkeypatch.setitem(PART_TESTS, Fact.REPEATED_FIELD, broken)
    monkeypatch.setitem(PART_TESTS, Fact.UNKNOWN_TRANSFER_ENCODING, broken)
    raw = text("From: a@example.com\nSubject: hi\n\nbody\n")
    assert _run(raw) == ["field-in:", "message", "part:"]


_WORD = "=?utf-8?q?caf=C3=A9?="
_LONG = "=?utf-8?q?" + "a" * 70 + "?="


@pytest.mark.parametrize(
    ("fields", "holding"),
    [
        (f"Subject: {_WORD}\nFrom: a@example.com", set()),
        ("Subject: =?utf-8?b?R3LDvMOfZQ?=", {Fact.WORD_MALFORMED}),
        ("Subject: =?utf-9?q?abc?=", {Fact.WORD_UNKNOWN_CHARSET}),
        (f"Subject: {_LONG}", {Fact.WORD_TOO_LONG, Fact.WORD_LONG_FIELD}),
        (f"Subject: x\n {_WORD} {_WORD} {_WORD}", {Fact.WORD_LONG_FIELD}),
        (f"Subject: {_WORD}{_WORD}", {Fact.WORD_GLUED}),
        (f"Subject: {_WORD} =?utf-8?q??=", {Fact.WORD_EMPTY}),
        (f"From: {_WORD} <a@example.com>", {Fact.WORD_IN_ADDRESS, Fact.WORD_OUTSIDE_TEXT}),
        (f"Message-ID: <{_WORD}@example.com>", {Fact.WORD_OUTSIDE_TEXT}),
        (
            f'Content-Type: text/plain; name="{_LONG}"',
            {Fact.WORD_IN_PARAMETERS, Fact.WORD_OUTSIDE_TEXT},
        ),
    ],
)
def test_the_word_facts_of_a_part(fields: str, holding: set[Fact]) -> None:
    # One pass over the part's encoded-words (Part.word_summary) answers
    # every word fact; a long word in a parameter is M326's, not M323's.
    msg = parse(text(f"{fields}\n\nbody\n"))
    word_facts = {f for f in PART_TESTS if f.value.startswith("word-")}
    assert {f for f in word_facts if PART_TESTS[f](msg)} == holding


# ---------------------------------------------------- M604's irregular parameters


def _m604_unguarded() -> Rule:
    m604 = next(r for r in ALL if r.code == "M604")
    return m604.replace(visits=m604.visits._replace(requires=frozenset()))


def _irregular_wherever_m604_finds(data: bytes, rule_: Rule) -> int:
    """Lint ``data`` with M604 called on every field it visits; assert that
    PARAMETERS_IRREGULAR holds of each part it finds something in."""
    report = mimelint.lint(data, rules=[rule_], select=["ALL"])
    parts = report.message.parts()
    for finding in report.findings:
        irregular = PART_TESTS[Fact.PARAMETERS_IRREGULAR]
        assert any(irregular(p) for p in parts if p.path == finding.part), finding
    return len(report.findings)


def test_m604_finds_nothing_where_the_parameters_are_regular() -> None:
    # PARAMETERS_IRREGULAR is M604's declared guard: called on every
    # Content-Type and Content-Disposition, M604 finds something only in a
    # part where the fact holds (every fixture; M604's own fixtures find).
    unguarded = _m604_unguarded()
    found = sum(_irregular_wherever_m604_finds(p.read_bytes(), unguarded) for p in MESSAGES)
    assert found >= len(list((FIXTURES / "rules" / "M604").glob("bad*.eml")))


_PARAMETER_PIECES = [
    "text/plain", "multipart/mixed", "attachment", ";", ";;", " ", "; ", "\r\n ", "(c)",
    " charset=utf-8", "charset=", " boundary=b1", ' boundary="b 1"', " boundary=----=_P",
    " name*=utf-8''a%20b", ' name*="utf-8\'\'x"', " name*0=a", " name*1*=b", " boundary*=x",
    '"', "=", " name=a b", " filename=\"c.pdf", " charset=utf-8; charset=latin1", "text/html",
]  # fmt: skip


@settings(max_examples=300)
@given(
    st.lists(st.sampled_from(_PARAMETER_PIECES), max_size=8),
    st.lists(st.sampled_from(_PARAMETER_PIECES), max_size=6),
)
def test_m604_finds_nothing_where_generated_parameters_are_regular(
    content_type: list[str], disposition: list[str]
) -> None:
    raw = (
        "From: a@example.com\r\nContent-Type: "
        + "".join(content_type)
        + "\r\nContent-Disposition: "
        + "".join(disposition)
        + "\r\n\r\nbody\r\n"
    ).encode("latin-1")
    _irregular_wherever_m604_finds(raw, _m604_unguarded())


@settings(max_examples=examples(200))
@given(
    st.lists(st.sampled_from(_PARAMETER_PIECES), max_size=8),
    st.lists(st.sampled_from(_PARAMETER_PIECES), max_size=8),
    st.sampled_from(
        ["message/rfc822", "multipart/mixed; boundary=b0", "multipart/digest; boundary=b0"]
    ),
)
def test_m604_finds_the_same_guarded_in_nested_and_embedded_parts(
    inner: list[str], repeated: list[str], outer: str
) -> None:
    # The guard must leave M604's findings exactly as they are, in every
    # part: compared finding for finding (an embedded message shares its
    # part's path, so a part named by a finding's path may be another).
    fields = "Content-Type: " + "".join(inner) + "\r\ncontent-type: " + "".join(repeated)
    inside = f"{fields}\r\nContent-Disposition: {''.join(repeated)}\r\n\r\nbody\r\n"
    if outer == "message/rfc822":
        body = f"From: b@example.com\r\n{inside}"
    else:
        body = f"--b0\r\n{inside}--b0\r\n\r\n{inside}--b0--\r\n"
    raw = f"From: a@example.com\r\nContent-Type: {outer}\r\n\r\n{body}".encode("latin-1")
    m604 = next(r for r in ALL if r.code == "M604")
    guarded = mimelint.lint(raw, rules=[m604], select=["ALL"]).findings
    assert guarded == mimelint.lint(raw, rules=[_m604_unguarded()], select=["ALL"]).findings
