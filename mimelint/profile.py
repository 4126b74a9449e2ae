"""Profiles: one frozen object holding a provider's limits, read by rules.

Modelled on ``email.policy``: behaviour switches travel down the call chain
in one immutable value, never as globals. Variants are made with
:meth:`Profile.replace`.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

#: Amazon SES refuses attachments with these extensions (SES developer guide,
#: "Amazon SES unsupported attachment types"; list as of 2026).
SES_REFUSED_EXTENSIONS = frozenset(
    """
    ade adp app asp bas bat cer chm cmd com cpl crt csh der exe fxp gadget hlp
    hta inf ins isp its js jse ksh lib lnk mad maf mag mam maq mar mas mat mau
    mav maw mda mdb mde mdt mdw mdz msc msh msh1 msh2 mshxml msh1xml msh2xml
    msi msp mst ops pcd pif plg prf prg reg scf scr sct shb shs sys ps1 ps1xml
    ps2 ps2xml psc1 psc2 tmp url vb vbe vbs vps vsmacros vss vst vsw vxd ws wsc
    wsf wsh xnk
    """.split()
)

#: SES refuses a second occurrence of these fields with ``Duplicate header``
#: (SES developer guide, header fields); RFC 5322 §3.6 adds Bcc, To, Cc.
SES_SINGLE_HEADERS = frozenset(
    """
    from subject date message-id reply-to sender content-type
    content-transfer-encoding mime-version references in-reply-to
    list-unsubscribe list-unsubscribe-post dkim-signature delivered-to
    return-path to cc bcc
    """.split()
)


@dataclass(frozen=True)
class Profile:
    """Limits and switches that rules read.

    ``max_message_size`` and ``max_recipients`` are None when the profile
    sets no such limit. ``refused_extensions`` are lower case, no dot.
    """

    name: str
    description: str
    provider: str | None
    max_message_size: int | None
    max_recipients: int | None
    refused_extensions: frozenset[str]
    max_line_octets: int = 998  # RFC 5322 §2.1.1, excluding CRLF
    max_depth: int = 100

    def replace(self, **changes: object) -> Profile:
        """A copy with some fields changed."""
        return dataclasses.replace(self, **changes)  # type: ignore[arg-type]


SES = Profile(
    name="ses",
    description="Amazon SES SendRawEmail (API v1): 10 MB after encoding, 50 recipients",
    provider="ses",
    max_message_size=10_485_760,
    max_recipients=50,
    refused_extensions=SES_REFUSED_EXTENSIONS,
)
SES_V2 = SES.replace(
    name="ses-v2",
    description="Amazon SES API v2 SendEmail with raw content, or SES SMTP: 40 MB",
    max_message_size=40 * 1024 * 1024,
)
RFC = Profile(
    name="rfc",
    description="Standards only (RFC 5322, 2045-2049, 2231): no provider limits",
    provider=None,
    max_message_size=None,
    max_recipients=None,
    refused_extensions=frozenset(),
)

PROFILES: dict[str, Profile] = {p.name: p for p in (SES, SES_V2, RFC)}
DEFAULT_PROFILE = "ses"


def get_profile(name: str) -> Profile:
    """The built-in profile of that name; ``KeyError`` if there is none."""
    return PROFILES[name]
