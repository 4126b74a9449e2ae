"""Fixes the second reader always refuses are declared unsafe by their rules (issue 9).

M304 (white space before a colon), M604 (a missing ``;``; quoting a bare
value, a boundary too, that Python's email ends early) and M704 (a decorated transfer encoding)
used to declare safe fixes that the two-reader proof refused on every
input, because Python's ``email`` package reads the input differently from
mimelint. Each case below shows both halves: the rule declares the fix
unsafe, and the same fix declared safe is refused by the proof.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from mimelint.rules.encodings.m704_decorated_transfer_encoding import (
    decorated_transfer_encoding as m704,
)
from mimelint.rules.headers.m304_invalid_header_name import invalid_header_name as m304
from mimelint.rules.structure.m604_malformed_parameter import malformed_parameter as m604

from mimelint.fixer import fix
from mimelint.rule import Problem, Rule, Safety
from tests.util import findings, msg

TOP = (
    "From: ann@example.com\nTo: bob@example.org\nDate: Wed, 25 Nov 2026 10:00:00 +0000\n"
    "Message-ID: <1@example.com>\nMIME-Version: 1.0\n"
)
MULTI = "Content-Type: multipart/mixed; boundary=b\nSubject: x\n\n--b\n{}\n\nJVBERi0xLjQK\n--b--\n"

CASES = {
    "M304 space before colon": (m304, TOP + "Subject : Report\n\nhi\n"),
    "M604 missing ';' after the type": (
        m604,
        TOP + 'Subject: x\nContent-Type: text/html charset="utf-8"\n\nhi\n',
    ),
    "M604 missing ';' between parameters": (
        m604,
        TOP + "Subject: x\nContent-Type: text/plain; charset=utf-8 format=flowed\n\nhi\n",
    ),
    "M604 name with white space": (
        m604,
        TOP + MULTI.format("Content-Type: application/pdf; name=My File.pdf"),
    ),
    "M604 filename with '='": (
        m604,
        TOP + MULTI.format("Content-Disposition: attachment; filename=a=b.pdf"),
    ),
    **{
        # policy.default ends the bare value at the tspecial and finds no
        # parts; compat32 takes the whole run (the tree compared).
        f"M604 boundary {boundary}": (
            m604,
            TOP + f"Subject: x\nContent-Type: multipart/mixed; boundary={boundary}\n\n"
            f"--{boundary}\nContent-Type: text/plain\n\nhi\n--{boundary}--\n",
        )
        for boundary in ("----=_Part_1", "a b", "x(y)")
    },
    "M704 comment": (
        m704,
        TOP + "Subject: x\nContent-Type: text/plain\nContent-Transfer-Encoding: base64 (std)\n"
        "\naGk=\n",
    ),
    "M704 quotes": (
        m704,
        TOP + 'Subject: x\nContent-Type: text/plain\nContent-Transfer-Encoding: "base64"\n\naGk=\n',
    ),
}


def _declared_safe(rule: Rule) -> Rule:
    """``rule`` with every fix it offers declared safe, as it was before."""

    def check(*args: Any) -> Iterator[Problem]:
        for p in rule.check(*args) or ():
            if p.fix is not None:
                p = p._replace(fix=p.fix._replace(safety=Safety.SAFE))
            yield p

    return rule.replace(check=check, fix_safety=Safety.SAFE)


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_rule_declares_the_fix_unsafe(case: str) -> None:
    rule, text = CASES[case]
    found = findings(msg(text), rule.code)
    assert found and all(f.fix is not None for f in found), case
    assert all(f.fix is not None and f.fix.safety is Safety.UNSAFE for f in found)
    # So a plain fix leaves the message alone without trying and refusing.
    result = fix(msg(text), rules=[rule])
    assert not result.changed and result.refused is None and not result.refused_fixes
    assert fix(msg(text), rules=[rule], unsafe=True).changed


@pytest.mark.parametrize("case", sorted(CASES))
def test_declared_safe_the_proof_refuses_it(case: str) -> None:
    rule, text = CASES[case]
    result = fix(msg(text), rules=[_declared_safe(rule)])
    assert not result.changed
    assert {r.finding.code for r in result.refused_fixes} == {rule.code}
    assert all("Python's email" in r.reason or "two readers" in r.reason
               for r in result.refused_fixes)  # fmt: skip
