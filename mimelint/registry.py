"""Rule discovery: built-in and third-party rules through one entry-point group.

The engine imports no rule by name. ``mimelint``'s own ``rules/`` package
registers under the group ``mimelint.rules`` exactly as a plugin does, so a
plugin author can read ``rules/`` to learn how. An entry point names a list
of :class:`~mimelint.rule.Rule` objects (conventionally a module's
``RULES``), a single rule, or a module that has ``RULES``.
"""

from __future__ import annotations

import functools
import types
from collections.abc import Iterable
from importlib.metadata import EntryPoint, entry_points

from mimelint.rule import Rule

GROUP = "mimelint.rules"


class PluginError(Exception):
    """A rule plugin could not be loaded or conflicts with another."""


def _rules_of(obj: object, ep: EntryPoint) -> list[Rule]:
    if isinstance(obj, types.ModuleType):
        obj = getattr(obj, "RULES", None)
    if isinstance(obj, Rule):
        return [obj]
    if isinstance(obj, Iterable) and not isinstance(obj, (str, bytes)):
        found = list(obj)
        if all(isinstance(r, Rule) for r in found):
            return found
    raise PluginError(
        f"plugin {ep.name!r} ({ep.value}) does not provide mimelint rules: "
        "it must name a Rule, a list of Rules, or a module with RULES"
    )


def collect(eps: Iterable[EntryPoint]) -> tuple[Rule, ...]:
    """Load rules from entry points; deterministic order (by code)."""
    by_code: dict[str, Rule] = {}
    by_name: dict[str, Rule] = {}
    for ep in sorted(eps, key=lambda e: (e.name, e.value)):
        try:
            loaded = ep.load()
        except Exception as exc:  # a broken plugin must not be a traceback
            raise PluginError(
                f"plugin {ep.name!r} ({ep.value}) failed to load: {type(exc).__name__}: {exc}"
            ) from exc
        for r in _rules_of(loaded, ep):
            other = by_code.get(r.code) or by_name.get(r.name)
            if other is not None:
                raise PluginError(
                    f"plugin {ep.name!r} ({ep.value}): rule {r.code} ({r.name}) collides "
                    f"with {other.code} ({other.name}) from {other.origin or 'another plugin'}"
                )
            by_code[r.code] = r
            by_name[r.name] = r
    return tuple(sorted(by_code.values(), key=lambda r: r.code))


@functools.cache
def load_rules() -> tuple[Rule, ...]:
    """Every installed rule, built-in and third-party, sorted by code."""
    return collect(entry_points(group=GROUP))


def rule_by_code(code: str) -> Rule | None:
    """The rule with that code or name (case-insensitive), or None."""
    wanted = code.strip()
    for r in load_rules():
        if r.code.upper() == wanted.upper() or r.name == wanted.lower():
            return r
    return None
