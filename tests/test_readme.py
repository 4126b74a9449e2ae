"""The README's example output is what mimelint prints on the bundled examples."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from mimelint.cli import main

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_LINE = re.compile(r"^fixtures/examples/\S+\.eml:\d+:\d+: M\d{3} .*$", re.MULTILINE)


def test_readme_example_findings_are_printed_verbatim(monkeypatch: pytest.MonkeyPatch) -> None:
    shown = EXAMPLE_LINE.findall((ROOT / "README.md").read_text(encoding="utf-8"))
    assert shown, "the README shows no example finding lines"
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    result = CliRunner().invoke(main, ["check", "--no-config", "fixtures/examples/"])
    assert result.exit_code == 1, result.output  # the examples are there to show findings
    printed = set(result.output.splitlines())
    for line in shown:
        assert line in printed, f"README line not printed by mimelint:\n{line}"


def test_every_bad_example_has_a_finding_and_the_clean_one_none() -> None:
    examples = sorted((ROOT / "fixtures" / "examples").glob("*.eml"))
    assert any(p.name == "clean.eml" for p in examples)
    runner = CliRunner()
    for path in examples:
        result = runner.invoke(main, ["check", "--no-config", os.fspath(path)])
        expected = 0 if path.name == "clean.eml" else 1
        assert result.exit_code == expected, (path.name, result.output)
