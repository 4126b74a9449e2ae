"""Every rule has a fixture that triggers it and a near-miss that does not.

Layout: ``fixtures/rules/<CODE>/bad*.eml`` must produce at least one
finding of CODE; ``fixtures/rules/<CODE>/ok*.eml`` must produce none.
Envelope options for a fixture, when it needs them, sit beside it in
``<name>.envelope`` (first line the envelope sender, the others recipients).

A template fixture (``bad.eml.j2``, ``ok.eml.hbs``: any name that
:func:`mimelint.templates.syntax_for` knows) is linted with
:func:`mimelint.lint_template`: raw, or rendered with ``<name>.json`` when
that file exists; ``<name>.toml`` holds its ``template-ascii`` and
``template-encoding-filters``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

import mimelint
from mimelint.lint import Report
from mimelint.profile import Profile, get_profile
from mimelint.registry import load_rules
from mimelint.templates import syntax_for
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


def fixture_paths(folder: Path, prefix: str) -> list[Path]:
    """The messages and templates in ``folder`` whose names start with ``prefix``."""
    return sorted(
        p
        for p in folder.glob(f"{prefix}*")
        if p.name.endswith(".eml") or syntax_for(p.name) is not None
    )


def lint_fixture(path: Path, extend_select: Sequence[str] = ()) -> Report:
    """Lint a fixture as the tests read it: a message, or a template (see above).

    ``extend_select`` adds rules that are off by default (the fixture's own).
    """
    options: dict[str, object] = {
        "profile": _profile(path),
        "extend_select": list(extend_select),
        **_envelope(path),
    }
    syntax = syntax_for(path.name)
    if syntax is None:
        return mimelint.lint(path.read_bytes(), **options)  # type: ignore[arg-type]
    import tomllib

    side = path.with_name(path.name + ".toml")
    table = tomllib.loads(side.read_text("utf-8")) if side.exists() else {}
    data = path.with_name(path.name + ".json")
    return mimelint.lint_template(
        path.read_bytes(),
        syntax=syntax,
        data=data if data.exists() else None,
        template_ascii=table.get("template-ascii", ()),
        encoding_filters=table.get("template-encoding-filters", ()),
        **options,  # type: ignore[arg-type]
    )


def _cases(prefix: str) -> list[tuple[str, Path]]:
    cases = []
    for r in RULES:
        for path in fixture_paths(FIXTURES / "rules" / r.code, prefix):
            cases.append((r.code, path))
    return cases


@pytest.mark.parametrize("code", [r.code for r in RULES])
def test_every_rule_has_both_fixtures(code: str) -> None:
    folder = FIXTURES / "rules" / code
    assert fixture_paths(folder, "bad"), f"{code}: no fixture that triggers it"
    assert fixture_paths(folder, "ok"), f"{code}: no near-miss fixture"


@pytest.mark.parametrize(("code", "path"), _cases("bad"), ids=lambda v: getattr(v, "name", v))
def test_bad_fixture_triggers(code: str, path: Path) -> None:
    report = lint_fixture(path, extend_select=[code])  # a rule off by default runs when named
    assert code in {f.code for f in report.findings}
    assert not report.internal_errors


@pytest.mark.parametrize(("code", "path"), _cases("ok"), ids=lambda v: getattr(v, "name", v))
def test_near_miss_does_not_trigger(code: str, path: Path) -> None:
    report = lint_fixture(path, extend_select=[code])
    assert code not in {f.code for f in report.findings}
    assert not report.internal_errors
