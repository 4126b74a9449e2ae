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


def test_readme_says_how_long_the_tests_take_and_how_to_skip_the_slow_ones() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "python -m pytest -q -m 'not slow'" in readme
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert '"slow: ' in pyproject  # the marker the fast subset leaves out
    # The measured times, in minutes or seconds, not a placeholder.
    assert re.search(r"On a new machine this takes about [\d.]+ (to [\d.]+ )?minutes", readme)
    assert "TEST_" not in readme


def test_documented_jobs_threshold_is_the_code_s() -> None:
    from mimelint.runner import PARALLEL_THRESHOLD

    for doc in ("README.md", "docs/usage.md"):
        text = (ROOT / doc).read_text(encoding="utf-8")
        assert f"up to {PARALLEL_THRESHOLD} files" in text, doc
    performance = (ROOT / "docs" / "performance.md").read_text(encoding="utf-8")
    assert "## Worker processes" in performance
    assert "python bench/jobs.py" in performance
