"""Rule discovery: built-in and third-party rules through one entry-point group.

The engine imports no rule by name. ``mimelint``'s own ``rules/`` package
registers under the group ``mimelint.rules`` exactly as a plugin does, so a
plugin author can read ``rules/`` to learn how. An entry point names a list
of :class:`~mimelint.rule.Rule` objects (conventionally a module's
``RULES``), a single rule, or a module that has ``RULES``.

Start-up matters under pre-commit, and ``importlib.metadata`` alone costs
more to import than the rest of a run (it pulls in ``email``, ``zipfile``,
``csv``...). So :func:`installed_entry_points` reads the ``entry_points.txt``
files of the installed distributions itself, with the same rules as
``importlib.metadata.entry_points(group=...)``: every directory on
``sys.path`` in order, ``*.dist-info``/``*.egg-info`` (and ``*.egg``)
metadata, a distribution shadowed by one of the same normalized name
earlier on the path contributes nothing. When the path holds something it
does not handle (a zip file, a finder of distributions other than the
standard one) it asks ``importlib.metadata`` instead.
"""

from __future__ import annotations

import functools
import os
import re
import sys
import types
from collections.abc import Iterable
from importlib import import_module
from typing import NamedTuple, Protocol

from mimelint.rule import Rule, Visits, indexed_rule

GROUP = "mimelint.rules"

#: ``module``, ``module:attr.attr``, optional ``[extras]`` (the syntax
#: ``importlib.metadata.EntryPoint`` accepts).
_VALUE_RE = re.compile(r"(?P<module>[\w.]+)\s*(:\s*(?P<attr>[\w.]+)\s*)?((?P<extras>\[.*\])\s*)?$")
_NAME_SEPARATORS_RE = re.compile(r"[-_.]+")


class PluginError(Exception):
    """A rule plugin could not be loaded or conflicts with another."""


class EntryPointLike(Protocol):
    """What :func:`collect` needs of an entry point (``importlib.metadata`` ones fit)."""

    @property
    def name(self) -> str: ...

    @property
    def value(self) -> str: ...

    def load(self) -> object: ...


class EntryPoint(NamedTuple):
    """One ``name = value`` line of a distribution's ``entry_points.txt``."""

    name: str
    value: str
    group: str
    #: The metadata directory it was read from, for error messages.
    dist: str = ""

    def load(self) -> object:
        """Import the module and follow the attributes, as ``importlib.metadata`` does."""
        match = _VALUE_RE.match(self.value)
        if match is None:
            raise ValueError(f"malformed entry point value {self.value!r}")
        obj: object = import_module(match.group("module"))
        for attr in filter(None, (match.group("attr") or "").split(".")):
            obj = getattr(obj, attr)
        return obj


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


class _Unsupported(Exception):
    """The path holds distributions only ``importlib.metadata`` can read."""


def _normalize(name: str) -> str:
    # PEP 503 with dashes as underscores, as importlib.metadata keys distributions.
    return _NAME_SEPARATORS_RE.sub("-", name).lower().replace("-", "_")


def _metadata_dirs(entry: str) -> Iterable[tuple[str, str]]:
    """``(normalized distribution name, metadata path)`` found in one sys.path entry."""
    root = entry or "."
    try:
        children = os.listdir(root)
    except NotADirectoryError:
        raise _Unsupported(entry) from None  # a zip file or an egg archive
    except OSError:
        return  # missing or unreadable: importlib.metadata skips it too
    base = os.path.basename(entry).lower()
    base_is_egg = base.endswith(".egg")
    eggs = []
    for child in children:
        low = child.lower()
        if low.endswith((".dist-info", ".egg-info")):
            name = low.rpartition(".")[0].partition("-")[0]
            yield _normalize(name), os.path.join(entry, child)
        elif base_is_egg and low == "egg-info":
            name = base.rpartition(".")[0].partition("-")[0]
            eggs.append((name.replace("-", "_"), os.path.join(entry, child)))
    yield from eggs


def _parse(text: str, group: str, dist: str) -> Iterable[EntryPoint]:
    """The entries of one section of an ``entry_points.txt`` (importlib's reading)."""
    section: str | None = None
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            section = line.strip("[]")
            continue
        if section != group:
            continue
        name, sep, value = line.partition("=")
        if not sep:
            raise PluginError(f"{dist}: malformed line in entry_points.txt: {line!r}")
        yield EntryPoint(name.strip(), value.strip(), group, dist)


def _scan(group: str, path: Iterable[str]) -> list[EntryPoint]:
    wanted = group.encode("utf-8")
    seen: set[str] = set()
    found: list[EntryPoint] = []
    for entry in path:
        if not isinstance(entry, str):
            raise _Unsupported(entry)
        for normalized, dist in _metadata_dirs(entry):
            if normalized in seen:
                continue  # shadowed by a distribution earlier on the path
            seen.add(normalized)
            try:
                with open(os.path.join(dist, "entry_points.txt"), "rb") as fh:
                    data = fh.read()
            except OSError:
                continue  # no entry points (or an .egg-info file, not a directory)
            if wanted not in data:
                continue  # the common case: decoding and parsing are not needed
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise PluginError(f"{dist}: entry_points.txt is not UTF-8: {exc}") from None
            found.extend(_parse(text, group, dist))
    return found


def _only_standard_finders() -> bool:
    from importlib.machinery import PathFinder

    return all(
        finder is PathFinder or getattr(finder, "find_distributions", None) is None
        for finder in sys.meta_path
    )


def installed_entry_points(group: str = GROUP) -> list[EntryPointLike]:
    """Every entry point of ``group`` that the installed distributions declare."""
    if _only_standard_finders():
        try:
            return list(_scan(group, sys.path))
        except _Unsupported:
            pass
    from importlib.metadata import entry_points

    return list(entry_points(group=group))


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
    return collect(installed_entry_points(GROUP))


def rule_by_code(code: str) -> Rule | None:
    """The rule with that code or name (case-insensitive), or None."""
    wanted = code.strip()
    for r in load_rules():
        if r.code.upper() == wanted.upper() or r.name == wanted.lower():
            return r
    return None
