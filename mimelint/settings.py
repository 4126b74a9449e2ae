"""Settings: what ``lint``, ``fix`` and the runner share, in one frozen value.

The profile (whose limits), the rule selection (``select``, ``ignore``,
``extend_select``, and the rules to choose from) and the envelope (the SES
``Source`` and ``Destinations``, SMTP MAIL FROM and RCPT TO) travel together
down the call chain, as ``email.policy`` carries its switches: built once
(:meth:`Settings.make` checks and normalises), never changed, and derived
variants made with :meth:`Settings.replace`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, NamedTuple

from mimelint.plan import SelectionError, Walk, select_rules
from mimelint.profile import DEFAULT_PROFILE, PROFILES, Profile
from mimelint.registry import load_rules
from mimelint.rule import Context, Rule

if TYPE_CHECKING:
    from functools import cached_property as lazy
else:
    from mimelint.mime.tree import lazy

__all__ = ["DEFAULT_SETTINGS", "SelectionError", "Settings", "resolve_profile"]


def resolve_profile(profile: str | Profile) -> Profile:
    """A Profile from its name (``ses``, ``ses-v2``, ``rfc``) or itself."""
    if isinstance(profile, Profile):
        return profile
    try:
        return PROFILES[profile]
    except KeyError:
        known = ", ".join(sorted(PROFILES))
        raise SelectionError(f"unknown profile {profile!r} (known: {known})") from None


class _Fields(NamedTuple):
    profile: Profile
    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    envelope_from: str | None = None
    envelope_to: tuple[str, ...] = ()
    rules: tuple[Rule, ...] | None = None


class Settings(_Fields):
    """One frozen value: profile, selection and envelope.

    ``select`` None selects every rule; ``rules`` None means the installed
    rules (built-in and plugins, see :mod:`mimelint.registry`). The plan of
    the walk for this selection (:attr:`walk`) is made on first use and
    kept by the value, so reuse one ``Settings`` for many messages.
    """

    # A subclass of the NamedTuple without __slots__: its instances have a
    # __dict__, where the lazily made plan is kept. Equality, hashing and
    # _replace see the fields only (a replaced copy plans afresh).

    @classmethod
    def make(
        cls,
        *,
        profile: str | Profile = DEFAULT_PROFILE,
        select: Iterable[str] | None = None,
        ignore: Iterable[str] | None = None,
        extend_select: Iterable[str] | None = None,
        envelope_from: str | None = None,
        envelope_to: Iterable[str] = (),
        rules: Sequence[Rule] | None = None,
    ) -> Settings:
        """Settings from the keyword arguments ``lint`` and ``fix`` take.

        Raises :class:`SelectionError` for an unknown profile name. With
        every keyword at its default, :data:`DEFAULT_SETTINGS` itself, so
        that ``lint(data)`` in a loop plans its walk once.
        """
        if (
            profile == DEFAULT_PROFILE
            and select is None
            and not ignore
            and not extend_select
            and envelope_from is None
            and not envelope_to
            and rules is None
            and cls is Settings
        ):
            return DEFAULT_SETTINGS
        return cls(
            resolve_profile(profile),
            None if select is None else tuple(select),
            tuple(ignore or ()),
            tuple(extend_select or ()),
            envelope_from,
            tuple(envelope_to),
            None if rules is None else tuple(rules),
        )

    def replace(self, **changes: object) -> Settings:
        """A copy with some fields changed."""
        return self._replace(**changes)  # type: ignore[arg-type]

    @property
    def context(self) -> Context:
        """What a rule's check reads besides the message."""
        return Context(self.profile, self.envelope_from, self.envelope_to)

    @lazy
    def walk(self) -> Walk:
        """The selected rules sorted by what they visit: planned once, kept here.

        Raises :class:`SelectionError` for a selector that matches no rule.
        """
        rules = self.rules if self.rules is not None else load_rules()
        return Walk(select_rules(rules, self.select, self.ignore, self.extend_select))

    def __getstate__(self) -> None:
        # Pickled (for worker processes) without the plan: a worker plans
        # for itself, and a rule's check is not picklable by reference.
        return None


#: The settings :func:`mimelint.lint` and :func:`mimelint.fix` use when given
#: neither settings nor any keyword: the default profile, every rule on by
#: default, no envelope. A value like any other Settings (its plan is made on
#: first use and kept by it), so ``lint(data)`` in a loop plans once.
DEFAULT_SETTINGS = Settings(resolve_profile(DEFAULT_PROFILE))
