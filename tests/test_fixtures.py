"""Every rule has a fixture that triggers it and a near-miss that does not.

Layout: ``fixtures/rules/<CODE>/bad*.eml`` must produce at least one
finding of CODE; ``fixtures/rules/<CODE>/ok*.eml`` must produce none.
Envelope options for a fixture, when it needs them, sit beside it in
``<name>.envelope`` (first line the envelope sender, the others recipients).
"""

from __future__ import annotations

from pathlib import Path

import pytest

import mimelint
from mimelint.profile import Profile, get_profile
from mimelint.registry import load_rules
from tests.util import FIXTURES

RULES = [r for r in load_rules() if r.origin.startswith("mimelint.rules")]


def _envelope(path: Path) -> dict[str, object]:
    env = path.with_suffix(".envelope")
    if not env.exists():
        return {}
    lines = [line.strip() for line in env.read_text("utf-8").splitlines() if line.strip()]
    return {"envelope_from": lines[0] if lines else None, "envelope_to": lines[1:]}


def _profile(path: Path) -> Profile:
    """The profile named in ``<name>.profile`` (default ``ses``).

    After the name, ``field=integer`` words change a limit, so that a limit
    such as SES's 10 MB can be shown by a small fixture: ``ses max_message_size=2048``.
    """
    prof = path.with_suffix(".profile")
    words = prof.read_text("utf-8").split() if prof.exists() else ["ses"]
    changes = dict(word.split("=", 1) for word in words[1:])
    return get_profile(words[0]).replace(**{k: int(v) for k, v in changes.items()})


def _cases(prefix: str) -> list[tuple[str, Path]]:
    cases = []
    for r in RULES:
        for path in sorted((FIXTURES / "rules" / r.code).glob(f"{prefix}*.eml")):
            cases.append((r.code, path))
    return cases


@pytest.mark.parametrize("code", [r.code for r in RULES])
def test_every_rule_has_both_fixtures(code: str) -> None:
    folder = FIXTURES / "rules" / code
    assert sorted(folder.glob("bad*.eml")), f"{code}: no fixture that triggers it"
    assert sorted(folder.glob("ok*.eml")), f"{code}: no near-miss fixture"


@pytest.mark.parametrize(("code", "path"), _cases("bad"), ids=lambda v: getattr(v, "name", v))
def test_bad_fixture_triggers(code: str, path: Path) -> None:
    # extend_select: a rule that is off by default runs when named.
    report = mimelint.lint(
        path.read_bytes(), profile=_profile(path), extend_select=[code], **_envelope(path)
    )  # type: ignore[arg-type]
    assert code in {f.code for f in report.findings}
    assert not report.internal_errors


@pytest.mark.parametrize(("code", "path"), _cases("ok"), ids=lambda v: getattr(v, "name", v))
def test_near_miss_does_not_trigger(code: str, path: Path) -> None:
    report = mimelint.lint(
        path.read_bytes(), profile=_profile(path), extend_select=[code], **_envelope(path)
    )  # type: ignore[arg-type]
    assert code not in {f.code for f in report.findings}
    assert not report.internal_errors
