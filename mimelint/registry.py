"""Rule discovery: built-in and third-party rules through one entry-point group.

The engine imports no rule by name. ``mimelint``'s own ``rules/`` package
registers under the group ``mimelint.rules`` exactly as a plugin does, so a
plugin author can read ``rules/`` to learn how. An entry point names a list
of :class:`~mimelint.rule.Rule` objects (conventionally a module's
``RULES``), a single rule, or a module that has ``RULES``.

The installed entry points are found by :mod:`mimelint.entry_points`,
which reads the distributions' metadata without ``importlib.metadata``
(start-up).
"""

from __future__ import annotations

import functools
import types
from collections.abc import Iterable

from mimelint.entry_points import (
    EntryPoint,
    EntryPointError,
    EntryPointLike,
    installed_entry_points,
)
from mimelint.rule import Rule, Visits, indexed_rule

GROUP = "mimelint.rules"

__all__ = [
    "GROUP",
    "EntryPoint",
    "EntryPointLike",
    "IndexRow",
    "PluginError",
    "collect",
    "indexed",
    "installed_entry_points",
    "load_rules",
    "rule_by_code",
]


class PluginError(Exception):
    """A rule plugin could not be loaded or conflicts with another."""


def _rules_of(obj: object, ep: EntryPointLike) -> list[Rule]:
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


def collect(eps: Iterable[EntryPointLike]) -> tuple[Rule, ...]:
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


#: One row of a rule index: module, attribute, code, name, severity,
#: summary, fix safety, visits, default_enabled, gate.
IndexRow = tuple[str, str, str, str, str, str, "str | None", Visits, bool, bool]


def indexed(rows: Iterable[IndexRow], package: str) -> list[Rule]:
    """The rules of ``package`` (a family of rules) from an index.

    mimelint's own families read their ``RULES`` from the generated
    ``mimelint.rules.index`` this way: selecting rules and planning the walk
    need only the metadata, and a rule's module is imported when the walk
    first calls the rule (:func:`mimelint.rule.indexed_rule`), so a check
    imports only the rules a message needs.
    """
    prefix = package + "."
    return [indexed_rule(*row) for row in rows if row[0].startswith(prefix)]


@functools.cache
def load_rules() -> tuple[Rule, ...]:
    """Every installed rule, built-in and third-party, sorted by code."""
    try:
        eps = installed_entry_points(GROUP)
    except EntryPointError as exc:
        raise PluginError(str(exc)) from None
    return collect(eps)


def rule_by_code(code: str) -> Rule | None:
    """The rule with that code or name (case-insensitive), or None."""
    wanted = code.strip()
    for r in load_rules():
        if r.code.upper() == wanted.upper() or r.name == wanted.lower():
            return r
    return None
