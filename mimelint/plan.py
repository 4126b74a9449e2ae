"""Which rules run, and where: the selection and the plan of the one walk.

:func:`select_rules` applies ``select``/``ignore``/``extend_select`` to the
installed rules; :class:`Walk` sorts the chosen rules by what they visit
and by the facts they require (:class:`~mimelint.rule.Fact`).
Both are made once per :class:`~mimelint.settings.Settings` value and kept
by it (:attr:`~mimelint.settings.Settings.walk`), so linting many messages
with the same settings plans once, with no cache outside that value.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from mimelint.mime.params import irregular
from mimelint.mime.transfer_encodings import MECHANISMS
from mimelint.mime.tree import HeaderKind
from mimelint.rule import Fact, Rule, Scope

TYPE_CHECKING = False  # typing's flag, without importing typing at start-up
if TYPE_CHECKING:
    from typing import Any

    from mimelint.mime.tree import Message, Part
    from mimelint.rule import Context


class SelectionError(ValueError):
    """A ``select``/``ignore`` entry or a profile names nothing (a usage error)."""


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


# Read once: an enum member read through its class costs a lookup in the
# enum's metaclass each time (about 100 ns), and planning reads them per rule.
_MESSAGE = Scope.MESSAGE
_PART = Scope.PART
_FIELD_KIND = HeaderKind.FIELD.value


def _mixed_line_endings(message: Message) -> bool:
    whole = message.whole_scan
    return whole.lf > whole.crlf > 0  # some bare LF, and some CR LF


def _repeated_field(part: Part) -> bool:
    by_name = part.fields_by_name
    return len(by_name) < len(part.headers) and any(len(h) > 1 for h in by_name.values())


def _parameters_irregular(part: Part) -> bool:
    # The values the part reads (M604 reports on those only), each where
    # its field's value ends.
    by_name = part.fields_by_name
    ct, cd = part.content_type_value, part.disposition_value
    return (ct is not None and irregular(part.data, ct, by_name["content-type"][0].value_end)) or (
        cd is not None and irregular(part.data, cd, by_name["content-disposition"][0].value_end)
    )


def _header_eight_bit(part: Part) -> bool:
    return not part.data[part.start : part.header_end].isascii()


#: How the walk tests each message fact (:class:`~mimelint.rule.Fact`):
#: each reads what the tree computes once per message for every rule that
#: asks (a lazy attribute: the first reader computes it, rule or test), so
#: a test adds an attribute read or two to what the rules read anyway.
MESSAGE_TESTS: dict[Fact, Callable[[Message], bool]] = {
    Fact.EIGHT_BIT: lambda m: not m.whole_scan.ascii,
    Fact.NUL_BYTE: lambda m: m.whole_scan.first_nul >= 0,
    Fact.BARE_CR: lambda m: m.whole_scan.first_bare_cr >= 0,
    Fact.MIXED_LINE_ENDINGS: _mixed_line_endings,
    Fact.FILE_NAME: lambda m: bool(m.file_names_within),
    Fact.ADDRESS_NOT_SIMPLE: lambda m: not m.address_fields.simple,
    Fact.ADDRESS_NOT_ASCII: lambda m: not m.address_fields.ascii,
    Fact.ADDRESS_IDNA: lambda m: m.address_fields.idna,
    Fact.ADDRESS_EMPTY_ELEMENT: lambda m: m.address_fields.empty_hint,
    Fact.ADDRESS_MAY_BE_LONG: lambda m: not m.address_fields.short(),
}

#: How the walk tests each part fact, on a part a rule that requires it
#: would visit (the base64 and quoted-printable scans are None for a part
#: of another encoding).
PART_TESTS: dict[Fact, Callable[[Part], bool]] = {
    Fact.BINARY_CONTENT: lambda p: p.sniffed_format is not None,
    Fact.HEADER_EIGHT_BIT: _header_eight_bit,
    Fact.UNKNOWN_TRANSFER_ENCODING: lambda p: p.transfer_encoding not in MECHANISMS,
    Fact.REPEATED_FIELD: _repeated_field,
    Fact.PARAMETERS_IRREGULAR: _parameters_irregular,
    Fact.BASE64_JUNK: lambda p: (s := p.base64_scan) is not None and s.junk_at >= 0,
    Fact.BASE64_PADDING: lambda p: (s := p.base64_scan) is not None and s.pad_start >= 0,
    Fact.BASE64_LONG_LINE: lambda p: (s := p.base64_scan) is not None and s.long is not None,
    Fact.QP_ODD_ESCAPE: lambda p: (s := p.quoted_printable_scan) is not None and s.odd_at >= 0,
    Fact.QP_LONG_LINE: lambda p: (s := p.quoted_printable_scan) is not None and s.long is not None,
    Fact.QP_TRAILING_SPACE: (
        lambda p: (s := p.quoted_printable_scan) is not None and s.space_start >= 0
    ),
    Fact.WORD_MALFORMED: lambda p: p.word_summary.malformed,
    Fact.WORD_UNKNOWN_CHARSET: lambda p: p.word_summary.unknown_charset,
    Fact.WORD_TOO_LONG: lambda p: p.word_summary.too_long,
    Fact.WORD_LONG_FIELD: lambda p: p.word_summary.long_field,
    Fact.WORD_GLUED: lambda p: p.word_summary.glued,
    Fact.WORD_EMPTY: lambda p: p.word_summary.empty,
    Fact.WORD_IN_PARAMETERS: lambda p: p.word_summary.in_parameters,
    Fact.WORD_IN_ADDRESS: lambda p: p.word_summary.in_address,
    Fact.WORD_OUTSIDE_TEXT: lambda p: p.word_summary.outside_text,
}


def facts_holding(tests: Sequence[Callable[[Any], bool]], node: object, first_bit: int = 1) -> int:
    """Which of ``tests`` hold of ``node``: a bit each, from ``first_bit`` up.

    Totality: a fact the tree cannot compute on this input counts as
    holding, so the rules that require it are called, and one that fails
    on the same fact is reported (M000) as it was before it declared it.
    """
    mask = 0
    bit = first_bit
    for holds in tests:
        try:
            if holds(node):
                mask |= bit
        except Exception:  # noqa: BLE001 - see above
            mask |= bit
        bit <<= 1
    return mask


#: Facts in declaration order: a plan lists the facts it tests in this order.
_ORDER = {fact: i for i, fact in enumerate(Fact)}

#: A part's shape: is it a leaf, a multipart, its transfer encoding, its
#: main type, has it encoded-words (see :meth:`Stage.part_rules_for`).
_Shape = tuple[bool, bool, str, str, bool]


class _ShapeRules:
    """The part rules whose filters take parts of one shape, and the part
    facts some of them require (tested per part, in that order)."""

    __slots__ = ("by_facts", "facts", "order", "rules")

    def __init__(self, rules: tuple[Rule, ...]) -> None:
        self.rules = rules
        needed = {f for r in rules for f in r.visits.requires if f.of_part}
        self.order = tuple(sorted(needed, key=_ORDER.__getitem__))
        self.facts = tuple(PART_TESTS[f] for f in self.order)
        #: The rules to call by which of those facts hold (bit i: ``facts[i]``),
        #: for each combination met so far (a few: most parts meet none).
        self.by_facts: dict[int, tuple[Rule, ...]] = {}

    def holding(self, mask: int) -> tuple[Rule, ...]:
        """The rules whose part facts hold when those of ``mask`` do."""
        found = self.by_facts.get(mask)
        if found is None:
            holding = {f for i, f in enumerate(self.order) if mask >> i & 1}
            found = self.by_facts[mask] = tuple(
                r for r in self.rules if all(f in holding for f in r.visits.requires if f.of_part)
            )
        return found


#: The field rules of a plan: by lower-cased name, for every field, and by
#: kind of header line that is not a well-formed field.
_FieldMaps = tuple[dict[str, list[Rule]], list[Rule], dict[str, list[Rule]]]


def _field_maps(rules: Iterable[Rule]) -> _FieldMaps:
    by_name: dict[str, list[Rule]] = {}
    every_field: list[Rule] = []
    by_kind: dict[str, list[Rule]] = {}
    for r in rules:
        v = r.visits
        for kind in v.kinds:
            if kind != _FIELD_KIND:
                by_kind.setdefault(kind, []).append(r)
        if _FIELD_KIND in v.kinds:
            if v.names is None:
                every_field.append(r)
            else:
                for name in v.names:
                    by_name.setdefault(name, []).append(r)
    return by_name, every_field, by_kind


class Stage:
    """The rules to call on a message, given what holds of it: the
    message rules, the part rules with their filters, the field rules by
    lower-cased name, the rules for every field, and the rules for header
    lines that are not well-formed fields, by kind.

    Made by :meth:`Walk.stage` for each combination of the message facts
    the selected rules require (and of "read as a template" and "given an
    envelope") that the messages linted show, from the rules that could
    find something in such a message: a rule whose facts fail is in none
    of these lists.
    """

    __slots__ = (
        "by_kind",
        "by_name",
        "defect_rules",
        "every_field",
        "field_facts",
        "field_order",
        "field_rules",
        "fields_by_facts",
        "message_rules",
        "part_rules",
        "rules_by_shape",
        "words_in_shape",
    )

    def __init__(self, rules: Iterable[Rule]) -> None:
        message_rules: list[Rule] = []
        defect_rules: list[Rule] = []
        field_rules: list[Rule] = []
        self.part_rules: list[Rule] = []
        #: The part rules that take a part of a given shape (see :meth:`part_rules_for`).
        self.rules_by_shape: dict[_Shape, _ShapeRules] = {}
        for r in rules:
            v = r.visits
            if v.scope is _MESSAGE:
                #: Message rules about parser defects (``message(defects=...)``):
                #: called only when some part has a defect of a kind they name.
                (defect_rules if v.defects else message_rules).append(r)
            elif v.scope is _PART:
                self.part_rules.append(r)
            else:
                field_rules.append(r)
        self.message_rules = tuple(message_rules)
        self.defect_rules = tuple(defect_rules)
        self.field_rules = tuple(field_rules)
        #: The field rules by lower-cased name, for every field, by kind of odd
        #: line: those whose part facts hold (:meth:`fields_for`); with no
        #: field rule that requires a part fact, all of them for every part.
        self.by_name, self.every_field, self.by_kind = _field_maps(field_rules)
        needed = {f for r in field_rules for f in r.visits.requires if f.of_part}
        self.field_order = tuple(sorted(needed, key=_ORDER.__getitem__))
        #: The part facts some field rule requires, tested on each part.
        self.field_facts = tuple(PART_TESTS[f] for f in self.field_order)
        self.fields_by_facts: dict[int, _FieldMaps] = {}
        #: Whether a part's shape includes "has encoded-words" (only when a
        #: part rule filters on it: otherwise no part need be searched for them).
        self.words_in_shape = any(r.visits.encoded_words is not None for r in self.part_rules)

    def fields_for(self, part: Part) -> _FieldMaps:
        """The field rules (by name, for every field, by kind) whose part
        facts hold of ``part``; each fact is tested once."""
        mask = facts_holding(self.field_facts, part)
        found = self.fields_by_facts.get(mask)
        if found is None:
            holding = {f for i, f in enumerate(self.field_order) if mask >> i & 1}
            found = self.fields_by_facts[mask] = _field_maps(
                r
                for r in self.field_rules
                if all(f in holding for f in r.visits.requires if f.of_part)
            )
        return found

    def part_rules_for(self, part: Part) -> tuple[Rule, ...]:
        """The part rules whose filters take ``part`` and whose part facts
        hold of it.

        A filter reads only whether the part is a leaf, whether it is a
        multipart, its transfer encoding, its main type and whether it has
        encoded-words (asked only when a rule filters on it): parts of the
        same shape take the same rules, so each filter runs once per shape
        instead of once per part (a small message has two or three parts of
        one or two shapes). Bounded: odd encodings and types from hostile
        input cannot grow it past a few hundred shapes. Then the part facts
        that the rules of that shape require are tested on the part, each
        once.
        """
        words = bool(part.worded_fields) if self.words_in_shape else False
        shape = (part.is_leaf, part.is_multipart, part.transfer_encoding, part.maintype, words)
        found = self.rules_by_shape.get(shape)
        if found is None:
            if len(self.rules_by_shape) >= 256:
                self.rules_by_shape.clear()
            found = _ShapeRules(tuple(r for r in self.part_rules if r.visits.takes(part)))
            self.rules_by_shape[shape] = found
        if not found.facts:
            return found.rules
        return found.holding(facts_holding(found.facts, part))


class Walk:
    """The selected rules sorted by what they visit, for the one walk.

    Made once per selection (a :class:`~mimelint.settings.Settings` keeps
    its own, :attr:`~mimelint.settings.Settings.walk`) and shared by every
    message linted with it. The gates run first; then :meth:`stage` gives
    the rules to call on a message, by what they visit, leaving out the
    rules whose declared facts (:class:`~mimelint.rule.Fact`) fail.
    """

    __slots__ = ("facts", "gates", "planned", "rules", "stages", "tests")

    def __init__(self, rules: Sequence[Rule]) -> None:
        self.rules = tuple(rules)
        #: Rules that judge whether the input is a message at all (Rule.gate);
        #: called once per message, before every other rule.
        self.gates: list[Rule] = [r for r in self.rules if r.gate]
        self.planned = tuple(r for r in self.rules if not r.gate)
        needed = {f for r in self.planned for f in r.visits.requires if not f.of_part}
        #: The message facts some selected rule requires, tested once per message.
        self.facts = tuple(sorted(needed, key=_ORDER.__getitem__))
        self.tests = tuple(MESSAGE_TESTS[f] for f in self.facts)
        #: The stage for each combination of (read as a template?, envelope
        #: given?, the facts that hold) met so far: a bit each.
        self.stages: dict[int, Stage] = {}

    def stage(self, message: Message, context: Context) -> Stage:
        """The rules to call on ``message``: each fact is tested once."""
        key = 1 if message.template is not None else 0
        if context.envelope_from is not None or context.envelope_to:
            key |= 2
        key |= facts_holding(self.tests, message, 4)
        found = self.stages.get(key)
        if found is None:
            if len(self.stages) >= 256:
                self.stages.clear()
            found = self.stages[key] = self._plan(key)
        return found

    def _plan(self, key: int) -> Stage:
        template, envelope = bool(key & 1), bool(key & 2)
        holding = {f for i, f in enumerate(self.facts) if key >> (i + 2) & 1}
        return Stage(
            r
            for r in self.planned
            if (template or not r.visits.template)
            and (envelope or not r.visits.envelope)
            and all(f in holding for f in r.visits.requires if not f.of_part)
        )
