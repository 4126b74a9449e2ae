"""The rule API: what a rule declares, what it yields, and how it fixes.

A rule is a function decorated with :func:`rule`. Its docstring is its
documentation, in this order: *What it does*, *Why is this bad?*,
*Example*, *Use instead*, *Fix safety*, *References*. It declares what it
visits (:class:`Visits`: the whole message, leaf parts with a given
transfer encoding, multiparts, header fields by name, odd header lines...)
and the engine's one walk calls it only there, with that node and a
:class:`Context`; and it may require facts (:class:`Fact`: "the message
has a NUL byte") without which it has nothing to find, so the walk does
not call it where one fails. It yields :class:`Problem` objects (or returns a list
of them, or None when it finds nothing: the cheapest to call, for a check
that runs on every message); the engine turns them into :class:`Finding`
objects with the rule's code, name and severity, line and column, and the
part it visited.

Rules read the tree; they never re-parse it and never change it. A fix is
data: edits on byte spans of the original message, applied by the engine.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable

from mimelint._records import NamedTuple

TYPE_CHECKING = False  # typing's flag, without importing typing at start-up
if TYPE_CHECKING:
    from typing import Any

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


# The values below are NamedTuples, not dataclasses: a plain check imports
# no ``dataclasses`` (with ``inspect``, ``ast`` and ``dis`` it pulls in, about
# a third of ``import email``'s time; docs/performance.md, "Start-up").
# ``_replace`` makes a changed copy.


class Edit(NamedTuple):
    """Replace the bytes ``[start, end)`` of the original with ``replacement``.

    ``start == end`` inserts.
    """

    start: int
    end: int
    replacement: bytes


class Fix(NamedTuple):
    """A repair: edits that are applied together or not at all."""

    edits: tuple[Edit, ...]
    safety: Safety
    description: str


class Related(NamedTuple):
    """Another place a problem refers to, as a byte span and what stands there.

    The first copy of a repeated field, the tag that closes a block: a
    message says "occurs again" and the place of the first copy travels
    here as data (``Related(start, end, "the first Subject field")``), so
    the formats can show or link it (SARIF ``relatedLocations``) and a
    message never writes a line number of its own.
    """

    start: int
    end: int
    message: str


class RelatedLocation(NamedTuple):
    """A :class:`Related` place of a finding, positioned like the finding itself."""

    message: str
    start: int
    end: int
    line: int
    column: int
    end_line: int
    end_column: int


class Problem(NamedTuple):
    """What a check yields: a place, a message for a person, maybe a fix.

    ``part`` is the IMAP-style section path of the part concerned ("" for
    the top-level message). The span must cover the offending bytes; an
    empty span (``start == end``) points between two bytes, for something
    missing. ``severity`` overrides the rule's default for this one problem
    (for instance a warning where the sender cannot act, inside a forwarded
    message); None keeps the rule's. ``related`` names other places the
    problem refers to (:class:`Related`).
    """

    start: int
    end: int
    message: str
    part: str = ""
    fix: Fix | None = None
    severity: Severity | None = None
    related: tuple[Related, ...] = ()


class Finding(NamedTuple):
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
    #: Other places the finding refers to (:class:`Related`), positioned.
    related: tuple[RelatedLocation, ...] = ()

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


class Fact(enum.Enum):
    """A fact about a message or a part that a rule can require.

    A rule that can only find something where a fact holds declares it
    (``requires=[Fact.NUL_BYTE]`` in :func:`message`, :func:`parts` or
    :func:`fields`): the walk tests each fact a selected rule requires once
    per message (a *part* fact once per part), with what the tree already
    computes, and calls the rule only where all its facts hold. A skipped
    rule costs no call, and a rule read from the index is not even
    imported. The declaration is the rule's guard: the check does not test
    the fact again, and is called only where it holds (a check called
    directly, outside the engine, where a required fact fails, may return
    anything; call it through :func:`mimelint.lint` or
    :func:`mimelint.testing.findings`).

    The message facts hold of the whole message and may be required by a
    rule of any scope; the part facts (:attr:`of_part`) hold of the part
    being visited (for a field rule, the part the header line is in) and
    may not be required by a rule that visits the message.
    """

    # Message facts: tested once per message.
    #: some byte outside US-ASCII, anywhere (``not Message.whole_scan.ascii``)
    EIGHT_BIT = "eight-bit"
    #: a NUL byte, anywhere (``Message.whole_scan.first_nul``)
    NUL_BYTE = "nul-byte"
    #: a CR not followed by LF, anywhere (``Message.whole_scan.first_bare_cr``)
    BARE_CR = "bare-cr"
    #: both bare LF and CR LF line endings, outside binary bodies
    #: (``Message.whole_scan.lf`` and ``crlf``)
    MIXED_LINE_ENDINGS = "mixed-line-endings"
    #: some part declares a file name (``Message.file_names_within``)
    FILE_NAME = "file-name"
    #: some address field of the top header section is not a simple list: a
    #: mailbox in error, a route, a comment... (``not Message.address_fields.simple``)
    ADDRESS_NOT_SIMPLE = "address-not-simple"
    #: some address field of the top header section has a byte outside
    #: US-ASCII (``not Message.address_fields.ascii``)
    ADDRESS_NOT_ASCII = "address-not-ascii"
    #: some address field of the top header section may hold an IDNA label:
    #: non-ASCII, or an ``xn--`` (``Message.address_fields.idna``)
    ADDRESS_IDNA = "address-idna"
    #: some address field of the top header section may have an empty list
    #: element or a route (``Message.address_fields.empty_hint``)
    ADDRESS_EMPTY_ELEMENT = "address-empty-element"
    #: some address field of the top header section may hold an address
    #: over a length limit of RFC 5321: non-ASCII, not a simple list, or a
    #: run of 65 characters or more (``not Message.address_fields.short()``)
    ADDRESS_MAY_BE_LONG = "address-may-be-long"
    # Part facts: tested once per part, for the rules that visit it.
    #: the part's payload is plainly not text: an image, an archive, NUL
    #: bytes... (``Part.sniffed_format``)
    BINARY_CONTENT = "binary-content"
    #: the part's header section has a byte outside US-ASCII
    HEADER_EIGHT_BIT = "header-eight-bit"
    #: the part's transfer encoding is none of the five mechanisms of
    #: RFC 2045 §6.1: 7bit, 8bit, binary, quoted-printable, base64
    #: (``Part.transfer_encoding``)
    UNKNOWN_TRANSFER_ENCODING = "unknown-transfer-encoding"
    #: a field name occurs on two header lines of the part (``Part.fields_by_name``)
    REPEATED_FIELD = "repeated-field"
    #: the part's Content-Type or Content-Disposition may hold parameter
    #: syntax readers disagree on: a tokenizer defect, parameters with no
    #: ``;`` after the type, an RFC 2231 ``*`` or an empty parameter
    #: (``mimelint.mime.params.irregular`` of each)
    PARAMETERS_IRREGULAR = "parameters-irregular"
    #: the part's base64 body holds a character from outside the alphabet
    #: (``Part.base64_scan.junk_at``)
    BASE64_JUNK = "base64-junk"
    #: the part's base64 body is wrongly padded (``Part.base64_scan.pad_start``)
    BASE64_PADDING = "base64-padding"
    #: the part's base64 body has a line over 76 characters (``Part.base64_scan.long``)
    BASE64_LONG_LINE = "base64-long-line"
    #: the part's quoted-printable body has a ``=`` not followed by two
    #: upper-case hexadecimal digits (``Part.quoted_printable_scan.odd_at``)
    QP_ODD_ESCAPE = "qp-odd-escape"
    #: the part's quoted-printable body has a line over 76 characters
    #: (``Part.quoted_printable_scan.long``)
    QP_LONG_LINE = "qp-long-line"
    #: a line of the part's quoted-printable body ends in white space
    #: (``Part.quoted_printable_scan.space_start``)
    QP_TRAILING_SPACE = "qp-trailing-space"

    #: a word of the part's header section does not decode and its text is
    #: ASCII (``Part.word_summary.malformed``)
    WORD_MALFORMED = "word-malformed"
    #: a word of the part's header section names a charset no codec reads
    #: (``Part.word_summary.unknown_charset``)
    WORD_UNKNOWN_CHARSET = "word-unknown-charset"
    #: a word over 75 characters, in a field of the part without parameters
    #: (``Part.word_summary.too_long``)
    WORD_TOO_LONG = "word-too-long"
    #: a field of the part without parameters holds words and is over 76
    #: characters (``Part.word_summary.long_field``)
    WORD_LONG_FIELD = "word-long-field"
    #: a word of the part's header section directly follows another, with
    #: no white space between them (``Part.word_summary.glued``)
    WORD_GLUED = "word-glued"
    #: a word of the part's header section has empty encoded text
    #: (``Part.word_summary.empty``)
    WORD_EMPTY = "word-empty"
    #: a field of the part with parameters (Content-Type, Content-Disposition)
    #: holds words (``Part.word_summary.in_parameters``)
    WORD_IN_PARAMETERS = "word-in-parameters"
    #: an address field of the part (From, To...) holds words
    #: (``Part.word_summary.in_address``)
    WORD_IN_ADDRESS = "word-in-address"
    #: a field of the part that is neither unstructured (Subject, Comments,
    #: X-...) nor Keywords holds words (``Part.word_summary.outside_text``)
    WORD_OUTSIDE_TEXT = "word-outside-text"

    @property
    def of_part(self) -> bool:
        """Whether this fact holds of a part (else of the whole message)."""
        return self in _PART_FACTS


_PART_FACTS = frozenset(
    {
        Fact.BINARY_CONTENT,
        Fact.HEADER_EIGHT_BIT,
        Fact.UNKNOWN_TRANSFER_ENCODING,
        Fact.REPEATED_FIELD,
        Fact.PARAMETERS_IRREGULAR,
        Fact.BASE64_JUNK,
        Fact.BASE64_PADDING,
        Fact.BASE64_LONG_LINE,
        Fact.QP_ODD_ESCAPE,
        Fact.QP_LONG_LINE,
        Fact.QP_TRAILING_SPACE,
        Fact.WORD_MALFORMED,
        Fact.WORD_UNKNOWN_CHARSET,
        Fact.WORD_TOO_LONG,
        Fact.WORD_LONG_FIELD,
        Fact.WORD_GLUED,
        Fact.WORD_EMPTY,
        Fact.WORD_IN_PARAMETERS,
        Fact.WORD_IN_ADDRESS,
        Fact.WORD_OUTSIDE_TEXT,
    }
)


def _required(requires: Iterable[Fact], what: str, *, part_facts: bool) -> frozenset[Fact]:
    found = frozenset(requires)
    for fact in found:
        if not isinstance(fact, Fact):
            raise TypeError(f"{what}(requires=...) takes Fact values, not {fact!r}")
        if fact.of_part and not part_facts:
            raise ValueError(
                f"{what}(requires=...): {fact} holds of a part; only parts() and fields() "
                "may require it"
            )
    return found


class Visits(NamedTuple):
    """Where the engine calls a rule. Build one with :func:`message`,
    :func:`parts` or :func:`fields`; a rule visits the message by default.

    For parts, every filter given must hold (``None`` or empty: no filter).
    For header lines, a line matches when its lower-cased name is in
    ``names`` (or ``names`` is None) and its kind is in ``kinds``. In every
    scope, each :class:`Fact` in ``requires`` must hold too.
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
    requires: frozenset[Fact] = frozenset()

    def takes(self, part: Part) -> bool:
        """Whether a part-scope rule's filters take ``part`` (its facts aside)."""
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
    *,
    template: bool = False,
    envelope: bool = False,
    defects: Iterable[DefectKind] = (),
    requires: Iterable[Fact] = (),
) -> Visits:
    """Visit the whole message once: ``check(message, context)``.

    ``template=True``: only when the message is read as a template
    (:attr:`~mimelint.mime.tree.Message.template` is set);
    ``envelope=True``: only when the lint was given an envelope sender or
    recipients (:attr:`Context.envelope_from`, :attr:`Context.envelope_to`);
    ``defects``: only when some part has a parser defect of one of these
    kinds (:attr:`~mimelint.mime.tree.Message.parts_with_defect`);
    ``requires``: only when every one of these message :class:`Fact`
    values holds. The check need not test any of these again: the engine
    calls it only where they hold.
    """
    return Visits(
        template=template,
        envelope=envelope,
        defects=frozenset(defects),
        requires=_required(requires, "message", part_facts=False),
    )


def parts(
    *,
    leaf: bool | None = None,
    multipart: bool | None = None,
    transfer_encoding: Iterable[str] = (),
    maintype: Iterable[str] = (),
    encoded_words: bool | None = None,
    requires: Iterable[Fact] = (),
) -> Visits:
    """Visit each part (the message is part ``""``) that matches every filter.

    ``leaf=True``: parts with no children and no embedded message;
    ``multipart=True``: ``multipart/*`` parts; ``transfer_encoding`` and
    ``maintype`` (lower case): parts whose effective value is one of them;
    ``encoded_words=True``: parts with a well-formed field that holds an
    RFC 2047 encoded-word (:attr:`~mimelint.mime.tree.Part.worded_fields`
    is not empty), found with one ``bytes.find`` per header section;
    ``requires``: only where every one of these :class:`Fact` values holds
    (a part fact of the part, a message fact of its message).
    """
    return Visits(
        Scope.PART,
        leaf=leaf,
        multipart=multipart,
        transfer_encodings=frozenset(t.lower() for t in transfer_encoding),
        maintypes=frozenset(t.lower() for t in maintype),
        encoded_words=encoded_words,
        requires=_required(requires, "parts", part_facts=True),
    )


def fields(
    *names: str, kinds: Iterable[HeaderKind | str] = ("field",), requires: Iterable[Fact] = ()
) -> Visits:
    """Visit header lines: ``check(header, part, context)``.

    With ``names``, only fields of those names (case-insensitive); without,
    every line of the given kinds. ``kinds`` defaults to well-formed fields;
    pass other :class:`~mimelint.mime.tree.HeaderKind` values to visit the lines
    that are not (the engine skips header sections that have none).
    ``requires``: only where every one of these :class:`Fact` values
    holds (a part fact of the part the line is in, a message fact of its
    message).
    """
    return Visits(
        Scope.FIELD,
        names=frozenset(n.lower() for n in names) if names else None,
        kinds=frozenset(str(getattr(k, "value", k)) for k in kinds),
        requires=_required(requires, "fields", part_facts=True),
    )


#: A check's signature depends on its scope (see :class:`Scope`). It yields
#: its problems (a generator) or returns them (a list, a tuple), or returns
#: None when it finds nothing: the cheapest for the walk to call.
Check = Callable[..., Iterable[Problem] | None]


#: What identifies a rule: equality, hashing and repr read these fields (the
#: check, its documentation, origin and visits are not compared).
_COMPARED = ("code", "name", "severity", "summary", "fix_safety", "default_enabled", "gate")


class Rule:
    """A rule's metadata and its check. Frozen.

    ``code`` is stable (``M101``), ``name`` kebab-case. ``fix_safety`` is
    the safety of the fixes it can offer, or None if it never fixes (a
    finding's ``fix`` is the :class:`Fix` itself). ``default_enabled``
    False: the rule runs only when a selector names it (its code, a prefix
    of it, its name, or ``ALL``), not in the default selection. ``doc``
    None: the check's docstring, cleaned (:func:`inspect.cleandoc`) when
    first read; a check never reads it, so a start does not pay for 98
    docstrings. A gate judges whether the input is a message at all: the
    engine runs the gates first; when one reports, its findings are the
    whole report and no other rule runs (they would only describe the same
    junk). :meth:`replace` makes a changed copy.

    A plain slotted class rather than a dataclass: see :class:`Edit`.
    """

    __slots__ = (
        "_doc",
        "check",
        "code",
        "default_enabled",
        "fix_safety",
        "gate",
        "name",
        "origin",
        "severity",
        "summary",
        "visits",
    )

    code: str
    name: str
    severity: Severity
    summary: str
    check: Check
    fix_safety: Safety | None
    _doc: str | None
    origin: str
    visits: Visits
    default_enabled: bool
    gate: bool

    def __init__(
        self,
        code: str,
        name: str,
        severity: Severity,
        summary: str,
        check: Check,
        fix_safety: Safety | None = None,
        doc: str | None = "",
        origin: str = "",
        visits: Visits | None = None,
        default_enabled: bool = True,
        gate: bool = False,
    ) -> None:
        init = object.__setattr__
        init(self, "code", code)
        init(self, "name", name)
        init(self, "severity", severity)
        init(self, "summary", summary)
        init(self, "check", check)
        init(self, "fix_safety", fix_safety)
        init(self, "_doc", doc)
        init(self, "origin", origin)
        init(self, "visits", visits if visits is not None else Visits())
        init(self, "default_enabled", default_enabled)
        init(self, "gate", gate)

    @property
    def doc(self) -> str:
        """The documentation: as given, or the check's docstring cleaned."""
        doc = self._doc
        if doc is None:
            from inspect import cleandoc

            check = self.check
            if isinstance(check, Deferred):
                check = check.load()
            doc = cleandoc(check.__doc__ or "")
            object.__setattr__(self, "_doc", doc)
        return doc

    @property
    def fixable(self) -> bool:
        """Whether the rule can offer fixes."""
        return self.fix_safety is not None

    def replace(self, **changes: Any) -> Rule:
        """A copy with some fields changed (``doc`` too)."""
        fields = {name.lstrip("_"): getattr(self, name) for name in self.__slots__}
        fields.update(changes)
        return Rule(**fields)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"cannot assign to field {name!r}: a Rule is frozen")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"cannot delete field {name!r}: a Rule is frozen")

    # copy, deepcopy and pickle (Spark and Dask send a Settings that holds
    # rules to their workers) restore the fields past the frozen __setattr__.
    def __getstate__(self) -> dict[str, object]:
        return {name: getattr(self, name) for name in self.__slots__}

    def __reduce_ex__(self, protocol: Any) -> Any:
        # A rule whose check is the one its module defines travels by name,
        # as a function does: its check is a function of that module that
        # pickle cannot find by name (the module's name holds the rule).
        address = self._address()
        if address is not None:
            return (_rule_at, address)
        return super().__reduce_ex__(protocol)

    def _address(self) -> tuple[str, str] | None:
        """``(module, attribute)`` where this rule, check and all, is defined."""
        import sys

        check = self.check
        if isinstance(check, Deferred):
            return None  # not loaded: its fields and loader pickle as they are
        module = getattr(check, "__module__", None)
        attribute = getattr(check, "__name__", None)
        if not isinstance(module, str) or not isinstance(attribute, str):
            return None
        found = getattr(sys.modules.get(module), attribute, None)
        if isinstance(found, Rule) and found.check is check and found == self:
            return module, attribute
        return None

    def __setstate__(self, state: dict[str, object]) -> None:
        for name, value in state.items():
            object.__setattr__(self, name, value)

    def _key(self) -> tuple[object, ...]:
        return tuple(getattr(self, name) for name in _COMPARED)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        assert isinstance(other, Rule)
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in (*_COMPARED, "origin"))
        return f"Rule({shown})"


def _rule_at(module: str, attribute: str) -> Rule:
    """The rule defined as ``module.attribute`` (a pickled rule, read back)."""
    from mimelint.entry_points import import_module

    found = getattr(import_module(module), attribute)
    assert isinstance(found, Rule)
    return found


class StaleIndexError(RuntimeError):
    """The generated rule index (``rules/index.py``) no longer matches a rule
    module: only in a development checkout, after a rule was edited and
    ``python -m mimelint.docs`` was not run."""


class Deferred:
    """The check of a rule read from an index (:func:`indexed_rule`) until
    its first call: that call imports the rule's module, checks that the
    rule there is the one the index describes, and puts its check in the
    rule's place, so that every later call goes straight to it."""

    __slots__ = ("attribute", "loaded", "module", "rule")

    def __init__(self, rule: Rule, module: str, attribute: str) -> None:
        self.rule: Rule | None = rule
        self.module = module
        self.attribute = attribute
        self.loaded: Check | None = None

    def __call__(self, *args: object) -> Iterable[Problem] | None:
        return self.load()(*args)

    def load(self) -> Check:
        """Import the rule's module; the real check."""
        if self.loaded is not None:
            return self.loaded
        from mimelint.entry_points import import_module

        found = getattr(import_module(self.module), self.attribute, None)
        rule = self.rule
        assert rule is not None
        if not (isinstance(found, Rule) and found == rule and found.visits == rule.visits):
            raise StaleIndexError(
                f"the rule index does not match {self.module}.{self.attribute} "
                f"({rule.code}): regenerate it with python -m mimelint.docs"
            )
        self.loaded = found.check
        object.__setattr__(rule, "check", found.check)
        self.rule = None  # no cycle left between the rule and this loader
        return found.check


def indexed_rule(
    module: str,
    attribute: str,
    code: str,
    name: str,
    severity: str,
    summary: str,
    fix_safety: str | None,
    visits: Visits,
    default_enabled: bool,
    gate: bool,
) -> Rule:
    """A rule known from an index row, its module imported on its first call.

    ``module.attribute`` is the rule (made by :func:`rule`); the other
    fields are its metadata, as the index recorded them. The registry
    selects, plans the walk and filters with them; only a rule the walk
    calls costs an import.
    """
    made = Rule(
        code,
        name,
        Severity(severity),
        summary,
        _no_check,
        Safety(fix_safety) if fix_safety is not None else None,
        None,
        module,
        visits,
        default_enabled,
        gate,
    )
    object.__setattr__(made, "check", Deferred(made, module, attribute))
    return made


def _no_check(*args: object) -> Iterable[Problem]:
    return ()


def rule(
    *,
    code: str,
    name: str,
    severity: Severity | str,
    summary: str,
    fix_safety: Safety | str | None = None,
    visits: Visits | None = None,
    default_enabled: bool = True,
    gate: bool = False,
    fix: Safety | str | None = None,
) -> Callable[[Check], Rule]:
    """Declare a rule; the decorated function's docstring is its documentation.

    ``fix_safety`` ("safe" or "unsafe") says what the fixes the rule offers
    may do; omitted, the rule offers none. ``fix`` is its former name, still
    accepted for plugins written against 0.2 (giving both is an error).

    ``visits`` says where the engine calls the check (default: once per
    message); see :func:`message`, :func:`parts` and :func:`fields`, whose
    ``requires`` names the facts (:class:`Fact`) without which the check
    has nothing to find: the engine calls it only where they hold, so the
    check does not test them itself. ``gate=True`` declares a rule that decides whether the input is a
    message at all (see :attr:`Rule.gate`).
    """

    if fix is not None:
        if fix_safety is not None:
            raise TypeError("rule() takes fix_safety or its former name fix, not both")
        fix_safety = fix
    safety = Safety(fix_safety) if fix_safety is not None else None

    def wrap(check: Check) -> Rule:
        return Rule(
            code=code,
            name=name,
            severity=Severity(severity),
            summary=summary,
            check=check,
            fix_safety=safety,
            doc=None,  # cleaned when first read
            origin=getattr(check, "__module__", ""),
            visits=visits if visits is not None else Visits(),
            default_enabled=default_enabled,
            gate=gate,
        )

    return wrap
