"""The engine's one walk calls each rule only where it declared it applies."""

from __future__ import annotations

import pickle
from collections.abc import Iterator

import pytest

import mimelint
from mimelint.mime.tree import NO_COLON, DefectKind, Header, Message, Part
from mimelint.rule import Context, Problem, Rule, fields, message, parts, rule
from mimelint.settings import DEFAULT_SETTINGS, SelectionError, Settings
from mimelint.templates import lint_template
from mimelint.testing import apply_fix, findings, where
from mimelint.testing import message as text

RAW = text(
    "From: a@example.com\n"
    "Subject: hi\n"
    "Content-Type: multipart/mixed; boundary=b\n"
    "\n"
    "--b\n"
    "Content-Type: text/plain\n"
    "Content-Transfer-Encoding: base64\n"
    "\n"
    "aGk=\n"
    "--b\n"
    "Content-Type: text/html\n"
    "Subject: inner\n"
    "\n"
    "<p>hi</p>\n"
    "--b--\n"
)

calls: list[str] = []


@rule(code="X901", name="each-message", severity="info", summary="s", visits=message())
def each_message(m: Message, context: Context) -> Iterator[Problem]:
    """Doc."""
    calls.append("message")
    yield Problem(0, 4, "message")


@rule(
    code="X902",
    name="base64-leaves",
    severity="info",
    summary="s",
    visits=parts(leaf=True, transfer_encoding=["base64"]),
)
def base64_leaves(part: Part, context: Context) -> Iterator[Problem]:
    """Doc."""
    calls.append("b64:" + part.path)
    yield Problem(part.body_start, part.body_end, "a base64 leaf")


@rule(code="X903", name="multiparts", severity="info", summary="s", visits=parts(multipart=True))
def multiparts(part: Part, context: Context) -> Iterator[Problem]:
    """Doc."""
    calls.append("multi:" + repr(part.path))
    return iter(())


@rule(code="X904", name="subjects", severity="info", summary="s", visits=fields("SUBJECT"))
def subjects(header: Header, part: Part, context: Context) -> Iterator[Problem]:
    """Doc."""
    calls.append(f"subject:{part.path}:{header.value}")
    yield Problem(header.start, header.end, "a subject")


@rule(code="X905", name="odd-lines", severity="info", summary="s", visits=fields(kinds=[NO_COLON]))
def odd_lines(header: Header, part: Part, context: Context) -> Iterator[Problem]:
    """Doc."""
    calls.append("odd:" + header.raw.decode().strip())
    return iter(())


@rule(code="X906", name="broken", severity="info", summary="s", visits=parts())
def broken(part: Part, context: Context) -> Iterator[Problem]:
    """Doc."""
    calls.append("broken:" + part.path)
    raise RuntimeError("boom")


@rule(
    code="X907",
    name="worded-parts",
    severity="info",
    summary="s",
    visits=parts(encoded_words=True),
)
def worded_parts(part: Part, context: Context) -> Iterator[Problem]:
    """Doc."""
    calls.append("words:" + repr(part.path))
    return iter(())


@rule(code="X908", name="templates", severity="info", summary="s", visits=message(template=True))
def templates(m: Message, context: Context) -> Iterator[Problem]:
    """Doc."""
    calls.append("template")
    return iter(())


@rule(code="X909", name="envelopes", severity="info", summary="s", visits=message(envelope=True))
def envelopes(m: Message, context: Context) -> Iterator[Problem]:
    """Doc."""
    calls.append("envelope")
    return iter(())


@rule(
    code="X910",
    name="no-boundaries",
    severity="info",
    summary="s",
    visits=message(defects=[DefectKind.NO_BOUNDARY]),
)
def no_boundaries(m: Message, context: Context) -> Iterator[Problem]:
    """Doc."""
    calls.append("defect")
    return iter(())


RULES: list[Rule] = [
    each_message,
    base64_leaves,
    multiparts,
    subjects,
    odd_lines,
    broken,
    worded_parts,
    templates,
    envelopes,
    no_boundaries,
]


def test_each_rule_is_called_only_where_it_applies() -> None:
    calls.clear()
    report = mimelint.lint(RAW, rules=RULES, select=["X901", "X902", "X903", "X904", "X905"])
    assert sorted(calls) == sorted(
        ["message", "b64:1", "multi:''", "subject::hi", "subject:2:inner"]
    )
    assert [(f.code, f.part) for f in report.findings] == [
        ("X901", ""),
        ("X904", ""),
        ("X902", "1"),
        ("X904", "2"),
    ]


def test_odd_header_lines_are_visited_by_kind() -> None:
    calls.clear()
    raw = text("From: a@example.com\nX-Mailer Acme\nSubject: hi\n\nbody\n")
    mimelint.lint(raw, rules=RULES, select=["X905"])
    assert calls == ["odd:X-Mailer Acme"]


def test_encoded_word_parts_are_visited_only_when_a_field_holds_one() -> None:
    # Part 1's Content-Type holds an encoded-word; part 2's "=?" is in its
    # body, and a DKIM signature's is no word: neither is visited.
    raw = text(
        "From: a@example.com\n"
        "DKIM-Signature: v=1; z=Subject:=?utf-8?q?x?=\n"
        "Content-Type: multipart/mixed; boundary=b\n"
        "\n"
        "--b\n"
        "Content-Type: text/plain; name==?utf-8?q?caf=C3=A9?=\n"
        "\n"
        "hi\n"
        "--b\n"
        "Content-Type: text/plain\n"
        "\n"
        "=?utf-8?q?not_a_header?=\n"
        "--b--\n"
    )
    calls.clear()
    mimelint.lint(raw, rules=RULES, select=["X907"])
    assert calls == ["words:'1'"]
    calls.clear()
    mimelint.lint(
        raw.replace(b"name==?utf-8?q?caf=C3=A9?=", b"name=cafe"), rules=RULES, select=["X907"]
    )
    assert calls == []


def test_template_and_envelope_rules_are_called_only_with_one() -> None:
    only = ["X901", "X908", "X909"]
    calls.clear()
    mimelint.lint(RAW, rules=RULES, select=only)
    assert calls == ["message"]
    calls.clear()
    mimelint.lint(RAW, rules=RULES, select=only, envelope_to=["b@example.com"])
    assert sorted(calls) == ["envelope", "message"]
    calls.clear()
    lint_template(RAW, rules=RULES, select=only)
    assert sorted(calls) == ["message", "template"]


def test_defect_rules_are_called_only_when_a_part_has_the_defect() -> None:
    calls.clear()
    mimelint.lint(RAW, rules=RULES, select=["X910"])
    assert calls == []
    no_boundary = text("From: a@example.com\nContent-Type: multipart/mixed\n\nhi\n")
    mimelint.lint(no_boundary, rules=RULES, select=["X910"])
    assert calls == ["defect"]


def test_a_rule_that_raises_is_reported_once_and_the_others_run() -> None:
    calls.clear()
    report = mimelint.lint(RAW, rules=RULES, select=["X901", "X906"])
    assert calls.count("broken:") == 1 and "broken:1" not in calls
    assert [f.code for f in report.findings] == ["M000", "X901"]
    assert "X906" in report.findings[0].message


def test_testing_helpers_lint_position_and_fix() -> None:
    raw = text("From: a@example.com\nSubject: caf\u00e9\n\nbody\n")
    assert where(raw, "M320") == [(2, 13, "")]  # at the first non-ASCII character
    fixed = apply_fix(raw, findings(raw, "M320")[0])
    assert b"Subject: =?utf-8?" in fixed
    assert findings(fixed, "M320") == []


# ------------------------------------------- the plan, kept by its settings
def test_a_settings_value_plans_its_walk_once_and_a_copy_plans_afresh() -> None:
    settings = Settings.make(select=["M1"])
    walk = settings.walk
    assert settings.walk is walk  # planned on first use, then kept by the value
    assert walk.rules and all(r.code.startswith("M1") for r in walk.rules)
    narrower = settings.replace(ignore=("M101",))
    assert narrower.walk is not walk
    assert "M101" not in {r.code for r in narrower.walk.rules}
    assert "M101" in {r.code for r in walk.rules}
    assert narrower == Settings.make(select=["M1"], ignore=["M101"])  # the plan is no field


def test_settings_pickle_without_their_plan() -> None:
    settings = Settings.make(select=["M3"], envelope_from="a@example.com")
    settings.walk  # noqa: B018 - planned before pickling
    copy = pickle.loads(pickle.dumps(settings))
    assert copy == settings
    assert "walk" not in vars(copy)  # the worker plans for itself
    assert [r.code for r in copy.walk.rules] == [r.code for r in settings.walk.rules]


def test_lint_without_settings_plans_once_on_the_default_settings() -> None:
    assert Settings.make() == DEFAULT_SETTINGS
    mimelint.lint(RAW)
    walk = DEFAULT_SETTINGS.walk
    mimelint.lint(RAW)
    mimelint.fix(RAW)
    assert DEFAULT_SETTINGS.walk is walk


def test_an_unknown_selector_is_a_selection_error_when_linting() -> None:
    with pytest.raises(SelectionError, match="M999"):
        mimelint.lint(RAW, select=["M999"])


def test_a_check_may_return_a_list_or_none_instead_of_yielding() -> None:
    @rule(code="X920", name="returns-none", severity="info", summary="s", visits=parts())
    def returns_none(part: Part, context: Context) -> list[Problem] | None:
        """Doc."""
        calls.append("none:" + part.path)
        return None

    @rule(code="X921", name="returns-list", severity="info", summary="s", visits=fields("subject"))
    def returns_list(header: Header, part: Part, context: Context) -> list[Problem] | None:
        """Doc."""
        return [Problem(header.start, header.end, "one"), Problem(header.end, header.end, "two")]

    @rule(code="X922", name="gate-none", severity="info", summary="s", gate=True)
    def gate_none(m: Message, context: Context) -> list[Problem] | None:
        """Doc."""
        return None

    calls.clear()
    found = mimelint.lint(RAW, rules=[returns_none, returns_list, gate_none])
    assert calls == ["none:", "none:1", "none:2"]
    assert [(f.code, f.message, f.part) for f in found] == [
        ("X921", "one", ""),
        ("X921", "two", ""),
        ("X921", "one", "2"),
        ("X921", "two", "2"),
    ]
