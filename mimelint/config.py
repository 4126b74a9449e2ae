"""Configuration: ``[tool.mimelint]`` in ``pyproject.toml`` or ``mimelint.toml``.

Discovery follows ruff's project-level lookup: starting in the current
directory and walking up to the file-system root, the first directory that
holds a ``mimelint.toml`` (top-level keys) or a ``pyproject.toml`` with a
``[tool.mimelint]`` table wins; in one directory ``mimelint.toml`` comes
first. A ``pyproject.toml`` without the table is skipped; one that names
``tool.mimelint`` but is not valid TOML is an error, not skipped. ``--config FILE``
names the file instead, and ``--no-config`` uses none. Globs in
``per-file-ignores`` and ``exclude`` are relative to the file's directory.

Every key is validated before anything is linted; a mistake is a
:class:`ConfigError` whose text is one line naming the file, the key and
what is wrong (the command line prints it and exits with status 2).
"""

from __future__ import annotations

import fnmatch
import os
import re
from collections.abc import Callable, Iterable, Sequence

from mimelint._records import NamedTuple
from mimelint.profile import DEFAULT_PROFILE, PROFILES, Profile
from mimelint.rule import Rule

TYPE_CHECKING = False  # typing's flag, without importing typing at start-up
if TYPE_CHECKING:
    from typing import Any, TypeAlias

#: A file-system path as the functions here take it: a ``str`` or an
#: ``os.PathLike`` (``pathlib.Path``). They work on ``str`` with
#: :mod:`os.path`: ``pathlib`` (with the ``urllib.parse`` and ``ipaddress``
#: it imports) was about a tenth of a plain check's start-up
#: (docs/performance.md, "Start-up, fifth pass").
StrPath: TypeAlias = "str | os.PathLike[str]"

#: Directories never descended into when a directory is given, unless
#: ``exclude`` replaces the list (``extend-exclude`` adds to it).
DEFAULT_EXCLUDE = (
    ".git",
    ".hg",
    ".svn",
    ".tox",
    ".nox",
    ".venv",
    "venv",
    "node_modules",
    "__pycache__",
)

#: The files directory discovery yields unless ``include`` replaces the list:
#: matched against the file name, case-insensitively (``Export.EML`` too).
DEFAULT_INCLUDE = ("*.eml",)

#: Every key a configuration table may hold (for "did you mean ...?").
KNOWN_KEYS = (
    "select",
    "ignore",
    "extend-select",
    "profile",
    "per-file-ignores",
    "exclude",
    "extend-exclude",
    "include",
    "extend-include",
    "force-exclude",
    "max-message-size",
    "max-recipients",
    "refused-extensions",
    "extra-refused-extensions",
    "template-extensions",
    "template-ascii",
    "template-encoding-filters",
    "render-with",
)

#: The only lines through which a TOML document can define ``tool.mimelint``:
#: a ``[tool.mimelint...]`` header, a bare ``[tool]`` table (whose keys could
#: be ``mimelint...``), or a key ``tool`` (``tool.mimelint.x = ...``,
#: ``tool = {...}``). Without one, a ``pyproject.toml`` that merely names
#: mimelint (a dependency, a script) is skipped without loading a TOML
#: parser; with one, the parser decides. Quoted keys are allowed for, and a
#: header need not be closed: ``[tool.mimelint`` is a mistake to report.
#: Compiled on first use (by ``re``'s cache): only a file that names us needs it.
_MAY_HAVE_TOOL_TABLE = (
    r"""(?m)^[ \t]*(?:"""
    r"""\[\[?[ \t]*(?:tool|"tool"|'tool')[ \t]*"""
    r"""(?:\]|\.[ \t]*(?:mimelint|"mimelint"|'mimelint'))"""
    r"""|(?:tool|"tool"|'tool')[ \t]*[.=])"""
)


def _may_have_tool_table(text: str) -> bool:
    return re.search(_MAY_HAVE_TOOL_TABLE, text) is not None


class ConfigError(ValueError):
    """A configuration file that cannot be read or has a bad key or value."""


class Configuration(NamedTuple):
    """Everything a configuration file can set, validated.

    ``source`` is the file it came from (None for the defaults) and ``root``
    the directory that its globs are relative to (by default the current
    directory), both as ``str`` paths (a ``root`` given as an
    ``os.PathLike`` is read as its ``os.fspath``). ``_replace`` makes a
    changed copy. A NamedTuple rather than a dataclass: a plain check
    imports no ``dataclasses`` (see :mod:`mimelint.rule`).
    """

    source: str | None = None
    root: str = "."
    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    profile: str = DEFAULT_PROFILE
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    exclude: tuple[str, ...] = DEFAULT_EXCLUDE
    include: tuple[str, ...] = DEFAULT_INCLUDE
    #: Apply ``exclude`` to files named explicitly too (pre-commit names them).
    force_exclude: bool = False
    max_message_size: int | None = None
    max_recipients: int | None = None
    refused_extensions: frozenset[str] | None = None
    extra_refused_extensions: frozenset[str] = frozenset()
    #: File-name endings that mark a template, beyond the defaults: (ending, syntax).
    template_extensions: tuple[tuple[str, str], ...] = ()
    #: Template variables whose values are ASCII-safe (globs allowed).
    template_ascii: tuple[str, ...] = ()
    #: Template filters or helpers that encode their input.
    template_encoding_filters: tuple[str, ...] = ()
    #: Template glob -> sample data files (absolute paths), for render mode.
    render_with: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def template_syntax(self, path: str) -> str | None:
        """The template syntax of the file ``path`` by its name, or None for a message."""
        from mimelint.templates import syntax_for

        syntax = syntax_for(path, dict(self.template_extensions))
        return None if syntax is None else syntax.value

    def render_data_for(self, path: str) -> tuple[str, ...]:
        """The sample data files that ``render-with`` maps the template ``path`` to."""
        if not self.render_with or path == "-":
            return ()
        rel = _relative(path, self.root)
        name = _name(rel)
        found: list[str] = []
        for pattern, files in self.render_with:
            target = rel if "/" in pattern else name
            if fnmatch.fnmatchcase(target, pattern) or fnmatch.fnmatchcase(rel, pattern):
                found.extend(f for f in files if f not in found)
        return tuple(found)

    def build_profile(self, name: str | None = None) -> Profile:
        """The profile ``name`` (default: the configured one) with the options applied."""
        base = PROFILES[name or self.profile]
        changes: dict[str, object] = {}
        if self.max_message_size is not None:
            changes["max_message_size"] = self.max_message_size
        if self.max_recipients is not None:
            changes["max_recipients"] = self.max_recipients
        refused = base.refused_extensions
        if self.refused_extensions is not None:
            refused = self.refused_extensions
        refused = refused | self.extra_refused_extensions
        if refused != base.refused_extensions:
            changes["refused_extensions"] = refused
        return base.replace(**changes) if changes else base

    def ignored_for(self, path: str) -> tuple[str, ...]:
        """The codes that ``per-file-ignores`` turns off for the file ``path``.

        A glob matches the path relative to :attr:`root` (``/``-separated) or,
        when the glob holds no ``/``, the file's name alone.
        """
        if not self.per_file_ignores or path == "-":
            return ()
        rel = _relative(path, self.root)
        name = _name(rel)
        codes: list[str] = []
        for pattern, ignored in self.per_file_ignores:
            target = rel if "/" in pattern else name
            if fnmatch.fnmatchcase(target, pattern) or fnmatch.fnmatchcase(rel, pattern):
                codes.extend(ignored)
        return tuple(codes)

    def is_excluded(self, path: StrPath) -> bool:
        """Whether directory discovery skips ``path`` (a file or a directory)."""
        rel = _relative(path, self.root)
        name = _name(posix_path(os.fspath(path)))
        return any(
            fnmatch.fnmatchcase(name, pattern) or fnmatch.fnmatchcase(rel, pattern)
            for pattern in self.exclude
        )

    def is_force_excluded(self, path: StrPath) -> bool:
        """Whether a file named explicitly is skipped: ``force-exclude`` and ``exclude``.

        The file itself or any directory above it (up to :attr:`root`) may
        match, as when discovery would not have descended there.
        """
        if not self.force_exclude:
            return False
        if self.is_excluded(path):
            return True
        rel = _relative(path, self.root)
        if rel.startswith(("/", "../")):
            return False  # outside the project: only the file's own name counts
        # The directories between root and the file, innermost first.
        steps = rel.split("/")[:-1]
        return any(
            self.is_excluded(os.path.join(self.root, *steps[:end]))
            for end in range(len(steps), 0, -1)
        )

    def is_included(self, path: StrPath) -> bool:
        """Whether directory discovery checks this file.

        ``include`` globs are matched case-insensitively (``*.eml`` takes
        ``Export.EML``): a glob without ``/`` against the file name, one
        with ``/`` against the path relative to :attr:`root`.
        """
        name = _name(posix_path(os.fspath(path))).lower()
        rel: str | None = None
        for pattern in self.include:
            low = pattern.lower()
            if "/" not in low:
                if fnmatch.fnmatchcase(name, low):
                    return True
                continue
            if rel is None:
                rel = _relative(path, self.root).lower()
            if fnmatch.fnmatchcase(rel, low):
                return True
        return False


def _relative(path: StrPath, root: StrPath) -> str:
    """``path`` relative to ``root``, both resolved, ``/``-separated; or
    ``path`` itself (``/``-separated) when it is not below ``root``."""
    full = os.path.realpath(path)
    base = os.path.realpath(root)
    if full == base:
        return "."
    inside = base if base.endswith(os.sep) else base + os.sep
    if full.startswith(inside):
        return posix_path(full[len(inside) :])
    return posix_path(os.fspath(path))


def posix_path(path: str) -> str:
    """``path`` ``/``-separated, without empty or ``.`` steps (``./a//b/`` is
    ``a/b``), as ``pathlib`` writes it; ``..`` steps are kept."""
    if os.altsep is None and os.sep == "/":
        text = path
    else:  # Windows: either separator; a drive stays in front
        text = path.replace(os.sep, "/")
    lead = "//" if text.startswith("//") and not text.startswith("///") else text[:1]
    lead = lead if lead.startswith("/") else ""
    steps = [step for step in text.split("/") if step and step != "."]
    return lead + "/".join(steps) if steps or lead else "."


def _name(posix: str) -> str:
    """The last step of a ``/``-separated path (``""`` for ``.`` and ``/``)."""
    last = posix.rpartition("/")[2]
    return "" if last == "." else last


def find_config(start: StrPath) -> str | None:
    """The configuration file that applies in ``start``, searched upward."""
    directory = os.path.abspath(start)
    while True:
        candidate = os.path.join(directory, "mimelint.toml")
        if os.path.isfile(candidate):
            return candidate
        candidate = os.path.join(directory, "pyproject.toml")
        if os.path.isfile(candidate) and _has_tool_table(candidate):
            return candidate
        parent = os.path.dirname(directory)
        if parent == directory:
            return None
        directory = parent


def _read_text(path: StrPath) -> str:
    with open(path, encoding="utf-8") as fh:
        return fh.read()


def _has_tool_table(path: StrPath) -> bool:
    """Whether a ``pyproject.toml`` configures mimelint (or tries to and fails).

    True also for a file that names ``tool.mimelint`` but is not valid TOML
    (a broken ``[tool.mimelint`` header, say) and for a ``tool.mimelint``
    that is not a table: :func:`load_config` then reports the mistake, where
    skipping the file would silently run with the defaults.
    """
    # Cheap test before parsing: most pyproject.toml files do not mention us.
    try:
        text = _read_text(path)
    except (OSError, UnicodeDecodeError):
        return False
    if "mimelint" not in text:
        return False
    names_us = "tool.mimelint" in text
    if not names_us and not _may_have_tool_table(text):
        return False
    import tomllib  # only once a file may configure us: start-up matters

    try:
        tool = tomllib.loads(text).get("tool", {})
    except tomllib.TOMLDecodeError:
        return True  # let load_config report the syntax error
    return isinstance(tool, dict) and "mimelint" in tool


def load_config(
    path: StrPath,
    rules: Sequence[Rule] | None = None,
    warn: Callable[[str], None] | None = None,
) -> Configuration:
    """Read and validate one configuration file.

    ``rules`` are the installed rules, to check that every code names one;
    None skips that check. ``warn`` is told (one line) when a
    ``pyproject.toml`` has no ``[tool.mimelint]`` table, so its defaults apply.
    """
    path = os.fspath(path)
    name = os.path.basename(path)
    try:
        text = _read_text(path)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not UTF-8 text") from None
    import tomllib

    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{name}: invalid TOML: {exc}") from None
    if name == "pyproject.toml":
        tool = document.get("tool", {})
        where = f"{name}: [tool.mimelint]"
        if not isinstance(tool, dict) or "mimelint" not in tool:
            if warn is not None:
                warn(f"{path} has no [tool.mimelint] table; using defaults")
            table = {}
        else:
            table = tool["mimelint"]
        if not isinstance(table, dict):
            raise ConfigError(f"{where} must be a table")
    else:
        table = document
        where = name
    return parse_table(table, where, os.path.dirname(path) or ".", path, rules)


def _strings(where: str, key: str, value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where} {key!r} must be a list of strings, got {_show(value)}")
    return tuple(value)


def _positive_int(where: str, key: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ConfigError(f"{where} {key!r} must be a positive integer, got {_show(value)}")
    return value


def _extensions(where: str, key: str, value: Any) -> frozenset[str]:
    items = _strings(where, key, value)
    for item in items:
        if not item or item.startswith(".") or "/" in item or item.strip() != item:
            raise ConfigError(
                f"{where} {key!r}: {item!r} is not a file extension (write it without the dot)"
            )
    return frozenset(item.lower() for item in items)


_SYNTAXES = ("jinja", "handlebars")


def _template_extensions(where: str, value: Any) -> tuple[tuple[str, str], ...]:
    """``{".eml.tpl" = "jinja"}``: file-name endings and their template syntax."""
    if not isinstance(value, dict):
        raise ConfigError(
            f"{where} 'template-extensions' must be a table of ending = syntax "
            f'(".eml.tpl" = "jinja"), got {_show(value)}'
        )
    pairs = []
    for ending, syntax in value.items():
        if not ending.startswith(".") or "/" in ending or len(ending) < 2:
            raise ConfigError(
                f"{where} 'template-extensions': {ending!r} is not a file-name ending "
                '(write it with its dot: ".eml.tpl")'
            )
        if syntax not in _SYNTAXES:
            raise ConfigError(
                f"{where} 'template-extensions.{ending}': unknown syntax {syntax!r} "
                f"(known: {', '.join(_SYNTAXES)})"
            )
        pairs.append((ending, syntax))
    return tuple(pairs)


def _render_with(where: str, value: Any, root: StrPath) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """``{"templates/*.eml.j2" = "samples/x.json"}`` (or a list of files), paths made absolute."""
    if not isinstance(value, dict):
        raise ConfigError(
            f"{where} 'render-with' must be a table of template glob = data file(s), "
            f"got {_show(value)}"
        )
    pairs = []
    for pattern, files in value.items():
        items = (
            (files,) if isinstance(files, str) else _strings(where, f"render-with.{pattern}", files)
        )
        if not items:
            raise ConfigError(f"{where} 'render-with.{pattern}' names no data file")
        pairs.append((pattern, tuple(_joined(root, item) for item in items)))
    return tuple(pairs)


def _joined(root: StrPath, item: str) -> str:
    """``item`` read from ``root`` (``root`` ignored when ``item`` is absolute)."""
    # As pathlib writes it: no empty or "." steps, the native separator.
    return posix_path(os.path.join(root, item)).replace("/", os.sep)


def _show(value: Any) -> str:
    return f"{type(value).__name__} {value!r}"


def check_codes(where: str, key: str, codes: Iterable[str], rules: Sequence[Rule]) -> None:
    """Raise :class:`ConfigError` for a code, prefix or name that matches no rule."""
    for code in codes:
        wanted = code.strip()
        if wanted.upper() == "ALL":
            continue
        if not any(
            r.code.upper().startswith(wanted.upper()) or r.name == wanted.lower() for r in rules
        ):
            raise ConfigError(f"{where} {key!r}: unknown rule code {code!r}")


def parse_table(
    table: dict[str, Any],
    where: str,
    root: StrPath,
    source: StrPath | None = None,
    rules: Sequence[Rule] | None = None,
) -> Configuration:
    """Validate the keys of a configuration table and build :class:`Configuration`."""
    values: dict[str, Any] = {}
    exclude: tuple[str, ...] = DEFAULT_EXCLUDE
    extend_exclude: tuple[str, ...] = ()
    include: tuple[str, ...] = DEFAULT_INCLUDE
    extend_include: tuple[str, ...] = ()
    for key, value in table.items():
        if key in ("select", "ignore", "extend-select"):
            codes = _strings(where, key, value)
            if rules is not None:
                check_codes(where, key, codes, rules)
            values[key.replace("-", "_")] = codes
        elif key == "profile":
            if not isinstance(value, str) or value not in PROFILES:
                known = ", ".join(sorted(PROFILES))
                raise ConfigError(f"{where} 'profile': unknown profile {value!r} (known: {known})")
            values["profile"] = value
        elif key == "per-file-ignores":
            if not isinstance(value, dict):
                raise ConfigError(
                    f"{where} 'per-file-ignores' must be a table of glob = [codes], "
                    f"got {_show(value)}"
                )
            pairs = []
            for pattern, codes_value in value.items():
                codes = _strings(where, f"per-file-ignores.{pattern}", codes_value)
                if rules is not None:
                    check_codes(where, f"per-file-ignores.{pattern}", codes, rules)
                pairs.append((pattern, codes))
            values["per_file_ignores"] = tuple(pairs)
        elif key == "exclude":
            exclude = _strings(where, key, value)
        elif key == "extend-exclude":
            extend_exclude = _strings(where, key, value)
        elif key == "include":
            include = _strings(where, key, value)
        elif key == "extend-include":
            extend_include = _strings(where, key, value)
        elif key == "force-exclude":
            if not isinstance(value, bool):
                raise ConfigError(
                    f"{where} 'force-exclude' must be true or false, got {_show(value)}"
                )
            values["force_exclude"] = value
        elif key in ("max-message-size", "max-recipients"):
            values[key.replace("-", "_")] = _positive_int(where, key, value)
        elif key in ("refused-extensions", "extra-refused-extensions"):
            values[key.replace("-", "_")] = _extensions(where, key, value)
        elif key in ("template-ascii", "template-encoding-filters"):
            values[key.replace("-", "_")] = _strings(where, key, value)
        elif key == "template-extensions":
            values["template_extensions"] = _template_extensions(where, value)
        elif key == "render-with":
            values["render_with"] = _render_with(where, value, root)
        else:
            raise ConfigError(f"{where} unknown key {key!r}{did_you_mean(key, KNOWN_KEYS)}")
    return Configuration(
        source=None if source is None else os.fspath(source),
        root=os.fspath(root),
        exclude=exclude + extend_exclude,
        include=include + extend_include,
        **values,
    )


def did_you_mean(key: str, known: Sequence[str]) -> str:
    """``"; did you mean 'ignore'?"`` for a near miss of a known key, else ``""``."""
    import difflib

    close = difflib.get_close_matches(key.lower().replace("_", "-"), known, n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


def discover(
    config: StrPath | None,
    no_config: bool,
    cwd: StrPath,
    rules: Sequence[Rule] | None = None,
    warn: Callable[[str], None] | None = None,
) -> Configuration:
    """The settings for a run: ``--config``, else the nearest file, else defaults.

    ``warn`` gets the warning of :func:`load_config` for a ``--config``
    file (a discovered ``pyproject.toml`` without our table is skipped).
    """
    if no_config:
        return Configuration(root=os.fspath(cwd))
    if config is not None:
        return load_config(config, rules, warn)
    path = find_config(cwd)
    if path is None:
        return Configuration(root=os.fspath(cwd))
    return load_config(path, rules)
