"""Helpers for rule tests: a short message in, the exact findings out."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

# The helpers plugin authors get are the ones mimelint's own tests use.
from mimelint.testing import findings, where
from mimelint.testing import message as msg

__all__ = ["FIXTURES", "ROOT", "Counted", "findings", "fixture", "msg", "where"]

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"


def fixture(relative: str) -> bytes:
    """The bytes of a file under fixtures/."""
    return (FIXTURES / relative).read_bytes()


class Counted:
    """``thing`` as it is, with each read of one of its attributes counted
    in ``reads`` by name: how much work a loop does, counted, not timed."""

    __slots__ = ("_reads", "_thing")

    def __init__(self, thing: object, reads: Counter[str]) -> None:
        self._thing = thing
        self._reads = reads

    def __getattr__(self, name: str) -> Any:
        self._reads[name] += 1
        return getattr(self._thing, name)
