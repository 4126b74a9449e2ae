"""The fix engine: apply, overlap, refusal, idempotence, fixture pairs."""

from __future__ import annotations

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
from mimelint import fixer, signatures
from mimelint.fixer import (
    FixResult,
    accept,
    apply,
    fix,
    pair_after,
    pair_is_unsafe,
    regenerate,
)
from mimelint.mime.parse import parse
from mimelint.mime.tree import Message
from mimelint.proof import Spans, prove
from mimelint.rule import Context, Edit, Fix, Problem, Rule, Safety, rule
from tests.profiles import examples
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


@settings(max_examples=examples(400), deadline=None)
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
    wide = big._replace(fix=big.fix._replace(edits=edits))
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
        fix_safety="unsafe",
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
    @rule(
        code="X903", name="stuck", severity="error", summary="offers a no-op fix", fix_safety="safe"
    )
    def stuck(message: Message, context: Context) -> Iterator[Problem]:
        """Offers to replace the first byte with itself, forever."""
        yield Problem(0, 1, "m", "", Fix((Edit(0, 1, message.data[:1]),), Safety.SAFE, "no-op"))

    @rule(
        code="X904", name="upper", severity="error", summary="upper-cases Hello", fix_safety="safe"
    )
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
        @rule(code=code, name=f"r{code}", severity="error", summary="s", fix_safety="safe")
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
    # Importing the engine's module (as ``python -m mimelint.fixer`` does)
    # leaves ``mimelint.fix`` the function.
    engine = importlib.import_module("mimelint.fixer")
    assert engine.fix is fix and engine.FixResult is FixResult and engine.regenerate is regenerate
    assert mimelint.fix is fix
    from mimelint import fix as exported

    assert exported is fix and exported is fixer.fix


def test_fix_takes_settings_as_lint_does() -> None:
    raw = msg("From: a@example.com\nTo: b@example.com\nSubject: Grüße\n\nhi\n")
    one = mimelint.Settings.make(profile="rfc", select=["M320"], envelope_from="a@example.com")
    by_settings = fix(raw, settings=one)
    by_keywords = fix(raw, profile="rfc", select=["M320"], envelope_from="a@example.com")
    assert by_settings.changed and by_settings.data == by_keywords.data
    assert (
        [f.code for f in by_settings.applied] == [f.code for f in by_keywords.applied] == ["M320"]
    )


def test_regen_runs_as_a_module(tmp_path: Path) -> None:
    before = FIXTURES / "fixes" / "M601-no-mime-version.before.eml"
    (tmp_path / before.name).write_bytes(before.read_bytes())
    done = subprocess.run(
        [sys.executable, "-m", "mimelint.fixer", "--regen", "--check", str(tmp_path)],
        capture_output=True,
        check=False,
    )
    assert done.returncode == 1 and b"stale: " in done.stdout
    done = subprocess.run(
        [sys.executable, "-m", "mimelint.fixer", "--regen", str(tmp_path)],
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
        "part 1: Content-Disposition parameters changed from filename='a.pdf' to filename='b.pdf'"
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
    undecodable = "charset changed from none to 'utf-8' and the text does not decode"
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
    # rule's overlapping fix may be the one that repaired it), unless the
    # proof refused that one fix: then it stays, without its fix, saying why;
    # or its fix is unsafe and a safe pair leaves it (the .unsafe pair fixes it).
    assert code in {f.code for f in mimelint.lint(before.read_bytes()).findings}
    assert result.applied
    refused = {id(s.finding) for s in result.refused_fixes}
    for f in result.remaining:
        if f.code == code:
            if not unsafe and f.fix is not None and f.fix.safety is Safety.UNSAFE:
                continue
            assert f.fix is None and "; not fixed: " in f.message, f.message
    assert len(refused) == len(result.refused_fixes)
    assert result.data == after.read_bytes(), (
        f"regenerate with: python -m mimelint.fixer --regen ({after.name})"
    )
    assert fix(result.data, seed=0, unsafe=unsafe).data == result.data
    if unsafe:  # a safe run leaves what only an unsafe fix repairs
        safe = fix(before.read_bytes(), seed=0)
        # Refused as a whole (nothing else to apply) or fix by fix; either way
        # the finding stays and says why.
        assert code in {f.code for f in safe.remaining}


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


# ------------------------------------------------------------ signatures
SIGNED = FIXTURES / "fixes" / "signed"
HINT = "fixing would invalidate the signature: fix before signing, or re-sign"


def _signed_bytes(data: bytes) -> list[bytes]:
    """The first part of every multipart/signed, exactly as it stands."""
    message = parse(data, max_depth=100)
    return [
        data[p.children[0].start : p.children[0].end]
        for p in message.parts()
        if p.content_type == "multipart/signed" and p.children
    ]


def test_pgp_signed_part_is_left_as_signed_and_the_rest_is_fixed() -> None:
    before = (FIXTURES / "fixes" / "M320-outside-signed-part.before.eml").read_bytes()
    result = fix(before)
    assert result.refused is None and result.changed
    assert [f.code for f in result.applied] == ["M320"]  # the outer Subject is not signed
    assert _signed_bytes(result.data) == _signed_bytes(before)
    reason = f"part 1 is signed (multipart/signed, application/pgp-signature); {HINT}"
    assert [(s.finding.code, s.reason) for s in result.skipped] == [("M103", reason)]
    assert result.skipped[0].finding.fix is not None  # the fix itself is kept for the caller
    (left,) = result.remaining
    assert left.code == "M103" and left.part == "1" and left.fix is None
    assert left.message.endswith(f"; not fixed: {reason}")


def test_smime_signed_entity_is_left_whole_and_the_signature_part_may_be_rewrapped() -> None:
    before = (SIGNED / "smime-signed.eml").read_bytes()
    result = fix(before)
    assert result.refused is None
    assert _signed_bytes(result.data) == _signed_bytes(before)
    assert [f.code for f in result.applied] == ["M712"]  # base64 of the signature, decoded alike
    assert sorted((s.finding.code, s.finding.part) for s in result.skipped) == [
        ("M103", "1.1"),
        ("M103", "1.2"),
    ]
    assert {s.reason for s in result.skipped} == {
        f"part 1 is signed (multipart/signed, application/pkcs7-signature); {HINT}"
    }
    assert all(f.fix is None for f in result.remaining)
    assert fix(result.data).data == result.data


def test_a_signed_part_deeper_in_the_tree_is_named_by_its_path() -> None:
    inner = (FIXTURES / "fixes" / "M320-outside-signed-part.before.eml").read_bytes()
    head, _, body = inner.partition(b"\r\n\r\n")
    ctype = head[head.index(b"Content-Type:") :]
    raw = (
        msg(
            TOP + 'Content-Type: multipart/mixed; boundary="outer"\n\n--outer\n'
            "Content-Type: text/plain; charset=utf-8\n\nCover note.\n--outer\n"
        )
        + ctype
        + b"\r\n\r\n"
        + body
        + b"--outer--\r\n"
    )
    result = fix(raw)
    assert [s.reason.split(";")[0] for s in result.skipped] == [
        "part 2.1 is signed (multipart/signed, application/pgp-signature)"
    ]
    assert _signed_bytes(result.data) == _signed_bytes(raw)


def test_dkim_signed_fields_and_body_are_left_and_unsigned_fields_fixed() -> None:
    before = (SIGNED / "dkim-signed.eml").read_bytes()
    result = fix(before)
    assert result.refused is None and result.changed
    # X-Mailer is not in h=: its encoded-words do not touch the signature.
    assert [(f.code, f.line) for f in result.applied] == [("M320", 10)]
    assert b"X-Mailer: =?utf-8?" in result.data
    head, _, body = result.data.partition(b"\r\n\r\n")
    assert body == before.partition(b"\r\n\r\n")[2]
    assert b"\r\nSubject: Gr\xc3\xbc\xc3\x9fe aus K\xc3\xb6ln\r\n" in head
    assert head.endswith(b"\r\nContent-Transfer-Encoding: 8bit")
    signer = "DKIM-Signature (d=example.com)"
    assert [(s.finding.code, s.reason) for s in result.skipped] == [
        ("M320", f"the Subject field is signed by {signer}; {HINT}"),
        ("M103", f"the Content-Transfer-Encoding field is signed by {signer}; {HINT}"),
    ]
    forced = fix(before, keep_signatures=False)
    assert forced.refused is None and forced.skipped == [] and forced.remaining == []


def test_dkim_blocks_a_body_edit_and_adding_a_signed_field_but_not_an_unsigned_one() -> None:
    def dkim(listed: str) -> bytes:
        return msg(
            f"DKIM-Signature: v=1; a=rsa-sha256; d=example.com; s=s1;\n h={listed}; bh=x; b=y\n"
            "From: ann@example.com\nTo: bob@example.org\nSubject: Hello\n"
            "Date: Wed, 25 Nov 2026 10:00:00 +0000\nMessage-ID: <1@example.com>\n"
            "Content-Type: text/plain; charset=utf-8\n\nHello there\n"
        )

    signed_version = fix(dkim("From:To:Subject:MIME-Version"), select=["M601"])
    assert signed_version.changed is False
    assert [s.reason.split(";")[0] for s in signed_version.skipped] == [
        "adding a MIME-Version field, which is signed by DKIM-Signature (d=example.com)"
    ]
    unsigned_version = fix(dkim("From:To:Subject"), select=["M601"])
    assert unsigned_version.changed and b"\r\nMIME-Version: 1.0\r\n" in unsigned_version.data
    no_list = fix(dkim(""), select=["M601"])  # h= unreadable: every field counts as signed
    assert not no_list.changed and no_list.skipped

    raw = dkim("From")
    at = raw.index(b"Hello there")
    body = _finding(at, at + 5, b"Howdy")
    lone = signatures.Signatures(parse(raw, max_depth=100))
    assert body.fix is not None
    assert (
        lone.why(body.fix.edits)
        == f"the message body is signed by DKIM-Signature (d=example.com); {HINT}"
    )


def test_arc_message_signature_counts_and_the_seal_is_never_edited() -> None:
    raw = msg(
        "ARC-Seal: i=1; a=rsa-sha256; cv=none; d=relay.example; s=arc; b=abc\n"
        "ARC-Message-Signature: i=1; a=rsa-sha256; c=relaxed/relaxed; d=relay.example;\n"
        " s=arc; h=from:to:subject; bh=x; b=y\n"
        "From: ann@example.com\nTo: bob@example.org\nSubject: Hello\n\nHi\n"
    )
    guard = signatures.Signatures(parse(raw, max_depth=100))
    seal_end = raw.index(b"\r\n") + 2
    assert guard.why([Edit(5, 6, b"x")]) == f"the ARC-Seal field is a signature; {HINT}"
    subject = raw.index(b"Subject")
    assert guard.why([Edit(subject, subject + 7, b"SUBJECT")]) == (
        f"the Subject field is signed by ARC-Message-Signature (i=1); {HINT}"
    )
    # An insertion between two fields leaves both as they are.
    assert guard.why([Edit(seal_end, seal_end, b"X-Note: y\r\n")]) is None
    assert guard.why([Edit(seal_end, seal_end, b"To: c@example.org\r\n")]) is not None
    assert not signatures.Signatures(parse(PLAIN, max_depth=100))


@given(
    st.lists(st.tuples(st.integers(0, 40), st.integers(0, 12)), max_size=8),
    st.integers(0, 50),
    st.integers(0, 6),
    st.booleans(),
)
def test_signature_regions_match_their_definition(
    regions: list[tuple[int, int]], start: int, width: int, inclusive: bool
) -> None:
    spans = [(s, s + w, f"r{i}") for i, (s, w) in enumerate(regions)]
    index = signatures._Regions(spans, inclusive)
    end = start + width

    def hits(s: int, e: int) -> bool:
        if start == end:
            return s <= start <= e if inclusive else s < start < e
        return s < end and start < e

    expected = any(hits(s, e) for s, e, _ in spans)
    got = index.hit(start, end)
    assert (got is not None) == expected
    if got is not None:
        s, e, _ = next(r for r in spans if r[2] == got)
        assert hits(s, e)


@given(
    st.lists(st.tuples(st.integers(0, 40), st.integers(0, 12)), max_size=8),
    st.integers(0, 50),
    st.integers(0, 6),
)
def test_proof_spans_match_the_scan_they_replace(
    spans: list[tuple[int, int]], start: int, width: int
) -> None:
    pairs = [(s, s + w) for s, w in spans]
    expected = any(s <= start + width and start <= e for s, e in pairs)
    assert Spans(pairs).touches(start, start + width) == expected


# ------------------------------------------------------------ convergence
def _nested(depth: int) -> bytes:
    """``depth`` nested multiparts, none closed, boundaries b0, b1 ... (b1 a prefix of b10)."""
    lines = [TOP + "Content-Type: multipart/mixed; boundary=b0\n"]
    for level in range(1, depth):
        lines.append(f"--b{level - 1}\nContent-Type: multipart/mixed; boundary=b{level}\n")
    lines.append(f"--b{depth - 1}\nContent-Type: text/plain\n\nx\n")
    return msg("\n".join(lines))


def test_deep_nesting_converges_past_max_passes_while_findings_decrease() -> None:
    raw = _nested(60)
    result = fix(raw)
    assert result.refused is None
    assert result.passes > 10  # past max_passes: every pass left fewer fixable findings
    assert not [f for f in result.remaining if f.fix is not None]
    assert fix(result.data).data == result.data


def test_running_out_of_progress_passes_says_so_without_blaming_a_rule(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(fixer, "PROGRESS_PASSES", 12)
    result = fix(_nested(60))
    assert result.refused is not None and result.data == _nested(60)
    assert result.refused.startswith("stopped after 12 passes with ")
    assert "needed more than 12 passes" in result.refused
    assert "bug" not in result.refused
    assert result.remaining  # the input's findings are still reported


# ------------------------------------------------------------ memory
def test_fixing_a_large_message_stays_under_five_times_its_size() -> None:
    import base64
    import tracemalloc

    # The shape of bench/generate.py's large_message(eight_bit=True): a raw
    # UTF-8 text part (re-encoded by the fix) beside base64 attachments.
    text = "Grüße aus Köln, die Unterlagen für Donnerstag liegen bei.\n" * 3_000
    blob = bytes(range(256)) * 5_000
    raw = msg(
        TOP + 'Content-Type: multipart/mixed; boundary="b"\n\n--b\n'
        "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n"
        + text
        + "--b\nContent-Type: application/octet-stream\nContent-Transfer-Encoding: base64\n\n"
        + base64.encodebytes(blob).decode("ascii")
        + "--b--\n"
    )
    fix(PLAIN)  # imports and caches outside the measurement
    tracemalloc.start()
    try:
        base = tracemalloc.get_traced_memory()[0]
        result = fix(raw)
        peak = tracemalloc.get_traced_memory()[1] - base
    finally:
        tracemalloc.stop()
    assert result.refused is None and "M103" in {f.code for f in result.applied}
    assert peak < 5 * len(raw), f"peak {peak / len(raw):.2f}x the message size"


def test_the_command_line_says_why_a_signed_finding_was_not_fixed(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from mimelint.cli import main

    path = tmp_path / "signed.eml"
    before = (SIGNED / "dkim-signed.eml").read_bytes()
    path.write_bytes(before)
    out = CliRunner().invoke(main, ["check", "--fix", "--show-fixes", str(path)]).output
    assert "M320 [error] Subject holds raw" in out  # no [*]: --fix cannot fix it
    assert (
        f"not fixed: the Subject field is signed by DKIM-Signature (d=example.com); {HINT}" in out
    )
    assert "fixable with" not in out
    fixed = path.read_bytes()
    assert fixed != before and fixed.partition(b"\r\n\r\n")[2] == before.partition(b"\r\n\r\n")[2]


def test_a_proof_that_raises_refuses_the_fix(monkeypatch: pytest.MonkeyPatch) -> None:
    # Totality: whatever a decoder inside the proof raises, fix() answers
    # with a refusal and the input untouched, never an exception.
    def broken(*args: object, **kwargs: object) -> str | None:
        raise RuntimeError("decoder exploded")

    monkeypatch.setattr(fixer, "_prove", broken)
    raw = b"From: a@example.com\r\nSubject: Gr\xc3\xbc\xc3\x9fe\r\n\r\nhi\r\n"
    result = fixer.fix(raw)
    assert result.data == raw and not result.changed
    assert result.refused is not None
    assert "RuntimeError: decoder exploded" in result.refused


def test_an_unsafe_fix_that_never_converges_is_refused_too() -> None:
    # Found by fuzzing: an unsafe fix that appends forever (the appended text
    # is never read back, as behind an unclosed quote) must not pass for a
    # finished fix just because the convergence check only looked at safe ones.
    @rule(
        code="X905", name="grows", severity="error", summary="appends forever", fix_safety="unsafe"
    )
    def grows(message: Message, context: Context) -> Iterator[Problem]:
        """Always offers to add one more X-Grow header."""
        at = message.headers[-1].end
        yield Problem(
            at, at, "m", "", Fix((Edit(at, at, b"X-Grow: 1\r\n"),), Safety.UNSAFE, "grow")
        )

    safe_run = fix(PLAIN, rules=[grows])
    assert safe_run.refused is None and not safe_run.changed  # unsafe fixes not applied
    unsafe_run = fix(PLAIN, rules=[grows], unsafe=True)
    assert unsafe_run.refused is not None and unsafe_run.data == PLAIN
    assert "X905 (grows) still offers a fix" in unsafe_run.refused


def test_the_decorator_still_takes_the_former_name_of_fix_safety() -> None:
    # Plugins written against 0.2 say fix="safe"; the keyword's new name is
    # fix_safety (what it holds), and giving both is a mistake to report.
    def check(message: Message, context: Context) -> None:
        """Finds nothing."""

    declared: dict[str, str] = {
        "code": "X906",
        "name": "old-name",
        "severity": "error",
        "summary": "s",
    }
    assert rule(**declared, fix="safe")(check).fix_safety is Safety.SAFE
    assert rule(**declared, fix_safety="unsafe")(check).fix_safety is Safety.UNSAFE
    assert rule(**declared)(check).fix_safety is None
    with pytest.raises(TypeError, match="not both"):
        rule(**declared, fix="safe", fix_safety="safe")


def test_a_fix_refused_beside_others_is_tried_again_on_their_output() -> None:
    # M208's fix (drop a doubled delimiter) changed the part count of the
    # input, whose nested multipart had no blank line after its header
    # (M607); with M607's blank line in, the same fix proves. Refused in the
    # first run, it was made by the next `fix` of the output: fix did not
    # converge (found by tests/test_rules_boundaries.py's delimiter soup).
    raw = (
        b"From: a@example.com\nMIME-Version: 1.0\n"
        b"Content-Type: multipart/mixed; boundary=b1\n\n--b1\n"
        b"Content-Type: multipart/alternative; boundary=b2\n--b2\n--b2\n"
        b"Content-Type: multipart/alternative; boundary=b2\n"
    )
    result = fix(raw, unsafe=True)
    assert [f.code for f in result.applied] == ["M607", "M206", "M208"]
    assert not result.refused_fixes
    assert [f.code for f in result.found] == [f.code for f in mimelint.lint(raw).findings]
    assert fix(bytes(result), unsafe=True) == bytes(result)


def test_settling_stops_after_its_rounds(monkeypatch: pytest.MonkeyPatch) -> None:
    # A run whose proof keeps refusing some fixes beside others that go
    # through is followed by at most SETTLE_ROUNDS more runs: fix cannot
    # loop, and each round's fixes and passes are added to the account.
    calls: list[bytes] = []

    def run(self: fixer._Fixer, max_passes: int) -> FixResult:
        calls.append(self.original)
        done = _finding(0, 0, b"x")
        refused = fixer.Skipped(_finding(0, 0, b"y", code="X002"), "refused by the proof")
        return FixResult(
            b"x" + self.original,
            original=self.original,
            applied=[done],
            remaining=[],
            passes=1,
            refused_fixes=[refused],
        )

    monkeypatch.setattr(fixer._Fixer, "run", run)
    result = fix(PLAIN)
    assert len(calls) == 1 + fixer.SETTLE_ROUNDS
    assert calls[1:] == [b"x" * n + PLAIN for n in range(1, len(calls))]  # each on its own output
    assert result.data == b"x" * len(calls) + PLAIN
    assert len(result.applied) == result.passes == len(calls)
    assert [s.finding.code for s in result.refused_fixes] == ["X002"]


# ------------------------------------------------------------ trials that leave fixes out
def test_a_span_after_a_removed_line_keeps_its_own_key() -> None:
    # Pass 1 removed bytes 10-20 (a duplicate field): what starts at 10 in
    # the new message started at 20 in the input; what ends at 10 ended at 10.
    history = [[(10, 20, 10, 10)]]
    assert fixer._back(10, history, start=True) == 20
    assert fixer._back(10, history, start=False) == 10
    # A replacement: its start maps to the start of what it replaced.
    history = [[(10, 20, 10, 14)]]
    assert fixer._back(10, history, start=True) == 10
    assert fixer._back(12, history, start=True) is None
    assert fixer._back(14, history, start=True) == 20


def test_an_empty_span_after_a_removed_line_keeps_its_own_key() -> None:
    # An insertion at 10, right after a pass removed bytes 10-20: it was at
    # 20 in the input, both ends. Mapped as start and end apart it was keyed
    # (20, 10), which no finding of the input has, so a trial leaving it out
    # applied it anyway.
    history = [[(10, 20, 10, 10)]]
    assert fixer._key(_finding(10, 10, b"x"), history) == ("X001", 20, 20)
    assert fixer._key(_finding(10, 12, b"x"), history) == ("X001", 20, 22)
    assert fixer._key(_finding(5, 10, b"x"), history) == ("X001", 5, 10)


def test_a_trial_applies_only_the_fixes_it_keeps(monkeypatch: pytest.MonkeyPatch) -> None:
    # 100 identical Subject fields (99 safe M605 removals) and an M328 fix the
    # second reader refuses. A trial that left some removals out took the
    # field after each removed one for another fix and applied them one pass
    # after another: 824 lint runs here (2,026 for 200 fields; 138 s at 400).
    raw = (
        b"From: a@example.com\r\nTo: b@example.com\r\n"
        b"Date: Mon, 02 Mar 2026 10: =?utf-8?q?x?==?utf-8?q?y?= 00:00 +0000\r\n"
        b"Message-ID: <1@example.com>\r\n" + b"Subject: Hello\r\n" * 100 + b"\r\nhi\r\n"
    )
    runs = []
    lint = fixer._Fixer.lint
    monkeypatch.setattr(fixer._Fixer, "lint", lambda self, data: runs.append(1) or lint(self, data))
    result = fix(raw)
    assert [s.finding.code for s in result.refused_fixes] == ["M328"]
    assert [f.code for f in result.applied] == ["M605"] * 99
    assert result.data.count(b"Subject: Hello\r\n") == 1
    assert len(runs) <= 2 * fixer.MAX_TRIALS
