"""Entry points of the installed distributions, found without importlib.metadata.

Start-up matters under pre-commit, and ``importlib.metadata`` costs more to
import and run than the rest of a plain check (it pulls in ``zipfile``,
``csv`` and more, and reads every distribution's metadata: about one more
``import email`` of time in the test environment; docs/performance.md,
"Start-up"). So :func:`installed_entry_points` reads the
``entry_points.txt`` files of the installed distributions itself, with the
same rules as ``importlib.metadata.entry_points(group=...)``: every
directory on ``sys.path`` in order, ``*.dist-info``/``*.egg-info`` (and
``*.egg``) metadata, a distribution shadowed by one of the same normalized
name earlier on the path contributes nothing. When the path holds something
it does not handle (a zip file, a finder of distributions other than the
standard one) it asks ``importlib.metadata`` instead. tests/test_plugins.py
checks that both find the same entry points.
"""

from __future__ import annotations

import os
import re
import sys
import types
from collections.abc import Iterable

from mimelint._records import NamedTuple, Protocol

#: ``module``, ``module:attr.attr``, optional ``[extras]`` (the syntax
#: ``importlib.metadata.EntryPoint`` accepts).
_VALUE_RE = re.compile(r"(?P<module>[\w.]+)\s*(:\s*(?P<attr>[\w.]+)\s*)?((?P<extras>\[.*\])\s*)?$")
_NAME_SEPARATORS_RE = re.compile(r"[-_.]+")


def import_module(name: str) -> types.ModuleType:
    """The module ``name`` (absolute), imported: :func:`importlib.import_module`
    without importing :mod:`importlib`, which imports :mod:`warnings` (1.9M
    instructions of a plain check's start: docs/performance.md, "Start-up,
    sixth pass").

    A name that begins with a dot is refused as importlib refuses it: for
    ``__import__`` alone it would name a top-level module, which would run
    under that dotted name and stay in :data:`sys.modules`.
    """
    if name.startswith("."):
        raise TypeError(f"{name!r} is a relative module name: mimelint imports absolute ones")
    __import__(name)
    return sys.modules[name]


class EntryPointError(ValueError):
    """An ``entry_points.txt`` that cannot be read."""


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
            raise EntryPointError(f"{dist}: malformed line in entry_points.txt: {line!r}")
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
                raise EntryPointError(f"{dist}: entry_points.txt is not UTF-8: {exc}") from None
            found.extend(_parse(text, group, dist))
    return found


def _is_path_finder(finder: object) -> bool:
    """Whether ``finder`` is :class:`importlib.machinery.PathFinder`, known by
    the frozen module it is defined in (importing ``importlib.machinery``
    would import :mod:`importlib`: see :func:`import_module`)."""
    return (
        getattr(finder, "__module__", None) == "_frozen_importlib_external"
        and getattr(finder, "__qualname__", None) == "PathFinder"
    )


def _only_standard_finders() -> bool:
    return all(
        _is_path_finder(finder) or getattr(finder, "find_distributions", None) is None
        for finder in sys.meta_path
    )


def installed_entry_points(group: str) -> list[EntryPointLike]:
    """Every entry point of ``group`` that the installed distributions declare."""
    if _only_standard_finders():
        try:
            return list(_scan(group, sys.path))
        except _Unsupported:
            pass
    from importlib.metadata import entry_points

    return list(entry_points(group=group))
