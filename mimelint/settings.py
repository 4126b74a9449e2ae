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
from typing import NamedTuple

from mimelint.profile import DEFAULT_PROFILE, PROFILES, Profile
from mimelint.rule import Context, Rule


class SelectionError(ValueError):
    """A ``select``/``ignore`` entry or a profile names nothing (a usage error)."""


def resolve_profile(profile: str | Profile) -> Profile:
    """A Profile from its name (``ses``, ``ses-v2``, ``rfc``) or itself."""
    if isinstance(profile, Profile):
        return profile
    try:
        return PROFILES[profile]
    except KeyError:
        known = ", ".join(sorted(PROFILES))
        raise SelectionError(f"unknown profile {profile!r} (known: {known})") from None


class Settings(NamedTuple):
    """One frozen value: profile, selection and envelope.

    ``select`` None selects every rule; ``rules`` None means the installed
    rules (built-in and plugins, see :mod:`mimelint.registry`).
    """

    profile: Profile
    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    envelope_from: str | None = None
    envelope_to: tuple[str, ...] = ()
    rules: tuple[Rule, ...] | None = None

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

        Raises :class:`SelectionError` for an unknown profile name.
        """
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
