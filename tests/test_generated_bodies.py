"""Messages written by Python's email package, as the body rules see them.

Issue 13: the output of a mainstream generator used correctly gets an error
from the body rules only where a provider would refuse it or a reader would
see it broken; its quirks (78-character quoted-printable lines, ``8bit``
bodies, text attachments given as bytes) are warnings, and those that a
fix can settle have one.
"""

from __future__ import annotations

from email import policy
from email.message import EmailMessage

import pytest

import mimelint
from mimelint.fixer import fix

BODIES = {
    "short": "Grüße aus Köln\n" * 3,
    "long-words": "word " * 40 + "Grüße " * 30 + "\n",
    "ascii": "plain ascii text\n",
    "accents-77": "é" * 77 + "\n",
}


def _message(body: str, cte: str | None, pol: policy.Policy) -> bytes:
    m = EmailMessage(policy=pol)
    m["From"] = "Jürgen Groß <j@example.com>"
    m["To"] = "b@example.org"
    m["Subject"] = "Grüße"
    if cte is None:
        m.set_content(body)
    else:
        m.set_content(body, cte=cte)
    m.add_attachment("name,city\nJürgen,Köln\n".encode(), maintype="text", subtype="csv",
                     filename="r.csv")  # fmt: skip
    return m.as_bytes()


@pytest.mark.parametrize("pol", [policy.default, policy.SMTP], ids=["default", "SMTP"])
@pytest.mark.parametrize("cte", [None, "8bit", "quoted-printable"])
@pytest.mark.parametrize("body", sorted(BODIES))
def test_python_email_output_gets_no_body_error(
    pol: policy.Policy, cte: str | None, body: str
) -> None:
    raw = _message(BODIES[body], cte, pol)
    found = [f for f in mimelint.lint(raw, select=["M1", "M7"]).findings]
    assert [f for f in found if f.severity.value == "error"] == []
    codes = {f.code for f in found}
    assert codes <= {"M103", "M108", "M722", "M732"}, codes
    # Every quirk with a safe fix is gone after fixing, and nothing is refused.
    result = fix(raw, select=["M1", "M7"])
    assert result.refused is None
    left = {f.code for f in mimelint.lint(result.data, select=["M1", "M7"]).findings}
    assert not left & {"M103", "M722"}


def test_a_line_over_the_smtp_limit_stays_an_error() -> None:
    # SES refuses lines over 1,000 octets: a generator that writes one in an
    # 8bit body makes a message the provider bounces.
    raw = _message("a" * 1200 + "\n", "8bit", policy.SMTP)
    found = mimelint.lint(raw, select=["M1", "M7"]).findings
    errors = [f.code for f in found if f.severity.value == "error"]
    assert errors == ["M104"]
