"""Which rules run, and where: the selection and the plan of the one walk.

:func:`select_rules` applies ``select``/``ignore``/``extend_select`` to the
installed rules; :class:`Walk` sorts the chosen rules by what they visit.
Both are made once per :class:`~mimelint.settings.Settings` value and kept
by it (:attr:`~mimelint.settings.Settings.walk`), so linting many messages
with the same settings plans once, with no cache outside that value.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from mimelint.mime.tree import HeaderKind
from mimelint.rule import Rule, Scope

TYPE_CHECKING = False  # typing's flag, without importing typing at start-up
if TYPE_CHECKING:
    from mimelint.mime.tree import Part


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


class Walk:
    """The selected rules sorted by what they visit, for the one walk.

    Made once per selection (a :class:`~mimelint.settings.Settings` keeps
    its own, :attr:`~mimelint.settings.Settings.walk`) and shared by every
    message linted with it: the message rules, the part rules with their
    filters, the field rules by lower-cased name, the rules for every
    field, and the rules for header lines that are not well-formed fields,
    by kind.
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
            if v.scope is _MESSAGE:
                self.message_rules.append(r)
            elif v.scope is _PART:
                self.part_rules.append(r)
            else:
                for kind in v.kinds:
                    if kind != _FIELD_KIND:
                        self.by_kind.setdefault(kind, []).append(r)
                if _FIELD_KIND in v.kinds:
                    if v.names is None:
                        self.every_field.append(r)
                    else:
                        for name in v.names:
                            self.by_name.setdefault(name, []).append(r)
        #: The message rules to call, by (read as a template?, envelope given?):
        #: a rule declared ``message(template=True)`` or ``message(envelope=True)``
        #: is left out where it could have nothing to look at.
        plain = [r for r in self.message_rules if not r.visits.defects]
        self.message_rules_by_mode: dict[tuple[bool, bool], tuple[Rule, ...]] = {
            (template, envelope): tuple(
                r
                for r in plain
                if (template or not r.visits.template) and (envelope or not r.visits.envelope)
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
