"""The text and json report formats: exact lines and the JSON schema."""

from __future__ import annotations

import json

import jsonschema
import pytest

from mimelint.formats import FileResult, RenderOptions, get_renderer
from mimelint.formats.text import finding_line
from mimelint.rule import Edit, Finding, Fix, Safety, Severity

SAFE = Fix((Edit(0, 1, b"x"),), Safety.SAFE, "encode the subject")
UNSAFE = Fix((Edit(0, 1, b"x"),), Safety.UNSAFE, "drop the bad characters")


def finding(
    code: str = "M102",
    line: int = 9,
    column: int = 3,
    severity: Severity = Severity.ERROR,
    part: str = "",
    fix: Fix | None = None,
    message: str = "8-bit body declared 7bit",
) -> Finding:
    return Finding(
        code=code,
        name=f"rule-{code.lower()}",
        severity=severity,
        message=message,
        start=10,
        end=12,
        line=line,
        column=column,
        end_line=line,
        end_column=column + 1,
        part=part,
        fix=fix,
    )


def text(results: list[FileResult], **options: object) -> list[str]:
    return get_renderer("text")(results, RenderOptions(**options)).splitlines()  # type: ignore[arg-type]


def test_text_line_with_part_and_fix_marker() -> None:
    f = finding(part="1.2", fix=SAFE)
    assert (
        finding_line("a.eml", f, RenderOptions())
        == "a.eml:9:3: M102 [*] [error] 8-bit body declared 7bit (part 1.2)"
    )


def test_text_line_top_level_part_omitted_and_no_marker_without_fix() -> None:
    f = finding(severity=Severity.WARNING)
    assert (
        finding_line("a.eml", f, RenderOptions())
        == "a.eml:9:3: M102 [warning] 8-bit body declared 7bit"
    )


def test_unsafe_fix_marked_only_with_unsafe_fixes() -> None:
    f = finding(fix=UNSAFE)
    assert "[*]" not in finding_line("a.eml", f, RenderOptions())
    assert "M102 [*] [error]" in finding_line("a.eml", f, RenderOptions(unsafe_fixes=True))


def test_text_report_lists_in_order_then_summary() -> None:
    results = [
        FileResult(
            "a.eml", (finding(line=3, column=1, fix=SAFE), finding("M320", line=9, column=3))
        ),
        FileResult("b.eml", (finding(severity=Severity.INFO, fix=UNSAFE),)),
        FileResult("c.eml", error="No such file or directory"),
    ]
    assert text(results) == [
        "a.eml:3:1: M102 [*] [error] 8-bit body declared 7bit",
        "a.eml:9:3: M320 [error] 8-bit body declared 7bit",
        "b.eml:9:3: M102 [info] 8-bit body declared 7bit",
        "",
        "Found 3 findings (2 errors, 1 info) in 2 files checked.",
        "[*] 1 fixable with `mimelint check --fix`.",
        "1 more fix available with `--fix --unsafe-fixes` (it may change what a reader sees).",
        "1 file could not be read.",
    ]


def test_text_clean() -> None:
    assert text([FileResult("a.eml"), FileResult("b.eml")]) == [
        "All checks passed: no findings in 2 files."
    ]


def test_text_show_fixes_and_refused() -> None:
    results = [
        FileResult("a.eml", (), fixes=("M320 encode the subject", "M102 encode the body")),
        FileResult("b.eml", (finding(),), refused="the text of part 1 would change"),
    ]
    assert text(results, show_fixes=True, mode="fix") == [
        "b.eml:9:3: M102 [error] 8-bit body declared 7bit",
        "b.eml: fix refused, file left unchanged: the text of part 1 would change",
        "",
        "Fixed:",
        "  a.eml:",
        "    M320 encode the subject",
        "    M102 encode the body",
        "",
        # Only descriptions of the fixes: their severities are unknown, so none are shown.
        "Found 3 findings in 2 files checked; fixed 2, 1 remaining (1 error).",
        "1 file left unchanged: the fix was refused.",
    ]


def test_text_statistics() -> None:
    results = [
        FileResult(
            "a.eml", (finding("M320", fix=SAFE), finding("M102"), finding("M320", fix=SAFE))
        ),
        FileResult("b.eml", (finding("M102"), finding("M320", fix=SAFE), finding("M501"))),
    ]
    lines = text(results, statistics=True)
    assert lines[:3] == [
        "3  M320  [*] rule-m320",
        "2  M102      rule-m102",
        "1  M501      rule-m501",
    ]


def test_text_colour_only_when_asked() -> None:
    results = [FileResult("a.eml", (finding(),))]
    plain = get_renderer("text")(results, RenderOptions())
    coloured = get_renderer("text")(results, RenderOptions(color=True))
    assert "\x1b[" not in plain
    assert "\x1b[" in coloured
    import click

    assert click.unstyle(coloured) == plain


JSON_FINDING_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": [
        "path", "member", "line", "column", "end_line", "end_column", "code", "name",
        "severity", "message", "part", "fixable", "fix_safety", "related",
    ],
    "properties": {
        "path": {"type": "string"},
        "member": {"type": ["string", "null"]},
        "line": {"type": "integer", "minimum": 1},
        "column": {"type": "integer", "minimum": 1},
        "end_line": {"type": "integer", "minimum": 1},
        "end_column": {"type": "integer", "minimum": 1},
        "code": {"type": "string", "pattern": "^M[0-9]{3}$"},
        "name": {"type": "string"},
        "severity": {"enum": ["error", "warning", "info"]},
        "message": {"type": "string"},
        "part": {"type": "string"},
        "fixable": {"type": "boolean"},
        "fix_safety": {"enum": ["safe", "unsafe", None]},
        "related": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["message", "line", "column", "end_line", "end_column"],
                "properties": {
                    "message": {"type": "string"},
                    "line": {"type": "integer", "minimum": 1},
                    "column": {"type": "integer", "minimum": 1},
                    "end_line": {"type": "integer", "minimum": 1},
                    "end_column": {"type": "integer", "minimum": 1},
                },
            },
        },
    },
}  # fmt: skip
JSON_ERROR_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": ["path", "member", "error"],
    "properties": {
        "path": {"type": "string"},
        "member": {"type": ["string", "null"]},
        "error": {"type": "string"},
    },
}
JSON_SCHEMA = {"type": "array", "items": {"oneOf": [JSON_FINDING_SCHEMA, JSON_ERROR_SCHEMA]}}


def test_json_objects() -> None:
    results = [
        FileResult("a.eml", (finding(part="1", fix=SAFE), finding("M320", fix=UNSAFE))),
        FileResult("ü.eml", (finding(message="Grüße"),)),
        FileResult("gone.eml", error="No such file or directory"),
    ]
    data = json.loads(get_renderer("json")(results, RenderOptions()))
    jsonschema.validate(data, JSON_SCHEMA)
    assert data[0] == {
        "path": "a.eml",
        "member": None,
        "line": 9,
        "column": 3,
        "end_line": 9,
        "end_column": 4,
        "code": "M102",
        "name": "rule-m102",
        "severity": "error",
        "message": "8-bit body declared 7bit",
        "part": "1",
        "fixable": True,
        "fix_safety": "safe",
        "related": [],
    }
    assert data[1]["fix_safety"] == "unsafe"
    assert data[2]["path"] == "ü.eml" and data[2]["fix_safety"] is None
    assert data[2]["fixable"] is False
    assert data[3] == {"path": "gone.eml", "member": None, "error": "No such file or directory"}


def test_json_empty_is_an_empty_list() -> None:
    assert json.loads(get_renderer("json")([FileResult("a.eml")], RenderOptions())) == []


def test_json_statistics() -> None:
    results = [FileResult("a.eml", (finding("M320", fix=SAFE), finding("M102"), finding("M320")))]
    data = json.loads(get_renderer("json")(results, RenderOptions(statistics=True)))
    assert data == [
        {"code": "M320", "name": "rule-m320", "count": 2, "fixable": True},
        {"code": "M102", "name": "rule-m102", "count": 1, "fixable": False},
    ]


@pytest.mark.parametrize("name", ["json", "json-lines"])
def test_json_and_json_lines_agree(name: str) -> None:
    results = [FileResult("a.eml", (finding(fix=SAFE), finding("M320")))]
    out = get_renderer(name)(results, RenderOptions())
    items = json.loads(out) if name == "json" else [json.loads(x) for x in out.splitlines()]
    assert [i["code"] for i in items] == ["M102", "M320"]
    assert set(items[0]) == set(JSON_FINDING_SCHEMA["required"])  # type: ignore[arg-type]


def test_text_summary_per_mode_counts_fixed_and_remaining() -> None:
    fixed = (finding("M320", fix=SAFE), finding(severity=Severity.WARNING, fix=SAFE))
    results = [
        FileResult(
            "a.eml",
            (finding("M501"),),
            fixes=("M320 encode the subject", "M102 encode the body"),
            fixed=fixed,
        ),
        FileResult("b.eml", skipped=2),
    ]
    assert text(results, mode="diff")[-2:] == [
        (
            "Found 3 findings (2 errors, 1 warning) in 2 files checked; "
            "--fix would fix 2 (nothing written), 1 would remain (1 error)."
        ),
        (
            "2 fixes held back: they would invalidate a signature "
            "(fix before signing, or use --break-signatures and re-sign)."
        ),
    ]
    assert text(results, mode="fix")[-2] == (
        "Found 3 findings (2 errors, 1 warning) in 2 files checked; fixed 2, 1 remaining (1 error)."
    )
    everything = [FileResult("a.eml", fixes=("M320 encode the subject",), fixed=fixed[:1])]
    assert text(everything, mode="fix") == [
        "Found 1 finding (1 error) in 1 file checked; fixed 1, none remaining."
    ]


def test_text_fix_mode_offers_no_fix_line_for_a_refused_file() -> None:
    results = [FileResult("a.eml", (finding(fix=SAFE),), refused="the body would change")]
    lines = text(results, mode="fix")
    assert lines[-2:] == [
        "Found 1 finding (1 error) in 1 file checked; fixed 0, 1 remaining (1 error).",
        "1 file left unchanged: the fix was refused.",
    ]
    assert "[*] 1 fixable with `mimelint check --fix`." in text(results)


def test_text_statistics_marks_a_code_fixable_when_any_finding_is() -> None:
    # The first M320 lost its fix to a signature; the second still has one.
    results = [FileResult("a.eml", (finding("M320"), finding("M320", fix=SAFE)))]
    assert text(results, statistics=True)[0] == "2  M320  [*] rule-m320"
