"""Shared fixtures."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests import profiles


@pytest.fixture
def cli_in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run the command line in an empty directory, plain text, outside CI.

    No configuration file is found, no colour is used, and the GitHub
    annotations format is not chosen by the environment.
    """
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    return tmp_path


def pytest_configure(config: pytest.Config) -> None:
    """Load the fast hypothesis profile (tests/profiles.py) before any test
    module is imported, when the slow tests are deselected and no profile
    is named with --hypothesis-profile (or when "fast" is named)."""
    named = config.getoption("hypothesis_profile", None)
    markexpr = config.getoption("markexpr", "") or ""
    if named == "fast" or (named is None and re.search(r"\bnot\s+slow\b", markexpr)):
        profiles.use_fast()
