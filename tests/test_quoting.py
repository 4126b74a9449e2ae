"""The one way a finding's message shows a value: mimelint.mime.quoting.quoted."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mimelint.mime.quoting import quoted


def test_text_stands_as_itself_in_single_quotes() -> None:
    assert quoted("x-uue") == "'x-uue'"
    assert quoted("Grüße") == "'Grüße'"
    assert quoted(b"Gr\xc3\xbc\xc3\x9fe") == "'Grüße'"


def test_an_apostrophe_inside_takes_double_quotes() -> None:
    assert quoted("'utf-8'") == "\"'utf-8'\""
    # Both kinds inside: single quotes, as for any other text.
    assert quoted('X-Note "it\'s" done') == "'X-Note \"it's\" done'"


def test_bytes_that_are_not_utf8_and_control_characters_are_escaped() -> None:
    assert quoted(b"a\xffb") == "'a\\xffb'"
    assert quoted("simple\r\n boundary") == "'simple\\x0d\\x0a boundary'"
    assert quoted("tab\there") == "'tab\\x09here'"


def test_invisible_characters_are_escaped() -> None:
    # A right-to-left override would reorder the rest of the message on screen.
    assert quoted("evil\u202etxt.exe") == "'evil\\u202etxt.exe'"
    # A byte kept by surrogateescape shows as that byte.
    assert quoted(b"a\xe9".decode("utf-8", "surrogateescape")) == "'a\\xe9'"


def test_width_cuts_the_value() -> None:
    assert quoted("=?utf-8?q?" + "a" * 50 + "?=", 20) == "'=?utf-8?q?aaaaaaaaaa...'"
    assert quoted("short", 20) == "'short'"


@given(st.one_of(st.binary(max_size=60), st.text(max_size=60)))
def test_never_a_python_repr_and_nothing_that_does_not_print(value: str | bytes) -> None:
    shown = quoted(value)
    assert not shown.startswith(("b'", 'b"'))
    assert shown[0] in "'\"" and shown[-1] == shown[0]
    assert shown.isprintable()
    shown.encode("utf-8")  # no lone surrogate: any output can carry it


def test_idna_reasons_in_domain_findings_carry_no_python_repr() -> None:
    from mimelint.mime.domains import check_domain

    # The idna package writes "... at position 1 of '\\x80' not allowed" and
    # "... in 'ab\\u202e'"; the finding quotes the label once, its own way.
    for domain, label in (
        (b"xn--a.example", "'xn--a'"),
        ("ab\u202e.example".encode(), "'ab\\u202e'"),
    ):
        error = check_domain(domain).error
        assert error is not None and error.startswith(f"label {label} is not a valid IDNA")
        assert error.count("'") == 2 and "position" in error


_ESCAPE = re.compile(r"\\(x[0-9a-f]{2}|u[0-9a-f]{4}|U[0-9a-f]{8}|\\)")


def _read_back(shown: str) -> str:
    """What a person reads in a quoted value: the escapes, if it has any."""
    inner = shown[1:-1]
    return _ESCAPE.sub(lambda m: "\\" if m[1] == "\\" else chr(int(m[1][1:], 16)), inner)


@given(st.text(st.characters(exclude_categories=["Cs"])))
def test_a_quoted_value_reads_back_as_the_value(value: str) -> None:
    # An escape in a message is never the value's own text: a CR and the
    # four characters backslash, x, 0, d must not be shown alike.
    assert _read_back(quoted(value)) == value


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("\r", "'\\x0d'"),
        ("\\x0d", "'\\\\x0d'"),
        ("C:\\Users\\ann\\report.pdf", "'C:\\Users\\ann\\report.pdf'"),
        ("a\\b\r", "'a\\\\b\\x0d'"),
    ],
)
def test_backslashes_are_doubled_only_where_an_escape_could_be_read(value: str, shown: str) -> None:
    assert quoted(value) == shown
