"""Profiles: one frozen object holding a provider's limits, read by rules.

Modelled on ``email.policy``: behaviour switches travel down the call chain
in one immutable value, never as globals. Variants are made with
:meth:`Profile.replace`.
"""

from __future__ import annotations

from mimelint._records import NamedTuple

#: Amazon SES refuses attachments with these extensions (SES developer guide,
#: "Amazon SES unsupported attachment types"; list as of 2026).
SES_REFUSED_EXTENSIONS = frozenset(
    [
        "ade",
        "adp",
        "app",
        "asp",
        "bas",
        "bat",
        "cer",
        "chm",
        "cmd",
        "com",
        "cpl",
        "crt",
        "csh",
        "der",
        "exe",
        "fxp",
        "gadget",
        "hlp",
        "hta",
        "inf",
        "ins",
        "isp",
        "its",
        "js",
        "jse",
        "ksh",
        "lib",
        "lnk",
        "mad",
        "maf",
        "mag",
        "mam",
        "maq",
        "mar",
        "mas",
        "mat",
        "mau",
        "mav",
        "maw",
        "mda",
        "mdb",
        "mde",
        "mdt",
        "mdw",
        "mdz",
        "msc",
        "msh",
        "msh1",
        "msh2",
        "mshxml",
        "msh1xml",
        "msh2xml",
        "msi",
        "msp",
        "mst",
        "ops",
        "pcd",
        "pif",
        "plg",
        "prf",
        "prg",
        "reg",
        "scf",
        "scr",
        "sct",
        "shb",
        "shs",
        "sys",
        "ps1",
        "ps1xml",
        "ps2",
        "ps2xml",
        "psc1",
        "psc2",
        "tmp",
        "url",
        "vb",
        "vbe",
        "vbs",
        "vps",
        "vsmacros",
        "vss",
        "vst",
        "vsw",
        "vxd",
        "ws",
        "wsc",
        "wsf",
        "wsh",
        "xnk",
    ]
)

#: SES refuses a second occurrence of these fields in a message's header
#: section with ``Duplicate header`` (SES developer guide, "Amazon SES header
#: fields": the full list of 60, lower case); RFC 5322 §3.6 adds To, Cc, Bcc.
SES_SINGLE_HEADERS = frozenset(
    [
        "accept-language",
        "acceptlanguage",
        "archived-at",
        "auto-submitted",
        "bounces-to",
        "comments",
        "content-alternative",
        "content-base",
        "content-class",
        "content-description",
        "content-disposition",
        "content-duration",
        "content-id",
        "content-language",
        "content-length",
        "content-location",
        "content-md5",
        "content-transfer-encoding",
        "content-type",
        "date",
        "delivered-to",
        "disposition-notification-options",
        "disposition-notification-to",
        "dkim-signature",
        "domainkey-signature",
        "errors-to",
        "from",
        "importance",
        "in-reply-to",
        "keywords",
        "list-archive",
        "list-help",
        "list-id",
        "list-owner",
        "list-post",
        "list-subscribe",
        "list-unsubscribe",
        "list-unsubscribe-post",
        "message-context",
        "message-id",
        "mime-version",
        "organization",
        "original-from",
        "original-message-id",
        "original-recipient",
        "original-subject",
        "precedence",
        "priority",
        "references",
        "reply-to",
        "return-path",
        "return-receipt-to",
        "sender",
        "solicitation",
        "sensitivity",
        "subject",
        "thread-index",
        "thread-topic",
        "user-agent",
        "vbr-info",
        "to",
        "cc",
        "bcc",
    ]
)


class Profile(NamedTuple):
    """Limits and named behaviours that rules read.

    ``max_message_size`` and ``max_recipients`` are None when the profile
    sets no such limit. ``refused_extensions`` are lower case, no dot.

    Rules read named behaviours, never which provider it is: what a
    provider does is a switch with a name here (``refuses_source_routes``,
    ``overwrites_date_and_message_id``), so a profile for another provider
    says what it does by setting them.
    """

    name: str
    description: str
    max_message_size: int | None
    max_recipients: int | None
    refused_extensions: frozenset[str]
    max_line_octets: int = 998  # RFC 5322 §2.1.1, excluding CRLF
    max_depth: int = 100
    #: Who refuses what this profile refuses, named in findings for a person
    #: ("Amazon SES refuses ..."); "the provider" when it has no name.
    provider_label: str = "the provider"
    #: The provider answers malformed addresses with its own error texts
    #: (SES: ``Missing final '@domain'``); findings quote them so people
    #: recognise them. Off: they mean nothing to the reader.
    quotes_provider_errors: bool = False
    #: The provider refuses an obsolete source route in an address
    #: (``<@relay:bob@example.org>``; SES: ``Extra route-addr``): an error,
    #: not only obsolete syntax (M408 rather than M409).
    refuses_source_routes: bool = False
    #: The attachment extensions the provider itself refuses (SES's list).
    #: ``refused_extensions`` is what the lint refuses: these, or what the
    #: configuration made of them (``refused-extensions``,
    #: ``extra-refused-extensions``), so a finding can say who refuses.
    provider_refused_extensions: frozenset[str] = frozenset()
    #: The provider's own size limit (bytes after encoding), or None.
    #: ``max_message_size`` is what the lint holds a message to: this, or the
    #: configured ``max-message-size``, so a finding can say whose limit it is.
    provider_max_message_size: int | None = None
    #: The provider sets its own Date and Message-ID, so a missing or
    #: malformed one in the message does no harm (SES developer guide,
    #: "Amazon SES header fields"): M610-M613 stay quiet.
    overwrites_date_and_message_id: bool = False
    #: Header fields the provider refuses to see twice in a message's header
    #: section (SES: the fields of SES_SINGLE_HEADERS), beyond what RFC 5322
    #: §3.6 allows once; empty when the provider adds no list of its own.
    provider_single_fields: frozenset[str] = frozenset()
    #: The provider rewrites a message as it relays it (SES adds and
    #: re-signs fields), so 8-bit content declared 7bit may be damaged (M103).
    rewrites_messages: bool = False

    def replace(self, **changes: object) -> Profile:
        """A copy with some fields changed."""
        return self._replace(**changes)  # type: ignore[arg-type]


SES = Profile(
    name="ses",
    description="Amazon SES SendRawEmail (API v1): 10 MB after encoding, 50 recipients",
    max_message_size=10_485_760,
    provider_max_message_size=10_485_760,
    max_recipients=50,
    refused_extensions=SES_REFUSED_EXTENSIONS,
    provider_label="Amazon SES",
    provider_refused_extensions=SES_REFUSED_EXTENSIONS,
    quotes_provider_errors=True,
    refuses_source_routes=True,
    overwrites_date_and_message_id=True,
    provider_single_fields=SES_SINGLE_HEADERS,
    rewrites_messages=True,
)
SES_V2 = SES.replace(
    name="ses-v2",
    description="Amazon SES API v2 SendEmail with raw content, or SES SMTP: 40 MB",
    max_message_size=40 * 1024 * 1024,
    provider_max_message_size=40 * 1024 * 1024,
)
RFC = Profile(
    name="rfc",
    description="Standards only (RFC 5322, 2045-2049, 2231): no provider limits",
    max_message_size=None,
    max_recipients=None,
    refused_extensions=frozenset(),
)

PROFILES: dict[str, Profile] = {p.name: p for p in (SES, SES_V2, RFC)}
DEFAULT_PROFILE = "ses"


def get_profile(name: str) -> Profile:
    """The built-in profile of that name; ``KeyError`` if there is none."""
    return PROFILES[name]
