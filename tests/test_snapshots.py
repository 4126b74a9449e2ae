"""Snapshots: every fixture's full findings and fix output, kept as text.

Each fixture folder has one snapshot file under ``tests/snapshots/``: for
every message in it, each finding (code, severity, start-end as
line:column, part, fix safety, message) and what ``fix`` makes of the
message, safe and with ``unsafe=True`` (a unified diff of the text, or
``unchanged``, and a refusal's reason). A change to the engine or a rule
that moves any of it shows up here as a text diff to review.

After a deliberate change, rewrite the snapshots and read the diff::

    MIMELINT_UPDATE_SNAPSHOTS=1 python -m pytest -q tests/test_snapshots.py
    git diff tests/snapshots/
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path

import pytest

import mimelint
from mimelint.fixer import fix
from mimelint.rule import Finding
from mimelint.templates import syntax_for
from tests.test_fixtures import _envelope, _profile, lint_fixture
from tests.util import FIXTURES, ROOT

SNAPSHOTS = ROOT / "tests" / "snapshots"
UPDATE = os.environ.get("MIMELINT_UPDATE_SNAPSHOTS") == "1"


def _folders() -> list[Path]:
    """Every folder under fixtures/ that holds messages or templates, in a stable order."""
    found = {p.parent for p in FIXTURES.rglob("*") if _is_input(p)}
    return sorted(found)


def _is_input(path: Path) -> bool:
    return path.is_file() and (path.name.endswith(".eml") or syntax_for(path.name) is not None)


def _snapshot_path(folder: Path) -> Path:
    relative = folder.relative_to(FIXTURES)
    return SNAPSHOTS / (str(relative).replace(os.sep, "__") + ".snap")


def _finding_line(f: Finding) -> str:
    safety = f.fix.safety.value if f.fix is not None else "-"
    part = f.part or "-"
    related = "".join(
        f"\n    related {r.line}:{r.column}-{r.end_line}:{r.end_column} {r.message}"
        for r in f.related
    )
    return (
        f"{f.code} {f.severity.value} {f.line}:{f.column}-{f.end_line}:{f.end_column} "
        f"part={part} fix={safety} {f.message}{related}"
    )


def _text(data: bytes) -> list[str]:
    return data.decode("utf-8", "backslashreplace").splitlines(keepends=True)


def _fix_lines(raw: bytes, label: str, kwargs: dict[str, object], unsafe: bool) -> list[str]:
    result = fix(raw, seed=0, unsafe=unsafe, **kwargs)  # type: ignore[arg-type]
    out = [f"  fix ({label}):"]
    if result.refused is not None:
        out.append(f"    refused: {result.refused}")
    for skipped in result.skipped:
        out.append(f"    skipped: {skipped.finding.code} {skipped.reason}")
    for left in result.refused_fixes:
        out.append(f"    refused fix: {left.finding.code} {left.reason}")
    if result.data == raw:
        out.append("    unchanged")
        return out
    diff = difflib.unified_diff(
        _text(raw), _text(result.data), "before", "after", n=0, lineterm="\r\n"
    )
    out.extend("    " + _shown(line) for line in diff)
    return out


def _shown(line: str) -> str:
    """A diff line with its line ending made visible when it is not CRLF."""
    if line.endswith("\r\n"):
        body, mark = line[:-2], ""
    elif line.endswith("\n"):
        body, mark = line[:-1], " [LF]"
    else:
        body, mark = line, " [no line ending]"
    return body.replace("\r", "\\r") + mark


def render(folder: Path) -> str:
    """The snapshot text of one fixture folder."""
    out: list[str] = []
    for path in sorted(p for p in folder.iterdir() if _is_input(p)):
        if syntax_for(path.name) is not None:
            # A template: its findings (raw or rendered, as the fixture test
            # reads it); templates are not fixed.
            out.append(f"## {path.name}")
            findings = lint_fixture(path).findings
            out.extend("  " + _finding_line(f) for f in findings)
            if not findings:
                out.append("  no findings")
            continue
        raw = path.read_bytes()
        kwargs: dict[str, object] = {"profile": _profile(path), **_envelope(path)}
        if folder.parent.name == "rules":  # a rule off by default runs on its own fixtures
            kwargs["extend_select"] = [folder.name]
        out.append(f"## {path.name}")
        report = mimelint.lint(raw, **kwargs)  # type: ignore[arg-type]
        out.extend("  " + _finding_line(f) for f in report.findings)
        if not report.findings:
            out.append("  no findings")
        out.extend(_fix_lines(raw, "safe", kwargs, unsafe=False))
        out.extend(_fix_lines(raw, "unsafe", kwargs, unsafe=True))
    return "\n".join(out) + "\n"


@pytest.mark.parametrize(
    "folder", _folders(), ids=lambda p: str(p.relative_to(FIXTURES)).replace(os.sep, "/")
)
def test_snapshot(folder: Path) -> None:
    actual = render(folder)
    path = _snapshot_path(folder)
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, "utf-8")
        return
    assert path.exists(), f"no snapshot for {folder}; run with MIMELINT_UPDATE_SNAPSHOTS=1"
    expected = path.read_text("utf-8")
    if actual != expected:
        diff = "".join(
            difflib.unified_diff(
                expected.splitlines(keepends=True),
                actual.splitlines(keepends=True),
                str(path.relative_to(ROOT)),
                "now",
            )
        )
        pytest.fail(f"snapshot changed; review and rewrite if intended:\n{diff}")


def test_no_snapshot_without_its_fixtures() -> None:
    """A snapshot whose fixture folder is gone is stale and must go too."""
    expected = {_snapshot_path(f) for f in _folders()}
    stale = sorted(p.name for p in SNAPSHOTS.glob("*.snap") if p not in expected)
    assert not stale, f"stale snapshots: {stale}"
