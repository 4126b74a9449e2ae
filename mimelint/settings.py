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
from typing import TypedDict, Unpack

from mimelint._records import NamedTuple
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


class SettingsOptions(TypedDict, total=False):
    """The keywords a :class:`Settings` is made of, which ``lint``, ``fix`` and
    ``lint_template`` also take (written here once, read by :meth:`Settings.make`)."""

    profile: str | Profile  #: a Profile or its name; default ``ses``
    select: Iterable[str] | None  #: codes, prefixes or names; None: every rule
    ignore: Iterable[str] | None
    extend_select: Iterable[str] | None
    envelope_from: str | None  #: SES ``Source`` / SMTP MAIL FROM
    envelope_to: Iterable[str]  #: SES ``Destinations`` / SMTP RCPT TO
    rules: Sequence[Rule] | None  #: replaces the installed rules


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
    def make(cls, **options: Unpack[SettingsOptions]) -> Settings:
        """Settings from the keywords ``lint``, ``fix`` and ``lint_template`` take.

        Raises :class:`SelectionError` for an unknown profile name, and
        ``TypeError`` for a keyword that is not a setting.
        """
        unknown = options.keys() - SettingsOptions.__optional_keys__
        if unknown:
            raise TypeError(f"unexpected keyword argument {min(unknown)!r}")
        select = options.get("select")
        rules = options.get("rules")
        return cls(
            resolve_profile(options.get("profile", DEFAULT_PROFILE)),
            None if select is None else tuple(select),
            tuple(options.get("ignore") or ()),
            tuple(options.get("extend_select") or ()),
            options.get("envelope_from"),
            tuple(options.get("envelope_to", ())),
            None if rules is None else tuple(rules),
        )

    @classmethod
    def given(cls, settings: Settings | None, options: SettingsOptions) -> Settings:
        """``settings`` itself, or one made of the keywords (``lint(data, select=...)``).

        Passing both is a ``TypeError``: the keywords would be ignored.
        """
        if settings is None:
            return cls.make(**options)
        if options:
            raise TypeError(
                f"pass settings or the keywords it is made of, not both (got {', '.join(options)})"
            )
        return settings

    def replace(self, **changes: object) -> Settings:
        """A copy with some fields changed."""
        return self._replace(**changes)  # type: ignore[arg-type]

    @property
    def context(self) -> Context:
        """What a rule's check reads besides the message."""
        return Context(self.profile, self.envelope_from, self.envelope_to)
