"""A guard on an Amazon SES client: lint every raw message before it leaves.

::

    import boto3
    from mimelint.integrations.ses import guard

    ses = boto3.client("ses")
    guard(ses)                      # mode="raise" by default
    ses.send_raw_email(RawMessage={"Data": raw}, Source=..., Destinations=[...])

:func:`guard` registers a botocore ``before-parameter-build`` handler for
``SendRawEmail`` (API v1, client ``ses``) or ``SendEmail`` with raw content
(API v2, client ``sesv2``). The handler runs before the parameters are
validated and serialised, so nothing has been sent when it decides. It lints
the raw message with the call's own ``Source``/``Destinations`` (v2:
``FromEmailAddress`` and ``Destination``) as the envelope (v2's
``ReplyToAddresses`` are checked by the same address rules), under the
``ses`` (v1) or ``ses-v2`` (v2) profile. When there are error findings:

``raise``
    raise :class:`MessageRefused`, which carries the findings;
``fix``
    apply mimelint's safe fixes and send the fixed bytes, but only when the
    fix was proven lossless and the fixed message has no error left;
    otherwise raise :class:`MessageRefused`;
``warn``
    log the findings (logger ``mimelint.ses``) and send the message as is.

Warnings and infos never stop a send. botocore is not imported here: the
guard only uses the client's event system, so importing this module costs
nothing in an install without the ``ses`` extra.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable, Iterable, Mapping, MutableMapping, Sequence
from typing import Any, Literal

import mimelint
from mimelint.lint import Report, lint
from mimelint.rule import Finding, Severity

__all__ = ["Guard", "MessageRefused", "Mode", "guard"]

Mode = Literal["raise", "fix", "warn"]
LOG = logging.getLogger("mimelint.ses")

#: (event, profile) for each SES client kind, by botocore service id.
_EVENTS = {
    "ses": ("before-parameter-build.ses.SendRawEmail", "ses"),
    "sesv2": ("before-parameter-build.sesv2.SendEmail", "ses-v2"),
}
_UNIQUE_ID = "mimelint-ses-guard"


class MessageRefused(Exception):
    """The guard stopped a send: the message has error-severity findings.

    ``findings`` are the errors (of the fixed message, when a fix was
    tried and the message still had errors); ``report`` is the whole report
    of the message as given; ``reason`` says why a fix was not used, if one
    was tried.
    """

    def __init__(self, findings: list[Finding], report: Report, reason: str | None = None) -> None:
        self.findings = findings
        self.report = report
        self.reason = reason
        lines = [f"mimelint refused the message: {len(findings)} error(s)"]
        if reason:
            lines[0] += f" ({reason})"
        lines += [f"  {_describe(f)}" for f in findings[:10]]
        if len(findings) > 10:
            lines.append(f"  ... and {len(findings) - 10} more")
        super().__init__("\n".join(lines))


def _describe(f: Finding) -> str:
    part = f" part {f.part}" if f.part else ""
    return f"{f.line}:{f.column}{part}: {f.code} {f.name}: {f.message}"


class Guard:
    """A registered guard; :meth:`remove` takes it off the client."""

    def __init__(
        self,
        client: Any,
        mode: Mode,
        profile: str | None,
        select: Iterable[str] | None,
        ignore: Iterable[str] | None,
    ) -> None:
        service = client.meta.service_model.service_id.hyphenize()
        if service not in _EVENTS:
            raise ValueError(f"guard() takes an SES client ('ses' or 'sesv2'), not {service!r}")
        if mode not in ("raise", "fix", "warn"):
            raise ValueError(f"mode must be 'raise', 'fix' or 'warn', not {mode!r}")
        self.client = client
        self.service = service
        self.mode: Mode = mode
        self.event, default_profile = _EVENTS[service]
        self.profile = profile or default_profile
        self.select = list(select) if select is not None else None
        self.ignore = list(ignore) if ignore is not None else None
        # Fail now, not at the first send, on a bad profile or rule code.
        lint(b"", profile=self.profile, select=self.select, ignore=self.ignore)
        client.meta.events.register(self.event, self._handle, unique_id=_UNIQUE_ID)

    def remove(self) -> None:
        """Stop checking this client's sends."""
        self.client.meta.events.unregister(self.event, unique_id=_UNIQUE_ID)

    # ----------------------------------------------------------- handler
    def _handle(self, params: MutableMapping[str, Any], **_: Any) -> None:
        reply_to: list[str] = []
        if self.service == "ses":
            message = params.get("RawMessage")
            sender = params.get("Source")
            recipients = list(params.get("Destinations") or ())
        else:
            content = params.get("Content") or {}
            message = content.get("Raw") if isinstance(content, Mapping) else None
            sender = params.get("FromEmailAddress")
            destination = params.get("Destination") or {}
            recipients = [
                address
                for key in ("ToAddresses", "CcAddresses", "BccAddresses")
                for address in destination.get(key) or ()
            ]
            reply_to = [str(a) for a in params.get("ReplyToAddresses") or ()]
        if not isinstance(message, Mapping):
            return  # not a raw send (v2 Simple or Template content): nothing to lint
        data = message.get("Data")
        if isinstance(data, str):
            raw = data.encode("utf-8")  # what botocore sends for a str blob
        elif isinstance(data, (bytes, bytearray, memoryview)):
            raw = bytes(data)
        else:
            LOG.warning("mimelint: raw message data of type %s not checked", type(data).__name__)
            return
        fixed = self.check(raw, sender, recipients, reply_to)
        if fixed is not None:
            if self.service == "ses":
                params["RawMessage"] = {**message, "Data": fixed}
            else:
                params["Content"] = {**params["Content"], "Raw": {**message, "Data": fixed}}

    def _lint(self, raw: bytes, sender: str | None, recipients: list[str]) -> Report:
        return lint(
            raw,
            profile=self.profile,
            select=self.select,
            ignore=self.ignore,
            envelope_from=sender,
            envelope_to=recipients,
        )

    def _reply_to_errors(self, reply_to: Sequence[str]) -> list[Finding]:
        """SES v2 ``ReplyToAddresses``, checked by the envelope address rules.

        SES takes them as it takes the envelope (ASCII, Punycoded domain,
        one address per entry), so the envelope rules (M410-M412) judge
        them, as far as the guard's selection runs those rules; the
        findings name the entry (``ReplyToAddresses entry 2 <...>``).
        """
        if not reply_to:
            return []
        from mimelint.plan import select_rules
        from mimelint.registry import load_rules

        chosen = [
            r.code
            for r in select_rules(load_rules(), self.select, self.ignore)
            if r.code in _REPLY_TO_RULES
        ]
        if not chosen:
            return []
        report = lint(b"", profile=self.profile, select=chosen, envelope_to=list(reply_to))
        return [
            f._replace(message=_relabel(f.message))
            for f in report.findings
            if f.severity is Severity.ERROR
        ]

    def check(
        self,
        raw: bytes,
        sender: str | None,
        recipients: list[str],
        reply_to: Sequence[str] = (),
    ) -> bytes | None:
        """Apply the mode to one message; the bytes to send instead, or None.

        ``reply_to`` are SES v2's ``ReplyToAddresses``. Raises
        :class:`MessageRefused` to stop the send.
        """
        report = self._lint(raw, sender, recipients)
        reply_errors = self._reply_to_errors(reply_to)
        errors = reply_errors + _errors(report)
        if not errors:
            return None
        if self.mode == "warn":
            for f in errors:
                LOG.warning("mimelint: %s", _describe(f))
            return None
        if self.mode == "raise":
            raise MessageRefused(errors, report)
        if reply_errors:
            raise MessageRefused(
                errors, report, "ReplyToAddresses are the call's parameters; no fix applies"
            )
        fixer = _fixer()
        if fixer is None:
            raise MessageRefused(errors, report, "this mimelint has no fixer")
        result = fixer(raw)
        refused = getattr(result, "refused", None)
        if refused:
            raise MessageRefused(errors, report, f"fix refused: {refused}")
        fixed = bytes(result.data)
        remaining = _errors(self._lint(fixed, sender, recipients))
        if remaining:
            why = "errors remain after the safe fixes"
            held = getattr(result, "refused_fixes", None)
            if held:  # fixes the proof refused (or made unsafe), with the reason
                first = held[0]
                why += (
                    f"; {len(held)} fix(es) not applied, first {first.finding.code}: {first.reason}"
                )
            raise MessageRefused(remaining, report, why)
        LOG.info("mimelint: fixed %d error(s) before sending", len(errors))
        return fixed


#: The envelope address rules, which judge ReplyToAddresses too (not M413:
#: reply-to addresses are not recipients).
_REPLY_TO_RULES = frozenset({"M410", "M411", "M412"})
_RECIPIENT_LABEL = "envelope recipient "


def _relabel(message: str) -> str:
    """An envelope rule's message about a ReplyToAddresses entry, named as such."""
    if message.startswith(_RECIPIENT_LABEL):
        return "ReplyToAddresses entry " + message[len(_RECIPIENT_LABEL) :]
    return message


def _errors(report: Report) -> list[Finding]:
    return [f for f in report.findings if f.severity is Severity.ERROR]


def _fixer() -> Callable[[bytes], Any] | None:
    """``mimelint.fix`` (the function), or None in a build without it."""
    fixer: Any = getattr(mimelint, "fix", None)
    if fixer is None:
        try:
            fixer = importlib.import_module("mimelint.fixer")
        except ImportError:
            return None
    if not callable(fixer):
        fixer = getattr(fixer, "fix", None)
    return fixer if callable(fixer) else None


def guard(
    client: Any,
    *,
    mode: Mode = "raise",
    profile: str | None = None,
    select: Iterable[str] | None = None,
    ignore: Iterable[str] | None = None,
) -> Guard:
    """Lint every raw message ``client`` sends, before the request is made.

    ``client`` is a boto3/botocore SES client: ``ses`` (checks
    ``SendRawEmail``) or ``sesv2`` (checks ``SendEmail`` with
    ``Content.Raw``). ``mode`` is ``raise``, ``fix`` or ``warn`` (see the
    module docs). ``profile`` defaults to ``ses`` for v1 and ``ses-v2`` for
    v2; ``select``/``ignore`` take rule codes, prefixes or names as
    :func:`mimelint.lint` does. Registering twice on one client has no
    effect. Returns the :class:`Guard`, whose ``remove()`` undoes it.
    """
    return Guard(client, mode, profile, select, ignore)
