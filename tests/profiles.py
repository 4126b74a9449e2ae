"""How many examples each hypothesis property tries.

The whole suite (``python -m pytest -q``, as CI runs it) tries every
property's full count, the one written in its ``@settings``:
``max_examples=examples(400)`` is 400 there. The fast suite
(``-m 'not slow'``) tries a third of it, never fewer than 50 (and never more
than the full count: a property written with 30 keeps 30); a property
without a count tries 50 instead of hypothesis's 100. Every property still
runs in the fast suite, on fresh random examples each time, and hypothesis's
database replays any example that failed before.

tests/conftest.py chooses the profile before the test modules are imported;
``--hypothesis-profile full`` (or ``fast``) chooses it by hand.
"""

from __future__ import annotations

from hypothesis import settings

#: The fast suite's share of a full count, and its floor.
FAST_SHARE = 3
FLOOR = 50

settings.register_profile("full", max_examples=100)  # hypothesis's own default
settings.register_profile("fast", max_examples=FLOOR)

PROFILES = ("full", "fast")

_fast = False


def use(profile: str) -> None:
    """Load ``profile`` ("full" or "fast") for the properties imported after."""
    global _fast
    settings.load_profile(profile)
    _fast = profile == "fast"


def examples(full: int) -> int:
    """The number of examples for a property whose full count is ``full``."""
    if not _fast:
        return full
    return max(min(full, FLOOR), full // FAST_SHARE)
