"""The fix engine: apply, overlap, refusal, idempotence, fixture pairs."""

from __future__ import annotations

import dataclasses
import importlib
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import mimelint
from mimelint import fixer
from mimelint.fixer import (
    FixResult,
    accept,
    apply,
    fix,
    pair_after,
    pair_is_unsafe,
    regenerate,
)
from mimelint.proof import prove
from mimelint.rule import Context, Edit, Fix, Problem, Rule, Safety, rule
from mimelint.tree import Message
from tests.util import FIXTURES, msg

TOP = "From: ann@example.com\nTo: bob@example.org\nSubject: Hello\nDate: Wed, 25 Nov 2026 10:00:00 +0000\nMessage-ID: <1@example.com>\nMIME-Version: 1.0\n"
PLAIN = msg(TOP + "Content-Type: text/plain; charset=utf-8\n\nHello there\n")


def _finding(
    start: int, end: int, replacement: bytes, safety: Safety = Safety.SAFE, code: str = "X001"
) -> mimelint.Finding:
    return mimelint.Finding(
        code=code,
        name="test",
        severity=mimelint.Severity.ERROR,
        message="m",
        start=start,
        end=end,
        line=1,
        column=1,
        end_line=1,
        end_column=1,
        fix=Fix((Edit(start, end, replacement),), safety, f"replace {start}..{end}"),
    )


# ------------------------------------------------------------ accept/apply
def test_accept_drops_overlapping_fixes_and_keeps_order() -> None:
    a = _finding(0, 4, b"AAAA")
    b = _finding(2, 6, b"BB")  # overlaps a
    c = _finding(10, 12, b"CC")
    d = _finding(12, 12, b"D")  # an insert touching c's end: waits a pass
    assert accept([c, b, a, d], 20, unsafe=False) == [a, c]


def test_accept_counts_identical_fixes_once_and_skips_bad_edits() -> None:
    a = _finding(0, 2, b"xy")
    twin = _finding(0, 2, b"xy", code="X002")
    outside = _finding(18, 30, b"")
    assert accept([a, twin, outside], 20, unsafe=False) == [a, twin]


def test_accept_leaves_unsafe_fixes_unless_asked() -> None:
    u = _finding(0, 2, b"xy", Safety.UNSAFE)
    assert accept([u], 20, unsafe=False) == []
    assert accept([u], 20, unsafe=True) == [u]


def _accept_pairwise(findings: list[mimelint.Finding], size: int) -> list[mimelint.Finding]:
    """``accept`` as specified: every edit tested against every other."""

    def clash(a: Edit, b: Edit) -> bool:
        if a.start == a.end or b.start == b.end:
            return b.start <= a.start <= b.end or a.start <= b.start <= a.end
        return a.start < b.end and b.start < a.end

    ordered = sorted(
        (f for f in findings if f.fix is not None and f.fix.edits),
        key=lambda f: (min(e.start for e in f.fix.edits) if f.fix else 0, f.code),
    )
    chosen: list[mimelint.Finding] = []
    taken: list[Edit] = []
    seen: set[tuple[Edit, ...]] = set()
    for f in ordered:
        assert f.fix is not None
        edits = tuple(sorted(f.fix.edits, key=lambda e: (e.start, e.end)))
        if edits in seen:
            chosen.append(f)
        elif not (
            any(e.start < 0 or e.end > size or e.end < e.start for e in edits)
            or any(clash(x, y) for i, x in enumerate(edits) for y in edits[i + 1 :])
            or any(clash(x, y) for x in edits for y in taken)
        ):
            seen.add(edits)
            taken.extend(edits)
            chosen.append(f)
    return chosen


span = st.tuples(st.integers(0, 30), st.integers(0, 8)).map(lambda t: (t[0], t[0] + t[1]))
span_or_insert = st.one_of(span, st.integers(0, 30).map(lambda p: (p, p)))


@settings(max_examples=400, deadline=None)
@given(st.lists(st.lists(span_or_insert, min_size=1, max_size=4), max_size=25))
def test_accept_matches_the_pairwise_definition(fixes: list[list[tuple[int, int]]]) -> None:
    findings = []
    for n, spans in enumerate(fixes):
        edits = tuple(Edit(a, b, b"x") for a, b in spans)
        findings.append(
            mimelint.Finding(
                code=f"X{n:03d}",
                name="t",
                severity=mimelint.Severity.ERROR,
                message="m",
                start=0,
                end=0,
                line=1,
                column=1,
                end_line=1,
                end_column=1,
                fix=Fix(edits, Safety.SAFE, "t"),
            )
        )
    assert accept(findings, 34, unsafe=False) == _accept_pairwise(findings, 34)


def test_accept_is_not_quadratic_in_the_number_of_edits() -> None:
    # 20,000 one-byte fixes and one fix of 20,000 edits: pairwise tests
    # would take minutes; the sorted sweep takes well under a second.
    many = [_finding(2 * i, 2 * i + 1, b"y", code=f"X{i:05d}") for i in range(20_000)]
    assert len(accept(many, 40_000, unsafe=False)) == 20_000
    edits = tuple(Edit(2 * i, 2 * i + 1, b"y") for i in range(20_000))
    big = _finding(0, 1, b"y")
    assert big.fix is not None
    wide = dataclasses.replace(big, fix=dataclasses.replace(big.fix, edits=edits))
    assert accept([wide], 40_000, unsafe=False) == [wide]


def test_apply_joins_once_and_reports_unsafe_spans() -> None:
    data = b"0123456789"
    out, old, new = apply(data, [_finding(1, 3, b"ab"), _finding(5, 5, b"++", Safety.UNSAFE)])
    assert out == b"0ab34++56789"
    assert old == [(5, 5)] and new == [(5, 7)]


# ------------------------------------------------------------ the engine
def _lossy_rule(safety: str = "safe") -> Rule:
    @rule(code="X901", name="lossy", severity="error", summary="loses the body", fix=safety)
    def lossy(message: Message, context: Context) -> Iterator[Problem]:
        """Replaces the body with other text: content is lost."""
        if message.payload != b"lost\r\n":
            edit = Edit(message.body_start, message.body_end, b"lost\r\n")
            yield Problem(
                message.body_start,
                message.body_end,
                "m",
                "",
                Fix((edit,), Safety(safety), "lose it"),
            )

    return lossy


def test_a_fix_that_loses_content_is_refused_and_the_input_returned() -> None:
    result = fix(PLAIN, rules=[_lossy_rule()])
    assert result.refused is not None
    assert result.refused.startswith("part message: text differs after transfer decoding")
    assert "X901" in result.refused
    assert result.data == PLAIN and not result.changed
    assert result.applied == []


def test_an_unsafe_fix_may_change_what_it_touches_but_only_on_request() -> None:
    lossy = _lossy_rule("unsafe")
    untouched = fix(PLAIN, rules=[lossy])
    assert untouched.data == PLAIN and untouched.refused is None
    assert [f.code for f in untouched.remaining] == ["X901"]
    changed = fix(PLAIN, rules=[lossy], unsafe=True)
    assert changed.refused is None
    assert changed.data.endswith(b"\r\n\r\nlost\r\n")
    assert [f.code for f in changed.applied] == ["X901"]


def test_an_unsafe_fix_may_not_change_what_it_does_not_touch() -> None:
    @rule(
        code="X902",
        name="sly",
        severity="error",
        summary="edits the body, claims the subject",
        fix="unsafe",
    )
    def sly(message: Message, context: Context) -> Iterator[Problem]:
        """Touches the Subject and also the body."""
        subject = message.header("subject")
        if subject is not None and subject.value == "Hello":
            edits = (
                Edit(subject.value_start, subject.value_end, b" Bye"),
                Edit(message.body_start, message.body_start + 5, b"Howdy"),
            )
            yield Problem(subject.start, subject.end, "m", "", Fix(edits, Safety.UNSAFE, "sly"))

    result = fix(PLAIN, rules=[sly], unsafe=True)
    # Both edits are the fix's own, so both are allowed to change content.
    assert result.refused is None and b"Subject: Bye" in result.data


def test_a_fix_that_never_converges_is_refused() -> None:
    @rule(code="X903", name="stuck", severity="error", summary="offers a no-op fix", fix="safe")
    def stuck(message: Message, context: Context) -> Iterator[Problem]:
        """Offers to replace the first byte with itself, forever."""
        yield Problem(0, 1, "m", "", Fix((Edit(0, 1, message.data[:1]),), Safety.SAFE, "no-op"))

    @rule(code="X904", name="upper", severity="error", summary="upper-cases Hello", fix="safe")
    def upper(message: Message, context: Context) -> Iterator[Problem]:
        """Adds a harmless header once."""
        if message.header("x-mailer") is None:
            at = message.headers[-1].end
            yield Problem(
                at, at, "m", "", Fix((Edit(at, at, b"X-Mailer: t\r\n"),), Safety.SAFE, "add")
            )

    result = fix(PLAIN, rules=[stuck])
    assert result.refused is None and not result.changed  # nothing to apply at all
    both = fix(PLAIN, rules=[stuck, upper])
    # X904 adds a header (a difference the proof refuses), X903 never converges.
    assert both.refused is not None and both.data == PLAIN


def test_overlapping_fixes_are_retried_in_the_next_pass() -> None:
    def make(code: str, old: bytes, new: bytes) -> Rule:
        @rule(code=code, name=f"r{code}", severity="error", summary="s", fix="safe")
        def check(message: Message, context: Context) -> Iterator[Problem]:
            """Rewrites one header name's spelling."""
            subject = message.header("subject")
            if subject is not None and subject.name.encode() == old:
                e = Edit(subject.start, subject.colon, new)
                yield Problem(subject.start, subject.colon, "m", "", Fix((e,), Safety.SAFE, code))

        return check

    rules = [make("X905", b"Subject", b"SUBJECT"), make("X906", b"SUBJECT", b"subject")]
    result = fix(PLAIN, rules=rules)
    assert result.refused is None
    assert b"\r\nsubject: Hello\r\n" in result.data
    assert [f.code for f in result.applied] == ["X905", "X906"]
    assert result.passes == 2


def test_fix_result_is_the_bytes() -> None:
    raw = msg(
        TOP + "Content-Type: text/plain; charset=utf-8\n\nSee you at the caf\u00e9 at noon.\n"
    )
    result = fix(raw, select=["M102"])
    assert isinstance(result, FixResult) and isinstance(result, bytes)
    assert result == result.data and result.changed
    assert b"Content-Transfer-Encoding: quoted-printable\r\n" in result.data
    assert [f.code for f in result.applied] == ["M102"]
    assert result.applied[0].fix is not None and result.applied[0].fix.description
    assert fix(result).data == result.data


def test_clean_input_comes_back_unchanged() -> None:
    result = fix(PLAIN)
    assert result.data == PLAIN and not result.changed and result.refused is None
    assert result.passes == 0


def test_fix_is_exported_from_the_package() -> None:
    assert mimelint.fix is fix and mimelint.FixResult is FixResult
    # The ``python -m mimelint.fix`` shim gives the same objects, and
    # importing it does not turn ``mimelint.fix`` into a module.
    shim = importlib.import_module("mimelint.fix")
    assert shim.fix is fix and shim.FixResult is FixResult and shim.regenerate is regenerate
    assert mimelint.fix is fix
    from mimelint import fix as exported

    assert exported is fix and exported is fixer.fix


def test_regen_runs_as_a_module(tmp_path: Path) -> None:
    before = FIXTURES / "fixes" / "M601-no-mime-version.before.eml"
    (tmp_path / before.name).write_bytes(before.read_bytes())
    done = subprocess.run(
        [sys.executable, "-m", "mimelint.fix", "--regen", "--check", str(tmp_path)],
        capture_output=True,
        check=False,
    )
    assert done.returncode == 1 and b"stale: " in done.stdout
    done = subprocess.run(
        [sys.executable, "-m", "mimelint.fix", "--regen", str(tmp_path)],
        capture_output=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "M601-no-mime-version.after.eml").read_bytes() == pair_after(
        before
    ).read_bytes()


# ------------------------------------------------------------ the proof
def test_proof_names_the_part_and_the_difference() -> None:
    a = mimelint.parse(msg(TOP + "Content-Type: text/plain\n\nhi\n"))
    b = mimelint.parse(msg(TOP.replace("Hello", "Bye") + "Content-Type: text/plain\n\nhi\n"))
    assert prove(a, b) == "part message: header Subject changed from 'Hello' to 'Bye'"


def test_proof_allows_encoding_idna_mime_version_and_duplicates() -> None:
    before = msg(
        "From: J\u00f6rg <joerg@b\u00fccher.example>\nSubject: Gr\u00fc\u00dfe\nSubject: Gr\u00fc\u00dfe\n"
        "Content-Type: text/plain; charset=utf-8\n\nGr\u00fc\u00dfe\n"
    )
    after = msg(
        "From: =?utf-8?q?J=C3=B6rg?= <joerg@xn--bcher-kva.example>\nSubject: =?utf-8?b?R3LDvMOfZQ==?=\n"
        "MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64\n\n"
        "R3LDvMOfZQ0K\n"
    )
    assert prove(mimelint.parse(before), mimelint.parse(after)) is None


def test_proof_refuses_a_changed_filename_and_a_changed_shape() -> None:
    def multipart(name: str, extra: str = "") -> bytes:
        return msg(
            TOP + 'Content-Type: multipart/mixed; boundary="b"\n\n--b\n'
            f'Content-Type: application/pdf\nContent-Disposition: attachment; filename="{name}"\n\nx\n'
            f"{extra}--b--\n"
        )

    a = mimelint.parse(multipart("a.pdf"))
    assert prove(a, mimelint.parse(multipart("b.pdf"))) == (
        "part 1: Content-Disposition parameters changed from {'filename': 'a.pdf'} to {'filename': 'b.pdf'}"
    )
    shape = prove(a, mimelint.parse(multipart("a.pdf", "--b\n\ny\n")))
    assert shape is not None and shape.startswith("part message: structure changed")


def _declare(
    before: str, after: str, body: bytes, new_body: bytes | None = None, touched: bool = True
) -> str | None:
    """Prove a Content-Type change on an 8-bit body, as an unsafe edit of that header."""

    def part(ct: str, payload: bytes) -> Message:
        head = msg(TOP + f"Content-Type: {ct}\nContent-Transfer-Encoding: 8bit\n\n")
        return mimelint.parse(head + payload)

    a, b = part(before, body), part(after, body if new_body is None else new_body)
    old: list[tuple[int, int]] = []
    new: list[tuple[int, int]] = []
    if touched:
        ha, hb = a.header("content-type"), b.header("content-type")
        assert ha is not None and hb is not None
        old, new = [(ha.start, ha.end)], [(hb.start, hb.end)]
    return prove(a, b, old, new)


GRUSS = "Gr\u00fc\u00dfe\r\n".encode()


def test_proof_lets_an_unsafe_fix_declare_a_charset_on_undefined_8bit_text() -> None:
    assert _declare("text/plain", "text/plain; charset=utf-8", GRUSS) is None
    assert _declare("text/plain; charset=us-ascii", "text/plain; charset=UTF-8", GRUSS) is None
    assert (
        _declare("text/plain; format=flowed", "text/plain; format=flowed; charset=utf-8", GRUSS)
        is None
    )


def test_proof_refuses_every_other_charset_change() -> None:
    undecodable = "charset changed from None to 'utf-8' and the text does not decode"
    # A safe edit (no unsafe span) may not declare it.
    assert _declare("text/plain", "text/plain; charset=utf-8", GRUSS, touched=False) == (
        "part message: " + undecodable
    )
    # The bytes must stay the same.
    changed = _declare("text/plain", "text/plain; charset=utf-8", GRUSS, b"Gruesse\r\n")
    assert changed is not None and "does not decode" in changed
    # The bytes must decode in the declared charset.
    latin = "Gr\u00fc\u00dfe\r\n".encode("latin-1")
    wrong = _declare("text/plain", "text/plain; charset=utf-8", latin)
    assert wrong is not None and "does not decode" in wrong
    # A charset that was declared is not undefined: relabelling changes the text.
    relabelled = _declare("text/plain; charset=iso-8859-1", "text/plain; charset=utf-8", GRUSS)
    assert relabelled == "part message: text differs after charset decoding"


# ------------------------------------------------------------ fixture pairs
PAIRS = sorted((FIXTURES / "fixes").glob("*.before.eml"))


@pytest.mark.parametrize("before", PAIRS, ids=[p.name.removesuffix(".before.eml") for p in PAIRS])
def test_fix_produces_the_after_file(before: Path) -> None:
    after = pair_after(before)
    unsafe = pair_is_unsafe(before)
    result = fix(before.read_bytes(), seed=0, unsafe=unsafe)
    if os.environ.get("MIMELINT_REGEN"):  # MIMELINT_REGEN=1 pytest tests/test_fix.py
        after.write_bytes(result.data)
    assert result.refused is None
    assert result.changed
    code = before.name[:4]
    # The pair's rule fired on the input, and its finding is gone (another
    # rule's overlapping fix may be the one that repaired it).
    assert code in {f.code for f in mimelint.lint(before.read_bytes()).findings}
    assert result.applied and code not in {f.code for f in result.remaining}
    assert result.data == after.read_bytes(), (
        f"regenerate with: python -m mimelint.fix --regen ({after.name})"
    )
    assert fix(result.data, seed=0, unsafe=unsafe).data == result.data
    if unsafe:  # a safe run leaves what only an unsafe fix repairs
        safe = fix(before.read_bytes(), seed=0)
        assert safe.refused is None
        assert code in {f.code for f in safe.remaining}
        assert code not in {f.code for f in safe.applied}


def test_every_fix_that_fires_on_a_rule_fixture_has_a_pair() -> None:
    have = {p.name[:4] for p in PAIRS}
    missing = []
    for r in mimelint.registry.load_rules():
        if not r.fixable or not r.origin.startswith("mimelint.rules") or r.code in have:
            continue
        for bad in sorted((FIXTURES / "rules" / r.code).glob("bad*.eml")):
            result = fix(bad.read_bytes(), select=[r.code])
            if result.changed:
                missing.append(f"{r.code} ({bad.name})")
                break
    assert missing == [], "add fixtures/fixes/<CODE>-<name>.before.eml and run --regen"


def test_regenerate_check_finds_nothing_stale() -> None:
    assert regenerate(FIXTURES / "fixes", check=True) == []
