"""Helpers for testing rules, the built-in ones and plugins alike.

A rule test reads like the docs: a short message in, the exact findings
out::

    from mimelint.testing import message, where, apply_fix

    raw = message("Subject: caf\\u00e9\\n\\nbody\\n")
    assert where(raw, "M320") == [(1, 10, "")]
    fixed = apply_fix(raw, findings(raw, "M320")[0])

``message`` turns readable text (LF line ends, ``str``) into the CRLF bytes
of a real message; ``findings`` and ``where`` lint with one rule selected;
``apply_fix`` applies one finding's fix the way the fixer does (all its
edits at once, on the original offsets), without the fixer's proof, so a
test can check exactly what a fix writes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from mimelint.lint import lint
from mimelint.rule import Finding, Fix, Rule

__all__ = ["apply_fix", "findings", "message", "where"]


def message(text: str) -> bytes:
    """Message bytes from readable test text: LF becomes CRLF, UTF-8 encoded."""
    return text.replace("\r\n", "\n").replace("\n", "\r\n").encode("utf-8")


def findings(
    raw: bytes, code: str, *, rules: Sequence[Rule] | None = None, **settings: Any
) -> list[Finding]:
    """The findings of one rule (by code) on ``raw``.

    ``settings`` are :func:`mimelint.lint`'s keywords (``profile``,
    ``envelope_from``...); ``rules`` lints with a plugin's rules instead of
    the installed ones.
    """
    report = lint(raw, select=[code], rules=rules, **settings)
    return [f for f in report.findings if f.code == code]


def where(raw: bytes, code: str, **settings: Any) -> list[tuple[int, int, str]]:
    """``(line, column, part)`` of each finding of one rule."""
    return [(f.line, f.column, f.part) for f in findings(raw, code, **settings)]


def apply_fix(raw: bytes, fix: Finding | Fix) -> bytes:
    """``raw`` with one fix's edits applied (the fixer's proof is not run)."""
    if isinstance(fix, Finding):
        if fix.fix is None:
            raise ValueError(f"{fix.code} at {fix.line}:{fix.column} has no fix")
        fix = fix.fix
    out = raw
    for edit in sorted(fix.edits, key=lambda e: (e.start, e.end), reverse=True):
        out = out[: edit.start] + edit.replacement + out[edit.end :]
    return out
