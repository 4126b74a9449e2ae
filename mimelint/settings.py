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

from mimelint._records import NamedTuple, TypedDict
from mimelint.plan import SelectionError, Walk, select_rules
from mimelint.profile import DEFAULT_PROFILE, PROFILES, Profile
from mimelint.registry import load_rules
from mimelint.rule import Context, Rule

TYPE_CHECKING = False  # typing's flag, without importing typing at start-up
if TYPE_CHECKING:
    from functools import cached_property as lazy
    from typing import Unpack
else:
    from mimelint.mime.tree import lazy

__all__ = [
    "DEFAULT_SETTINGS",
    "SelectionError",
    "Settings",
    "SettingsOptions",
    "resolve_profile",
]


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
    def make(cls, **options: Unpack[SettingsOptions]) -> Settings:
        """Settings from the keywords ``lint``, ``fix`` and ``lint_template`` take.

        Raises :class:`SelectionError` for an unknown profile name, and
        ``TypeError`` for a keyword that is not a setting. Settings equal to
        :data:`DEFAULT_SETTINGS` (no keyword, or only defaults) are that
        value itself, so that ``lint(data)`` in a loop plans its walk once.
        """
        if not options and cls is Settings:
            return DEFAULT_SETTINGS
        unknown = options.keys() - SettingsOptions.__optional_keys__
        if unknown:
            raise TypeError(f"unexpected keyword argument {min(unknown)!r}")
        select = options.get("select")
        rules = options.get("rules")
        made = cls(
            resolve_profile(options.get("profile", DEFAULT_PROFILE)),
            None if select is None else tuple(select),
            tuple(options.get("ignore") or ()),
            tuple(options.get("extend_select") or ()),
            options.get("envelope_from"),
            tuple(options.get("envelope_to", ())),
            None if rules is None else tuple(rules),
        )
        return DEFAULT_SETTINGS if made == DEFAULT_SETTINGS and cls is Settings else made

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
