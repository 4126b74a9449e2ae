"""The SARIF, GitHub-annotation and JSON-lines report formats."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from mimelint.rules import eightbit

import mimelint
from mimelint.docs import sections
from mimelint.formats import FileResult, RenderOptions, get_renderer
from mimelint.formats.github import escape_data, escape_property
from mimelint.formats.sarif import artifact_uri, sarif_log
from mimelint.registry import rule_by_code
from mimelint.rule import Edit, Finding, Fix, Safety, Severity
from tests.util import ROOT, msg

#: The OASIS schema, kept in the repository (tests/data/README.md) so that
#: every run validates against it, CI included.
SCHEMA = ROOT / "tests" / "data" / "sarif-schema-2.1.0.json"

# A Latin-1 Subject written raw: M101's business (raw UTF-8 belongs to M3xx).
RAW_SUBJECT = msg(
    "From: Ann <ann@example.com>\n"
    "To: bob@example.com\n"
    "Subject: Grüße aus Köln\n"
    "Date: Mon, 2 Jun 2025 10:00:00 +0000\n"
    "Message-ID: <1@example.com>\n"
    "\n"
    "Hello.\n"
).replace("Grüße aus Köln".encode(), "Grüße aus Köln".encode("latin-1"))


def _finding(**changes: Any) -> Finding:
    values: dict[str, Any] = {
        "code": "M101",
        "name": "eight-bit-header",
        "severity": Severity.ERROR,
        "message": "Subject holds raw 8-bit bytes",
        "start": 60,
        "end": 64,
        "line": 3,
        "column": 12,
        "end_line": 3,
        "end_column": 15,
        "part": "",
    }
    values.update(changes)
    return Finding(**values)


def _m101_result(path: str = "mail/welcome.eml") -> FileResult:
    report = mimelint.lint(RAW_SUBJECT, rules=eightbit.RULES)
    assert report.findings, "M101 must fire on a raw UTF-8 Subject"
    return FileResult(path, tuple(report.findings))


def _render(name: str, results: list[FileResult]) -> str:
    return get_renderer(name)(results, RenderOptions())


# --- SARIF -----------------------------------------------------------------


@pytest.fixture(scope="module")
def sarif_schema() -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(SCHEMA.read_text("utf-8"))
    return schema


def _validate(log: dict[str, Any], schema: dict[str, Any]) -> None:
    import jsonschema  # type: ignore[import-untyped]

    jsonschema.validate(log, schema, cls=jsonschema.Draft7Validator)


def test_sarif_is_valid_and_describes_the_rule(
    sarif_schema: dict[str, Any], tmp_path: Path
) -> None:
    results = [_m101_result(), FileResult("clean.eml")]
    log = sarif_log(results, cwd=tmp_path)
    _validate(log, sarif_schema)

    run = log["runs"][0]
    assert log["version"] == "2.1.0"
    assert run["columnKind"] == "unicodeCodePoints"
    driver = run["tool"]["driver"]
    assert driver["name"] == "mimelint"
    assert driver["version"] == mimelint.__version__
    assert driver["informationUri"].startswith("https://")
    [rule] = driver["rules"]
    assert rule["id"] == "M101"
    assert rule["name"] == "eight-bit-header"
    m101 = rule_by_code("M101")
    assert m101 is not None
    assert rule["shortDescription"]["text"] == m101.summary
    what = dict(sections(m101.doc))["What it does"]
    assert rule["fullDescription"]["text"] == " ".join(what.split())
    assert rule["help"]["markdown"] == m101.doc
    assert "## Why is this bad?" in rule["help"]["markdown"]
    assert "Why is this bad?" in rule["help"]["text"]
    assert "##" not in rule["help"]["text"]
    assert rule["defaultConfiguration"]["level"] == "error"
    assert rule["helpUri"].endswith("/docs/rules/M101.md")
    assert run["invocations"] == [{"executionSuccessful": True}]


def test_sarif_result_points_at_the_characters(
    sarif_schema: dict[str, Any], tmp_path: Path
) -> None:
    log = sarif_log([_m101_result()], cwd=tmp_path)
    [result] = log["runs"][0]["results"]
    assert result["ruleId"] == "M101"
    assert result["ruleIndex"] == 0
    assert result["level"] == "error"
    assert "Subject" in result["message"]["text"]
    location = result["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": "mail/welcome.eml", "uriBaseId": "%SRCROOT%"}
    # "Subject: Grüße aus Köln" in Latin-1: the first run of non-ASCII bytes
    # is "üß" at characters 12-13 of line 3; endColumn is exclusive.
    assert location["region"] == {"startLine": 3, "startColumn": 12, "endLine": 3, "endColumn": 14}


def test_sarif_levels_rule_index_and_unreadable_files(
    sarif_schema: dict[str, Any], tmp_path: Path
) -> None:
    results = [
        FileResult(
            "a.eml",
            (
                _finding(code="M999", name="zed", severity=Severity.INFO),
                _finding(code="M101", severity=Severity.WARNING, part="1.2"),
            ),
        ),
        FileResult("missing.eml", error="No such file or directory"),
        FileResult("b.eml", (_finding(code="M999", name="zed", severity=Severity.INFO),)),
    ]
    log = sarif_log(results, cwd=tmp_path)
    _validate(log, sarif_schema)
    run = log["runs"][0]
    ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
    assert ids == ["M101", "M999"]  # one descriptor per rule, however many results
    got = [(r["ruleId"], r["ruleIndex"], r["level"]) for r in run["results"]]
    assert got == [("M999", 1, "note"), ("M101", 0, "warning"), ("M999", 1, "note")]
    assert run["results"][1]["properties"] == {"part": "1.2"}
    [invocation] = run["invocations"]
    assert invocation["executionSuccessful"] is False
    [note] = invocation["toolExecutionNotifications"]
    assert note["level"] == "error"
    assert "No such file" in note["message"]["text"]
    assert note["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "missing.eml"


def test_sarif_carries_fixes_as_byte_replacements(
    sarif_schema: dict[str, Any], tmp_path: Path
) -> None:
    fix = Fix(
        (Edit(9, 12, b"=?utf-8?q?x?="), Edit(20, 20, "ü".encode())),
        Safety.SAFE,
        "encode the Subject",
    )
    log = sarif_log([FileResult("a.eml", (_finding(fix=fix),))], cwd=tmp_path)
    _validate(log, sarif_schema)
    [sarif_fix] = log["runs"][0]["results"][0]["fixes"]
    assert sarif_fix["description"]["text"] == "encode the Subject"
    replacements = sarif_fix["artifactChanges"][0]["replacements"]
    assert replacements[0] == {
        "deletedRegion": {"byteOffset": 9, "byteLength": 3},
        "insertedContent": {"text": "=?utf-8?q?x?="},
    }
    assert replacements[1]["insertedContent"] == {"binary": "w7w="}


def test_sarif_internal_error_has_a_descriptor(
    sarif_schema: dict[str, Any], tmp_path: Path
) -> None:
    crash = _finding(code="M000", name="internal-error", message="rule M1 failed")
    log = sarif_log([FileResult("a.eml", (crash,))], cwd=tmp_path)
    _validate(log, sarif_schema)
    [rule] = log["runs"][0]["tool"]["driver"]["rules"]
    assert rule["id"] == "M000"
    assert log["runs"][0]["invocations"][0]["executionSuccessful"] is False


def test_sarif_uris_are_relative_escaped_and_forward_slashed(tmp_path: Path) -> None:
    assert artifact_uri("mail/a b#1.eml", tmp_path) == "mail/a%20b%231.eml"
    assert artifact_uri("./mail/../x.eml", tmp_path) == "x.eml"
    assert artifact_uri(str(tmp_path / "sub" / "ü.eml"), tmp_path) == "sub/%C3%BC.eml"
    outside = tmp_path.parent / "elsewhere.eml"
    assert artifact_uri(str(outside), tmp_path) == outside.as_uri()
    assert artifact_uri("-", tmp_path) == "-"
    # A name that is not UTF-8 (surrogate escapes in Python) keeps its bytes.
    latin = os.fsdecode(b"caf\xe9/n\xe4me.eml")
    assert artifact_uri(latin, tmp_path) == "caf%E9/n%E4me.eml"
    assert artifact_uri(str(tmp_path.parent / latin), tmp_path).endswith("/caf%E9/n%E4me.eml")


def test_sarif_render_uses_the_current_directory(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    log = json.loads(_render("sarif", [_m101_result(str(tmp_path / "m.eml"))]))
    location = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "m.eml"
    assert log["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"] == tmp_path.as_uri() + "/"


def test_sarif_without_findings_is_valid(sarif_schema: dict[str, Any], tmp_path: Path) -> None:
    log = sarif_log([FileResult("a.eml")], cwd=tmp_path)
    _validate(log, sarif_schema)
    assert log["runs"][0]["results"] == []
    assert log["runs"][0]["tool"]["driver"]["rules"] == []


# --- GitHub annotations ----------------------------------------------------


def test_github_annotation_for_a_real_finding() -> None:
    out = _render("github", [_m101_result()])
    [line] = out.splitlines()
    assert line.startswith(
        "::error file=mail/welcome.eml,line=3,col=12,endLine=3,endColumn=14,title=M101::"
    )
    assert line.endswith("eight-bit-header: " + _m101_result().findings[0].message)


def test_github_severities() -> None:
    results = [
        FileResult(
            "a.eml",
            (
                _finding(severity=Severity.WARNING, part="2"),
                _finding(severity=Severity.INFO),
            ),
        )
    ]
    lines = _render("github", results).splitlines()
    assert lines[0].startswith("::warning file=a.eml,line=3,col=12,")
    # The part is kept, as the text format keeps it.
    assert lines[0].endswith("::eight-bit-header: Subject holds raw 8-bit bytes (part 2)")
    assert lines[1].startswith("::notice file=a.eml,")


def test_github_escaping() -> None:
    assert escape_data("50%\r\nnext: a, b") == "50%25%0D%0Anext: a, b"
    assert escape_property("C:\\mail,1%.eml\n") == "C%3A\\mail%2C1%25.eml%0A"
    results = [FileResult("odd,name:1.eml", (_finding(message="100% bad\nreally"),))]
    [line] = _render("github", results).splitlines()
    assert "file=odd%2Cname%3A1.eml," in line
    assert line.endswith("::eight-bit-header: 100%25 bad%0Areally")


def test_github_unreadable_file_and_refused_fix() -> None:
    results = [
        FileResult("gone.eml", error="No such file"),
        FileResult("a.eml", refused="the re-encoded message lost: a header"),
    ]
    lines = _render("github", results).splitlines()
    assert lines == [
        "::error file=gone.eml,title=unreadable::No such file",
        "::warning file=a.eml,title=fix refused::the re-encoded message lost: a header",
    ]


# --- JSON lines ------------------------------------------------------------


def test_json_lines_one_object_per_finding() -> None:
    fix = Fix((Edit(0, 1, b"x"),), Safety.UNSAFE, "guess")
    results = [
        _m101_result(),
        FileResult("gone.eml", error="No such file"),
        FileResult("b.eml", (_finding(part="1", fix=fix), _finding(severity=Severity.INFO))),
    ]
    out = _render("json-lines", results)
    assert out.endswith("\n")
    rows = [json.loads(line) for line in out.splitlines()]
    assert len(rows) == 4
    assert rows[0] == {
        "path": "mail/welcome.eml",
        "member": None,
        "line": 3,
        "column": 12,
        "end_line": 3,
        "end_column": 14,
        "code": "M101",
        "name": "eight-bit-header",
        "severity": "error",
        "message": results[0].findings[0].message,
        "part": "",
        "fixable": False,
        "fix_safety": None,
        "related": [],
    }
    assert rows[1] == {"path": "gone.eml", "member": None, "error": "No such file"}
    assert (rows[2]["part"], rows[2]["fixable"], rows[2]["fix_safety"]) == ("1", True, "unsafe")
    assert rows[3]["severity"] == "info"


def test_json_lines_nothing_to_report_is_empty() -> None:
    assert _render("json-lines", [FileResult("a.eml")]) == ""


def test_json_lines_survives_undecodable_paths() -> None:
    path = b"caf\xe9.eml".decode("utf-8", "surrogateescape")
    out = _render("json-lines", [FileResult(path, (_finding(),))])
    out.encode("ascii")  # printable on any terminal
    assert json.loads(out)["path"] == path


# --- Related places -----------------------------------------------------------

#: Subject twice: M605 points at the second and relates the first (line 2).
_REPEATED = msg("From: a@example.com\nSubject: Hello\nTo: b@example.com\nSubject: Hello\n\nhi\n")


def _m605_result() -> FileResult:
    report = mimelint.lint(_REPEATED, select=["M605"])
    return FileResult("mail/twice.eml", tuple(report.findings))


def test_a_related_place_is_data_on_the_finding_not_text_in_the_message() -> None:
    [finding] = _m605_result().findings
    assert (finding.line, finding.column) == (4, 1)
    assert "line" not in finding.message
    [first] = finding.related
    assert (first.message, first.line, first.column, first.end_line, first.end_column) == (
        "the first Subject field",
        2,
        1,
        2,
        8,
    )


def test_sarif_carries_related_places_as_related_locations(
    sarif_schema: dict[str, Any], tmp_path: Path
) -> None:
    log = sarif_log([_m605_result()], cwd=tmp_path)
    _validate(log, sarif_schema)
    [result] = log["runs"][0]["results"]
    assert result["relatedLocations"] == [
        {
            "id": 0,
            "physicalLocation": {
                "artifactLocation": {"uri": "mail/twice.eml", "uriBaseId": "%SRCROOT%"},
                "region": {"startLine": 2, "startColumn": 1, "endLine": 2, "endColumn": 8},
            },
            "message": {"text": "the first Subject field"},
        }
    ]
    # A finding without related places has no such key.
    [plain] = sarif_log([_m101_result()], cwd=tmp_path)["runs"][0]["results"]
    assert "relatedLocations" not in plain


def test_text_github_and_json_show_the_related_place() -> None:
    results = [_m605_result()]
    [text] = [line for line in _render("text", results).splitlines() if "M605" in line]
    assert text.startswith("mail/twice.eml:4:1: M605")
    assert text.endswith("(see the first Subject field at 2:1)")
    [annotation] = _render("github", results).splitlines()
    assert annotation.endswith("(see the first Subject field at 2:1)")
    [row] = json.loads(_render("json", results))
    assert row["related"] == [
        {
            "message": "the first Subject field",
            "line": 2,
            "column": 1,
            "end_line": 2,
            "end_column": 8,
        }
    ]
