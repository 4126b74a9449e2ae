"""The rule API: what a rule declares, what it yields, and how it fixes.

A rule is a function decorated with :func:`rule`. Its docstring is its
documentation, in this order: *What it does*, *Why is this bad?*,
*Example*, *Use instead*, *Fix safety*, *References*. It receives the
parsed message and a :class:`Context` and yields :class:`Problem` objects;
the engine turns them into :class:`Finding` objects with the rule's code,
name and severity and with line and column.

Rules read the tree; they never re-parse it and never change it. A fix is
data: edits on byte spans of the original message, applied by the engine.
"""

from __future__ import annotations

import enum
import inspect
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from mimelint._frozen import quick_init

if TYPE_CHECKING:
    from mimelint.profile import Profile
    from mimelint.tree import Message


class Severity(str, enum.Enum):
    """How bad a finding is. ``error`` fails the run (exit status 1)."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


class Safety(str, enum.Enum):
    """Whether applying a fix can change what a reader sees."""

    SAFE = "safe"  #: content identical; applied by ``--fix``
    UNSAFE = "unsafe"  #: relies on a guess; applied only with ``--unsafe-fixes``


@quick_init
@dataclass(frozen=True, slots=True)
class Edit:
    """Replace the bytes ``[start, end)`` of the original with ``replacement``.

    ``start == end`` inserts.
    """

    start: int
    end: int
    replacement: bytes


@quick_init
@dataclass(frozen=True, slots=True)
class Fix:
    """A repair: edits that are applied together or not at all."""

    edits: tuple[Edit, ...]
    safety: Safety
    description: str


@quick_init
@dataclass(frozen=True, slots=True)
class Problem:
    """What a check yields: a place, a message for a person, maybe a fix.

    ``part`` is the IMAP-style section path of the part concerned ("" for
    the top-level message). The span must cover the offending bytes; an
    empty span (``start == end``) points between two bytes, for something
    missing.
    """

    start: int
    end: int
    message: str
    part: str = ""
    fix: Fix | None = None


@quick_init
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


@quick_init
@dataclass(frozen=True, slots=True)
class Context:
    """Everything a check may read besides the message. Frozen.

    ``profile`` gathers the provider's limits (see :mod:`mimelint.profile`);
    the envelope is the SMTP/SES ``Source`` and ``Destinations``, when known.
    """

    profile: Profile
    envelope_from: str | None = None
    envelope_to: tuple[str, ...] = ()


Check = Callable[["Message", Context], Iterable[Problem]]


@dataclass(frozen=True)
class Rule:
    """A rule's metadata and its check.

    ``code`` is stable (``M101``), ``name`` kebab-case. ``fix`` is the
    safety of the fixes it can offer, or None if it never fixes.
    """

    code: str
    name: str
    severity: Severity
    summary: str
    check: Check = field(repr=False, compare=False)
    fix: Safety | None = None
    doc: str = field(default="", repr=False, compare=False)
    origin: str = field(default="", compare=False)
    #: A gate judges whether the input is a message at all. The engine runs
    #: the gates first; when one reports, its findings are the whole report
    #: and no other rule runs (they would only describe the same junk).
    gate: bool = False

    @property
    def fixable(self) -> bool:
        """Whether the rule can offer fixes."""
        return self.fix is not None

    def __call__(self, message: Message, context: Context) -> Iterable[Problem]:
        return self.check(message, context)


def rule(
    *,
    code: str,
    name: str,
    severity: Severity | str,
    summary: str,
    fix: Safety | str | None = None,
    gate: bool = False,
) -> Callable[[Check], Rule]:
    """Declare a rule; the decorated function's docstring is its documentation.

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
            fix=Safety(fix) if fix is not None else None,
            doc=inspect.cleandoc(check.__doc__ or ""),
            origin=getattr(check, "__module__", ""),
            gate=gate,
        )

    return wrap
