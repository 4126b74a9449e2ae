"""Helpers for rule tests: a short message in, the exact findings out."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import mimelint
from mimelint.rule import Finding

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"


def msg(text: str) -> bytes:
    """A message from readable test text: LF becomes CRLF, UTF-8 encoded."""
    return text.replace("\r\n", "\n").replace("\n", "\r\n").encode("utf-8")


def findings(raw: bytes, code: str, **kwargs: Any) -> list[Finding]:
    """The findings of one rule (by code) on a raw message."""
    return [f for f in mimelint.lint(raw, select=[code], **kwargs).findings if f.code == code]


def where(raw: bytes, code: str, **kwargs: Any) -> list[tuple[int, int, str]]:
    """(line, column, part) of each finding of one rule."""
    return [(f.line, f.column, f.part) for f in findings(raw, code, **kwargs)]


def fixture(relative: str) -> bytes:
    """The bytes of a file under fixtures/."""
    return (FIXTURES / relative).read_bytes()
