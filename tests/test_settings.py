"""Settings: one frozen value, made from the keywords lint, fix and lint_template share."""

from __future__ import annotations

import pytest

import mimelint
from mimelint.settings import Settings, SettingsOptions
from mimelint.templates import lint_template

RAW = b"From: a@example.com\r\nTo: b@example.com\r\nSubject: Gr\xc3\xbc\xc3\x9fe\r\n\r\nhi\r\n"


def test_make_reads_the_keywords_and_fills_the_defaults() -> None:
    made = Settings.make(select=["M320"], envelope_to=["b@example.com"])
    assert made.profile.name == "ses"
    assert made.select == ("M320",) and made.ignore == () and made.extend_select == ()
    assert made.envelope_from is None and made.envelope_to == ("b@example.com",)
    assert made.rules is None


def test_every_keyword_of_make_is_a_field() -> None:
    # The keywords are written once (SettingsOptions); each one lands in a field.
    assert set(SettingsOptions.__optional_keys__) == set(Settings._fields)


def test_an_unknown_keyword_is_a_type_error_at_every_entry_point() -> None:
    with pytest.raises(TypeError, match="'selct'"):
        Settings.make(selct=["M320"])  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="'selct'"):
        mimelint.lint(RAW, selct=["M320"])  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="'selct'"):
        mimelint.fix(RAW, selct=["M320"])  # type: ignore[call-arg]


def test_settings_and_keywords_together_are_refused() -> None:
    # The keywords would be silently ignored, so the call is a mistake.
    one = Settings.make(select=["M320"])
    with pytest.raises(TypeError, match="not both"):
        mimelint.lint(RAW, settings=one, select=["M101"])
    with pytest.raises(TypeError, match="not both"):
        mimelint.fix(RAW, settings=one, profile="rfc")
    with pytest.raises(TypeError, match="not both"):
        lint_template(RAW, settings=one, ignore=["M320"])


def test_lint_and_lint_template_read_the_keywords_as_settings() -> None:
    one = Settings.make(profile="rfc", select=["M320"])
    by_settings = [f.code for f in mimelint.lint(RAW, settings=one).findings]
    by_keywords = [f.code for f in mimelint.lint(RAW, profile="rfc", select=["M320"]).findings]
    assert by_settings == by_keywords == ["M320"]
    from_template = lint_template(RAW, profile="rfc", select=["M320"])
    assert [f.code for f in from_template.findings] == ["M320"]
