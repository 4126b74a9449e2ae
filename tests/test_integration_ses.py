"""The SES client guard, end to end against moto in server mode on 127.0.0.1.

A real HTTP endpoint: boto3 serialises, signs and sends each call to a moto
server in this process's thread. The server counts every request it
receives, so a refused message is shown to have sent nothing.
"""

from __future__ import annotations

import importlib.util
import logging
import socket
from collections.abc import Iterator
from typing import Any

import pytest

boto3 = pytest.importorskip("boto3", reason="the SES guard tests need boto3 (mimelint[ses])")
moto_server = pytest.importorskip(
    "moto.moto_server.threaded_moto_server", reason="the SES guard tests need moto[server]"
)
werkzeug_app = pytest.importorskip("moto.moto_server.werkzeug_app")
ses_models = pytest.importorskip("moto.ses.models")

import mimelint
from mimelint.integrations.ses import Guard, MessageRefused, guard
from tests.util import msg

ACCOUNT = "123456789012"  # moto's default account
REGION = "us-east-1"
SENDER = "ann@example.com"

CLEAN = msg(
    "From: Ann <ann@example.com>\nTo: Bob <bob@example.org>\nSubject: Hello\n"
    "Date: Wed, 25 Nov 2026 10:00:00 +0000\nMessage-ID: <1@example.com>\n"
    "MIME-Version: 1.0\nContent-Type: text/plain; charset=us-ascii\n\nHello Bob\n"
)
# Missing From: an error no fix can repair.
NO_FROM = CLEAN.replace(b"From: Ann <ann@example.com>\r\n", b"")
# A Unicode domain: an error with a safe fix (IDNA A-label).
UNICODE_DOMAIN = CLEAN.replace(b"bob@example.org", "bob@bücher.example".encode())


class Server:
    """A moto server on a free loopback port, counting the requests it gets."""

    def __init__(self) -> None:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.requests: list[str] = []
        self.url = f"http://127.0.0.1:{self.port}"

    @property
    def sent(self) -> list[Any]:
        return list(ses_models.ses_backends[ACCOUNT][REGION].sent_messages)


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    srv = Server()
    app_class = werkzeug_app.DomainDispatcherApplication
    original = app_class.__call__

    def counting(app: Any, environ: dict[str, Any], start_response: Any) -> Any:
        srv.requests.append(f"{environ.get('REQUEST_METHOD')} {environ.get('PATH_INFO')}")
        return original(app, environ, start_response)

    app_class.__call__ = counting
    moto = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=srv.port, verbose=False)
    moto.start()
    try:
        yield srv
    finally:
        moto.stop()
        app_class.__call__ = original


def client(server: Server, service: str) -> Any:
    c = boto3.client(
        service,
        region_name=REGION,
        endpoint_url=server.url,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    return c


@pytest.fixture
def ses(server: Server) -> Any:
    c = client(server, "ses")
    c.verify_email_identity(EmailAddress=SENDER)
    return c


@pytest.fixture
def sesv2(server: Server) -> Any:
    c = client(server, "sesv2")
    client(server, "ses").verify_email_identity(EmailAddress=SENDER)
    return c


def test_clean_message_is_sent_and_reaches_moto(server: Server, ses: Any) -> None:
    guard(ses)
    before = len(server.sent)
    ses.send_raw_email(RawMessage={"Data": CLEAN}, Source=SENDER, Destinations=["bob@example.org"])
    assert len(server.sent) == before + 1
    assert server.sent[-1].raw_data.encode() == CLEAN


def test_bad_message_is_refused_before_any_request(server: Server, ses: Any) -> None:
    guard(ses)
    requests, sent = len(server.requests), len(server.sent)
    with pytest.raises(MessageRefused) as caught:
        ses.send_raw_email(
            RawMessage={"Data": NO_FROM}, Source=SENDER, Destinations=["bob@example.org"]
        )
    assert [f.code for f in caught.value.findings] == ["M406"]
    assert "M406 missing-from" in str(caught.value)
    assert len(server.requests) == requests  # nothing reached the server
    assert len(server.sent) == sent


def test_without_the_guard_moto_accepts_the_same_bad_message(server: Server) -> None:
    unguarded = client(server, "ses")
    unguarded.verify_email_identity(EmailAddress=SENDER)
    requests = len(server.requests)
    unguarded.send_raw_email(
        RawMessage={"Data": NO_FROM}, Source=SENDER, Destinations=["bob@example.org"]
    )
    assert len(server.requests) == requests + 1  # the count does see real requests


def test_envelope_is_checked_from_the_call(server: Server, ses: Any) -> None:
    guard(ses)
    requests = len(server.requests)
    with pytest.raises(MessageRefused) as caught:
        ses.send_raw_email(
            RawMessage={"Data": CLEAN}, Source=SENDER, Destinations=["张伟@example.org"]
        )
    (f,) = caught.value.findings
    assert f.code == "M411" and "xn--cpqy30b@example.org" in f.message
    assert len(server.requests) == requests


class _StandInFix:
    """What ``mimelint.fix`` returns, for builds where it is not there yet."""

    def __init__(self, data: bytes) -> None:
        edits = sorted(
            (
                e
                for f in mimelint.lint(data).findings
                if f.fix and f.fix.safety is mimelint.Safety.SAFE
                for e in f.fix.edits
            ),
            key=lambda e: e.start,
            reverse=True,
        )
        for e in edits:
            data = data[: e.start] + e.replacement + data[e.end :]
        self.data = data
        self.refused = None
        self.remaining: list[mimelint.Finding] = []


def test_fix_mode_sends_the_fixed_message(
    server: Server, ses: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    if importlib.util.find_spec("mimelint.fixer") is None:  # the real fixer is tested when present
        monkeypatch.setattr(mimelint, "fix", _StandInFix, raising=False)
    guard(ses, mode="fix")
    ses.send_raw_email(
        RawMessage={"Data": UNICODE_DOMAIN}, Source=SENDER, Destinations=["bob@example.org"]
    )
    arrived = server.sent[-1].raw_data.encode()
    assert b"bob@xn--bcher-kva.example" in arrived
    assert arrived == UNICODE_DOMAIN.replace("bücher.example".encode(), b"xn--bcher-kva.example")
    assert mimelint.lint(arrived, select=["M4"]).ok


def test_fix_mode_refuses_what_it_cannot_fix(server: Server, ses: Any) -> None:
    guard(ses, mode="fix")
    requests = len(server.requests)
    with pytest.raises(MessageRefused) as caught:
        ses.send_raw_email(
            RawMessage={"Data": NO_FROM}, Source=SENDER, Destinations=["bob@example.org"]
        )
    assert "M406" in {f.code for f in caught.value.findings}
    assert caught.value.reason
    assert len(server.requests) == requests


def test_fix_mode_says_why_a_fix_was_held_back(server: Server, ses: Any) -> None:
    # An obsolete "Subject :" line: Python reads it and what follows as body
    # text, so the readers disagree and the IDNA fix is unsafe here.
    raw = UNICODE_DOMAIN.replace(b"Subject: Hello", b"Subject : Hello")
    guard(ses, mode="fix")
    requests = len(server.requests)
    with pytest.raises(MessageRefused) as caught:
        ses.send_raw_email(
            RawMessage={"Data": raw}, Source=SENDER, Destinations=["bob@example.org"]
        )
    assert "the two readers disagree" in caught.value.reason
    assert len(server.requests) == requests


def test_warn_mode_logs_and_sends(
    server: Server, ses: Any, caplog: pytest.LogCaptureFixture
) -> None:
    guard(ses, mode="warn")
    sent = len(server.sent)
    with caplog.at_level(logging.WARNING, logger="mimelint.ses"):
        ses.send_raw_email(
            RawMessage={"Data": NO_FROM}, Source=SENDER, Destinations=["bob@example.org"]
        )
    assert len(server.sent) == sent + 1
    assert any("M406" in r.getMessage() for r in caplog.records)


def test_v2_raw_send_is_guarded(server: Server, sesv2: Any) -> None:
    guard(sesv2)
    sent = len(server.sent)
    sesv2.send_email(
        FromEmailAddress=SENDER,
        Destination={"ToAddresses": ["bob@example.org"]},
        Content={"Raw": {"Data": CLEAN}},
    )
    assert len(server.sent) == sent + 1
    requests = len(server.requests)
    with pytest.raises(MessageRefused):
        sesv2.send_email(
            FromEmailAddress=SENDER,
            Destination={
                "ToAddresses": ["bob@example.org"],
                "CcAddresses": ["bad address@example.org"],
            },
            Content={"Raw": {"Data": CLEAN}},
        )
    assert len(server.requests) == requests


def test_v2_reply_to_addresses_are_checked(server: Server, sesv2: Any) -> None:
    guard(sesv2)
    sent = len(server.sent)
    sesv2.send_email(
        FromEmailAddress=SENDER,
        Destination={"ToAddresses": ["bob@example.org"]},
        ReplyToAddresses=["help@example.com"],
        Content={"Raw": {"Data": CLEAN}},
    )
    assert len(server.sent) == sent + 1
    requests = len(server.requests)
    with pytest.raises(MessageRefused) as refused:
        sesv2.send_email(
            FromEmailAddress=SENDER,
            Destination={"ToAddresses": ["bob@example.org"]},
            ReplyToAddresses=["help@example.com", "hilfe@bücher.example"],
            Content={"Raw": {"Data": CLEAN}},
        )
    assert len(server.requests) == requests
    (finding,) = refused.value.findings
    assert finding.code == "M412"
    assert finding.message.startswith("ReplyToAddresses entry 2 <hilfe@bücher.example>")
    assert "xn--bcher-kva.example" in finding.message


def test_v2_reply_to_follows_the_selection_and_is_never_fixed(server: Server, sesv2: Any) -> None:
    guard(sesv2, ignore=["M412"])
    sent = len(server.sent)
    sesv2.send_email(
        FromEmailAddress=SENDER,
        Destination={"ToAddresses": ["bob@example.org"]},
        ReplyToAddresses=["hilfe@bücher.example"],
        Content={"Raw": {"Data": CLEAN}},
    )
    assert len(server.sent) == sent + 1
    fixing = Guard(sesv2, "fix", None, None, None)
    with pytest.raises(MessageRefused, match="ReplyToAddresses are the call's parameters"):
        fixing.check(CLEAN, SENDER, ["bob@example.org"], ["bad address@example.org"])


def test_v2_simple_content_is_left_alone(server: Server, sesv2: Any) -> None:
    guard(sesv2)
    sent = len(server.sent)
    sesv2.send_email(
        FromEmailAddress=SENDER,
        Destination={"ToAddresses": ["bob@example.org"]},
        Content={"Simple": {"Subject": {"Data": "Hi"}, "Body": {"Text": {"Data": "Hello"}}}},
    )
    assert len(server.sent) == sent + 1


def test_remove_and_double_registration(server: Server, ses: Any) -> None:
    first = guard(ses)
    guard(ses)  # no second handler
    first.remove()
    sent = len(server.sent)
    ses.send_raw_email(
        RawMessage={"Data": NO_FROM}, Source=SENDER, Destinations=["bob@example.org"]
    )
    assert len(server.sent) == sent + 1


def test_guard_refuses_other_clients_and_bad_options(server: Server, ses: Any) -> None:
    with pytest.raises(ValueError, match="SES client"):
        guard(client(server, "sqs"))
    with pytest.raises(ValueError, match="mode"):
        guard(ses, mode="explode")  # type: ignore[arg-type]
    with pytest.raises(mimelint.SelectionError):
        guard(ses, select=["Z999"])
