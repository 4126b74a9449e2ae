"""Rules about how different readers read one message."""

from __future__ import annotations

from .m901_readers_disagree import readers_disagree

RULES = [readers_disagree]
