"""Run the selected rules over one parsed message and collect a report."""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeGuard, Union, Unpack

from mimelint.mime.parse import parse
from mimelint.mime.tree import Header, HeaderKind, Message, Part
from mimelint.registry import load_rules
from mimelint.rule import (
    Context,
    Finding,
    Problem,
    Related,
    RelatedLocation,
    Rule,
    Scope,
    Severity,
)
from mimelint.settings import SelectionError, Settings, SettingsOptions

if TYPE_CHECKING:  # imported by callers that pass one; start-up need not pay for it
    from email.message import Message as StdlibMessage

#: What :func:`lint` accepts. A ``str`` is message text; a path must be
#: an ``os.PathLike`` (``pathlib.Path``) so the two cannot be confused.
Source = Union[bytes, bytearray, memoryview, str, "os.PathLike[str]", "StdlibMessage"]

INTERNAL_ERROR_CODE = "M000"
INTERNAL_ERROR_NAME = "internal-error"


class Report:
    """The findings for one message, sorted by position then code.

    A plain class rather than a dataclass: a plain check imports no
    ``dataclasses`` (see :mod:`mimelint.rule`).
    """

    __slots__ = ("findings", "message")

    def __init__(self, message: Message, findings: list[Finding] | None = None) -> None:
        self.message = message
        self.findings: list[Finding] = [] if findings is None else findings

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        assert isinstance(other, Report)
        return (self.message, self.findings) == (other.message, other.findings)

    __hash__ = None  # type: ignore[assignment]  # mutable, as the dataclass was

    def __repr__(self) -> str:
        return f"Report(message={self.message!r}, findings={self.findings!r})"

    @property
    def ok(self) -> bool:
        """True when no finding has error severity."""
        return not any(f.severity is Severity.ERROR for f in self.findings)

    @property
    def internal_errors(self) -> list[Finding]:
        """Findings that report a rule which crashed (exit status 2)."""
        return [f for f in self.findings if f.code == INTERNAL_ERROR_CODE]

    def __iter__(self) -> Iterator[Finding]:
        return iter(self.findings)

    def __len__(self) -> int:
        return len(self.findings)


def read_source(data: Source) -> bytes:
    """The raw bytes of any accepted input."""
    if isinstance(data, bytes):
        return data
    if isinstance(data, (bytearray, memoryview)):
        return bytes(data)
    if isinstance(data, str):
        _refuse_file_name(data)
        return data.encode("utf-8", "surrogateescape")
    if isinstance(data, os.PathLike):
        with open(os.fspath(data), "rb") as fh:
            return fh.read()
    if _is_stdlib_message(data):
        return data.as_bytes()
    raise TypeError(f"cannot lint {type(data).__name__!r}: give bytes, str, a path or a message")


def _refuse_file_name(text: str) -> None:
    """Raise when a ``str`` given as message text is the name of a file.

    ``lint("welcome.eml")`` would lint the eleven characters of the name
    and report a missing From: a mistake easy to make and hard to see. A
    message has a line break; a one-line string that names an existing file
    is refused with the two ways to say what was meant.
    """
    if "\n" in text or not text or len(text) > 4096:
        return
    try:
        exists = os.path.isfile(text)
    except (OSError, ValueError):  # a NUL in the string, a name too long
        return
    if exists:
        raise ValueError(
            f"the str {text!r} names a file, but a str is message text: to check the "
            f"file, use mimelint.lint_file({text!r}) or pass pathlib.Path({text!r})"
        )


def _is_stdlib_message(data: object) -> TypeGuard[StdlibMessage]:
    # Without importing email.message (start-up): if data is one, it is loaded.
    module = sys.modules.get("email.message")
    return module is not None and isinstance(data, module.Message)


def _matches(rule: Rule, selector: str) -> bool:
    s = selector.strip()
    if s.upper() == "ALL":
        return True
    return rule.code.upper().startswith(s.upper()) or rule.name == s.lower()


def select_rules(
    rules: Sequence[Rule],
    select: Iterable[str] | None = None,
    ignore: Iterable[str] | None = None,
    extend_select: Iterable[str] | None = None,
) -> list[Rule]:
    """Apply ``select``/``extend_select``/``ignore`` (codes, prefixes or names).

    With no ``select``, every rule that is on by default is selected (a
    rule declared ``default_enabled=False`` runs only when a selector, ``ALL``
    included, names it). Raises :class:`SelectionError` for a selector that
    matches no rule.
    """
    chosen: dict[str, Rule] = {}
    if select is None:
        chosen.update((r.code, r) for r in rules if r.default_enabled)
    for selector in [*(select or ()), *(extend_select or ())]:
        hits = [r for r in rules if _matches(r, selector)]
        if not hits:
            raise SelectionError(f"unknown rule code or prefix in select: {selector!r}")
        chosen.update((r.code, r) for r in hits)
    for selector in ignore or ():
        hits = [r for r in rules if _matches(r, selector)]
        if not hits:
            raise SelectionError(f"unknown rule code or prefix in ignore: {selector!r}")
        for r in hits:
            chosen.pop(r.code, None)
    return [r for r in rules if r.code in chosen]


#: Selections already made: (id of the rules tuple, options) -> (rules, chosen).
#: The rules tuple is kept alive by its entry, so its id cannot be reused.
_SELECTIONS: dict[tuple[object, ...], tuple[Sequence[Rule], tuple[Rule, ...]]] = {}


def cached_selection(
    rules: Sequence[Rule],
    select: Iterable[str] | None,
    ignore: Iterable[str] | None,
    extend_select: Iterable[str] | None,
) -> tuple[Rule, ...]:
    """:func:`select_rules`, remembered for the same rules and options.

    Linting many messages with the same options is the common case (a
    pipeline, a directory); the selection does not change between them.
    """
    key = (
        id(rules),
        None if select is None else tuple(select),
        tuple(ignore or ()),
        tuple(extend_select or ()),
    )
    hit = _SELECTIONS.get(key)
    if hit is not None and hit[0] is rules:
        return hit[1]
    chosen = tuple(select_rules(rules, key[1], key[2], key[3]))
    if len(_SELECTIONS) >= 64:
        _SELECTIONS.clear()
    _SELECTIONS[key] = (rules, chosen)
    return chosen


class Walk:
    """The selected rules sorted by what they visit, for the one walk.

    Built once per selection (see :func:`plan`) and shared by every message
    linted with it: the message rules, the part rules with their filters,
    the field rules by lower-cased name, the rules for every field, and the
    rules for header lines that are not well-formed fields, by kind.
    """

    __slots__ = (
        "by_kind",
        "by_name",
        "defect_rules",
        "every_field",
        "gates",
        "message_rules",
        "message_rules_by_mode",
        "part_rules",
        "rules",
        "rules_by_shape",
        "words_in_shape",
    )

    def __init__(self, rules: Sequence[Rule]) -> None:
        self.rules = tuple(rules)
        self.message_rules: list[Rule] = []
        self.part_rules: list[Rule] = []
        self.by_name: dict[str, list[Rule]] = {}
        self.every_field: list[Rule] = []
        self.by_kind: dict[str, list[Rule]] = {}
        #: The part rules that take a part of a given shape (see :meth:`part_rules_for`).
        self.rules_by_shape: dict[tuple[bool, bool, str, str, bool], tuple[Rule, ...]] = {}
        #: Rules that judge whether the input is a message at all (Rule.gate);
        #: called once per message, before every other rule.
        self.gates: list[Rule] = []
        for r in self.rules:
            if r.gate:
                self.gates.append(r)
                continue
            v = r.visits
            if v.scope is Scope.MESSAGE:
                self.message_rules.append(r)
            elif v.scope is Scope.PART:
                self.part_rules.append(r)
            else:
                for kind in v.kinds:
                    if kind != HeaderKind.FIELD:
                        self.by_kind.setdefault(kind, []).append(r)
                if HeaderKind.FIELD in v.kinds:
                    if v.names is None:
                        self.every_field.append(r)
                    else:
                        for name in v.names:
                            self.by_name.setdefault(name, []).append(r)
        #: The message rules to call, by (read as a template?, envelope given?):
        #: a rule declared ``message(template=True)`` or ``message(envelope=True)``
        #: is left out where it could have nothing to look at.
        self.message_rules_by_mode: dict[tuple[bool, bool], tuple[Rule, ...]] = {
            (template, envelope): tuple(
                r
                for r in self.message_rules
                if (template or not r.visits.template)
                and (envelope or not r.visits.envelope)
                and not r.visits.defects
            )
            for template in (False, True)
            for envelope in (False, True)
        }
        #: Message rules about parser defects (``message(defects=...)``):
        #: called only when some part has a defect of a kind they name.
        self.defect_rules = tuple(r for r in self.message_rules if r.visits.defects)
        #: Whether a part's shape includes "has encoded-words" (only when a
        #: part rule filters on it: otherwise no part need be searched for them).
        self.words_in_shape = any(r.visits.encoded_words is not None for r in self.part_rules)

    def part_rules_for(self, part: Part) -> tuple[Rule, ...]:
        """The part rules whose filters take ``part``, decided once per shape.

        A filter reads only whether the part is a leaf, whether it is a
        multipart, its transfer encoding, its main type and whether it has
        encoded-words (asked only when a rule filters on it): parts of the
        same shape take the same rules, so each filter runs once per shape
        instead of once per part (a small message has two or three parts of
        one or two shapes). Bounded: odd encodings and types from hostile
        input cannot grow it past a few hundred shapes.
        """
        words = bool(part.worded_fields) if self.words_in_shape else False
        shape = (part.is_leaf, part.is_multipart, part.transfer_encoding, part.maintype, words)
        found = self.rules_by_shape.get(shape)
        if found is None:
            if len(self.rules_by_shape) >= 256:
                self.rules_by_shape.clear()
            found = tuple(r for r in self.part_rules if r.visits.takes(part))
            self.rules_by_shape[shape] = found
        return found


#: Walks already planned, by the identity of the rules tuple they were made for.
_WALKS: dict[int, tuple[Sequence[Rule], Walk]] = {}


def plan(rules: Sequence[Rule]) -> Walk:
    """The :class:`Walk` for these rules, made once per selection."""
    hit = _WALKS.get(id(rules))
    if hit is not None and hit[0] is rules:
        return hit[1]
    walk = Walk(rules)
    if len(_WALKS) >= 64:
        _WALKS.clear()
    _WALKS[id(rules)] = (rules, walk)
    return walk


def run_rules(message: Message, rules: Sequence[Rule], context: Context) -> list[Finding]:
    """Walk the message once, calling each rule only where it applies.

    A rule that raises becomes one internal-error finding and is not called
    again on this message; the other rules still run.

    The gates (:attr:`Rule.gate`: is the input a message at all?) run first.
    When one of them reports, the input is empty or not a message, and its
    findings are the report: the other rules would describe the same junk
    in a dozen unrelated ways (a missing From, 8-bit bytes, long lines ...).
    A gate that crashed (M000) decided nothing: the other rules still run.
    """
    walk = plan(rules)
    out = _Collector(message)
    if walk.gates:
        for r in walk.gates:
            out.run(r, "", r.check, message, context)
        if any(f.code != INTERNAL_ERROR_CODE for f in out.findings):
            return out.sorted()
    # The calls below are the hot loop of a lint (about a hundred per small
    # message, most of which find nothing): each is written out in place,
    # with a rule's failure handled by the collector, rather than through a
    # helper call per rule.
    found = out.findings
    size = out.size
    broken = out.broken
    mode = (
        message.template is not None,
        context.envelope_from is not None or bool(context.envelope_to),
    )
    message_rules = walk.message_rules_by_mode[mode]
    if walk.defect_rules:
        defects = message.parts_with_defect  # nearly always empty
        if defects:
            message_rules += tuple(
                r for r in walk.defect_rules if not r.visits.defects.isdisjoint(defects)
            )
    for r in message_rules:
        if broken and r.code in broken:
            continue
        try:
            for p in r.check(message, context):
                found.append(_finding(message, r, p, size, ""))
        except Exception as exc:  # noqa: BLE001 - totality: one broken rule must not stop the rest
            out.failed(r, exc)
    if not (walk.part_rules or walk.by_name or walk.every_field or walk.by_kind):
        return out.sorted()
    by_name, every_field, by_kind = walk.by_name, walk.every_field, walk.by_kind
    part_rules_for = walk.part_rules_for if walk.part_rules else None
    field = HeaderKind.FIELD
    for part in message.parts():
        path = part.path
        if part_rules_for is not None:
            for r in part_rules_for(part):
                if broken and r.code in broken:
                    continue
                try:
                    for p in r.check(part, context):
                        found.append(_finding(message, r, p, size, path))
                except Exception as exc:  # noqa: BLE001 - as above
                    out.failed(r, exc)
        calls: list[tuple[Rule, Header]] = []
        if by_name:
            # A part has a few fields; the rules ask for dozens of names.
            for name, headers in part.fields_by_name.items():
                named = by_name.get(name)
                if named:
                    for h in headers:
                        for r in named:
                            if h.kind is field or h.kind in r.visits.kinds:
                                calls.append((r, h))
        if every_field:
            for h in part.headers:
                if h.kind is field:
                    for r in every_field:
                        calls.append((r, h))
        if by_kind:
            for h in part.odd_headers:
                for r in by_kind.get(h.kind, ()):
                    calls.append((r, h))
        for r, h in calls:
            if broken and r.code in broken:
                continue
            try:
                for p in r.check(h, part, context):
                    found.append(_finding(message, r, p, size, path))
            except Exception as exc:  # noqa: BLE001 - as above
                out.failed(r, exc)
    return out.sorted()


class _Collector:
    """Turns what rules yield into findings; a rule that raises, into M000."""

    __slots__ = ("broken", "findings", "message", "size")

    def __init__(self, message: Message) -> None:
        self.message = message
        self.size = len(message.data)
        self.findings: list[Finding] = []
        self.broken: set[str] = set()

    def run(
        self, r: Rule, path: str, check: Callable[..., Iterable[Problem]], *args: object
    ) -> None:
        if r.code in self.broken:
            return
        try:
            for problem in check(*args):
                self.findings.append(_finding(self.message, r, problem, self.size, path))
        except Exception as exc:  # noqa: BLE001 - totality: one broken rule must not stop the rest
            self.failed(r, exc)

    def failed(self, r: Rule, exc: Exception) -> None:
        """Report a rule that raised, once, and call it no more on this message."""
        import traceback

        if r.code not in self.broken:
            self.broken.add(r.code)
            where = traceback.extract_tb(exc.__traceback__)[-1]
            self.findings.append(
                _internal_error(
                    f"rule {r.code} ({r.name}) failed on this message: "
                    f"{type(exc).__name__}: {exc} (at {os.path.basename(where.filename)}:"
                    f"{where.lineno}); the other rules still ran. Please report this.",
                )
            )

    def sorted(self) -> list[Finding]:
        findings = self.findings
        findings.sort(key=lambda f: (f.start, f.end, f.code))
        return findings


_LONE_SURROGATE = re.compile("[\udc80-\udcff]")


def _printable(text: str) -> str:
    """A finding's message that any UTF-8 output can carry.

    Rules quote header text decoded with ``surrogateescape``; a byte that is
    not UTF-8 then stands as a lone surrogate, which no encoder writes. It
    becomes ``\\xNN``, the byte it stood for.
    """
    if text.isascii():
        return text
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return _LONE_SURROGATE.sub(lambda m: f"\\x{ord(m.group()) - 0xDC00:02x}", text)
    return text


def _finding(message: Message, r: Rule, p: Problem, size: int, path: str = "") -> Finding:
    """A positioned finding; a problem that names no part is in the visited one."""
    start = max(0, min(p.start, size))
    end = max(start, min(p.end, size))
    line, column = message.position(start)
    end_line, end_column = message.position(end)
    return Finding(
        code=r.code,
        name=r.name,
        severity=p.severity or r.severity,
        message=_printable(p.message),
        start=start,
        end=end,
        line=line,
        column=column,
        end_line=end_line,
        end_column=end_column,
        part=p.part or path,
        fix=p.fix,
        related=tuple(_located(message, place, size) for place in p.related) if p.related else (),
    )


def _located(message: Message, r: Related, size: int) -> RelatedLocation:
    """A related place, positioned as the finding's own span is."""
    start = max(0, min(r.start, size))
    end = max(start, min(r.end, size))
    return RelatedLocation(r.message, start, end, *message.position(start), *message.position(end))


def _internal_error(text: str) -> Finding:
    return Finding.about_input(INTERNAL_ERROR_CODE, INTERNAL_ERROR_NAME, text)


def selected_rules(settings: Settings) -> tuple[Rule, ...]:
    """The rules ``settings`` selects (remembered for the same selection)."""
    rules = settings.rules if settings.rules is not None else load_rules()
    return cached_selection(rules, settings.select, settings.ignore, settings.extend_select)


def lint(
    data: Source,
    *,
    settings: Settings | None = None,
    **options: Unpack[SettingsOptions],
) -> Report:
    """Lint one raw message and return its :class:`Report`.

    ``data`` is bytes, a ``str`` of message text, an ``os.PathLike`` path, or
    an ``email.message.Message``. Pass either ``settings`` (a
    :class:`~mimelint.settings.Settings`, the form to use when linting many
    messages alike) or the keywords it is made of: ``select``/``ignore``
    take rule codes, code prefixes (``M1``) or rule names;
    ``envelope_from``/``envelope_to`` are the SES ``Source``/``Destinations``
    (or SMTP MAIL FROM / RCPT TO); ``rules`` replaces the installed rules.
    Never raises on bad message content; raises :class:`SelectionError` on
    bad arguments, ``OSError`` on an unreadable path, and ``ValueError``
    for a one-line ``str`` that names an existing file (use
    :func:`lint_file` for a file).
    """
    settings = Settings.given(settings, options)
    chosen = selected_rules(settings)
    message = parse(read_source(data), max_depth=settings.profile.max_depth)
    return Report(message, run_rules(message, chosen, settings.context))


def lint_file(path: str | os.PathLike[str], **options: Any) -> Report:
    """Lint the message in the file at ``path``; the options are :func:`lint`'s.

    Raises ``OSError`` when the file cannot be read.
    """
    return lint(Path(path), **options)
