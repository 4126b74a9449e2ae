"""How many examples each hypothesis property tries.

The whole suite (``python -m pytest -q``, as CI runs it) tries every
property's full count, the one written in its ``@settings``:
``max_examples=examples(400)`` is 400 there, under whatever profile
hypothesis loaded (its "ci" profile where CI is set). The fast suite
(``-m 'not slow'``) loads the "fast" profile: a third of each count, never
fewer than 50 (and never more than the full count: a property written with
30 keeps 30), and 50 instead of hypothesis's 100 for a property without a
count. Every property still runs in the fast suite, on fresh random
examples each time, and hypothesis's database replays any example that
failed before.

tests/conftest.py loads the profile before the test modules are imported.
``--hypothesis-profile default`` runs the full counts with ``-m 'not slow'``;
``--hypothesis-profile fast`` the fast ones in any run.
"""

from __future__ import annotations

from hypothesis import settings

#: The fast suite's share of a full count, and its floor.
FAST_SHARE = 3
FLOOR = 50

# On top of the profile loaded now: hypothesis loads its "ci" profile at
# import where CI is set, and "fast" keeps its other settings.
settings.register_profile("fast", max_examples=FLOOR)

_fast = False


def use_fast() -> None:
    """Load the "fast" profile for the properties imported after."""
    global _fast
    settings.load_profile("fast")
    _fast = True


def examples(full: int) -> int:
    """The number of examples for a property whose full count is ``full``."""
    if not _fast:
        return full
    return max(min(full, FLOOR), full // FAST_SHARE)
