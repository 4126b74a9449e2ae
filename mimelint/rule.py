"""The rule API: what a rule declares, what it yields, and how it fixes.

A rule is a function decorated with :func:`rule`. Its docstring is its
documentation, in this order: *What it does*, *Why is this bad?*,
*Example*, *Use instead*, *Fix safety*, *References*. It declares what it
visits (:class:`Visits`: the whole message, leaf parts with a given
transfer encoding, multiparts, header fields by name, odd header lines...)
and the engine's one walk calls it only there, with that node and a
:class:`Context`. It yields :class:`Problem` objects (or returns a list
of them, or None when it finds nothing: the cheapest to call, for a check
that runs on every message); the engine turns them into :class:`Finding`
objects with the rule's code, name and severity, line and column, and the
part it visited.

Rules read the tree; they never re-parse it and never change it. A fix is
data: edits on byte spans of the original message, applied by the engine.
"""

from __future__ import annotations

import enum
import inspect
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from mimelint.mime.tree import DefectKind, HeaderKind, Part
    from mimelint.profile import Profile


class Severity(str, enum.Enum):
    """How bad a finding is. ``error`` fails the run (exit status 1)."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


class Safety(str, enum.Enum):
    """Whether applying a fix can change what a reader sees."""

    SAFE = "safe"  #: content identical; applied by ``--fix``
    UNSAFE = "unsafe"  #: relies on a guess; applied only with ``--unsafe-fixes``


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace the bytes ``[start, end)`` of the original with ``replacement``.

    ``start == end`` inserts.
    """

    start: int
    end: int
    replacement: bytes


@dataclass(frozen=True, slots=True)
class Fix:
    """A repair: edits that are applied together or not at all."""

    edits: tuple[Edit, ...]
    safety: Safety
    description: str


@dataclass(frozen=True, slots=True)
class Problem:
    """What a check yields: a place, a message for a person, maybe a fix.

    ``part`` is the IMAP-style section path of the part concerned ("" for
    the top-level message). The span must cover the offending bytes; an
    empty span (``start == end``) points between two bytes, for something
    missing. ``severity`` overrides the rule's default for this one problem
    (for instance a warning where the sender cannot act, inside a forwarded
    message); None keeps the rule's.
    """

    start: int
    end: int
    message: str
    part: str = ""
    fix: Fix | None = None
    severity: Severity | None = None


@dataclass(frozen=True, slots=True)
class Finding:
    """A reported problem, positioned and attributed to a rule."""

    code: str
    name: str
    severity: Severity
    message: str
    start: int
    end: int
    line: int
    column: int
    end_line: int
    end_column: int
    part: str = ""
    fix: Fix | None = None

    @property
    def fixable(self) -> bool:
        """Whether a fix is attached."""
        return self.fix is not None

    @classmethod
    def about_input(cls, code: str, name: str, message: str) -> Finding:
        """An error about the input as a whole (a rule that crashed, an archive
        member not read), placed at its start: line 1, column 1."""
        return cls(code, name, Severity.ERROR, message, 0, 0, 1, 1, 1, 1)


class Context(NamedTuple):
    """Everything a check may read besides the message. Frozen.

    ``profile`` gathers the provider's limits (see :mod:`mimelint.profile`);
    the envelope is the SMTP/SES ``Source`` and ``Destinations``, when known.
    """

    profile: Profile
    envelope_from: str | None = None
    envelope_to: tuple[str, ...] = ()


class Scope(enum.Enum):
    """The kind of node a rule's check is called with."""

    MESSAGE = "message"  #: ``check(message, context)``, once per message
    PART = "part"  #: ``check(part, context)``, for each part that matches
    FIELD = "field"  #: ``check(header, part, context)``, for each header line that matches


class Visits(NamedTuple):
    """Where the engine calls a rule. Build one with :func:`message`,
    :func:`parts` or :func:`fields`; a rule visits the message by default.

    For parts, every filter given must hold (``None`` or empty: no filter).
    For header lines, a line matches when its lower-cased name is in
    ``names`` (or ``names`` is None) and its kind is in ``kinds``.
    """

    scope: Scope = Scope.MESSAGE
    leaf: bool | None = None
    multipart: bool | None = None
    transfer_encodings: frozenset[str] = frozenset()
    maintypes: frozenset[str] = frozenset()
    names: frozenset[str] | None = None
    kinds: frozenset[str] = frozenset({"field"})
    encoded_words: bool | None = None
    template: bool = False
    envelope: bool = False
    defects: frozenset[DefectKind] = frozenset()

    def takes(self, part: Part) -> bool:
        """Whether a part-scope rule applies to ``part``."""
        if self.leaf is not None and part.is_leaf is not self.leaf:
            return False
        if self.multipart is not None and part.is_multipart is not self.multipart:
            return False
        if self.transfer_encodings and part.transfer_encoding not in self.transfer_encodings:
            return False
        if self.encoded_words is not None and bool(part.worded_fields) is not self.encoded_words:
            return False
        return not self.maintypes or part.maintype in self.maintypes


def message(
    *, template: bool = False, envelope: bool = False, defects: Iterable[DefectKind] = ()
) -> Visits:
    """Visit the whole message once: ``check(message, context)``.

    ``template=True``: only when the message is read as a template
    (:attr:`~mimelint.mime.tree.Message.template` is set);
    ``envelope=True``: only when the lint was given an envelope sender or
    recipients (:attr:`Context.envelope_from`, :attr:`Context.envelope_to`);
    ``defects``: only when some part has a parser defect of one of these
    kinds (:attr:`~mimelint.mime.tree.Message.parts_with_defect`).
    """
    return Visits(template=template, envelope=envelope, defects=frozenset(defects))


def parts(
    *,
    leaf: bool | None = None,
    multipart: bool | None = None,
    transfer_encoding: Iterable[str] = (),
    maintype: Iterable[str] = (),
    encoded_words: bool | None = None,
) -> Visits:
    """Visit each part (the message is part ``""``) that matches every filter.

    ``leaf=True``: parts with no children and no embedded message;
    ``multipart=True``: ``multipart/*`` parts; ``transfer_encoding`` and
    ``maintype`` (lower case): parts whose effective value is one of them;
    ``encoded_words=True``: parts with a well-formed field that holds an
    RFC 2047 encoded-word (:attr:`~mimelint.mime.tree.Part.worded_fields`
    is not empty), found with one ``bytes.find`` per header section.
    """
    return Visits(
        Scope.PART,
        leaf=leaf,
        multipart=multipart,
        transfer_encodings=frozenset(t.lower() for t in transfer_encoding),
        maintypes=frozenset(t.lower() for t in maintype),
        encoded_words=encoded_words,
    )


def fields(*names: str, kinds: Iterable[HeaderKind | str] = ("field",)) -> Visits:
    """Visit header lines: ``check(header, part, context)``.

    With ``names``, only fields of those names (case-insensitive); without,
    every line of the given kinds. ``kinds`` defaults to well-formed fields;
    pass other :class:`~mimelint.mime.tree.HeaderKind` values to visit the lines
    that are not (the engine skips header sections that have none).
    """
    return Visits(
        Scope.FIELD,
        names=frozenset(n.lower() for n in names) if names else None,
        kinds=frozenset(str(getattr(k, "value", k)) for k in kinds),
    )


#: A check's signature depends on its scope (see :class:`Scope`). It yields
#: its problems (a generator) or returns them (a list, a tuple), or returns
#: None when it finds nothing: the cheapest for the walk to call.
Check = Callable[..., Iterable[Problem] | None]


class _Doc:
    """The descriptor behind :attr:`Rule.doc`: stored as given, or, when
    given None, the check's docstring cleaned (:func:`inspect.cleandoc`) on
    first read. A check never reads it, so a start does not pay for 98
    docstrings (docs/performance.md, "Start-up")."""

    # Stored with object.__setattr__, never through ``rule.__dict__``: in
    # CPython 3.11 touching ``__dict__`` turns the instance's inline attribute
    # values into a real dict, and every later ``rule.code`` or ``rule.check``
    # (the walk reads them about a hundred times per message) then costs
    # four times as much (measured: 22 ns against 5 ns per read).

    def __get__(self, rule: Rule | None, owner: type | None = None) -> str:
        if rule is None:
            return ""  # the field's default
        doc: str | None = getattr(rule, "_doc")  # noqa: B009 - not a declared field
        if doc is None:
            doc = inspect.cleandoc(rule.check.__doc__ or "")
            object.__setattr__(rule, "_doc", doc)
        return doc

    def __set__(self, rule: Rule, doc: str | _Doc | None) -> None:
        # A Rule made without ``doc`` is handed the field's default, this
        # descriptor itself: that means no documentation, as it always did.
        object.__setattr__(rule, "_doc", "" if isinstance(doc, _Doc) else doc)


@dataclass(frozen=True)
class Rule:
    """A rule's metadata and its check.

    ``code`` is stable (``M101``), ``name`` kebab-case. ``fix_safety`` is
    the safety of the fixes it can offer, or None if it never fixes (a
    finding's ``fix`` is the :class:`Fix` itself). ``default_enabled``
    False: the rule runs only when a selector names it (its code, a prefix
    of it, its name, or ``ALL``), not in the default selection. ``doc``
    None: the check's docstring, cleaned when first read.
    """

    code: str
    name: str
    severity: Severity
    summary: str
    check: Check = field(repr=False, compare=False)
    fix_safety: Safety | None = None
    doc: _Doc = field(default=_Doc(), repr=False, compare=False)
    origin: str = field(default="", compare=False)
    visits: Visits = field(default_factory=Visits, compare=False)
    default_enabled: bool = True
    #: A gate judges whether the input is a message at all. The engine runs
    #: the gates first; when one reports, its findings are the whole report
    #: and no other rule runs (they would only describe the same junk).
    gate: bool = False

    @property
    def fixable(self) -> bool:
        """Whether the rule can offer fixes."""
        return self.fix_safety is not None


def rule(
    *,
    code: str,
    name: str,
    severity: Severity | str,
    summary: str,
    fix: Safety | str | None = None,
    visits: Visits | None = None,
    default_enabled: bool = True,
    gate: bool = False,
) -> Callable[[Check], Rule]:
    """Declare a rule; the decorated function's docstring is its documentation.

    ``visits`` says where the engine calls the check (default: once per
    message); see :func:`message`, :func:`parts` and :func:`fields`.
    ``gate=True`` declares a rule that decides whether the input is a
    message at all (see :attr:`Rule.gate`).
    """

    def wrap(check: Check) -> Rule:
        return Rule(
            code=code,
            name=name,
            severity=Severity(severity),
            summary=summary,
            check=check,
            fix_safety=Safety(fix) if fix is not None else None,
            doc=None,  # cleaned when first read
            origin=getattr(check, "__module__", ""),
            visits=visits if visits is not None else Visits(),
            default_enabled=default_enabled,
            gate=gate,
        )

    return wrap
