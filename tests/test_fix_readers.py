"""The two-reader proof: Python's email package reads a safe fix's output as it read the input.

Messages are generated malformed the ways real mail is: obsolete
``Name :`` fields, header lines without a colon, 8-bit field names,
boundaries with white space at their end, a Content-Type missing its
``;``, folded parameters (inside quotes too), unclosed multiparts.
"""

from __future__ import annotations

import base64
import email
from collections.abc import Iterator
from email import policy
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import mimelint
from mimelint import fixer, proof
from mimelint.fixer import fix
from mimelint.mime.tree import Message
from mimelint.proof import prove_stdlib
from mimelint.readers import disagreements, read_stdlib, readers_may_disagree
from mimelint.rule import Context, Edit, Fix, Problem, Rule, Safety, rule
from tests.profiles import examples

TOP = (
    "From: Ann <ann@example.com>\r\nTo: bob@example.org\r\n"
    "Date: Wed, 25 Nov 2026 10:00:00 +0000\r\nMessage-ID: <9@example.com>\r\n"
)


def _std(raw: bytes) -> list[tuple[str, Any, list[tuple[str, str]]]]:
    """What Python's email package reads: per part, type, decoded body, fields."""
    parsed = email.message_from_bytes(raw, policy=policy.compat32)
    out = []
    for part in parsed.walk():
        body = None if part.is_multipart() else part.get_payload(decode=True)
        if isinstance(body, bytes) and part.get_content_maintype() == "text":
            body = body.replace(b"\r\n", b"\n").removesuffix(b"\n")
        fields = sorted(
            {
                (k.lower(), " ".join(str(policy.default.header_fetch_parse(k, v)).split()))
                for k, v in part.raw_items()
                if k.lower() not in ("content-transfer-encoding", "mime-version", "content-type")
            }
        )
        out.append((part.get_content_type(), body, fields))
    return out


def _shape_default(raw: bytes) -> list[tuple[str, bool]]:
    """How Python's email with policy.default divides a message: each part's type, multipart or not.

    It reads some bare boundaries shorter than compat32 does
    (``boundary=----=_Part_1`` is ``----``) and then finds no parts.
    """
    parsed = email.message_from_bytes(raw, policy=policy.default)
    return [(part.get_content_type(), part.is_multipart()) for part in parsed.walk()]


# ---------------------------------------------------------------- generators
field_lines = st.sampled_from(
    [
        "Subject: Quarterly report\r\n",
        "Subject : Quarterly report\r\n",  # obsolete: white space before the colon
        "Subject: Gr\u00fc\u00dfe aus K\u00f6ln\r\n",  # raw 8-bit (fixable)
        "X-Note this line has no colon\r\n",
        "X-Caf\u00e9: 8-bit field name\r\n",
        "Comments: a folded\r\n comment line\r\n",
        "Keywords:\tfinance, q3\r\n",
        "X-Mailer : Mailer 1.0\r\n",
    ]
)

type_lines = st.sampled_from(
    [
        'Content-Type: multipart/mixed; boundary="{b}"\r\n',
        'Content-Type: multipart/mixed;\r\n\tboundary="{b}"\r\n',
        'Content-Type: multipart/mixed boundary="{b}"\r\n',  # missing ';'
        "Content-Type: multipart/mixed; boundary={b}\r\n",
        'Content-Type: multipart/alternative; charset=us-ascii;\r\n boundary="{b}"\r\n',
    ]
)

leaf = st.sampled_from(
    [
        "Content-Type: text/plain; charset=us-ascii\r\n\r\nHello Bob.\r\n",
        "Content-Type: text/plain; charset=utf-8\r\n\r\nGr\u00fc\u00dfe, Bob.\r\n",
        "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 7bit\r\n\r\nK\u00f6ln\r\n",
        'Content-Type: application/pdf; name="r.pdf"\r\nContent-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQK\r\n',
        "Content-Type: text/html; charset=us-ascii\r\n\r\n<p>" + "x" * 1200 + "</p>\r\n",
    ]
)


@st.composite
def malformed(draw: st.DrawFn) -> bytes:
    head = TOP + "".join(draw(st.lists(field_lines, max_size=4))) + "MIME-Version: 1.0\r\n"
    if draw(st.booleans()):
        return (head + draw(leaf)).encode("utf-8")
    boundary = draw(
        st.sampled_from(["b1", "part  ", "=_x", "simple boundary", "b1 ", "----=_Part_1", "a/b"])
    )
    ctype = draw(type_lines).format(b=boundary)
    if draw(st.booleans()) and '"' in ctype:  # a fold inside the quoted boundary
        ctype = ctype.replace(f'"{boundary}"', f'"{boundary[:1]}\r\n {boundary[1:]}"')
    children = draw(st.lists(leaf, min_size=1, max_size=3))
    sep = draw(st.sampled_from(["", "  ", "\t"]))  # trailing blanks on delimiter lines
    body = "".join(f"--{boundary}{sep}\r\n{child}" for child in children)
    close = draw(st.sampled_from([f"--{boundary}--\r\n", f"--{boundary.rstrip()}--\r\n", ""]))
    return (head + ctype + "\r\n" + body + close).encode("utf-8")


# ---------------------------------------------------------------- properties
@settings(max_examples=examples(120), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(malformed())
def test_a_safe_fix_reads_the_same_in_the_standard_library(raw: bytes) -> None:
    result = fix(raw)
    if result.changed:
        assert _std(result.data) == _std(raw)
        assert _shape_default(result.data) == _shape_default(raw)
        # The second reader's own proof agrees, and the readers agree on
        # what the fix produced wherever they agreed on the input.
        assert prove_stdlib(raw, result.data) is None
        assert disagreements(mimelint.parse(result.data)) == []
    assert fix(result.data).data == result.data


@settings(max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(malformed())
def test_where_the_readers_disagree_no_fix_is_safe(raw: bytes) -> None:
    found = disagreements(mimelint.parse(raw))
    result = fix(raw)
    if found:
        assert not result.changed
        for f in result.remaining:
            assert f.fix is None or f.fix.safety is Safety.UNSAFE
    # The cheap facts never hide a disagreement the full comparison finds.
    if not readers_may_disagree(mimelint.parse(raw)):
        assert found == []


@settings(max_examples=examples(60), deadline=None)
@given(st.binary(max_size=300))
def test_the_second_reader_is_total(data: bytes) -> None:
    message = mimelint.parse(data)
    for d in disagreements(message):
        assert 0 <= d.start <= d.end <= len(data) and d.message
    fix(data)  # never raises


# ---------------------------------------------------------------- examples
def _msg(text: str) -> bytes:
    return text.replace("\n", "\r\n").encode("utf-8")


OBSOLETE = _msg(TOP.replace("\r\n", "\n") + "Subject : Gr\u00fc\u00dfe\nMIME-Version: 1.0\n\nHi\n")


def test_obsolete_syntax_makes_every_fix_unsafe_and_says_what_each_reader_sees() -> None:
    (d,) = disagreements(mimelint.parse(OBSOLETE))
    assert d.message.startswith("Python's email package reads this line and the lines after it")
    assert mimelint.parse(OBSOLETE).position(d.start) == (5, 1)
    assert "RFC 5322 §4.5 obsolete syntax" in d.message
    safe = fix(OBSOLETE)
    assert not safe.changed and safe.refused is None
    # M304's fix is unsafe at the source (it always settles one reading);
    # M320's safe fix is made unsafe here by the disagreement.
    assert {s.finding.code for s in safe.refused_fixes} == {"M320"}
    assert all("two readers disagree" in s.reason for s in safe.refused_fixes)
    for f in safe.remaining:
        if f.code == "M304":
            assert f.fix is not None and f.fix.safety is Safety.UNSAFE
        if f.code == "M320":
            assert f.fix is not None and f.fix.safety is Safety.UNSAFE
            assert "; not fixed: the two readers disagree" in f.message
    unsafe = fix(OBSOLETE, unsafe=True)
    assert unsafe.changed and b"\r\nSubject: =?utf-8?" in unsafe.data
    # The fix settled one reading: both readers now read the Subject as a field.
    assert disagreements(mimelint.parse(unsafe.data)) == []


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (
            _msg(TOP.replace("\r\n", "\n") + "X-No colon here\nSubject: x\n\nHi\n"),
            "it has no colon (RFC 5322 §2.2 requires one)",
        ),
        (
            _msg(TOP.replace("\r\n", "\n") + "X-Caf\u00e9: y\nSubject: x\n\nHi\n"),
            "its field name holds 8-bit bytes",
        ),
        (
            _msg(
                TOP.replace("\r\n", "\n") + 'Content-Type: multipart/mixed; boundary="b "\n\n'
                "--b \nContent-Type: text/plain\n\nx\n--b --\n"
            ),
            "it drops white space at the end of a boundary",
        ),
        (
            _msg(
                TOP.replace("\r\n", "\n") + 'Content-Type: multipart/mixed boundary="b"\n\n'
                "--b\nContent-Type: text/plain\n\nx\n--b--\n"
            ),
            "a parameter without the ';' before it",
        ),
    ],
)
def test_each_kind_of_disagreement_is_named(raw: bytes, expected: str) -> None:
    found = disagreements(mimelint.parse(raw))
    assert found and expected in found[0].message
    report = mimelint.lint(raw, select=["M901"])
    assert [f.code for f in report] == ["M901"]
    assert report.findings[0].line == mimelint.parse(raw).position(found[0].start)[0]


def test_m901_is_off_by_default_and_on_when_named() -> None:
    assert "M901" not in {f.code for f in mimelint.lint(OBSOLETE)}
    assert "M901" in {f.code for f in mimelint.lint(OBSOLETE, extend_select=["M901"])}
    assert "M901" in {f.code for f in mimelint.lint(OBSOLETE, select=["ALL"])}
    assert "M901" in {f.code for f in mimelint.lint(OBSOLETE, select=["readers-disagree"])}


def test_cheap_facts_skip_the_standard_library_on_plain_messages(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    plain = _msg(
        TOP.replace("\r\n", "\n") + "Subject: Hi\nMIME-Version: 1.0\n"
        'Content-Type: multipart/alternative;\n\tboundary="=_a"\n\n--=_a\n'
        "Content-Type: text/plain; charset=us-ascii\n\nHi\n--=_a--\n"
    )

    def boom(*args: object, **kwargs: object) -> None:
        raise AssertionError("the standard library was asked")

    monkeypatch.setattr("mimelint.readers.read_stdlib", boom)
    assert not readers_may_disagree(mimelint.parse(plain))
    assert disagreements(mimelint.parse(plain)) == []


def test_a_reader_that_raises_is_a_refusal_with_a_reason(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(data: bytes, content: bool) -> None:
        raise IndexError("header parser fell over")

    monkeypatch.setattr("mimelint.readers._stdlib_parse", broken)
    raw = _msg(TOP.replace("\r\n", "\n") + "Subject: Gr\u00fc\u00dfe\n\nHi\n")
    result = fix(raw)
    assert not result.changed and result.refused is not None
    assert "IndexError: header parser fell over" in result.refused
    assert "the readers cannot be compared" in result.refused


def test_the_unclosed_last_part_line_break_is_not_content() -> None:
    unclosed = _msg(
        TOP.replace("\r\n", "\n")
        + 'MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="b"\n'
        "\n--b\nContent-Type: text/csv\n\na,b\n1,2\n"
    )
    result = fix(unclosed)
    assert result.changed and result.refused is None and b"--b--" in result.data
    assert prove_stdlib(read_stdlib(unclosed, content=True), result.data) is None
    # ...but a real loss there still is one.
    assert prove_stdlib(unclosed, result.data.replace(b"1,2", b"1,3")) is not None


# ---------------------------------------------------------------- per fix
def _rewrites(code: str, old: bytes, new: bytes) -> Rule:
    @rule(
        code=code, name=f"rewrite-{code.lower()}", severity="error", summary="s", fix_safety="safe"
    )
    def check(message: Message, context: Context) -> Iterator[Problem]:
        """Rewrites one header value."""
        for h in message.headers:
            if h.raw_value == old:
                edit = Edit(h.value_start, h.value_end, new)
                yield Problem(h.start, h.end, "m", "", Fix((edit,), Safety.SAFE, code))

    return check


def test_refusal_is_per_fix_and_each_refused_fix_says_why() -> None:
    raw = _msg(TOP.replace("\r\n", "\n") + "Subject: one\nKeywords: two\nComments: three\n\nHi\n")
    rules = [
        _rewrites("X911", b" one", b" one "),  # a blank more: proves
        _rewrites("X912", b" two", b" 2"),  # loses content: refused
        _rewrites("X913", b" three", b"  three"),  # blanks only: proves
    ]
    result = fix(raw, rules=rules)
    assert result.refused is None and result.changed
    assert [f.code for f in result.applied] == ["X911", "X913"]
    (refused,) = result.refused_fixes
    assert refused.finding.code == "X912"
    assert refused.reason.startswith("part message: header Keywords changed from")
    (left,) = [f for f in result.remaining if f.code == "X912"]
    assert left.fix is None and left.message.startswith("m; not fixed: part message: header")


def test_settling_tries_few_runs_when_one_fix_of_many_fails(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    lines = "".join(f"X-H{i}: v{i}\n" for i in range(32))
    raw = _msg(TOP.replace("\r\n", "\n") + lines + "Keywords: two\n\nHi\n")
    rules = [_rewrites(f"X9{i:02d}", f" v{i}".encode(), f"  v{i}".encode()) for i in range(32)] + [
        _rewrites("X999", b" two", b" 2")
    ]
    runs = 0
    attempt = fixer._Fixer.attempt

    def counted(self: fixer._Fixer, *args: Any) -> Any:
        nonlocal runs
        runs += 1
        return attempt(self, *args)

    monkeypatch.setattr(fixer._Fixer, "attempt", counted)
    result = fix(raw, rules=rules)
    assert len(result.applied) == 32 and [s.finding.code for s in result.refused_fixes] == ["X999"]
    assert runs <= 2 + 2 * 6  # the whole set, then about two runs per halving


@settings(max_examples=examples(150), deadline=None)
@given(st.binary(max_size=3000), st.sampled_from([4, 76, 64, 1000]), st.booleans())
def test_streamed_base64_digest_is_the_standard_library_decode(
    data: bytes, width: int, crlf: bool
) -> None:
    import base64
    import hashlib

    from mimelint.readers import _clean_base64, _digest_base64, _strip_break

    text = base64.b64encode(data).decode("ascii")
    sep = "\r\n" if crlf else "\n"
    payload = sep.join(text[i : i + width] for i in range(0, len(text), width)) + sep
    raw = (
        f"Content-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n{payload}"
    ).encode("ascii")
    decoded = email.message_from_bytes(raw, policy=policy.compat32).get_payload(decode=True)
    assert _clean_base64(payload)
    less = _strip_break(decoded)
    assert _digest_base64(payload) == (
        hashlib.sha256(decoded).digest() + len(decoded).to_bytes(8, "big"),
        hashlib.sha256(less).digest() + len(less).to_bytes(8, "big"),
    )


@pytest.mark.parametrize(
    ("name", "position"),
    [
        ("bad-obsolete-colon.eml", (5, 1, 6, 1)),
        ("bad-no-colon.eml", (6, 1, 7, 1)),
        ("bad-8bit-name.eml", (6, 1, 7, 1)),
        ("bad-boundary-trailing-space.eml", (7, 1, 8, 1)),
        ("bad-missing-semicolon.eml", (7, 1, 8, 1)),
    ],
)
def test_m901_points_at_the_line_the_readers_read_otherwise(
    name: str, position: tuple[int, int, int, int]
) -> None:
    from tests.util import FIXTURES

    raw = (FIXTURES / "rules" / "M901" / name).read_bytes()
    (f,) = mimelint.lint(raw, select=["M901"]).findings
    assert (f.line, f.column, f.end_line, f.end_column) == position
    assert f.message.startswith("the readers disagree: Python's email package ")
    assert "b'" not in f.message and "(part" not in f.message


def test_nesting_past_mimelint_limit_is_a_disagreement_and_costs_few_runs() -> None:
    lines = [TOP + 'MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="b0"\r\n']
    for level in range(1, 120):
        lines.append(f'--b{level - 1}\r\nContent-Type: multipart/mixed; boundary="b{level}"\r\n')
    lines.append("--b119\r\nContent-Type: text/plain\r\n\r\nx\r\n")
    raw = "\r\n".join(lines).encode()
    (d,) = disagreements(mimelint.parse(raw))
    assert "mimelint stops at its nesting limit of 100 levels" in d.message
    result = fix(raw)  # the close delimiters mimelint would add settle one reading
    assert not result.changed and result.refused_fixes
    assert all(f.fix is None or f.fix.safety is Safety.UNSAFE for f in result.remaining)


def test_trial_runs_shrink_for_long_runs_and_large_messages() -> None:
    assert fixer._trials(1, 10_000) == fixer.MAX_TRIALS
    assert fixer._trials(8, 10_000) == 4
    assert fixer._trials(1, 10 << 20) == 3
    assert fixer._trials(200, 50 << 20) == 2


def test_a_message_the_cheap_facts_cannot_clear_may_still_agree() -> None:
    # A bare CR in a body forces the full comparison; an embedded message
    # is one child for both readers.
    raw = _msg(
        TOP.replace("\r\n", "\n")
        + 'MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="o"\n'
        "\n--o\nContent-Type: text/plain\n\nline one\rstill line one\n--o\n"
        "Content-Type: message/rfc822\n\nFrom: carol@example.net\nSubject: inner\n\nInner.\n--o--\n"
    )
    message = mimelint.parse(raw)
    assert readers_may_disagree(message)
    assert disagreements(message) == []


def test_a_bare_cr_in_the_header_section_is_named_where_it_is() -> None:
    raw = _msg(TOP.replace("\r\n", "\n") + "Subject: one\rtwo\nX-After: yes\n\nHi\n")
    (d,) = disagreements(mimelint.parse(raw))
    message = mimelint.parse(raw)
    assert "ends a line at this bare CR" in d.message and "line 5" not in d.message
    assert raw[d.start : d.end] == b"\r" and message.position(d.start) == (5, 13)
    # The field read otherwise travels as a related place, not as text.
    [first] = d.related
    assert message.position(first.start) == (6, 1) and first.message.startswith("the first")


def test_the_command_line_shows_each_refused_fix_and_applies_the_rest(
    tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from types import SimpleNamespace

    from click.testing import CliRunner
    from mimelint.rules.structure import m604_malformed_parameter

    from mimelint.cli import main
    from tests.util import FIXTURES

    # M604 declares quoting a file name or a boundary unsafe (Python's
    # email reads the bare value differently); declared safe, as a careless
    # plugin might, the second reader refuses both while the Subject's fix
    # proves.
    lax = SimpleNamespace(SAFE=Safety.SAFE, UNSAFE=Safety.SAFE)
    monkeypatch.setattr(m604_malformed_parameter, "Safety", lax)
    before = (FIXTURES / "fixes" / "M604-unquoted-value.unsafe.before.eml").read_bytes()
    path = tmp_path / "m.eml"
    path.write_bytes(before.replace(b"Subject: Report", "Subject: Grüße".encode()))
    out = CliRunner().invoke(main, ["check", "--fix", str(path)]).output
    assert (
        "not fixed: Python's email package reads part 2 differently: Content-Type parameters "
        "changed from name='Quarterly' to name='Quarterly Report.pdf' (part 2)"
    ) in out
    assert (
        "not fixed: Python's email package reads part message differently: with policy.default"
        in out
    )
    fixed = path.read_bytes()
    assert b"Subject: =?utf-8?" in fixed  # the fix that proved was applied
    assert b"name=Quarterly Report.pdf" in fixed  # the refused ones were not
    assert b"boundary=----=_Part_1_2043" in fixed


@settings(max_examples=examples(200), deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 60), st.integers(0, 5), st.binary(max_size=6)),
        max_size=6,
    ),
    st.integers(0, 80),
)
def test_offsets_map_back_through_applied_edits(
    spans: list[tuple[int, int, bytes]], probe: int
) -> None:
    data = bytes(range(33, 33 + 64))
    findings = []
    for n, (start, width, replacement) in enumerate(spans):
        end = min(start + width, len(data))
        edit = Edit(min(start, end), end, replacement.replace(b"!", b"?"))
        findings.append(
            mimelint.Finding(
                code=f"X{n:03d}", name="t", severity=mimelint.Severity.ERROR, message="m",
                start=0, end=0, line=1, column=1, end_line=1, end_column=1,
                fix=Fix((edit,), Safety.SAFE, "t"),
            )
        )  # fmt: skip
    batch = fixer.accept(findings, len(data), unsafe=False)
    new, _, _ = fixer.apply(data, batch)
    history = [fixer._shifts(batch)]
    pos = min(probe, len(new))
    shifts = history[0]
    # None: inside replacement bytes, no input offset. Outside every edit,
    # the byte at a start offset is the input's, right after a removal too.
    old = fixer._back(pos, history, start=True)
    if old is not None and pos < len(new) and not any(s[2] <= pos < s[3] for s in shifts):
        assert new[pos] == data[old]
    # And the byte before an end offset, where one edit ends or starts there.
    old = fixer._back(pos, history, start=False)
    meeting = sum(pos in (s[2], s[3]) for s in shifts) > 1
    outside = not any(s[2] < pos <= s[3] for s in shifts)
    if old is not None and pos > 0 and not meeting and outside:
        assert new[pos - 1] == data[old - 1]


def _stdlib_test_messages() -> list[Any]:
    """The standard library's own email test messages, where the install ships them."""
    import pathlib
    import sysconfig

    folder = pathlib.Path(sysconfig.get_paths()["stdlib"]) / "test" / "test_email" / "data"
    return sorted(folder.glob("msg_*.txt"))


@pytest.mark.skipif(not _stdlib_test_messages(), reason="this Python ships no test_email data")
def test_the_standard_library_test_messages_fix_as_both_readers_agree() -> None:
    changed = 0
    for path in _stdlib_test_messages():
        raw = path.read_bytes()
        result = fix(raw)
        if result.changed:
            changed += 1
            assert prove_stdlib(raw, result.data) is None, path.name
            assert fix(result.data).data == result.data, path.name
        if disagreements(mimelint.parse(raw)):
            assert not result.changed, path.name
    assert changed  # some of them do need a fix (MIME-Version, mbox From, ...)


def test_an_mbox_from_line_opening_an_embedded_message_is_read_alike() -> None:
    from tests.util import FIXTURES

    raw = (FIXTURES / "rules" / "M306" / "bad-forwarded-mbox-from.eml").read_bytes()
    assert disagreements(mimelint.parse(raw)) == []
    result = fix(raw)
    assert result.changed and not result.refused_fixes
    assert prove_stdlib(raw, result.data) is None


def test_the_first_reader_reads_address_fields_with_mimelints_reader() -> None:
    # The proof's own reading of an address field is mimelint's address
    # reader, not the standard library's getaddresses: a To of 3,000
    # encoded-words (MimeKit's stack-overflow.txt) sent that one into a
    # RecursionError, and M601's fix was refused for it.
    words = "\r\n\t".join(["=?utf-8?Q?date=3E2017-08-20T10:08:28.617=3C/pr?="] * 3000)
    raw = (
        f"From: a@example.com\r\nTo: {words}\r\nSubject: s\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n\r\nbody\r\n"
    ).encode()
    result = fix(raw)
    assert result.refused is None
    assert [f.code for f in result.applied] == ["M601"]


@pytest.mark.parametrize(
    ("before", "after", "other"),
    [
        (
            '"John Q. Public" <jqp@example.com>',
            "John Q. Public <jqp@example.com>",
            "John Q. Public <jqr@example.com>",
        ),
        (
            "J\u00fcrgen <a@example.com>",
            "=?utf-8?q?J=C3=BCrgen?= <a@example.com>",
            "=?utf-8?q?J=C3=BCrgan?= <a@example.com>",
        ),
        # A mailbox the reader cannot read keeps what its pieces say, and
        # no piece of the mailbox after it (its error spans the "Jr.").
        (
            "Dr. J. Smith, Jr. <a@example.com>",
            'Dr. J. Smith, "Jr." <a@example.com>',
            'Dr. J. Smyth, "Jr." <a@example.com>',
        ),
        # Comments are read too, encoded-words decoded (RFC 2047 §5(2)).
        (
            "a@example.com (J\u00fcrgen)",
            "a@example.com (=?utf-8?q?J=C3=BCrgen?=)",
            "a@example.com (Jurgen)",
        ),
        # So are group names, and which mailboxes a group holds.
        (
            "Fr\u00fcnde: a@example.com, b@example.com;",
            "=?utf-8?q?Fr=C3=BCnde?=: a@example.com, b@example.com;",
            "=?utf-8?q?Fr=C3=BCnde?=: a@example.com;, b@example.com",
        ),
        (
            "undisclosed-recipients:;",
            "undisclosed-recipients: ;",
            "undisclosed-recipient:;",
        ),
        # A mailbox the reader cannot read keeps what its pieces say.
        (
            '"KLAUS- H\u00c4NSCHEL" <>',
            "KLAUS- =?utf-8?b?SMOETlNDSEVM?= <>",
            "KLAUS- HANSCHEL <>",
        ),
    ],
)
def test_the_first_reader_sees_the_same_mailboxes(before: str, after: str, other: str) -> None:
    from mimelint.mime.parse import parse
    from mimelint.proof import header_value

    def value(text: str) -> str:
        message = parse(f"Reply-To: {text}\r\n\r\n".encode())
        header = message.header("reply-to")
        assert header is not None
        return header_value(header, message.data)

    assert value(before) == value(after)
    assert value(before) != value(other)


def test_closing_a_multipart_whose_last_part_is_base64_keeps_its_bytes() -> None:
    # M206 closes the multipart; the line break before the new delimiter is
    # base64 text, which decodes to nothing, so the attachment's own final
    # LF byte must not be read as a line break the close delimiter took
    # (rspamd's pdf_encrypted.eml: the fix was refused, 37,406 bytes
    # before, 37,405 after).
    body = base64.encodebytes(b"%PDF-1.4 data\n%%EOF\n")
    raw = (
        b"From: a@example.com\nTo: b@example.com\nSubject: s\nMIME-Version: 1.0\n"
        b'Content-Type: multipart/mixed; boundary="b"\n\n--b\nContent-Type: text/plain\n\nhi\n'
        b"--b\nContent-Type: application/pdf\nContent-Transfer-Encoding: base64\n\n" + body + b"\n"
    )
    result = fix(raw)
    assert result.refused is None
    assert [f.code for f in result.applied] == ["M206"]
    after = email.message_from_bytes(bytes(result), policy=policy.compat32)
    assert after.get_payload(1).get_payload(decode=True) == b"%PDF-1.4 data\n%%EOF\n"


def test_closing_a_multipart_whose_last_part_is_a_message_keeps_its_text() -> None:
    # The same line break when the last part is a message/rfc822: the
    # standard library drops it from the embedded message's body, and the
    # proof looked for it on the message part only (stalwart mail-parser's
    # malformed/012.eml: "Python's email package reads part 2 differently:
    # content differs after transfer decoding (3 bytes before, 4 after)").
    raw = (
        b"From: a@example.com\nTo: b@example.com\nSubject: s\nMIME-Version: 1.0\n"
        b'Content-Type: multipart/mixed; boundary="b"\n\n--b\nContent-Type: text/plain\n\nhi\n'
        b"--b\nContent-Type: message/rfc822\n\nContent-Type: text/plain\n\n333\n"
    )
    result = fix(raw)
    assert result.refused is None and not result.refused_fixes
    assert [f.code for f in result.applied] == ["M206"]
    assert bytes(result).endswith(b"\n333\n\n--b--\n")


def test_an_unreadable_mailbox_is_read_without_the_next_mailbox_s_pieces() -> None:
    # "Dr. J. Smith, Jr. <a@...>": the reader's error for the first mailbox
    # spans the unquoted ',' and the next mailbox's "Jr." (its diagnosis:
    # the name reads as two addresses). Quoting "Jr." (M415) changes that
    # diagnosis, not what either mailbox says: the proof read the first
    # mailbox with the second's phrase in it and refused the fix, which the
    # standard library's reading (and getaddresses, before) accepted.
    raw = (
        b"From: a@example.com\r\nSubject: s\r\nDate: Mon, 7 Dec 2026 04:00:00 +0000\r\n"
        b"Message-ID: <m@example.com>\r\nTo: Dr. J. Smith, Jr. <a@example.com>\r\n\r\nbody\r\n"
    )
    result = fix(raw)
    assert result.refused is None and not result.refused_fixes
    assert [f.code for f in result.applied] == ["M415"]
    assert b'To: Dr. J. Smith, "Jr." <a@example.com>\r\n' in result.data


class _UnitsNotCopied(list):  # type: ignore[type-arg]
    """An address field's units that refuse to be sliced: a slice per
    mailbox copies the rest of the list each time, quadratic in the field."""

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, slice):
            pytest.fail("the units were copied for a mailbox")
        return super().__getitem__(key)


def test_the_first_reader_walks_an_address_field_once() -> None:
    # Each mailbox copied the list of the field's units after it (a slice):
    # 32,000 mailboxes in a 900 KB To took 7 s, and each fix proof reads
    # every address field. The reading now steps through the units by
    # index; its speed is bench/scaling.py's, this pins the cause.
    from mimelint.mime.parse import parse
    from mimelint.proof import header_value

    field = ", ".join(f"N{i} <a{i}@example.com>" for i in range(50))
    message = parse(f"To: {field}\r\n\r\nx\r\n".encode())
    header = message.header("to")
    assert header is not None
    expected = header_value(header, message.data)
    header.__dict__["address_units"] = _UnitsNotCopied(header.address_units)
    assert header_value(header, message.data) == expected
    assert expected.count("<a") == 50


def test_a_boundary_policy_default_reads_otherwise_may_not_change() -> None:
    # policy.default reads the bare boundary as '----' (no parts); quoted,
    # or renamed by any fix, it reads the parts: the second reader refuses.
    raw = _msg(
        TOP.replace("\r\n", "\n") + "MIME-Version: 1.0\n"
        "Content-Type: multipart/mixed; boundary=----=_Part_1\n\n"
        "------=_Part_1\nContent-Type: text/plain\n\nhi\n------=_Part_1--\n"
    )
    for new_type in (b'boundary="----=_Part_1"', b'boundary="=_fresh_1"'):
        new = raw.replace(b"boundary=----=_Part_1", new_type).replace(
            b"------=_Part_1", b"--" + new_type.split(b'"')[1]
        )
        assert _std(new) == _std(raw)  # compat32 reads the same tree
        reason = prove_stdlib(raw, new)
        assert reason is not None and "with policy.default, the boundary reads as '----'" in reason
    # A fix elsewhere in the message leaves that reading alone.
    other = raw.replace(b"Content-Type: text/plain", b"Content-Type: text/plain; charset=us-ascii")
    assert prove_stdlib(raw, other) is None


@settings(max_examples=examples(60), deadline=None)
@given(
    st.sampled_from(["base64", "Base64", "base64 ", "base64\t", " base64", "base64\r\n "]),
    st.sampled_from(["application/octet-stream", "text/plain; charset=utf-8"]),
    st.binary(min_size=1, max_size=400),
    st.sampled_from([76, 200, 1000]),
    st.sampled_from(["\r\n", "\n"]),
)
def test_a_safe_fix_of_a_base64_body_reads_the_same_in_policy_default(
    cte: str, ctype: str, content: bytes, width: int, eol: str
) -> None:
    # get_payload(decode=True) compares the unstripped value with 'base64':
    # with a blank at its end it hands back the raw lines, so re-wrapping
    # them (M712) or changing their line breaks (M107) changes what it reads.
    encoded = base64.b64encode(content).decode("ascii")
    lines = [encoded[i : i + width] for i in range(0, len(encoded), width)]
    raw = (
        TOP + f"Subject: x\r\nMIME-Version: 1.0\r\nContent-Type: {ctype}\r\n"
        f"Content-Transfer-Encoding: {cte}\r\n\r\n" + eol.join(lines) + eol
    ).encode("ascii")
    result = fix(raw)
    if result.changed:
        before = email.message_from_bytes(raw, policy=policy.default)
        after = email.message_from_bytes(result.data, policy=policy.default)
        read = [m.get_payload(decode=True) for m in (before, after)]
        if ctype.startswith("text/"):  # a line break of text may become CRLF
            read = [r.replace(b"\r\n", b"\n") for r in read]
        assert read[1] == read[0]


@settings(max_examples=examples(60), deadline=None)
@given(
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=20),
    st.sampled_from(["utf-16-le", "utf-16-be", "utf-32-le", "utf-8"]),
)
def test_closing_a_multipart_keeps_the_text_of_its_last_part(text: str, charset: str) -> None:
    # Python drops the last line break of an unclosed multipart's last part;
    # a fix that closes it (M206) or re-encodes that part may make the break
    # content. In UTF-16 or UTF-32 text those bytes are a character (U+0A0D):
    # the proof let it through as "only a line break".
    raw = (
        (
            TOP
            + "Subject: x\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n"
            f"--b\r\nContent-Type: text/plain; charset={charset}\r\n"
            "Content-Transfer-Encoding: 8bit\r\n\r\n"
        ).encode()
        + text.encode(charset)
        + b"\r\n"
    )
    result = fix(raw)
    before = email.message_from_bytes(raw, policy=policy.default)
    after = email.message_from_bytes(result.data, policy=policy.default)
    read = [[p.get_content() for p in m.iter_parts()] for m in (before, after)]
    if charset == "utf-8":  # line breaks may become CR LF, a trailing one content
        read = [[t.replace("\r\n", "\n").rstrip("\n") for t in r] for r in read]
    assert read[1] == read[0]


@pytest.mark.parametrize(
    "charset", ["utf-16-le", "utf-16-be", "utf-32-le", "ucs-2", "ibm037", "ibm500"]
)
def test_both_readers_compare_utf16_utf32_and_ebcdic_text_as_bytes(charset: str) -> None:
    # Both readers read CRLF and bare CR as LF in text before comparing. In
    # UTF-16 or UTF-32 those bytes are halves of characters (U+0D0A, U+0A0D),
    # in EBCDIC 0x0A is U+008E: an edit writing 0D 0A as 0A changed the text
    # and both proofs passed it.
    codec = "utf-16-le" if charset == "ucs-2" else charset
    head = (
        TOP + f"MIME-Version: 1.0\r\nContent-Type: text/plain; charset={charset}\r\n"
        "Content-Transfer-Encoding: binary\r\n\r\n"
    ).encode()
    text = "a\r\u008eb\r\n" if charset.startswith("ibm") else "a\u0d0ab\u0a0dc\r\n"
    body = text.encode(codec)
    scrambled = body.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    assert scrambled != body
    before, after = head + body, head + scrambled
    assert prove_stdlib(before, after) is not None
    assert proof.prove(mimelint.parse(before), mimelint.parse(after)) is not None
    # Line breaks of UTF-8 text still read as LF in both.
    utf8 = head.replace(charset.encode(), b"utf-8")
    crlf, lf = utf8 + b"a\r\nb\r\n", utf8 + b"a\nb\n"
    assert prove_stdlib(crlf, lf) is None
    assert proof.prove(mimelint.parse(crlf), mimelint.parse(lf)) is None
