"""Run the selected rules over one parsed message and collect a report."""

from __future__ import annotations

import functools
import os
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence

from mimelint.mime.parse import parse
from mimelint.mime.tree import HeaderKind, Message
from mimelint.plan import Walk
from mimelint.rule import (
    Context,
    Finding,
    Problem,
    Related,
    RelatedLocation,
    Rule,
    Severity,
)
from mimelint.settings import Settings, SettingsOptions

TYPE_CHECKING = False  # typing's flag, without importing typing at start-up
if TYPE_CHECKING:  # imported by callers that pass one; start-up need not pay for it
    from email.message import Message as StdlibMessage
    from typing import Any, TypeAlias, TypeGuard, Unpack

#: What :func:`lint` accepts. A ``str`` is message text; a path must be
#: an ``os.PathLike`` (``pathlib.Path``) so the two cannot be confused.
#: (Written as a string, which type checkers read, so that typing's
#: ``Union`` is not needed at run time.)
Source: TypeAlias = "bytes | bytearray | memoryview | str | os.PathLike[str] | StdlibMessage"

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


def run_rules(message: Message, rules: Walk | Sequence[Rule], context: Context) -> list[Finding]:
    """Walk the message once, calling each rule only where it applies: where
    it visits (:class:`~mimelint.rule.Visits`) and where the facts it
    requires hold (:class:`~mimelint.rule.Fact`).

    ``rules`` is a plan (:class:`~mimelint.plan.Walk`; a
    :class:`~mimelint.settings.Settings` keeps one, :attr:`Settings.walk
    <mimelint.settings.Settings.walk>`) or the rules to plan for.

    A rule that raises becomes one internal-error finding and is not called
    again on this message; the other rules still run.

    The gates (:attr:`Rule.gate`: is the input a message at all?) run first.
    When one of them reports, the input is empty or not a message, and its
    findings are the report: the other rules would describe the same junk
    in a dozen unrelated ways (a missing From, 8-bit bytes, long lines ...).
    A gate that crashed (M000) decided nothing: the other rules still run.
    """
    walk = rules if isinstance(rules, Walk) else Walk(rules)
    out = _Collector(message)
    if walk.gates:
        for r in walk.gates:
            out.run(r, "", r.check, message, context)
        if any(f.code != INTERNAL_ERROR_CODE for f in out.findings):
            return out.sorted()
    # The calls below are the hot loop of a lint (about a hundred per small
    # message, most of which find nothing): each is written out in place,
    # with a rule's failure handled by the collector, rather than through a
    # helper call per rule. A check returns an iterable of problems (a
    # generator, a list) or None for none: a rule written as a plain
    # function that returns None when it finds nothing costs the walk one
    # call, where a generator costs a call, a generator object and its
    # first step (docs/performance.md, "Small messages: checks that return").
    #
    # The stage leaves out the rules whose declared facts fail on this
    # message (Fact: "has a NUL byte"), each fact tested once; the part
    # facts are tested per part in stage.part_rules_for.
    found = out.findings
    size = out.size
    broken = out.broken
    stage = walk.stage(message, context)
    message_rules = stage.message_rules
    if stage.defect_rules:
        defects = message.parts_with_defect  # nearly always empty
        if defects:
            message_rules += tuple(
                r for r in stage.defect_rules if not r.visits.defects.isdisjoint(defects)
            )
    for r in message_rules:
        if broken and r.code in broken:
            continue
        try:
            problems = r.check(message, context)
            if problems:
                for p in problems:
                    found.append(_finding(message, r, p, size, ""))
        except Exception as exc:  # noqa: BLE001 - totality: one broken rule must not stop the rest
            out.failed(r, exc)
    if not (stage.part_rules or stage.by_name or stage.every_field or stage.by_kind):
        return out.sorted()
    by_name, every_field, by_kind = stage.by_name, stage.every_field, stage.by_kind
    part_rules_for = stage.part_rules_for if stage.part_rules else None
    fields_for = stage.fields_for if stage.field_facts else None
    field = HeaderKind.FIELD
    for part in message.parts():
        path = part.path
        if fields_for is not None:  # a field rule requires a fact of the part
            by_name, every_field, by_kind = fields_for(part)
        if part_rules_for is not None:
            for r in part_rules_for(part):
                if broken and r.code in broken:
                    continue
                try:
                    problems = r.check(part, context)
                    if problems:
                        for p in problems:
                            found.append(_finding(message, r, p, size, path))
                except Exception as exc:  # noqa: BLE001 - as above
                    out.failed(r, exc)
        # Header lines: fields by name (a part has a few fields; the rules ask
        # for dozens of names), then every field, then the odd lines by kind.
        if by_name:
            for name, headers in part.fields_by_name.items():
                named = by_name.get(name)
                if named:
                    for h in headers:
                        for r in named:
                            if h.kind is not field and h.kind not in r.visits.kinds:
                                continue
                            if broken and r.code in broken:
                                continue
                            try:
                                problems = r.check(h, part, context)
                                if problems:
                                    for p in problems:
                                        found.append(_finding(message, r, p, size, path))
                            except Exception as exc:  # noqa: BLE001 - as above
                                out.failed(r, exc)
        if every_field:
            for h in part.headers:
                if h.kind is field:
                    for r in every_field:
                        if broken and r.code in broken:
                            continue
                        try:
                            problems = r.check(h, part, context)
                            if problems:
                                for p in problems:
                                    found.append(_finding(message, r, p, size, path))
                        except Exception as exc:  # noqa: BLE001 - as above
                            out.failed(r, exc)
        if by_kind:
            for h in part.odd_headers:
                for r in by_kind.get(h.kind, ()):
                    if broken and r.code in broken:
                        continue
                    try:
                        problems = r.check(h, part, context)
                        if problems:
                            for p in problems:
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
        self, r: Rule, path: str, check: Callable[..., Iterable[Problem] | None], *args: object
    ) -> None:
        if r.code in self.broken:
            return
        try:
            problems = check(*args)
            for problem in problems or ():
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


# Compiled on first use: only text that kept undecodable bytes needs it.
@functools.cache
def _lone_surrogate() -> re.Pattern[str]:
    """A byte kept by ``surrogateescape``."""
    return re.compile("[\udc80-\udcff]")


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
        return _lone_surrogate().sub(lambda m: f"\\x{ord(m.group()) - 0xDC00:02x}", text)
    return text


def _clamped(start: int, end: int, size: int) -> tuple[int, int]:
    """A span as a rule gave it, clamped into the message when it is not inside."""
    if 0 <= start <= end <= size:
        return start, end
    start = max(0, min(start, size))
    return start, max(start, min(end, size))


def _finding(message: Message, r: Rule, p: Problem, size: int, path: str = "") -> Finding:
    """A positioned finding; a problem that names no part is in the visited one."""
    start, end = _clamped(p.start, p.end, size)
    return Finding(
        r.code,
        r.name,
        p.severity or r.severity,
        _printable(p.message),
        start,
        end,
        *message.span_position(start, end),
        p.part or path,
        p.fix,
        tuple(_located(message, place, size) for place in p.related) if p.related else (),
    )


def _located(message: Message, r: Related, size: int) -> RelatedLocation:
    """A related place, positioned as the finding's own span is."""
    start, end = _clamped(r.start, r.end, size)
    return RelatedLocation(r.message, start, end, *message.span_position(start, end))


def _internal_error(text: str) -> Finding:
    return Finding.about_input(INTERNAL_ERROR_CODE, INTERNAL_ERROR_NAME, text)


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
    walk = settings.walk
    message = parse(read_source(data), max_depth=settings.profile.max_depth)
    return Report(message, run_rules(message, walk, settings.context))


def lint_file(path: str | os.PathLike[str], **options: Any) -> Report:
    """Lint the message in the file at ``path``; the options are :func:`lint`'s.

    Raises ``OSError`` when the file cannot be read.
    """
    with open(path, "rb") as fh:
        data = fh.read()
    return lint(data, **options)
