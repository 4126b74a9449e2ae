"""Helpers for rule tests: a short message in, the exact findings out."""

from __future__ import annotations

from pathlib import Path

# The helpers plugin authors get are the ones mimelint's own tests use.
from mimelint.testing import findings, where
from mimelint.testing import message as msg

__all__ = ["FIXTURES", "ROOT", "findings", "fixture", "msg", "where"]

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"


def fixture(relative: str) -> bytes:
    """The bytes of a file under fixtures/."""
    return (FIXTURES / relative).read_bytes()
